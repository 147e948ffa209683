import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

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

/** Starts a worker thread on `script` with `workerData` (through its loader when it is TypeScript). */
export function startWorker(script: WorkerScript, workerData: unknown): Worker {
  return script.loader ? new Worker(`require(${JSON.stringify(script.loader)}); require(${JSON.stringify(script.file)});`, { eval: true, workerData }) : new Worker(script.file, { workerData });
}

/** The error an aborted run rejects with: the signal's reason if it is an Error, else an AbortError carrying it (or `fallback`). */
export function abortError(signal: AbortSignal, fallback: string): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const err = new Error(typeof r === 'string' ? r : fallback);
  err.name = 'AbortError';
  return err;
}
