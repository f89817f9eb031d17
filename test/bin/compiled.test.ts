import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiledMain, STAMP } = require('../../bin/compiled') as { compiledMain(root: string): string | undefined; STAMP: string };

const HOUR = 3600;
let root: string;
const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
const now = Math.floor(Date.now() / 1000);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'coopidc-compiled-'));
  for (const d of ['infra/config', 'stacks', 'build', 'cli', 'lambdas']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'infra/config/schema.ts'), '');
  writeFileSync(join(root, 'cli/main.ts'), '');
  for (const d of ['infra/config', 'infra', 'stacks', 'build', 'cli', 'lambdas']) at(join(root, d), now - 2 * HOUR);
  for (const f of ['infra/config/schema.ts', 'cli/main.ts']) at(join(root, f), now - 2 * HOUR);
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, STAMP), '');
  at(join(root, STAMP), now - HOUR);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('compiledMain', () => {
  test('runs dist/ when it was built after every source changed', () => {
    expect(compiledMain(root)).toBe(join(root, 'dist', 'cli', 'main.js'));
  });

  test('falls back to the sources when there is no completed build', () => {
    rmSync(join(root, STAMP));
    expect(compiledMain(root)).toBeUndefined();
  });

  test('falls back to the sources when a source changed after the build', () => {
    at(join(root, 'infra/config/schema.ts'), now);
    expect(compiledMain(root)).toBeUndefined();
  });

  test('falls back to the sources when a source was added or removed after the build', () => {
    at(join(root, 'build'), now);
    expect(compiledMain(root)).toBeUndefined();
  });
});
