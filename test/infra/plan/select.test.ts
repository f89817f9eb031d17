/**
 * The platform stack's slice of the plan (infra/plan/select.ts `selectPlatform`): the build
 * caches that stack under the slice's hash, so the slice must change exactly when what the
 * stack deploys can change. Generated cooperatives, so nothing here depends on config/.
 */
import { compile, maxPii, selectCell, selectPlatform, type ConfigSources, type TenancyPlan } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { TODAY, patch } from '../../support/config';

const planOf = (sources: ConfigSources): TenancyPlan => {
  const r = compile(sources, { today: TODAY });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.plan!;
};
const slice = (sources: ConfigSources) => JSON.stringify(selectPlatform(planOf(sources)));
const bumpRetention = (text: string) => text.replace(/retentionDays: (\d+)/, (_, d: string) => `retentionDays: ${Number(d) + 1}`);

describe('selectPlatform', () => {
  const inCells = generateSources({ n: 4, seed: 7, cellCapacity: 2 });
  const noCells = generateSources({ n: 4, seed: 7, cellCapacity: 0 });

  test('a cooperative in a cell changing its retention leaves the slice as it is; its cell slice changes', () => {
    const changed = patch(inCells, 'coop-0000', bumpRetention);
    const cell = planOf(inCells).cooperatives.find((c) => c.id === 'coop-0000')!.cell;
    expect(JSON.stringify(selectCell(planOf(changed), cell))).not.toBe(JSON.stringify(selectCell(planOf(inCells), cell)));
    expect(slice(changed)).toBe(slice(inCells));
  });

  test('a shared table in the data-lake account changing its retention changes the slice', () => {
    const before = selectPlatform(planOf(noCells));
    const owner = before.platform.sharedZone.tables[0].cooperative;
    const changed = patch(noCells, owner, bumpRetention);
    expect(slice(changed)).not.toBe(JSON.stringify(before));
  });

  test('a new member in a new cell, sharing with a consumer, changes the slice: the cell account and the grants', () => {
    const grown = generateSources({ n: 5, seed: 7, cellCapacity: 2 });
    const before = selectPlatform(planOf(inCells));
    const after = selectPlatform(planOf(grown));
    // The fifth cooperative opens a third cell (an account the pseudonymization key admits)
    // and its generated agreement grants a consumer: both are the platform stack's.
    expect(after.platform.cells.map((c) => c.id)).toEqual(['cell-01', 'cell-02', 'cell-03']);
    expect(after.grants.length).toBeGreaterThan(before.grants.length);
  });

  test('holds the grants to the consumers, the data-lake account tables and their datasets, and the highest PII class', () => {
    const plan = planOf(noCells);
    const s = selectPlatform(plan);
    expect(s.grants).toEqual(plan.grants.filter((g) => plan.platform.consumers.some((c) => c.id === g.consumer)));
    expect(s.platform.sharedZone.tables).toEqual(plan.platform.sharedZone.tables.filter((t) => t.bucket === plan.platform.sharedZone.bucket));
    expect(Object.keys(s.datasets).sort()).toEqual(s.platform.sharedZone.tables.map((t) => `${t.cooperative}/${t.dataset}`).sort());
    expect(s.classification).toBe(maxPii(plan.cooperatives.map((c) => c.classification)));
    expect('idc' in s.platform).toBe(false);
    expect(s.platform.cells).toEqual(plan.platform.cells.map((c) => ({ id: c.id, account: c.account })));
  });
});
