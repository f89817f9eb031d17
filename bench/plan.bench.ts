/**
 * `npm run bench:plan`: load + validate + plan for N generated cooperatives, in memory
 * and from files on disk, beside a baseline (parsing the same YAML with the same parser,
 * without validating)
 * measured in the same process. Prints figures; asserts nothing.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { compile, readConfigDir } from '../infra';
import { generateSources } from '../infra/testing/synthetic';
import { BENCH_TODAY, benchSizes, median, time } from './support';

const TODAY = BENCH_TODAY;
const sizes = benchSizes();

// Warm up the JIT and lazily built schemas once so the first N is not penalised.
compile(generateSources({ n: 20, seed: 99 }), { today: TODAY });

console.log('bench:plan — load + validate + plan (median of 3 runs)\n');
console.log('| N | YAML parse only, same parser (baseline) | compile in memory | ratio | read dir + compile | ms/cooperative | peak RSS |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  const sources = generateSources({ n, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-bench-'));
  mkdirSync(join(dir, 'cooperatives'));
  writeFileSync(join(dir, 'platform.yaml'), sources.platform.text);
  for (const c of sources.cooperatives) writeFileSync(join(dir, c.relativePath), c.text);

  const base: number[] = [];
  const mem: number[] = [];
  const disk: number[] = [];
  for (let r = 0; r < 3; r++) {
    base.push(time(() => [sources.platform, ...sources.cooperatives].map((s) => load(s.text, { schema: CORE_SCHEMA }))).ms);
    const m = time(() => compile(sources, { today: TODAY }));
    if (!m.value.plan) throw new Error(`generated config invalid: ${m.value.diagnostics[0]?.message}`);
    mem.push(m.ms);
    disk.push(time(() => compile(readConfigDir(dir), { today: TODAY })).ms);
  }
  rmSync(dir, { recursive: true, force: true });
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`| ${n} | ${median(base).toFixed(0)} ms | ${median(mem).toFixed(0)} ms | ${(median(mem) / median(base)).toFixed(2)}× | ${median(disk).toFixed(0)} ms | ${(median(disk) / n).toFixed(2)} | ${rss.toFixed(0)} MB |`);
}
