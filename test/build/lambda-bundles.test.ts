import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDA_CACHE, sealedEntryText } from '../../build/build-cache';
import { bundleLambdasCached, keepMadeBundles } from '../../build/lambda-bundles';
import type * as LambdaBundles from '../../build/lambda-bundles';
import { bundleLambdas, LAMBDA_NAMES } from '../../lambdas/bundle';
import { readTree } from '../support/files';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe('bundleLambdasCached', () => {
  let cacheDir: string;
  let plain: Record<string, string>;
  beforeAll(async () => {
    cacheDir = temp('lambda-cache-');
    const out = temp('lambda-plain-');
    await bundleLambdas(out);
    plain = readTree(out);
  });
  const entries = () => readdirSync(join(cacheDir, LAMBDA_CACHE)).map((f) => join(cacheDir, LAMBDA_CACHE, f));
  const entryOf = (name: string) => entries().find((f) => JSON.parse(readFileSync(f, 'utf8')).key.name === name)!;
  const reseal = (file: string, edit: (content: any) => any) => {
    const e = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, sealedEntryText(LAMBDA_CACHE, e.key, edit(e.content)));
  };

  test('stores each bundle with every file esbuild read, then restores all four with the same bytes', async () => {
    const cold = temp('lambda-cold-');
    expect((await bundleLambdasCached(cold, cacheDir)).restored).toBe(0);
    expect(readTree(cold)).toEqual(plain);
    const recorded = JSON.parse(readFileSync(entryOf('ingest-object'), 'utf8')).content.inputs;
    expect(Object.keys(recorded)).toEqual(expect.arrayContaining(['lambdas/ingest-object/handler.ts', expect.stringMatching(/^infra\//), expect.stringMatching(/^node_modules\//)]));
    const warm = temp('lambda-warm-');
    const outcome = await bundleLambdasCached(warm, cacheDir);
    expect(outcome.restored).toBe(LAMBDA_NAMES.length);
    expect(readTree(warm)).toEqual(plain);
    expect(outcome.bundles['ingest-object'].bytes).toBe(Buffer.byteLength(plain['ingest-object/index.js']));
  });

  test('a bundle one of whose inputs changed since it was stored is bundled again', async () => {
    // As if a file the bundle read (here a dependency's) had other bytes now.
    reseal(entryOf('erase'), (c) => ({ ...c, inputs: { ...c.inputs, [Object.keys(c.inputs).find((f) => f.startsWith('node_modules/'))!]: '0'.repeat(64) } }));
    const out = temp('lambda-changed-');
    expect((await bundleLambdasCached(out, cacheDir)).restored).toBe(LAMBDA_NAMES.length - 1);
    expect(readTree(out)).toEqual(plain);
    // …and stored again with the true hashes: the next build restores it.
    expect((await bundleLambdasCached(temp('lambda-again-'), cacheDir)).restored).toBe(LAMBDA_NAMES.length);
  });

  test('with verify, bundles everything and names the handler whose entry was altered and resealed', async () => {
    reseal(entryOf('ingest-api'), (c) => ({ ...c, js: `${c.js}\n// altered` }));
    const trusted = temp('lambda-trusted-');
    await bundleLambdasCached(trusted, cacheDir);
    expect(readFileSync(join(trusted, 'ingest-api/index.js'), 'utf8')).toMatch(/altered$/);
    const out = temp('lambda-verify-');
    const outcome = await bundleLambdasCached(out, cacheDir, true);
    expect(outcome.mismatches).toEqual(['ingest-api']);
    expect(outcome.restored).toBe(0);
    expect(readTree(out)).toEqual(plain);
  });
});

describe('bundles made earlier in the process (kept in test runs, jest-setup.ts)', () => {
  afterAll(() => keepMadeBundles(true));

  test('off, every build without a cache runs esbuild; on, the first one does and the others write its bytes', async () => {
    // A registry of its own, in which esbuild is counted (jest-setup.ts loaded the bundler,
    // and so esbuild, before any mock of this file).
    let esbuildRuns = 0;
    let fresh!: typeof LambdaBundles;
    jest.isolateModules(() => {
      jest.doMock('esbuild', () => {
        const actual = jest.requireActual('esbuild');
        return { ...actual, build: (...args: unknown[]) => (esbuildRuns++, actual.build(...args)) };
      });
      fresh = require('../../build/lambda-bundles');
    });
    fresh.keepMadeBundles(false);
    const a = temp('lambda-made-a-');
    await fresh.bundleLambdasCached(a);
    await fresh.bundleLambdasCached(temp('lambda-made-b-'));
    expect(esbuildRuns).toBe(2 * LAMBDA_NAMES.length);
    fresh.keepMadeBundles(true);
    const c = temp('lambda-made-c-');
    const d = temp('lambda-made-d-');
    await fresh.bundleLambdasCached(c);
    const outcome = await fresh.bundleLambdasCached(d);
    expect(esbuildRuns).toBe(3 * LAMBDA_NAMES.length);
    expect(readTree(c)).toEqual(readTree(a));
    expect(readTree(d)).toEqual(readTree(a));
    expect(outcome.bundles['erase'].inputs).toEqual(expect.arrayContaining(['lambdas/erase/handler.ts']));
  });
});
