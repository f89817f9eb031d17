/**
 * The chargeback estimate against hand-computed cases, and the one invariant as a property
 * over random plans and random rate cards: the cooperatives' totals plus the unallocated
 * remainder equal the rate card applied to the whole plan, to the won.
 */
import fc from 'fast-check';
import { compile, type ConfigSources, type CostRatesPlan, type TenancyPlan } from '../../../infra';
import { COST_COMPONENTS, costCsv, estimateCost, formatCostTable, largestRemainder, roundHalfUp, type CostEstimate } from '../../../infra/cost';
import { generateSources } from '../../../infra/testing/synthetic';
import { COST_TODAY as TODAY, costSources as handSources } from '../../support/cost';

function planOf(sources: ConfigSources): TenancyPlan {
  const result = compile(sources, { today: TODAY });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.plan!;
}

const byId = (e: CostEstimate, id: string) => e.cooperatives.find((c) => c.id === id)!;

describe('largestRemainder', () => {
  test('shares sum to the total; the leftover won go to the largest remainders, ties to the smaller key', () => {
    expect(largestRemainder(100n, [{ key: 'b', weight: 1n }, { key: 'a', weight: 1n }, { key: 'c', weight: 1n }])).toEqual(new Map([['b', 33n], ['a', 34n], ['c', 33n]]));
    expect(largestRemainder(10n, [{ key: 'x', weight: 1n }, { key: 'y', weight: 2n }])).toEqual(new Map([['x', 3n], ['y', 7n]]));
  });

  test('is undefined when every weight is zero (the caller reports the total unallocated)', () => {
    expect(largestRemainder(5n, [{ key: 'a', weight: 0n }])).toBeUndefined();
    expect(largestRemainder(5n, [])).toBeUndefined();
  });

  test('fails on negative input', () => {
    expect(() => largestRemainder(-1n, [{ key: 'a', weight: 1n }])).toThrow(/negative/);
    expect(() => largestRemainder(1n, [{ key: 'a', weight: -1n }])).toThrow(/negative/);
  });

  test('sums exactly and never moves a share by a whole won or more (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        const shares = largestRemainder(total, weights.map((w, i) => ({ key: `k${String(i).padStart(2, '0')}`, weight: w })));
        const sum = weights.reduce((s, w) => s + w, 0n);
        if (sum === 0n) return shares === undefined;
        let got = 0n;
        weights.forEach((w, i) => {
          const s = shares!.get(`k${String(i).padStart(2, '0')}`)!;
          const floor = (total * w) / sum;
          expect(s === floor || s === floor + 1n).toBe(true);
          got += s;
        });
        return got === total;
      }),
    );
  });

  test('roundHalfUp rounds halves up', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n);
    expect(roundHalfUp(4n, 3n)).toBe(1n);
    expect(roundHalfUp(5n, 3n)).toBe(2n);
  });
});

