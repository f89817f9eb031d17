/**
 * Jest `globalSetup`: every test run gets a temp folder of its own, and every process of the
 * run (Jest's workers, and the builds, CDK CLIs and browsers the tests start) makes its temp
 * files under it through `TMPDIR`, which `os.tmpdir()` reads. Tests clean up what they make,
 * but aws-cdk-lib's and cdktf's test apps make a folder per app without an outdir, and a test
 * that fails half-way leaves its own: `global-teardown.js` removes the run's folder, so a run
 * leaves the machine's temp folder as it found it (but for tsx's compile cache, below). Whether the build itself leaves anything
 * is tested on its own (test/bin/coop-idc.test.ts), under a TMPDIR of its own.
 */
const { mkdirSync, mkdtempSync, symlinkSync } = require('node:fs');
const { tmpdir, userInfo } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'coop-idc-jest-'));
  // tsx (which runs the sources in the processes the tests start) keeps a compile cache in the
  // temp folder, made to outlive runs: the run's folder points at the machine's, as before.
  const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(root, tsxCache));
  process.env.COOP_IDC_JEST_TMP = root;
  process.env.TMPDIR = root;
};
