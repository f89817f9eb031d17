#!/usr/bin/env node
// Entry shim: the CLI is TypeScript, run through tsx (esbuild) so that there is no separate
// compile step between editing a rule and running it.
'use strict';
require('tsx/cjs');
const { runCli } = require('../stacks/cli/main.ts');

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
