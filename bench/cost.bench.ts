/**
 * `npm run bench:cost`: the chargeback estimate (`estimateCost`, plus its CSV) over N
 * generated cooperatives with a rate card, beside the plan compile (load + validate + plan)
 * of the same sources in the same process, and the check that the cooperatives plus the
 * unallocated remainder equal the whole-plan figure. Prints figures; asserts only the sum.
 */
import { compile } from '../infra';
import { costCsv, estimateCost } from '../infra/cost';
import { generateSources } from '../infra/testing/synthetic';
import { BENCH_TODAY, benchSizes, median, time } from './support';

const sizes = benchSizes('1000');

// Warm up the JIT and the lazily built schemas so the first N is not penalised.
{
  const warm = compile(generateSources({ n: 20, seed: 99, cost: { split: 'byStoredVolume' } }), { today: BENCH_TODAY }).plan!;
  estimateCost(warm, { month: '2026-12' });
}

console.log('bench:cost — estimate per cooperative vs plan compile (median of 5 runs)\n');
console.log('| N | split | plan compile | estimate | estimate + CSV | estimate / compile | whole plan (KRW) | Σ cooperatives + unallocated |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  for (const split of ['evenly', 'byMembers', 'byStoredVolume'] as const) {
    const sources = generateSources({ n, seed: 1, cost: { split } });
    const compiles: number[] = [];
    const estimates: number[] = [];
    const withCsv: number[] = [];
    let plan = compile(sources, { today: BENCH_TODAY }).plan;
    for (let r = 0; r < 5; r++) {
      const c = time(() => compile(sources, { today: BENCH_TODAY }));
      if (!c.value.plan) throw new Error(`generated config invalid: ${c.value.diagnostics[0]?.message}`);
      plan = c.value.plan;
      compiles.push(c.ms);
      estimates.push(time(() => estimateCost(plan!, { month: '2026-12' })).ms);
      withCsv.push(time(() => costCsv(estimateCost(plan!, { month: '2026-12' }))).ms);
    }
    const e = estimateCost(plan!, { month: '2026-12' });
    const parts = e.cooperatives.reduce((s, c) => s + BigInt(c.total), 0n) + e.unallocated.reduce((s, u) => s + BigInt(u.amount), 0n);
    if (parts !== BigInt(e.total)) throw new Error(`sum mismatch at N=${n} (${split}): ${parts} ≠ ${e.total}`);
    const fmt = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`| ${n} | ${split} | ${fmt(median(compiles))} | ${fmt(median(estimates))} | ${fmt(median(withCsv))} | ${(median(estimates) / median(compiles)).toFixed(3)}× | ${e.total.toLocaleString('en-US')} | ${parts.toLocaleString('en-US')} |`);
  }
}
