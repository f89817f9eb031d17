/**
 * `npm run bench:up-to-date [-- --n 100,1000]`: `coop-idc build` with nothing changed, warm,
 * through the up-to-date check (build/up-to-date.ts), for N generated cooperatives.
 *
 * A cold build of 1,000 cooperatives takes many minutes on a small machine, so the output
 * folder is faked: the output marker and three files per cooperative (about what a build
 * writes per cooperative under cdk.out/), recorded in a manifest with the inputs the CLI
 * computes. Then the real CLI (`node bin/coop-idc.js build`, a fresh process, as from a
 * shell) runs three times; each must print the up-to-date line. Also timed in this process:
 * the input hash, writing the manifest (what every successful build adds) and the check alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OUTPUT_MARKER } from '../build/output';
import { checkUpToDate, inputHash, writeBuildManifest } from '../build/up-to-date';
import { generateSources, writeSources } from '../infra/testing/synthetic';

const { values } = parseArgs({ options: { n: { type: 'string' } } });
const TODAY = '2026-11-27';
const ROOT = join(__dirname, '..');

/** CPU ms of this process's waited-for children (Linux: cutime + cstime, in clock ticks of 10 ms). */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

for (const n of (values.n ?? '100,1000').split(',').map(Number)) {
  const work = mkdtempSync(join(tmpdir(), 'coop-idc-bench-up-to-date-'));
  try {
    const config = join(work, 'config');
    const out = join(work, 'out');
    writeSources(generateSources({ n, seed: 1 }), config);
    mkdirSync(join(out, 'cdk.out'), { recursive: true });
    writeFileSync(join(out, OUTPUT_MARKER), JSON.stringify({ tool: 'coop-idc', format: 1 }));
    // ~100 KB a file: 3,001 files make the ~300 MB a 1,000-cooperative output holds.
    const body = 'x'.repeat(100_000);
    for (let i = 0; i < 3 * n; i++) writeFileSync(join(out, 'cdk.out', `Stack${i}.template.json`), body);
    // The options as the CLI computes them for `build --lang en --today 2026-11-27`.
    const options = { steps: null, coop: null, shard: null, noCache: false, lang: 'en', today: TODAY, validation: process.env.CDK_VALIDATION !== 'false' };
    let t = process.hrtime.bigint();
    const inputs = inputHash(config, options);
    const hashMs = ms(t);
    t = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    writeBuildManifest(out, inputs);
    const manifestMs = ms(t);
    const manifestCpu = process.cpuUsage(cpu0);
    t = process.hrtime.bigint();
    const state = checkUpToDate(out, inputs);
    const checkMs = ms(t);
    if (!state.upToDate) throw new Error(`fake output not up to date: ${state.reason}`);
    const runs: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      t = process.hrtime.bigint();
      const cpuBefore = childCpuMs();
      const line = execFileSync(process.execPath, [join(ROOT, 'bin', 'coop-idc.js'), 'build', '--config', config, '--out', out, '--lang', 'en', '--today', TODAY], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CDK_VALIDATION: undefined } });
      runs.push(ms(t));
      cpu.push(childCpuMs() - cpuBefore);
      if (!line.startsWith('up to date:')) throw new Error(`the CLI built instead of skipping: ${line}`);
    }
    console.log(`N=${n}: ${3 * n + 1} output files; input hash ${hashMs.toFixed(0)} ms, manifest written after the build ${manifestMs.toFixed(0)} ms (CPU ${((manifestCpu.user + manifestCpu.system) / 1000).toFixed(0)} ms), check ${checkMs.toFixed(0)} ms; CLI (fresh process, nothing changed) CPU ${cpu.map((x) => (x / 1000).toFixed(2)).join(' / ')} s, wall ${runs.map((x) => (x / 1000).toFixed(2)).join(' / ')} s`);
    const v = childCpuMs();
    execFileSync(process.execPath, [join(ROOT, 'bin', 'coop-idc.js'), '--version']);
    console.log(`  for comparison, coop-idc --version: CPU ${((childCpuMs() - v) / 1000).toFixed(2)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
