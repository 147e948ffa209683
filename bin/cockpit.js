#!/usr/bin/env node
'use strict';
// The `cockpit` command line tool. It runs the built bundle (`npm run build` makes it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write(`cockpit: ${entry} is missing; run \`npm run build\` first.\n`);
  process.exit(1);
}
require(entry);
