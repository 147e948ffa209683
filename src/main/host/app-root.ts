import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Returns the application's root folder (the one with package.json), from the built or the source tree. */
export function appRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** The built engine worker. */
export function engineWorkerPath(): string {
  return join(appRoot(), 'out', 'main', 'engine-worker.js');
}

/** The built replay worker: one recorded session played to one window. */
export function replayWorkerPath(): string {
  return join(appRoot(), 'out', 'main', 'replay-worker.js');
}

/** The built renderer. */
export function rendererDir(): string {
  return join(appRoot(), 'out', 'renderer');
}
