import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A worker thread's entry: the built file, or the TypeScript source and the loader that runs it. */
export interface WorkerScript {
  readonly file: string;
  /** Set when `file` is TypeScript: a module that lets `require` load it (tsx's `tsx/cjs`). */
  readonly loader?: string;
}

/**
 * Finds a worker entry named `name` for code running from `fromFile`: beside the TypeScript source
 * under tsx or vitest, or in the built output, where bundling may have moved the caller into a
 * chunks folder below the entries. Returns null when neither exists.
 */
export function findWorkerScript(name: string, fromFile: string): WorkerScript | null {
  const dir = dirname(fromFile);
  if (fromFile.endsWith('.ts')) {
    let loader: string;
    try {
      loader = require.resolve('tsx/cjs');
    } catch {
      return null;
    }
    const file = join(dir, `${name}.ts`);
    return existsSync(file) ? { file, loader } : null;
  }
  for (const candidate of [join(dir, `${name}.js`), join(dir, '..', `${name}.js`)]) {
    if (existsSync(candidate)) return { file: candidate };
  }
  return null;
}
