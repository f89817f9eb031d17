/**
 * The report step's two ways of writing: in place into a build's staging folder, and file by
 * file (temporary file, then rename) into an existing output. Same bytes either way, and timed or not.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { writeReport } from '../../build/report-step';
import { HEAP_POLICY_KEY } from '../../build/heap-policy';
import { samplePlan, writeFixtureOutput } from '../infra/report/fixture';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'coop-idc-report-step-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
};

const TODAY = '2026-11-27';

/** Fresh output folders of the samples' plan, one per name, under the test's root. */
const fixtureOutputs = (...names: string[]): string[] => {
  const plan = samplePlan();
  return names.map((name) => {
    const dir = join(root, name);
    writeFixtureOutput(dir, plan);
    return dir;
  });
};

test('writing in place (staged) and file by file give the same files, and no temporary file is left', () => {
  const [staged, rewritten] = fixtureOutputs('staged', 'rewritten');
  writeReport(staged, TODAY, { staged: true });
  writeReport(rewritten, TODAY);
  const a = files(staged);
  expect(Object.keys(a)).toContain('report/index.html');
  expect(files(rewritten)).toEqual(a);
  expect(Object.keys(a).filter((f) => f.includes('.tmp-'))).toEqual([]);
});

test("runs with V8's own heap growth under the build's heap policy, and puts the policy back", () => {
  // The flags are recorded, not applied: this test process keeps V8's own heap.
  const v8 = require('node:v8') as typeof import('node:v8');
  const flags = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
  const record = Symbol.for(HEAP_POLICY_KEY);
  (globalThis as Record<symbol, unknown>)[record] = 30;
  try {
    const [dir] = fixtureOutputs('heap');
    writeReport(dir, TODAY, { staged: true });
    expect(flags.mock.calls).toEqual([['--heap-growing-percent=0'], ['--heap-growing-percent=30']]);
  } finally {
    flags.mockRestore();
    delete (globalThis as Record<symbol, unknown>)[record];
  }
});

test('times its phases when given a timer (`build --verbose` prints them), the same files either way', () => {
  const [timedDir, plainDir] = fixtureOutputs('timed', 'plain');
  const phases: string[] = [];
  writeReport(timedDir, TODAY, { staged: true, timer: { time: (phase, run) => (phases.push(phase), run()) } });
  writeReport(plainDir, TODAY, { staged: true });
  expect(phases).toEqual(['report (read)', 'report (model)', 'report (write)']);
  expect(files(timedDir)).toEqual(files(plainDir));
});
