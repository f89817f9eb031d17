/**
 * `npm run bench:quotas`: synthesizes N generated cooperatives (no validation, no cdk-nag:
 * only the templates the quotas are counted on) and prints, per account, each quota of the
 * service-quota model with its use, its limit and the share, plus the failing findings.
 * `BENCH_N=1000,2000` by default. The generator places the cooperatives in cells of
 * `BENCH_CELL_CAPACITY` (default: the generator's `DEFAULT_CELL_CAPACITY`). Then, unless `BENCH_SINGLE_CELL=0`, the
 * first N again with every cooperative in one cell (`BENCH_SINGLE_CELL_N`, default the first
 * size), which must fail: only its failing findings are printed, grouped by account.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../infra';
import { checkServiceQuotas, SERVICE_QUOTAS } from '../infra/checks/aws';
import { DEFAULT_CELL_CAPACITY, generateSources } from '../infra/testing/synthetic';
import { buildAwsApp } from '../stacks/aws/aws-app';
import { readQuotaInputs, readTemplates } from '../build/aws-step';
import { BENCH_TODAY, benchSizes, time } from './support';

const cellCapacity = Number(process.env.BENCH_CELL_CAPACITY ?? DEFAULT_CELL_CAPACITY);
const sizes = benchSizes('1000,2000');
const runs = sizes.map((n) => ({ n, cellCapacity, single: false }));
if (process.env.BENCH_SINGLE_CELL !== '0') {
  const n = Number(process.env.BENCH_SINGLE_CELL_N ?? sizes[0]);
  runs.push({ n, cellCapacity: n, single: true });
}
/** The share of its quota a finding reports. */
const share = (f: { message: string }) => Number(/([0-9.]+) % of/.exec(f.message)?.[1] ?? 0);

for (const { n, cellCapacity, single } of runs) {
  const plan = compile(generateSources({ n, seed: 1, cellCapacity }), { today: BENCH_TODAY }).plan;
  if (!plan) throw new Error(`N=${n}: the generated config does not validate`);
  const outdir = mkdtempSync(join(tmpdir(), 'coopidc-quotas-bench-'));
  const code = mkdtempSync(join(tmpdir(), 'coopidc-quotas-code-'));
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
  const synth = time(() => {
    const aws = buildAwsApp(plan, { outdir, builtinValidation: false, checks: false, ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code, statsHandlerCodeDir: code, eraseHandlerCodeDir: code } });
    aws.app.synth();
    return aws;
  });
  const inputs = readQuotaInputs(outdir, readTemplates(outdir, synth.value.cooperativeOf));
  const check = time(() => checkServiceQuotas(inputs, { raised: plan.platform.raisedQuotas }));
  const findings = check.value;
  const accounts = [...new Set(inputs.map((s) => s.account))].sort();
  const failed = findings.filter((f) => f.status === 'fail');
  console.log(`\n## N = ${n} in ${single ? 'a single cell' : `cells of ${cellCapacity}`}: ${inputs.length} stacks in ${accounts.length} account(s); synth ${(synth.ms / 1000).toFixed(1)} s, quota check ${check.ms.toFixed(0)} ms; ${failed.length} quota(s) over 80 %\n`);
  if (single) {
    // The counter-example: print what fails, by account and quota, not the whole tables.
    for (const account of accounts) {
      const mine = failed.filter((f) => f.message.includes(`in account ${account}`));
      console.log(`### account ${account}: ${mine.length} finding(s) over 80 %\n`);
      for (const q of SERVICE_QUOTAS) {
        const fs = mine.filter((f) => f.rule === `SQ-${q.id}`);
        if (fs.length === 0) continue;
        const worst = fs.reduce((a, b) => (share(b) > share(a) ? b : a));
        console.log(`- ${q.service} ${q.name}: ${fs.length} holder(s), worst ${worst.stack}: ${worst.message.replace(/ \[https:.*\]$/, '')}`);
      }
      console.log('');
    }
    rmSync(outdir, { recursive: true, force: true });
    rmSync(code, { recursive: true, force: true });
    continue;
  }
  for (const f of failed) console.log(`- ${f.rule} ${f.stack}: ${f.message}`);
  if (failed.length) console.log('');
  for (const account of accounts) {
    console.log(`### account ${account} (${inputs.filter((s) => s.account === account && s.cooperative !== undefined).length} cooperatives)\n`);
    console.log('| quota | scope | use (largest holder) | quota | share | status |');
    console.log('|---|---|---:|---:|---:|---|');
    for (const q of SERVICE_QUOTAS) {
      const mine = findings.filter((f) => f.rule === `SQ-${q.id}` && f.message.includes(`in account ${account}`));
      if (mine.length === 0) {
        console.log(`| ${q.name} | ${q.scope} | – | ${q.value.toLocaleString('en-US')} | – | nothing to count |`);
        continue;
      }
      const top = mine.reduce((a, b) => (share(b) > share(a) ? b : a));
      const use = /^([0-9,]+)/.exec(top.message)?.[1] ?? '?';
      const failed = mine.filter((f) => f.status === 'fail').length;
      console.log(`| ${q.name} | ${q.scope} | ${use} | ${q.value.toLocaleString('en-US')} | ${share(top).toFixed(1)} % | ${failed ? `**${failed} over 80 %**` : 'ok'} |`);
    }
    console.log('');
  }
  rmSync(outdir, { recursive: true, force: true });
  rmSync(code, { recursive: true, force: true });
}
