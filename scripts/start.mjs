#!/usr/bin/env node
// `npm start`: builds the cockpit if its sources are newer than the build, then opens the Electron
// window; where the Electron runtime is not installed, says so in one line and serves the same
// cockpit in browser mode (`cockpit serve`), passing any arguments through.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function buildIsCurrent() {
  const outputs = ['out/main/index.js', 'out/main/cli.js', 'out/main/engine-worker.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => join(root, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const inputs = ['src', 'resources', 'package.json', 'electron.vite.config.ts'].map((p) => join(root, p)).filter((p) => existsSync(p));
  return Math.max(...inputs.map(newestMtime)) <= built;
}

if (!buildIsCurrent()) {
  process.stdout.write('building the cockpit…\n');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Returns the Electron executable if its runtime is installed, else null. */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/**
 * better-sqlite3 in node_modules is built for Node (the CLI and browser mode use it); Electron's
 * main process needs a build for Electron's ABI. It is fetched once into .cache beside the project
 * and handed to the engine, so both runtimes work from one install.
 */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const target = join(root, '.cache', 'electron-sqlite', `${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  if (existsSync(target)) return target;
  const work = join(tmpdir(), `cockpit-sqlite-${process.pid}`);
  try {
    cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
    rmSync(join(work, 'build'), { recursive: true, force: true });
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', version, '--arch', process.arch], { cwd: work, stdio: 'ignore' });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) return null;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const electron = electronBinary();
if (electron) {
  const binding = electronSqliteBinding();
  if (!binding) process.stdout.write('could not fetch better-sqlite3 for Electron; the engine will report the journal error\n');
  const child = spawn(electron, [root, ...args], { stdio: 'inherit', env: { ...process.env, ...(binding ? { COCKPIT_SQLITE_BINDING: binding } : {}) } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write('Electron runtime not installed here (node_modules/electron/dist is missing); serving the cockpit in browser mode instead.\n');
  const child = spawn(process.execPath, [join(root, 'bin', 'cockpit.js'), 'serve', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