describe('estimateCost, hand-computed', () => {
  // coop-a: 1.5 vCPU, 2 GiB, 500 GiB, one gpu-a, subscribes to s1 (2 vCPU, 4 GiB, 1 TiB);
  // 10 GB/month kept 365 days (capped at 12 × 30 = 360), 1.5 M requests, 10 members.
  // coop-b: no IDC; 20 GB/month kept 90 days, 0.5 M requests, 30 members.
  // Platform: 3 keys (no cells) + ops 1,000 won.
  test('evenly: every line and share as computed by hand', () => {
    const e = estimateCost(planOf(handSources()), { month: '2026-12' });
    expect(Object.fromEntries(e.lines.map((l) => [l.id, l.amount]))).toEqual({
      'idc.cpu': 3500, // 3.5 vCPU × 1,000
      'idc.memory': 600, // 6 GiB × 100
      'idc.storage': 16364, // 1,636,382,539,776 bytes × 10,000 / 10^12 = 16,363.8 → 16,364
      'idc.gpu/gpu-a': 50000,
      'cloud.kms': 5000, // 2 cooperatives + 3 platform keys
      'cloud.storage': 1800, // (10 × 360 + 20 × 90) / 30 = 180 GB-month × 10
      'cloud.requests': 6000, // 2 M × 3,000
      'platform.fixed/ops': 1000,
    });
    expect(byId(e, 'coop-a').amounts).toEqual({
      idcCpu: 1500,
      idcMemory: 200,
      idcStorage: 5369, // 16,364 × 500/1524 = 5,368.77 (largest remainder gets the leftover won)
      idcGpu: 50000,
      cloudKms: 1000,
      cloudStorage: 1200,
      cloudRequests: 4500,
      sharedServers: 13395, // s1: 2,000 + 400 + 10,995, one subscriber
      platform: 2000, // (3 × 1,000 + 1,000) / 2
    });
    expect(byId(e, 'coop-a').total).toBe(79164);
    expect(byId(e, 'coop-a').storedGb).toBe(120);
    expect(byId(e, 'coop-b').amounts).toMatchObject({ idcCpu: 0, cloudKms: 1000, cloudStorage: 600, cloudRequests: 1500, sharedServers: 0, platform: 2000 });
    expect(byId(e, 'coop-b').total).toBe(5100);
    expect(e.total).toBe(84264);
    expect(e.unallocated).toEqual([]);
  });

  test('byMembers splits the platform 10 : 30', () => {
    const e = estimateCost(planOf(handSources({ split: 'byMembers' })), { month: '2026-12' });
    expect([byId(e, 'coop-a').amounts.platform, byId(e, 'coop-b').amounts.platform]).toEqual([1000, 3000]);
  });

  test('byStoredVolume splits the platform 3600 : 1800, the leftover won to the larger remainder', () => {
    const e = estimateCost(planOf(handSources({ split: 'byStoredVolume' })), { month: '2026-12' });
    expect([byId(e, 'coop-a').amounts.platform, byId(e, 'coop-b').amounts.platform]).toEqual([2667, 1333]);
  });

  test('a shared server nobody subscribes to is unallocated, and the sum still holds', () => {
    const e = estimateCost(planOf(handSources({ subscribe: false })), { month: '2026-12' });
    expect(e.unallocated).toEqual([{ reason: expect.objectContaining({ en: 'shared server s1: no subscribers' }), amount: 13395 }]);
    expect(e.cooperatives.reduce((s, c) => s + c.total, 0) + 13395).toBe(e.total);
  });

  test('fails when the plan has no rate card', () => {
    const plan = planOf(handSources());
    const { cost: _cost, ...platform } = plan.platform;
    expect(() => estimateCost({ ...plan, platform }, { month: '2026-12' })).toThrow(/no cost: block/);
  });
});

describe('output formats', () => {
  const e = estimateCost(planOf(handSources()), { month: '2026-12' });

  test('CSV is RFC 4180: CRLF, a header, cooperatives by id, then the remainder and the total', () => {
    const csv = costCsv(e);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = csv.split('\r\n').slice(0, -1);
    expect(rows[0]).toBe(`month,cooperative,name_ko,name_en,${COST_COMPONENTS.join(',')},total,stored_gb`);
    expect(rows.slice(1).map((r) => r.split(',')[1])).toEqual(['coop-a', 'coop-b', '_unallocated', '_total']);
    expect(rows[4].split(',').at(-2)).toBe('84264');
    expect(costCsv(e)).toBe(csv);
  });

  test('CSV quotes a field holding a comma or a quote', () => {
    const named = { ...e, cooperatives: [{ ...e.cooperatives[0], name: { ko: '가,나', en: 'say "hi"' } }] };
    expect(costCsv(named).split('\r\n')[1]).toContain('"가,나","say ""hi"""');
  });

  test('the table shows its headings in one language, the rows and the whole-plan total', () => {
    const ko = formatCostTable(e, 'ko');
    expect(ko).toMatch(/^협동조합 +IDC vCPU +IDC 메모리/m);
    expect(ko).toMatch(/^전체\s+84,264$/m);
    expect(ko).not.toMatch(/cooperative|whole plan/);
    const en = formatCostTable(e, 'en');
    expect(en).toMatch(/^cooperative +IDC vCPU +IDC memory/m);
    expect(en).toMatch(/^whole plan\s+84,264$/m);
    expect(en).not.toMatch(/[가-힣]/);
    expect(formatCostTable(e, 'en', { coop: 'coop-b' })).not.toMatch(/coop-a/);
  });

  test('the table aligns columns by display width (a Hangul syllable takes two columns)', () => {
    const lines = formatCostTable(e, 'ko').split('\n').slice(1);
    const width = (s: string) => [...s].reduce((w, ch) => w + (/[가-힣]/.test(ch) ? 2 : 1), 0);
    // The total column ends where the rule above it ends, on every row.
    const rule = lines.find((l) => /^-+( +-+)+$/.test(l))!;
    for (const l of lines.filter((x) => /\d$/.test(x))) expect(width(l)).toBe(width(rule));
  });
});

