/**
 * `npm run bench [-- --n 10,100,1000] [--seed 1] [--out out/bench] [--shards 8] [--shards-only]`: the whole build, phase
 * by phase, for N generated cooperatives, against a bare aws-cdk-lib app of the same size.
 *
 * Each measurement runs in a fresh child process, so peak RSS is that run's own:
 * - `build`: reads the generated config folder, compiles, and runs the real `BUILD_STEPS`
 *   through `runBuild` (exactly what `coop-idc build` does) with a phase timer; twice: cold
 *   (empty build cache) and warm (the cache the cold run filled), reported apart;
 * - `baseline`: a bare aws-cdk-lib app (plain `CfnResource`s, no constructs, no checks) with
 *   the same stacks and resources per stack, built-in CloudFormation validation on as in
 *   the build, synthesized into a temporary folder;
 * - `same-templates`: the cold build's own templates written again by a bare aws-cdk-lib app
 *   (same resources, properties and outputs as `CfnResource`s, validation on): the least that
 *   synthesizing and validating exactly these templates costs, whatever writes them.
 *
 * - CI shards (`--shards K`, default 8; 0 skips them; `--shards-only` runs only these): for the
 *   largest N, each `build --shard i/K` without the cache and the `--merge`, one after another;
 *   the projected CI wall time is the slowest shard plus the merge.
 *
 * Prints a Markdown table and writes it to `<out>/bench.md`, with a chart of time against N
 * (`<out>/bench.svg`). Phases overlap where the build runs them in parallel (the
 * CloudFormation validation worker), so phase times add up to more than the wall time.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlan, checkRules, loadSources, readConfigDir } from '../infra';
import { generateSources, writeSources } from '../infra/testing/synthetic';
import { PEAK_RSS_PHASE, totalsTimer } from '../stacks/timer';
import type * as BuildStepsModule from '../build/build-steps';
import type * as OutputModule from '../build/output';
import type * as RunBuildModule from '../build/run-build';
import type * as AwsCdkLib from 'aws-cdk-lib';

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    child: { type: 'string' },
    stacks: { type: 'string' },
    cache: { type: 'string' },
    templates: { type: 'string' },
    change: { type: 'boolean' },
    shard: { type: 'string' },
    'shard-dir': { type: 'string' },
    merge: { type: 'boolean' },
    shards: { type: 'string' },
    'shards-only': { type: 'boolean' },
  },
});
const TODAY = '2026-11-27';

/** What a child reports on its last stdout line. */
interface ChildResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  /** CPU of the unit processes it started (Linux only). */
  readonly childrenCpuMs?: number;
  readonly phases: Record<string, number>;
  readonly stacks?: readonly number[];
  readonly failed?: string;
}

