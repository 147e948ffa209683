/**
 * The desktop window's own command-line options (`npm start -- --policy DIR` hands them to Electron;
 * in browser mode `cockpit serve` parses the same ones with commander).
 */

import { parseTimeOfDay } from '../../engine/core/clock';

/** Returns the value of `--NAME VALUE` or `--NAME=VALUE` in `argv` (the last one given), or throws saying what it needs when the flag has no value. */
function flagValue(argv: readonly string[], name: string, needs: string): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`--${name} needs ${needs}`);
      value = next;
    } else if (arg.startsWith(`--${name}=`)) {
      value = arg.slice(`--${name}=`.length);
      if (value.length === 0) throw new Error(`--${name} needs ${needs}`);
    }
  });
  return value;
}

/** `--policy DIR`: the model directory the session's RL agent runs. */
export function policyArg(argv: readonly string[]): string | undefined {
  return flagValue(argv, 'policy', 'a model directory, e.g. --policy resources/models/NAME');
}

/** `--start HH:MM[:SS]`: where the session starts in the day, recorded or simulated (ns since midnight). */
export function startArg(argv: readonly string[]): number | undefined {
  const text = flagValue(argv, 'start', 'a time of day HH:MM[:SS], e.g. --start 11:00');
  if (text === undefined) return undefined;
  try {
    return parseTimeOfDay(text);
  } catch {
    throw new Error(`--start must be a time of day HH:MM[:SS], received "${text}"`);
  }
}

/** `--scenario NAME|FILE`: the simulator scenario the session runs on (calm by default). */
export function scenarioArg(argv: readonly string[]): string | undefined {
  return flagValue(argv, 'scenario', 'a shipped scenario name (calm, volatile, thin, trending, flash-crash) or a scenario file');
}

/** `--venue lobster:FILE`: a recorded LOBSTER day the session runs on instead of the simulator. */
export function venueArg(argv: readonly string[]): string | undefined {
  const venue = flagValue(argv, 'venue', 'lobster:FILE, a LOBSTER message file');
  if (venue !== undefined && !/^lobster:.+/.test(venue)) throw new Error(`--venue must be lobster:FILE (a LOBSTER message file), received "${venue}"`);
  return venue;
}
