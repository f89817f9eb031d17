/**
 * The AWS step building its units in unit processes (build/unit-worker.ts), as it does at
 * scale, here forced on a small plan (`unitProcessMinStacks: 1`): the units to build start in
 * processes, the cached ones are read meanwhile, and an entry that was there but does not
 * open is built after them. Each output is byte for byte that of the step in this process
 * without the cache. Generated cooperatives, so nothing here depends on config/.
 */
import { readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type TenancyPlan } from '../../infra';
import { generateSources } from '../../infra/testing/synthetic';
import { createAwsStep } from '../../build/aws-step';
import { EARLY_VALIDATION_PHASE } from '../../build/unit-worker';
import { PEAK_RSS_PHASE } from '../../stacks/timer';
import { TODAY, patch } from '../support/config';
import { differingFiles, outputFiles, tempDirs } from '../support/files';

jest.setTimeout(300_000);

const tmp = tempDirs();
const cache = tmp('coopidc-units-proc-cache-');
const sources = generateSources({ n: 4, seed: 7, cellCapacity: 2 });
const planOf = (s: typeof sources): TenancyPlan => compile(s, { today: TODAY }).plan!;

async function run(plan: TenancyPlan, options: { processes: boolean; cache: boolean }) {
  const outDir = tmp('coopidc-units-proc-out-');
  const lines: string[] = [];
  const phases: string[] = [];
  const timer = { time: <T>(phase: string, f: () => T) => (phases.push(phase), f()), record: (phase: string) => void phases.push(phase) };
  const step = createAwsStep(options.processes ? { unitProcessMinStacks: 1 } : {});
  await step.run({ plan, outDir, configDir: 'config', today: TODAY, env: {}, lang: 'en', log: (l) => lines.push(l), timer, ...(options.cache ? { cacheDir: cache } : {}) });
  return { outDir, phases, units: lines.find((l) => l.includes(' units (platform, cells)')), cacheLines: lines.filter((l) => l.startsWith('cache:')), restoredStacks: lines.find((l) => l.includes('of the rebuilt cells restored')), processes: phases.filter((p) => p.endsWith(PEAK_RSS_PHASE)).length };
}

function expectSameOutput(a: string, b: string): void {
  const files = outputFiles(a);
  expect(outputFiles(b)).toEqual(files);
  expect(differingFiles(a, b, files)).toEqual([]);
}

test('builds in unit processes while reading the cache, and builds an entry that does not open after them, writing what the step writes in one process', async () => {
  const cold = await run(planOf(sources), { processes: false, cache: true });
  expect(cold.units).toBe('aws: 3 units (platform, cells): 3 built, 0 restored from the build cache');

  // One cooperative of cell-01 changes: that cell builds in a process while the platform and
  // cell-02 are read.
  const changed = planOf(patch(sources, 'coop-0000', (t) => t.replace(/retentionDays: (\d+)/, (_, d: string) => `retentionDays: ${Number(d) + 1}`)));
  const mixed = await run(changed, { processes: true, cache: true });
  expect(mixed.units).toBe('aws: 3 units (platform, cells): 1 built, 2 restored from the build cache');
  expect(mixed.processes).toBe(1);
  // The units read go into cdk.out while the process builds, not after it; the process
  // started its validation worker before its job came.
  expect(mixed.phases).toContain('aws units (restore while building)');
  expect(mixed.phases).toContain(EARLY_VALIDATION_PHASE);
  const reference = await run(changed, { processes: false, cache: false });
  expect(reference.processes).toBe(0);
  expectSameOutput(reference.outDir, mixed.outDir);

  // Every unit entry damaged, the stack entries whole: each cell is put together from its
  // stacks' entries without building anything; only the platform (a unit of one stack) builds.
  const damage = (folder: string) => {
    const dir = join(cache, folder);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) truncateSync(join(dir, f), 100);
  };
  damage('aws-units');
  const assembled = await run(changed, { processes: true, cache: true });
  expect(assembled.restoredStacks).toMatch(/^aws: \d+ unchanged stacks of the rebuilt cells restored/);
  expect(assembled.processes).toBe(1);
  expectSameOutput(reference.outDir, assembled.outDir);

  // Every unit and stack entry damaged: each unit entry is there, so nothing is built before
  // the reads; each is rejected when read, and built after them (no stack of it opens either).
  damage('aws-units');
  damage('aws-stacks');
  const damaged = await run(changed, { processes: true, cache: true });
  expect(damaged.cacheLines.some((l) => l.startsWith('cache: rejected'))).toBe(true);
  expect(damaged.units).toBe('aws: 3 units (platform, cells): 3 built, 0 restored from the build cache');
  expect(damaged.processes).toBeGreaterThan(0);
  expect(damaged.restoredStacks).toBeUndefined();
  expectSameOutput(reference.outDir, damaged.outDir);
});
