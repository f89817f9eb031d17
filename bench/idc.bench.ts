/**
 * IDC synth benchmark: CDKTF synth and conformance checks for N generated cooperatives,
 * against a baseline measured in the same process: writing the same number of resources
 * as plain JSON objects (one file per stack), i.e. the floor any renderer pays to emit them.
 *
 * Each N runs in a fresh child process so its peak RSS is its own.
 *   npm run bench:idc            # N = 10, 100, 1000
 *   npm run bench:idc -- 300     # one N
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../infra';
import { checkCapacity, checkStacks, KUBERNETES_RULES, type StackInput } from '../infra/checks/kubernetes';
import { generateSources } from '../infra/testing/synthetic';
import { allowedPeersOf, PLATFORM_STACK, synthesizeIdc } from '../stacks/idc/app';

interface Result {
  n: number;
  stacks: number;
  resources: number;
  findings: number;
  synthMs: number;
  checkMs: number;
  baselineMs: number;
  peakRssMb: number;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function measure(n: number): Result {
  const plan = compile(generateSources({ n, seed: 1 }), { today: '2026-11-27' }).plan;
  if (!plan) throw new Error('generated configuration is invalid');
  const dir = mkdtempSync(join(tmpdir(), 'idc-bench-'));
  try {
    const out = join(dir, 'cdktf.out');
    let t0 = process.hrtime.bigint();
    const synthesized = synthesizeIdc(plan, out);
    const synthMs = ms(t0);

    t0 = process.hrtime.bigint();
    const peers = allowedPeersOf(plan);
    const stacks: StackInput[] = synthesized.map((s) => ({
      stack: s.stack,
      cooperative: s.cooperative,
      json: JSON.parse(readFileSync(join(out, s.file), 'utf8')),
      allowedPeers: peers.get(s.stack) ?? {},
    }));
    const findings = [...checkStacks(stacks, KUBERNETES_RULES), ...checkCapacity(plan.capacity, PLATFORM_STACK)];
    const checkMs = ms(t0);
    if (findings.some((f) => f.status === 'fail')) throw new Error('generated tenancy fails its checks');

    // Baseline: the same number of resources per stack, as plain objects of a similar shape, to disk.
    const counts = stacks.map((s) => Object.values(s.json.resource ?? {}).reduce((a, byName) => a + Object.keys(byName).length, 0));
    const base = join(dir, 'baseline');
    t0 = process.hrtime.bigint();
    counts.forEach((count, i) => {
      const resource: Record<string, unknown> = {};
      for (let r = 0; r < count; r++) {
        resource[`r${r}`] = { metadata: { name: `r${r}`, namespace: stacks[i].stack, labels: { 'app.kubernetes.io/part-of': 'coop-idc' } }, spec: { hard: { pods: '10' } } };
      }
      mkdirSync(join(base, stacks[i].stack), { recursive: true });
      writeFileSync(join(base, stacks[i].stack, 'cdk.tf.json'), JSON.stringify({ resource: { kubernetes_config_map_v1: resource } }, null, 2));
    });
    const baselineMs = ms(t0);

    return {
      n,
      stacks: stacks.length,
      resources: counts.reduce((a, b) => a + b, 0),
      findings: findings.length,
      synthMs,
      checkMs,
      baselineMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(n: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', String(n)], { execArgv: process.execArgv });
    child.on('message', (m) => resolve(m as Result));
    child.on('exit', (code) => code !== 0 && reject(new Error(`child for N=${n} exited with ${code}`)));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.send!(measure(Number(args[1])));
    return;
  }
  const ns = args.length ? args.map(Number) : [10, 100, 1000];
  console.log('N      stacks  resources  findings  synth ms  check ms  baseline ms  synth/baseline  peak RSS MB');
  for (const n of ns) {
    const r = await runChild(n);
    console.log(
      [
        String(r.n).padEnd(6),
        String(r.stacks).padStart(6),
        String(r.resources).padStart(10),
        String(r.findings).padStart(9),
        r.synthMs.toFixed(0).padStart(9),
        r.checkMs.toFixed(0).padStart(9),
        r.baselineMs.toFixed(0).padStart(12),
        `${(r.synthMs / r.baselineMs).toFixed(1)}×`.padStart(15),
        r.peakRssMb.toFixed(0).padStart(12),
      ].join('  '),
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
