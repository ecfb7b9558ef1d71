#!/usr/bin/env node
// Launcher for the `sluice` command: the TypeScript sources through tsx in a checkout, the
// esbuild bundle otherwise (a build without sources).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'main', 'cli', 'index.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs/api').register();
  require(source).runCli(process.argv);
} else {
  require(path.join(root, 'dist', 'main', 'cli.cjs')).runCli(process.argv);
}
