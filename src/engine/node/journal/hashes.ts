/**
 * SHA-256 of the files a session was built from, so that a replay can tell that it runs on the same
 * ones: a file's bytes, or a folder's (a policy) as the hash of each file's relative path and hash,
 * in name order.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { HashedFile } from './journal';

/** Returns the SHA-256 of a file's bytes, in hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Returns a file with its hash. */
export function hashedFile(path: string): HashedFile {
  return { path, sha256: sha256File(path) };
}

/** Returns the SHA-256 of a folder: every file under it, by relative path in sorted order, with its hash. */
export function sha256Dir(dir: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  const h = createHash('sha256');
  for (const f of files) h.update(`${relative(dir, f).split('\\').join('/')}\0${sha256File(f)}\n`);
  return h.digest('hex');
}
