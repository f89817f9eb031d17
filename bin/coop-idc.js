#!/usr/bin/env node
// Entry shim: the CLI is TypeScript. It runs the compiled JavaScript of `npm run build` when
// that is up to date with the sources (faster start), else the sources through tsx (esbuild),
// so that there is no compile step between editing a rule and running it.
'use strict';
const { join } = require('node:path');
const { compiledMain } = require('./compiled');
const { tuneHeap } = require('./heap');

tuneHeap();

const compiled = compiledMain(join(__dirname, '..'));
if (!compiled) require('tsx/cjs');
const { runCli } = require(compiled ?? '../cli/main.ts');

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Reaching here is a bug in coop-idc, not a user error: show the stack so it can be reported.
    console.error('coop-idc: internal error, please report it with the output below');
    console.error(err);
    process.exitCode = 70;
  },
);
