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
};
