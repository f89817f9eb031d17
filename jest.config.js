// @swc/jest strips types only (≈20× faster than ts-jest here); `tsc --noEmit` in `npm test`
// does the type-checking once for the whole tree.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // hyparquet(-writer), intl-messageformat and its @formatjs parts ship ES modules only; Jest 30
  // on Node 20 cannot require() them untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|intl-messageformat|@formatjs)/)'],
  testTimeout: 60000,
  // A file's builds share one warm CloudFormation validation engine (seconds of CPU each).
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
  // One temp folder per run, removed at its end (test/support/global-setup.js).
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // Known-slow suites first, so that the two workers finish together.
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  // Jest defaults to cores - 1 workers: on the 2-core CI machine that is one, i.e. serial.
  maxWorkers: 2,
  // A worker's exit frees its heap (0.6-1.1 GB by the end of a run) and stops its kept validation
  // thread (test/support/jest-setup.ts): 0.8-1.2 s on a busy 2-core machine, past the 500 ms
  // default, after which Jest kills it and blames a leak. A worker kept alive by a real leak is
  // still killed and reported, only later.
  workerGracefulExitTimeout: 5000,
};
