/**
 * `npm run bench:quotas`: synthesizes N generated cooperatives (no validation, no cdk-nag:
 * only the templates the quotas are counted on) and prints, per account, each quota of the
 * service-quota model with its use, its limit and the share, plus the failing findings.
 * `BENCH_N=1000,2000` by default. The generator places the cooperatives in cells of
 * `BENCH_CELL_CAPACITY` (default: the generator's 125); `BENCH_CELL_CAPACITY=1000` puts 1,000
 * in one cell, which must fail.
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
for (const n of benchSizes('1000,2000')) {
  const plan = compile(generateSources({ n, seed: 1, cellCapacity }), { today: BENCH_TODAY }).plan;
  if (!plan) throw new Error(`N=${n}: the generated config does not validate`);
  const outdir = mkdtempSync(join(tmpdir(), 'coopidc-quotas-bench-'));
  const code = mkdtempSync(join(tmpdir(), 'coopidc-quotas-code-'));
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
  const synth = time(() => {
    const aws = buildAwsApp(plan, { outdir, builtinValidation: false, checks: false, ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code, statsHandlerCodeDir: code } });
    aws.app.synth();
    return aws;
  });
  const inputs = readQuotaInputs(outdir, readTemplates(outdir, synth.value.cooperativeOf));
  const check = time(() => checkServiceQuotas(inputs, { raised: plan.platform.raisedQuotas }));
  const findings = check.value;
  const accounts = [...new Set(inputs.map((s) => s.account))].sort();
  const failed = findings.filter((f) => f.status === 'fail');
  console.log(`\n## N = ${n} in cells of ${cellCapacity}: ${inputs.length} stacks in ${accounts.length} account(s); synth ${(synth.ms / 1000).toFixed(1)} s, quota check ${check.ms.toFixed(0)} ms; ${failed.length} quota(s) over 80 %\n`);
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
      const share = (f: (typeof mine)[number]) => Number(/([0-9.]+) % of/.exec(f.message)?.[1] ?? 0);
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
