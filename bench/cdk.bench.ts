/**
 * `npm run bench:cdk [-- --n 1000] [--validation]`: synthesizes N generated cooperatives
 * (platform + N stacks, every check pack on) and, first, a bare aws-cdk-lib app with the
 * same number of stacks and resources (plain CfnResources, no constructs, no checks), in the
 * same process. Prints wall time, heap and peak RSS, and the ratios.
 *
 * Peak RSS is a process-wide high-water mark: the baseline runs first, so its figure is
 * its own; the coop-idc figure is max(baseline, coop-idc). Heap after GC is measured per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { compile } from '../infra';
import { generateSources } from '../infra/testing/synthetic';
import { buildAwsApp, synthAwsApp } from '../stacks/aws/aws-app';

const { values } = parseArgs({ options: { n: { type: 'string' }, seed: { type: 'string' }, validation: { type: 'boolean' } } });
const n = Number(values.n ?? 1000);
const seed = Number(values.seed ?? 1);
const gc = (globalThis as { gc?: () => void }).gc;

interface Measure {
  readonly seconds: number;
  readonly heapMb: number;
  readonly peakRssMb: number;
}
function measure(run: () => void): Measure {
  gc?.();
  const t0 = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return { seconds, heapMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const compiled = compile(generateSources({ n, seed }), { today: '2026-11-27' });
if (!compiled.plan) throw new Error('generated config is invalid');
const plan = compiled.plan;

// Count what coop-idc will create, to size the baseline: build once without synthesizing.
const probe = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'bench-probe-')), checks: false, builtinValidation: false });
const perStack = [probe.platform, ...probe.cooperatives.values()].map((s) => s.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length);
const resources = perStack.reduce((a, b) => a + b, 0);

const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

const baseline = measure(() => {
  const app = new App({ outdir: tmp('bench-base-'), builtinCloudFormationValidation: values.validation ?? false, stackTraces: false, analyticsReporting: false });
  perStack.forEach((count, i) => {
    const s = new Stack(app, `S${i}`, { env: { account: '111122223333', region: 'ap-northeast-2' } });
    for (let r = 0; r < count; r++) new CfnResource(s, `R${r}`, { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 345600 } });
  });
  app.synth();
});

let findings = 0;
const coopIdc = measure(() => {
  const aws = buildAwsApp(plan, { outdir: tmp('bench-coop-'), builtinValidation: values.validation ?? false, checks: true });
  findings = synthAwsApp(aws, plan).findings.length;
});
for (const d of dirs) rmSync(d, { recursive: true, force: true });

const f = (x: number, d = 1) => x.toFixed(d);
console.log(`cdk bench: ${n} cooperatives (seed ${seed}), ${perStack.length} stacks, ${resources} resources, CloudFormation validation ${values.validation ? 'on' : 'off'}`);
console.log(`  baseline (bare aws-cdk-lib, same stacks/resources): ${f(baseline.seconds)} s, heap ${f(baseline.heapMb, 0)} MB, peak RSS ${f(baseline.peakRssMb, 0)} MB`);
console.log(`  coop-idc (constructs + AwsSolutions + NIST + KoreaLaw): ${f(coopIdc.seconds)} s, heap ${f(coopIdc.heapMb, 0)} MB, peak RSS ${f(coopIdc.peakRssMb, 0)} MB, ${findings} findings`);
console.log(`  ratio: time ×${f(coopIdc.seconds / baseline.seconds, 2)}, heap ×${f(coopIdc.heapMb / baseline.heapMb, 2)}; per cooperative ${f((coopIdc.seconds / n) * 1000, 0)} ms`);