/**
 * CPU of the child processes this one waited for (the unit processes), from /proc (Linux:
 * cutime + cstime in clock ticks of 10 ms); undefined elsewhere. With the process's own CPU
 * this is the build's whole CPU, which a loaded machine distorts far less than wall time.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

const usage = () => ({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, childrenCpuMs: childrenCpuMs() });

async function childBuild(n: number, seed: number, cacheDir?: string, keepTemplates?: string, change = false): Promise<ChildResult> {
  const work = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    const configDir = join(work, 'config');
    const sources = generateSources({ n, seed });
    writeSources(sources, configDir);
    if (change) {
      // One cooperative changed: one day more of retention on its first dataset.
      const file = join(configDir, sources.cooperatives[0].relativePath);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/retentionDays: (\d+)/, (_, d: string) => `retentionDays: ${Number(d) + 1}`));
    }
    const timer = totalsTimer();
    const phases = timer.phases;
    const t0 = performance.now();
    const loaded = timer.time('load + validate', () => {
      const l = loadSources(readConfigDir(configDir));
      if (!l.config || checkRules(l.config, { today: TODAY }).diagnostics.some((d) => d.severity === 'error')) throw new Error('generated config is invalid');
      return l.config;
    });
    const plan = timer.time('plan', () => buildPlan(loaded));
    // Loaded here, as the CLI does: their start-up is part of a build.
    const { BUILD_STEPS, SHARD_STEPS } = require('../build/build-steps') as typeof BuildStepsModule;
    // A CI shard (`--shard i/n`) writes into a folder that outlives this child; `--merge` reads them.
    const shardMatch = values.shard !== undefined ? /^(\d+)\/(\d+)$/.exec(values.shard) : null;
    const shard = shardMatch ? { index: Number(shardMatch[1]), count: Number(shardMatch[2]) } : undefined;
    const shardDirs = values.merge ? values['shard-dir']!.split(',') : undefined;
    const out = shard ? values['shard-dir']! : join(work, 'out');
    const { runBuild } = require('../build/run-build') as typeof RunBuildModule;
    const { keptFolders } = require('../build/output') as typeof OutputModule;
    // Each step as a phase; sub-phases (cdk synth, cdk-nag, cdktf synth, checks) come from the timer.
    // A step that starts early runs on a worker: its phases come from the worker's timer.
    const steps = (shard ? SHARD_STEPS : BUILD_STEPS).map((s) => ({
      ...s,
      run: async (ctx: Parameters<typeof s.run>[0]) => {
        const s0 = performance.now();
        try {
          await s.run(ctx);
        } finally {
          timer.record(`step ${s.name}`, performance.now() - s0);
        }
      },
    }));
    let failed: string | undefined;
    try {
      await runBuild(steps, out, { plan, configDir, today: TODAY, env: {}, log: () => undefined, timer, ...(cacheDir ? { cacheDir } : {}), ...(shard ? { shard } : {}), ...(shardDirs ? { shardDirs } : {}) }, { keep: keptFolders(process.cwd(), configDir, homedir()) });
    } catch (e) {
      failed = e instanceof Error ? e.message : String(e);
    }
    const wallMs = performance.now() - t0;
    if (shard) return { wallMs, ...usage(), phases, ...(failed ? { failed } : {}) };
    // Stacks and resources per AWS stack, to size the baseline.
    const cdkOut = join(work, failed ? 'out.failed' : 'out', 'cdk.out');
    const stacks = readdirSync(cdkOut)
      .filter((f) => f.endsWith('.template.json'))
      .sort()
      .map((f) => Object.keys(JSON.parse(readFileSync(join(cdkOut, f), 'utf8')).Resources ?? {}).length);
    if (keepTemplates) for (const f of readdirSync(cdkOut)) if (f.endsWith('.template.json')) copyFileSync(join(cdkOut, f), join(keepTemplates, f));
    return { wallMs, ...usage(), phases, stacks, ...(failed ? { failed } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function childBaseline(perStack: readonly number[]): Promise<ChildResult> {
  const work = mkdtempSync(join(tmpdir(), 'bench-base-'));
  try {
    const t0 = performance.now();
    const { App, CfnResource, Stack } = require('aws-cdk-lib') as typeof AwsCdkLib;
    const app = new App({ outdir: work, stackTraces: false, analyticsReporting: false });
    perStack.forEach((count, i) => {
      const s = new Stack(app, `S${i}`, { env: { account: '111122223333', region: 'ap-northeast-2' } });
      for (let r = 0; r < count; r++) new CfnResource(s, `R${r}`, { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 345600 } });
    });
    app.synth();
    return { wallMs: performance.now() - t0, ...usage(), phases: {} };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The build's own templates, written again by a bare aws-cdk-lib app: one `CfnResource` per
 * resource with the very same type, properties and attributes (and the same outputs), built-in
 * CloudFormation validation on. No L2 constructs, no tokens to resolve, no checks, no IDC, no
 * report: what synthesizing and validating these templates costs at the least with
 * aws-cdk-lib, whatever produces them.
 */
