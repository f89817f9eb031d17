import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { runStepOnWorker } from '../../build/step-worker';
import { compileAt, sampleSources, TODAY } from '../support/config';

const plan = compileAt(sampleSources()).plan!;
const fixture = require.resolve('../support/steps.fixture');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function context(extra: Partial<BuildContext> = {}): BuildContext & { lines: string[] } {
  const outDir = mkdtempSync(join(tmpdir(), 'step-worker-'));
  dirs.push(outDir);
  const lines: string[] = [];
  return { plan, outDir, configDir: 'config', today: TODAY, env: { COOP_IDC_X: '1' }, log: (l) => lines.push(l), lines, ...extra };
}

test('passes the check results a step counts back to the build', async () => {
  const counted: unknown[] = [];
  const ctx = context({ countCheckResults: (c) => void counted.push(c) });
  await runStepOnWorker(fixture, 'countingStep', ctx);
  expect(counted).toEqual([{ computed: 1, replayed: 2, verified: 0, rejected: 3 }]);
  expect(ctx.lines).toEqual(['counted']);
});

test('runs the step on the context values, passing its log lines and phases back', async () => {
  const phases: Record<string, number> = {};
  const ctx = context({ cacheDir: '/tmp/some-cache', timer: { time: (_p, run) => run(), record: (p, ms) => (phases[p] = ms) } });
  await runStepOnWorker(fixture, 'echoStep', ctx);
  expect(ctx.lines).toEqual(['first line', 'second line']);
  expect(Object.keys(phases)).toEqual(['echo phase']);
  expect(JSON.parse(readFileSync(join(ctx.outDir, 'echo.json'), 'utf8'))).toEqual({
    cooperatives: plan.cooperatives.map((c) => c.id),
    today: TODAY,
    configDir: 'config',
    env: { COOP_IDC_X: '1' },
    cacheDir: '/tmp/some-cache',
  });
});

test('a failed check comes back as the same BuildFailure', async () => {
  const ctx = context();
  const e = await runStepOnWorker(fixture, 'failingStep', ctx).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(BuildFailure);
  expect((e as BuildFailure).summary).toBe('2 checks failed');
  expect((e as BuildFailure).lines).toEqual(['rule A coop-a resource-1 (fix: do x)', 'rule B coop-b resource-2 (fix: do y)']);
  expect(ctx.lines).toEqual(['checked']);
});

test('any other error rejects with its name and message, not as a BuildFailure', async () => {
  const e = await runStepOnWorker(fixture, 'brokenStep', context()).catch((x: unknown) => x);
  expect(e).not.toBeInstanceOf(BuildFailure);
  expect(e).toMatchObject({ name: 'TypeError', message: 'something is not a function' });
});

test('a missing step is an error, not a silent success', async () => {
  await expect(runStepOnWorker(fixture, 'noSuchStep', context())).rejects.toThrow(/undefined|not a function|Cannot read/);
});