/** The rate card applied to the whole plan, computed directly, line by line (not by the estimate's code path). */
function wholePlan(plan: TenancyPlan, r: CostRatesPlan): bigint {
  const round = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);
  const quotas = [...plan.cooperatives.flatMap((c) => (c.idc ? [c.idc.quota] : [])), ...plan.platform.idc.sharedServers.map((s) => s.quota)];
  const sum = (f: (q: (typeof quotas)[number]) => number) => quotas.reduce((s, q) => s + BigInt(f(q)), 0n);
  let total = round(BigInt(r.idc.vcpuMonth) * sum((q) => q.cpuMillis), 1000n);
  total += round(BigInt(r.idc.memoryGibMonth) * sum((q) => q.memoryBytes), 2n ** 30n);
  total += round(BigInt(r.idc.storageTbMonth) * sum((q) => q.storageBytes), 10n ** 12n);
  for (const [model, rate] of Object.entries(r.idc.gpuMonth)) total += BigInt(rate) * sum((q) => q.gpus[model] ?? 0);
  total += BigInt(r.cloud.kmsKeyMonth) * BigInt(plan.cooperatives.length + 3 + plan.platform.cells.length);
  let gbDays = 0n;
  let requests = 0n;
  for (const c of plan.cooperatives) {
    for (const d of c.datasets) {
      gbDays += BigInt(d.expectedGbPerMonth ?? 0) * BigInt(Math.min(d.retentionDays, r.cloud.maxStoredMonths * 30));
      requests += BigInt(d.expectedRequestsPerMonth ?? 0);
    }
  }
  total += round(BigInt(r.cloud.storageGbMonth) * gbDays, 30n);
  total += round(BigInt(r.cloud.millionRequests) * requests, 1_000_000n);
  for (const f of r.platform.fixedMonthly) total += BigInt(f.krw);
  return total;
}

describe('estimateCost, property over random plans and rate cards', () => {
  const plans = new Map<string, TenancyPlan>();
  const planFor = (n: number, seed: number, split: 'evenly' | 'byMembers' | 'byStoredVolume') => {
    const key = `${n}/${seed}/${split}`;
    if (!plans.has(key)) plans.set(key, planOf(generateSources({ n, seed, cost: { split }, cellCapacity: 4 })));
    return plans.get(key)!;
  };
  const price = fc.integer({ min: 0, max: 5_000_000 });
  const rates = fc.record({
    idc: fc.record({ vcpuMonth: price, memoryGibMonth: price, storageTbMonth: price, gpuMonth: fc.record({ 'nvidia-a100-80gb': price, 'nvidia-l40s': price }) }),
    cloud: fc.record({ kmsKeyMonth: price, storageGbMonth: price, millionRequests: price, maxStoredMonths: fc.integer({ min: 1, max: 120 }) }),
    platform: fc.record({ fixedMonthly: fc.array(fc.record({ item: fc.constantFrom('a', 'b', 'c'), krw: price }), { maxLength: 3 }).map((xs) => [...new Map(xs.map((x) => [x.item, x])).values()].sort((a, b) => (a.item < b.item ? -1 : 1))), split: fc.constantFrom('evenly' as const, 'byMembers' as const, 'byStoredVolume' as const) }),
  });

  test('cooperatives plus unallocated equal the rate card applied to the whole plan, to the won', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 4 }), rates, fc.boolean(), (n, seed, r, dropSubscribers) => {
        const base = planFor(n, seed, r.platform.split);
        // Random plans also lose their shared servers' subscribers (unallocated remainder).
        const servers = dropSubscribers ? base.platform.idc.sharedServers.map((s) => ({ ...s, subscribers: [] })) : base.platform.idc.sharedServers;
        const plan: TenancyPlan = { ...base, platform: { ...base.platform, cost: r, idc: { ...base.platform.idc, sharedServers: servers } } };
        const e = estimateCost(plan, { month: '2027-01' });
        const coops = e.cooperatives.reduce((s, c) => s + BigInt(c.total), 0n);
        const rest = e.unallocated.reduce((s, u) => s + BigInt(u.amount), 0n);
        expect(coops + rest).toBe(wholePlan(plan, r));
        expect(BigInt(e.total)).toBe(wholePlan(plan, r));
        for (const c of e.cooperatives) {
          expect(COST_COMPONENTS.reduce((s, k) => s + c.amounts[k], 0)).toBe(c.total);
          for (const k of COST_COMPONENTS) expect(Number.isSafeInteger(c.amounts[k]) && c.amounts[k] >= 0).toBe(true);
        }
        // Deterministic: the same plan gives the same bytes.
        expect(JSON.stringify(estimateCost(plan, { month: '2027-01' }))).toBe(JSON.stringify(e));
      }),
      { numRuns: 60 },
    );
  });
});