async function childSameTemplates(dir: string): Promise<ChildResult> {
  const work = mkdtempSync(join(tmpdir(), 'bench-same-'));
  try {
    const t0 = performance.now();
    const { App, CfnOutput, CfnResource, Stack } = require('aws-cdk-lib') as typeof AwsCdkLib;
    const app = new App({ outdir: work, stackTraces: false, analyticsReporting: false, treeMetadata: false });
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.template.json')).sort()) {
      const t = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Description?: string; Resources?: Record<string, Record<string, unknown>>; Outputs?: Record<string, { Value: string; Export?: { Name: string }; Description?: string }> };
      const s = new Stack(app, f.slice(0, -'.template.json'.length), { env: { account: '111122223333', region: 'ap-northeast-2' }, ...(t.Description ? { description: t.Description } : {}) });
      for (const [id, r] of Object.entries(t.Resources ?? {})) {
        const { Type, Properties, ...attributes } = r as { Type: string; Properties?: Record<string, unknown> };
        const c = new CfnResource(s, id, { type: Type, ...(Properties ? { properties: Properties } : {}) });
        c.overrideLogicalId(id);
        for (const [k, v] of Object.entries(attributes)) c.addOverride(k, v);
      }
      for (const [id, o] of Object.entries(t.Outputs ?? {})) new CfnOutput(s, id, { value: o.Value, ...(o.Export ? { exportName: o.Export.Name } : {}), ...(o.Description ? { description: o.Description } : {}) }).overrideLogicalId(id);
    }
    app.synth();
    return { wallMs: performance.now() - t0, ...usage(), phases: {} };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function spawnChild(args: readonly string[]): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const PHASES: readonly [string, string][] = [
  ['load + validate', 'load + validate'],
  ['plan', 'plan (compile)'],
  ['step plan', 'plan.json'],
  ['lambda bundles', 'Lambda bundles (esbuild, waited for)'],
  ['cdk constructs', 'CDK constructs'],
  ['cdk synth (+ checks)', 'CDK synth + checks (whole app.synth)'],
  ['cdk-nag AwsSolutions', 'cdk-nag AwsSolutions'],
  ['cdk-nag NIST.800.53.R5', 'cdk-nag NIST 800-53 R5'],
  ['cdk-nag KoreaLaw', 'cdk-nag KoreaLaw'],
  ['cfn-validate (worker)', 'CloudFormation validation (worker thread)'],
  ['cfn-validate (main thread waiting)', 'main thread waiting for validation'],
  ['aws findings', 'write checks/aws.json'],
  ['step aws', 'step aws (total)'],
  ['cdktf synth', 'CDKTF synth'],
  ['kubernetes checks', 'Kubernetes checks'],
  ['provider lock', 'provider lock file into each stack'],
  ['step idc', 'step idc (total, when in the main thread)'],
  ['idc worker', 'step idc on its worker thread (total, overlapping step aws)'],
  ['step report', 'report'],
];

function chart(rows: readonly { n: number; build: ChildResult; warm: ChildResult; base: ChildResult; same: ChildResult }[]): string {
  const W = 640, H = 360, L = 60, B = 40, T = 30, R = 150;
  const xs = rows.map((r) => Math.log10(r.n));
  const maxT = Math.max(...rows.flatMap((r) => [r.build.wallMs, r.base.wallMs, r.same.wallMs])) / 1000;
  const x = (v: number) => L + ((v - Math.min(...xs)) / Math.max(1e-9, Math.max(...xs) - Math.min(...xs))) * (W - L - R);
  const y = (sec: number) => H - B - (sec / (maxT * 1.05)) * (H - B - T);
  const line = (pick: (r: (typeof rows)[number]) => number, color: string, label: string, i: number) => {
    const pts = rows.map((r, k) => `${x(xs[k]).toFixed(1)},${y(pick(r) / 1000).toFixed(1)}`);
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>` +
      pts.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${color}"/>`).join('') +
      `<text x="${W - R + 10}" y="${T + 20 * i}" fill="${color}" font-size="12">${label}</text>`;
  };
  const ticks = rows.map((r, k) => `<text x="${x(xs[k]).toFixed(1)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${r.n}</text>`).join('');
  const yt = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = maxT * f;
    return `<text x="${L - 6}" y="${y(v).toFixed(1)}" font-size="11" text-anchor="end">${v.toFixed(0)} s</text><line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="18" font-size="14">coop-idc build: wall time against cooperatives (log scale)</text>
${yt}${ticks}
<text x="${(L + W - R) / 2}" y="${H - 6}" font-size="12" text-anchor="middle">cooperatives (N)</text>
${line((r) => r.build.wallMs, '#c0392b', 'whole build', 0)}
${line((r) => r.build.phases['step aws'] ?? 0, '#2980b9', 'aws step', 1)}
${line((r) => r.build.phases['step idc'] ?? 0, '#27ae60', 'idc step', 2)}
${line((r) => r.build.phases['step report'] ?? 0, '#8e44ad', 'report', 3)}
${line((r) => r.base.wallMs, '#7f8c8d', 'bare aws-cdk-lib', 4)}
${line((r) => r.same.wallMs, '#d35400', 'bare, same templates', 5)}
</svg>
`;
}

