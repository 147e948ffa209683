/**
 * Scenario files for the market simulator: `resources/scenarios/<name>.json`, validated by the
 * schema in `sim/scenario.ts`. The folder is found from the source or the built tree (the nearest
 * `resources/scenarios` above this module), or from the working directory.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseScenario, ScenarioError } from '../../sim/scenario';
import type { Scenario } from '../../sim/scenario';

/** Returns the folder of the shipped scenarios; throws when none is found. */
export function scenariosDir(): string {
  const tried: string[] = [];
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, 'resources', 'scenarios');
      tried.push(candidate);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`no resources/scenarios folder found, looked in ${tried.slice(0, 3).join(', ')}…`);
}

/** Returns the file a scenario is read from: a path as given (resolved), or a shipped scenario's file by its name. */
export function scenarioFile(nameOrPath: string): string {
  const isPath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  if (isPath) return resolve(nameOrPath);
  const file = join(scenariosDir(), `${nameOrPath}.json`);
  if (!existsSync(file)) throw new ScenarioError(nameOrPath, [`no scenario named "${nameOrPath}", expected one of: ${listScenarios().join(', ')}`]);
  return file;
}

/** Returns the names of the shipped scenarios, sorted. */
export function listScenarios(): string[] {
  return readdirSync(scenariosDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/**
 * Loads a scenario by name (a shipped one) or by path (anything with a slash or ending in .json).
 * Throws a `ScenarioError` naming the file and each bad key path, or an error naming the file when
 * it cannot be read or is not JSON.
 */
export function loadScenario(nameOrPath: string): Scenario {
  const file = scenarioFile(nameOrPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(file, [`cannot read the file: ${err instanceof Error ? err.message : String(err)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(file, [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return parseScenario(json, file);
}
