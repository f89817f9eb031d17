/**
 * Jest's order of test files (jest.config.js `testSequencer`): the suites known to be slow
 * first, slowest first, then the others as Jest orders them. Without timings of an earlier
 * run (a fresh CI checkout has none) Jest orders by file size, which may start a slow suite
 * last, and then one worker runs it alone while the other has nothing left to do. Plain
 * JavaScript: Jest loads it before any transform. Keep the list to what a CI run's log shows
 * as slow.
 */
const Sequencer = require('@jest/test-sequencer').default;
const { relative } = require('node:path');

/** Test files, relative to the repository, slowest first. */
const SLOW = [
  'test/build/aws-step.test.ts',
  'test/build/aws-units.test.ts',
  'test/cdk-json.test.ts',
  'test/bin/coop-idc.test.ts',
  'test/build/aws-units.shards.test.ts',
  'test/build/aws-units.processes.test.ts',
  'test/build/build.e2e.test.ts',
  'test/build/report-pdf.test.ts',
  'test/build/aws-stacks.test.ts',
  'test/infra/report/browser.test.ts',
  'test/cli/offboarding.e2e.test.ts',
  'test/stacks/aws/service-quotas.test.ts',
  'test/build/cache-trust.test.ts',
  'test/build/idc-step.test.ts',
  'test/infra/report/control-pages.test.ts',
  'test/build/up-to-date.e2e.test.ts',
  'test/cli/main.test.ts',
  'test/cli/onboarding.e2e.test.ts',
  'test/build/parallel-validation.test.ts',
  'test/build/nag-cache.test.ts',
  'test/build/up-to-date.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => SLOW.indexOf(relative(test.context.config.rootDir, test.path).split('\\').join('/'));
    const known = tests.filter((t) => rank(t) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...known, ...super.sort(tests.filter((t) => rank(t) < 0))];
  }
}

module.exports = SlowFirstSequencer;