/**
 * CI on `count` runners, measured here one shard after another: each shard's build
 * (`--shard i/count`, no cache, as on a fresh runner) and the merge; the projection is the
 * slowest shard plus the merge (runner start-up and `npm ci` not included).
 */
function projectedCi(n: number, count: number): string {
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'bench-shard-')));
  try {
    // The folders exist empty: a build replaces an empty folder.
    const shards = dirs.map((dir, i) => {
      process.stderr.write(`bench: N=${n} shard ${i + 1}/${count}…\n`);
      return spawnChild(['--child', 'build', '--n', String(n), '--seed', values.seed ?? '1', '--shard', `${i + 1}/${count}`, '--shard-dir', dir]);
    });
    process.stderr.write(`bench: N=${n} merge of ${count} shards…\n`);
    const merge = spawnChild(['--child', 'build', '--n', String(n), '--seed', values.seed ?? '1', '--merge', '--shard-dir', dirs.join(',')]);
    const slowest = Math.max(...shards.map((r) => r.wallMs));
    return `N=${n}, ${count} CI runners: shards ${shards.map((r) => s(r.wallMs)).join(', ')} s; merge ${s(merge.wallMs)} s; projected wall (slowest shard + merge) ${s(slowest + merge.wallMs)} s; ratio to one machine's cold build (sum of shards + merge) ×${((slowest + merge.wallMs) / (shards.reduce((a, r) => a + r.wallMs, 0) + merge.wallMs)).toFixed(2)}${merge.failed ? ` (merge: ${merge.failed})` : ''}\n  merge phases: ${Object.entries(merge.phases)
    .sort((a, b) => b[1] - a[1])
    .map(([p, ms]) => `${p} ${s(ms)} s`)
    .join(', ')}; merge CPU ${s(merge.cpuMs)} s`;
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** The largest peak RSS a unit process reported (unit-worker.ts records one phase per process). */
function unitRss(r: ChildResult): string {
  const v = Object.entries(r.phases).filter(([k]) => k.endsWith(PEAK_RSS_PHASE)).map(([, mb]) => mb);
  return v.length ? Math.max(...v).toFixed(0) : '–';
}

async function main(): Promise<void> {
  const n = Number(values.n ?? 0);
  if (values.child === 'build') {
    // The build child runs under the CLI's heap policy (bin/heap.js), as `coop-idc build` does.
    (require('../bin/heap') as { tuneHeap(): void }).tuneHeap();
    return void console.log(JSON.stringify(await childBuild(n, Number(values.seed ?? 1), values.cache, values.templates, values.change === true)));
  }
  if (values.child === 'same-templates') return void console.log(JSON.stringify(await childSameTemplates(values.templates!)));
  if (values.child === 'baseline') return void console.log(JSON.stringify(await childBaseline((values.stacks ?? '').split(',').map(Number))));

  const sizes = (values.n ?? process.env.BENCH_N ?? '10,100,1000').split(',').map(Number);
  const outDir = resolve(values.out ?? join('out', 'bench'));
  const shardCount = Number(values.shards ?? 8);
  if (values['shards-only']) {
    for (const size of sizes) process.stdout.write(`${projectedCi(size, shardCount)}\n`);
    return;
  }
  const rows: { n: number; build: ChildResult; warm: ChildResult; changed: ChildResult; base: ChildResult; same: ChildResult }[] = [];
  for (const size of sizes) {
    // Cold: an empty build cache, as on a fresh CI runner. Warm: the same build again with the
    // cache the cold one filled (what a re-run with a persisted cache does).
    const cache = mkdtempSync(join(tmpdir(), 'bench-cache-'));
    const templates = mkdtempSync(join(tmpdir(), 'bench-templates-'));
    const args = ['--child', 'build', '--n', String(size), '--seed', values.seed ?? '1', '--cache', cache];
    process.stderr.write(`bench: N=${size} build, cold cache…\n`);
    const build = spawnChild([...args, '--templates', templates]);
    process.stderr.write(`bench: N=${size} build again, warm cache…\n`);
    const warm = spawnChild(args);
    process.stderr.write(`bench: N=${size} build with one cooperative changed, warm cache…\n`);
    const changed = spawnChild([...args, '--change']);
    rmSync(cache, { recursive: true, force: true });
    process.stderr.write(`bench: N=${size} bare aws-cdk-lib baseline (${build.stacks!.length} stacks, ${build.stacks!.reduce((a, b) => a + b, 0)} resources)…\n`);
    const base = spawnChild(['--child', 'baseline', '--stacks', build.stacks!.join(',')]);
    process.stderr.write(`bench: N=${size} bare aws-cdk-lib writing the build's own templates…\n`);
    const same = spawnChild(['--child', 'same-templates', '--templates', templates]);
    rmSync(templates, { recursive: true, force: true });
    rows.push({ n: size, build, warm, changed, base, same });
  }

  // CI shards for the largest size only: eight more builds of a part each, and a merge.
  const ci = shardCount > 0 ? projectedCi(Math.max(...sizes), shardCount) : undefined;
  const md: string[] = [];
  md.push(`# coop-idc build benchmark`, '');
  md.push(`Generated cooperatives (seed ${values.seed ?? 1}), Node ${process.version}, each run in a fresh process. Times in seconds; phases run inside the whole build (the CloudFormation validation runs on a worker thread, overlapping the CDK synth and cdk-nag, and the whole IDC step runs on another one from the start of the build, so phases add up to more than the wall time; from 50 cooperatives on the AWS units are built in child processes, one per core, whose phases add up across processes; the CPU column is the parent's own). Phases are those of the cold build (empty build cache); the warm build runs the same build again on the cache the cold one filled (whole units restored), and the last one with one cooperative changed.`, '');
  md.push(`| phase | ${rows.map((r) => `N=${r.n}`).join(' | ')} |`, `|---|${rows.map(() => '---:').join('|')}|`);
  for (const [key, label] of PHASES) md.push(`| ${label} | ${rows.map((r) => (r.build.phases[key] !== undefined ? s(r.build.phases[key]) : '–')).join(' | ')} |`);
  md.push(`| **whole build, cold cache (wall)** | ${rows.map((r) => `**${s(r.build.wallMs)}**`).join(' | ')} |`);
  md.push(`| whole build, cold cache, CPU (user + system) | ${rows.map((r) => s(r.build.cpuMs)).join(' | ')} |`);
  const allCpu = (r: ChildResult) => r.cpuMs + (r.childrenCpuMs ?? 0);
  md.push(`| whole build, cold cache, CPU with the unit processes (user + system) | ${rows.map((r) => (r.build.childrenCpuMs !== undefined ? s(allCpu(r.build)) : '–')).join(' | ')} |`);
  md.push(`| whole build, cold cache, peak RSS (MB) | ${rows.map((r) => r.build.peakRssMb.toFixed(0)).join(' | ')} |`);
  md.push(`| whole build again, warm cache (wall) | ${rows.map((r) => s(r.warm.wallMs)).join(' | ')} |`);
  md.push(`| one cooperative changed, warm cache (wall) | ${rows.map((r) => s(r.changed.wallMs)).join(' | ')} |`);
  md.push(`| ratio one changed (warm) / cold | ${rows.map((r) => `×${(r.changed.wallMs / r.build.wallMs).toFixed(2)}`).join(' | ')} |`);
  md.push(`| ratio nothing changed (warm) / cold | ${rows.map((r) => `×${(r.warm.wallMs / r.build.wallMs).toFixed(2)}`).join(' | ')} |`);
  md.push(`| peak RSS of any one unit process, cold (MB) | ${rows.map((r) => unitRss(r.build)).join(' | ')} |`);
  const nag = (b: ChildResult) => ['cdk-nag AwsSolutions', 'cdk-nag NIST.800.53.R5', 'cdk-nag KoreaLaw'].reduce((sum, k) => sum + (b.phases[k] ?? 0), 0);
  md.push(`| cdk-nag, three packs, cold cache | ${rows.map((r) => s(nag(r.build))).join(' | ')} |`);
  md.push(`| cdk-nag, three packs, warm cache | ${rows.map((r) => s(nag(r.warm))).join(' | ')} |`);
  md.push(`| CDK synth + checks (whole app.synth), warm cache | ${rows.map((r) => s(r.warm.phases['cdk synth (+ checks)'] ?? 0)).join(' | ')} |`);
  md.push(`| step aws (total), warm cache | ${rows.map((r) => s(r.warm.phases['step aws'] ?? 0)).join(' | ')} |`);
  md.push(`| whole build again, warm cache, CPU (user + system) | ${rows.map((r) => s(r.warm.cpuMs)).join(' | ')} |`);
  md.push(`| whole build again, warm cache, peak RSS (MB) | ${rows.map((r) => r.warm.peakRssMb.toFixed(0)).join(' | ')} |`);
  md.push(`| AWS stacks / resources | ${rows.map((r) => `${r.build.stacks!.length} / ${r.build.stacks!.reduce((a, b) => a + b, 0)}`).join(' | ')} |`);
  md.push(`| bare aws-cdk-lib, same stacks and resources, validation on (wall) | ${rows.map((r) => s(r.base.wallMs)).join(' | ')} |`);
  md.push(`| bare aws-cdk-lib peak RSS (MB) | ${rows.map((r) => r.base.peakRssMb.toFixed(0)).join(' | ')} |`);
  md.push(`| bare aws-cdk-lib writing the build's own templates (same resources and properties), validation on (wall) | ${rows.map((r) => s(r.same.wallMs)).join(' | ')} |`);
  md.push(`| … its CPU (user + system) / peak RSS (MB) | ${rows.map((r) => `${s(r.same.cpuMs)} / ${r.same.peakRssMb.toFixed(0)}`).join(' | ')} |`);
  md.push(`| ratio whole build (cold) / bare aws-cdk-lib (time) | ${rows.map((r) => `×${(r.build.wallMs / r.base.wallMs).toFixed(2)}`).join(' | ')} |`);
  md.push(`| ratio step aws (cold) / bare aws-cdk-lib (time) | ${rows.map((r) => `×${((r.build.phases['step aws'] ?? 0) / r.base.wallMs).toFixed(2)}`).join(' | ')} |`);
  md.push(`| ratio whole build (cold) / bare aws-cdk-lib writing the same templates (time) | ${rows.map((r) => `×${(r.build.wallMs / r.same.wallMs).toFixed(2)}`).join(' | ')} |`);
  md.push(`| ratio whole build's CPU with the unit processes (cold) / CPU of the bare app writing the same templates | ${rows.map((r) => (r.build.childrenCpuMs !== undefined ? `×${(allCpu(r.build) / r.same.cpuMs).toFixed(2)}` : '–')).join(' | ')} |`);
  md.push(`| same, one cooperative changed (warm) / nothing changed (warm), CPU with the unit processes | ${rows.map((r) => (r.changed.childrenCpuMs !== undefined ? `${s(allCpu(r.changed))} / ${s(allCpu(r.warm))}` : '–')).join(' | ')} |`);
  const at = (k: number) => rows.find((r) => r.n === k);
  const r100 = at(100), r1000 = at(1000);
  md.push('');
  if (r100 && r1000) md.push(`Growth T(1000)/T(100), cold: ×${(r1000.build.wallMs / r100.build.wallMs).toFixed(2)} (linear: ≤ 11).`, '');
  if (ci) md.push(ci, '');
  for (const r of rows) for (const b of [r.build, r.warm]) if (b.failed) md.push(`N=${r.n}: the build failed: ${b.failed}`, '');
  const text = md.join('\n') + '\n';
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'bench.md'), text);
  writeFileSync(join(outDir, 'bench.svg'), chart(rows));
  console.log(text);
  console.log(`written: ${join(outDir, 'bench.md')}, ${join(outDir, 'bench.svg')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
