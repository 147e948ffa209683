#!/usr/bin/env node
// Makes sure the end-to-end tests have a Chromium: Debian's, installed with apt-get where this runs
// as root (CI, this kind of machine). Elsewhere it says what to do and leaves the machine alone.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = process.env.COCKPIT_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) {
  process.stdout.write(`chromium: ${CHROMIUM}\n`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  process.stdout.write(
    `chromium: ${CHROMIUM} not found; install Debian's chromium (sudo apt-get install -y chromium), ` +
      'or set COCKPIT_CHROMIUM to a Chromium executable, or run `npx playwright install chromium`.\n',
  );
  process.exit(0);
}
process.stdout.write('chromium: installing Debian\'s chromium for the end-to-end tests…\n');
const run = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
if (!run('apt-get update -qq') || !run('apt-get install -y -qq chromium > /dev/null')) {
  process.stderr.write('chromium: apt-get could not install chromium\n');
  process.exit(1);
}
process.stdout.write(`chromium: ${CHROMIUM}\n`);
