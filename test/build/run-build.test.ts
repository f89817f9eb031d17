import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildStep } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { runBuild } from '../../build/run-build';
import { compileAt, sampleSources, TODAY } from '../support/config';

const plan = compileAt(sampleSources()).plan!;
const ctx = { plan, configDir: 'config', today: TODAY, env: {}, log: () => undefined };
/** Temporary folders only: nothing to keep beyond what the guard always refuses. */
const guard = { keep: [] };

const write = (name: string, text: string): BuildStep => ({ name, run: (c) => writeFileSync(join(c.outDir, `${name}.txt`), text) });
const failing: BuildStep = {
  name: 'checks',
  run: (c) => {
    writeFileSync(join(c.outDir, 'checks.txt'), 'found a problem');
    throw new BuildFailure('1 check failed', ['KoreaLaw KR-CMK korea-food bucket: wrong key (fix: use the cooperative key)']);
  },
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'coop-idc-run-build-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runBuild', () => {
  test('replaces the output folder when every step succeeds', async () => {
    const out = join(dir, 'out');
    await runBuild([write('a', 'one')], out, ctx, guard);
    await runBuild([write('b', 'two')], out, ctx, guard);
    expect(existsSync(join(out, 'a.txt'))).toBe(false);
    expect(readFileSync(join(out, 'b.txt'), 'utf8')).toBe('two');
  });

  test('fails when a check fails, but still runs the later steps (the report) and keeps their output as <out>.failed', async () => {
    const out = join(dir, 'out');
    await runBuild([write('report', 'good build')], out, ctx, guard);
    const ran: string[] = [];
    const report: BuildStep = { name: 'report', run: (c) => (ran.push('report'), writeFileSync(join(c.outDir, 'report.txt'), 'evidence of the failure')) };
    const err = await runBuild([failing, report], out, ctx, guard).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildFailure);
    expect((err as BuildFailure).lines).toEqual(['KoreaLaw KR-CMK korea-food bucket: wrong key (fix: use the cooperative key)']);
    expect((err as BuildFailure).evidence).toBe(`${out}.failed`);
    expect(ran).toEqual(['report']);
    // The previous good output is untouched; the failed build's evidence sits beside it.
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe('good build');
    expect(readFileSync(join(`${out}.failed`, 'report.txt'), 'utf8')).toBe('evidence of the failure');
    expect(JSON.parse(readFileSync(join(`${out}.failed`, 'build.json'), 'utf8')).failed).toEqual(['1 check failed']);
    // A later good build removes the stale evidence.
    await runBuild([write('report', 'fixed')], out, ctx, guard);
    expect(existsSync(`${out}.failed`)).toBe(false);
  });

  describe('build.json says how the check results were produced', () => {
    /** Counts results as a check step does, and notes what the report step would be told. */
    const counting = (computed: number, replayed: number): BuildStep => ({ name: 'counting', run: (c) => c.countCheckResults?.({ computed, replayed, verified: replayed, rejected: 1 }) });
    let told: unknown;
    const report: BuildStep = { name: 'report', run: (c) => void (told = c.checkResults?.()) };
    const checkResults = (out: string) => JSON.parse(readFileSync(join(out, 'build.json'), 'utf8')).checkResults;

    test('adds up what every step counted, for build.json and for the report step', async () => {
      const out = join(dir, 'out');
      await runBuild([counting(3, 4), counting(0, 2), report], out, { ...ctx, cacheDir: join(dir, 'cache'), verifyCache: true }, guard);
      const expected = { cache: 'verify', computed: 3, replayed: 6, verified: 6, rejected: 2 };
      expect(checkResults(out)).toEqual(expected);
      expect(told).toEqual(expected);
    });

    test.each([
      ['off', {}],
      ['on', { cacheDir: 'cache' }],
      ['verify', { cacheDir: 'cache', verifyCache: true }],
    ])('records the cache mode %s', async (mode, extra) => {
      const out = join(dir, 'out');
      await runBuild([report], out, { ...ctx, ...extra }, guard);
      expect(checkResults(out)).toEqual({ cache: mode, computed: 0, replayed: 0, verified: 0, rejected: 0 });
    });
  });

  test('discards the staging folder on an unexpected error', async () => {
    const out = join(dir, 'out');
    const broken: BuildStep = { name: 'broken', run: () => { throw new Error('bug'); } };
    await expect(runBuild([broken], out, ctx, guard)).rejects.toThrow('bug');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.failed`)).toBe(false);
  });

  test('starts a step with start() before the first step, and finishes it in its place', async () => {
    const out = join(dir, 'out');
    const events: string[] = [];
    const first: BuildStep = { name: 'first', run: () => void events.push('first runs') };
    const early: BuildStep = {
      name: 'early',
      run: () => {
        throw new Error('run is replaced by start');
      },
      start: async (c) => {
        events.push('early starts');
        writeFileSync(join(c.outDir, 'early.txt'), 'from the start');
        return () => void events.push('early finishes');
      },
    };
    const last: BuildStep = { name: 'last', run: () => void events.push('last runs') };
    await runBuild([first, early, last], out, ctx, guard);
    expect(events).toEqual(['early starts', 'first runs', 'early finishes', 'last runs']);
    expect(readFileSync(join(out, 'early.txt'), 'utf8')).toBe('from the start');
  });

  test('waits for started steps before discarding the staging folder on an unexpected error', async () => {
    const out = join(dir, 'out');
    let finished = false;
    const broken: BuildStep = { name: 'broken', run: () => { throw new Error('bug'); } };
    const slow: BuildStep = {
      name: 'slow',
      run: () => undefined,
      start: async (c) => {
        await new Promise((r) => setTimeout(r, 50));
        writeFileSync(join(c.outDir, 'slow.txt'), 'late');
        finished = true;
        return () => undefined;
      },
    };
    await expect(runBuild([broken, slow], out, ctx, guard)).rejects.toThrow('bug');
    expect(finished).toBe(true);
    expect(existsSync(out)).toBe(false);
  });
});
