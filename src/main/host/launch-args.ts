/**
 * The desktop window's own command-line options (`npm start -- --policy DIR` hands them to Electron;
 * in browser mode `cockpit serve` parses the same ones with commander).
 */

/** Returns the value of `--policy DIR` or `--policy=DIR` in `argv`, or throws when the flag has no value. */
export function policyArg(argv: readonly string[]): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--policy') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error('--policy needs a model directory, e.g. --policy resources/models/NAME');
      value = next;
    } else if (arg.startsWith('--policy=')) {
      value = arg.slice('--policy='.length);
      if (value.length === 0) throw new Error('--policy needs a model directory, e.g. --policy=resources/models/NAME');
    }
  });
  return value;
}
