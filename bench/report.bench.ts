/**
 * `npm run bench:report`: the audit report for N generated cooperatives, from a build output
 * folder shaped like the real one (a CloudFormation template per cooperative with ~300
 * passes and ~50 routine acknowledgements, as a real build gives, a Terraform stack per IDC
 * tenant), beside a baseline measured in the same process: compiling the same configuration
 * into the plan. Then the report step as the build runs it (read, model, write every file)
 * and the sizes the audit needs: index.html, the largest cooperative page, report.json,
 * checks/ and the whole folder. Prints figures; asserts nothing.
 *
 * `npm run bench:report -- --from <outdir> [--runs 3]` (or `BENCH_REPORT_FROM=<outdir>`)
 * instead times the report step on a real build's output folder, as the build runs it
 * (checks.sarif too), and its phases: the generated folder above has one small template per
 * cooperative where a build writes ~1,100 real ones, lambdas and cdktf.out, so it under-states
 * the step. The step rewrites the folder's report files in place, with the date the build
 * wrote into report.json, so the bytes stay the build's. How to make such a folder once:
 * docs/benchmarks.md ("The report step on a real build's output"). `--build-heap` applies the
 * CLI's heap policy (bin/heap.js) and `--ballast <MB>` holds live objects through the runs, as
 * the build's earlier steps leave its heap.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, compareFindings, type CheckFinding, type TenancyPlan } from '../infra';
import { writeFindings } from '../build/output';
import { writeReport } from '../build/report-step';
import { buildReport, findingsToSarif, readReportInputs, renderHtml, renderJson, renderMarkdown, reportFiles } from '../infra/report';
import { LAYOUT } from '../infra/config/read';
import { TOOL_VERSION } from '../infra/shared-names';
import { generateSources } from '../infra/testing/synthetic';
import { BENCH_TODAY, benchSizes, median, time } from './support';

const TODAY = BENCH_TODAY;
const sizes = benchSizes();
const { values: args } = parseArgs({ options: { from: { type: 'string' }, runs: { type: 'string' }, 'build-heap': { type: 'boolean' }, ballast: { type: 'string' } } });
// `--build-heap`: the CLI's heap policy (bin/heap.js), which the build's report step runs under.
if (args['build-heap']) (require('../bin/heap.js') as { tuneHeap(): void }).tuneHeap();
/**
 * `--ballast <MB>`: about that much of small live objects held through the runs, as the build's
 * earlier steps leave the heap (the config, the plan, the AWS step's results): every full
 * collection marks them again.
 */
const ballast: unknown[] = [];
for (let i = 0; i < Number(args.ballast ?? 0) * 4_700; i++) ballast.push({ id: i, name: `resource-${i}`, path: [i, `p${i}`] });
const from = args.from ?? process.env.BENCH_REPORT_FROM;

/** Writes plan.json, cdk.out, cdktf.out and checks like a build of `plan` would. */
function writeOutput(dir: string, plan: TenancyPlan): void {
  const json = (file: string, v: unknown) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(v, null, 2));
  };
  json('plan.json', plan);
  const findings: CheckFinding[] = [];
  for (const c of plan.cooperatives) {
    const stack = `Coop-${c.id}`;
    const resources: Record<string, unknown> = {};
    for (const [zone, bucket] of Object.entries(c.cloud.buckets)) {
      const path = `${stack}/${zone}/Resource`;
      resources[`${zone}Bucket0A1B2C3D`] = {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: bucket,
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        },
        DeletionPolicy: 'Retain',
        Metadata: { 'aws:cdk:path': path },
      };
      for (const [rule, ctl] of [['AwsSolutions-S1', 'ISMS-P 2.9.4'], ['AwsSolutions-S10', 'ISMS-P 2.7.1'], ['NIST.800.53.R5-S3BucketLoggingEnabled', 'ISMS-P 2.9.4'], ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'ISMS-P 2.7.1']]) {
        findings.push({ pack: rule.split('-')[0], rule, controls: [ctl], status: 'pass', cooperative: c.id, stack, resource: path, message: 'ok' });
      }
      // The rest of a real stack's passes: ~60 more rules on each bucket (cdk-nag and NIST).
      for (let i = 0; i < 60; i++) {
        const rule = `NIST.800.53.R5-Rule${String(i).padStart(2, '0')}`;
        findings.push({ pack: 'NIST.800.53.R5', rule, controls: [], status: 'pass', cooperative: c.id, stack, resource: path, message: `passed (the rule checks: property ${i} of the bucket)` });
      }
    }
    resources.Key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true }, Metadata: { 'aws:cdk:path': `${stack}/Key/Resource` } };
    resources.Alias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: c.cloud.keyAlias }, Metadata: { 'aws:cdk:path': `${stack}/Key/Alias/Resource` } };
    for (const [k, role] of Object.entries(c.cloud.roles)) {
      resources[`${k}Role`] = { Type: 'AWS::IAM::Role', Properties: { RoleName: role }, Metadata: { 'aws:cdk:path': `${stack}/${k}/Resource` } };
      // ~50 routine acknowledgements per cooperative: the same accepted exceptions on every role.
      for (let i = 0; i < 8; i++) findings.push({ pack: 'AwsSolutions', rule: `AwsSolutions-IAM${i}`, controls: ['ISMS-P 2.5.5'], status: 'acknowledged', cooperative: c.id, stack, resource: `${stack}/${k}/Resource`, message: 'wildcard on own bucket prefix', reason: `scoped to the cooperative bucket (${i})` });
    }
    findings.push({ pack: 'AwsSolutions', rule: 'AwsSolutions-KMS5', controls: ['ISMS-P 2.7.2'], status: 'pass', cooperative: c.id, stack, resource: `${stack}/Key/Resource`, message: 'ok' });
    json(`cdk.out/${stack}.template.json`, { Resources: resources });
    if (c.idc) {
      const ns = c.idc.namespace;
      const tf: Record<string, Record<string, unknown>> = {
        kubernetes_namespace_v1: { ns: { metadata: { name: ns } } },
        kubernetes_resource_quota_v1: { quota: { metadata: { name: 'quota', namespace: ns }, spec: { hard: { 'requests.cpu': '4' } } } },
        kubernetes_network_policy_v1: { deny: { metadata: { name: 'default-deny', namespace: ns }, spec: { policy_types: ['Ingress', 'Egress'] } } },
        kubernetes_deployment_v1: Object.fromEntries(c.idc.models.map((m) => [m.name.replace(/-/g, '_'), { metadata: { name: m.name, namespace: ns }, spec: { replicas: m.replicas, template: { spec: { container: [{ image: m.image }] } } } }])),
      };
      json(`cdktf.out/stacks/${ns}/cdk.tf.json`, { resource: tf });
      for (const rule of ['CIS-5.3.2', 'MTB-PL1-CC-TI-2', 'PSS-restricted-enforce', 'MTB-PL1-CC-FNS-1']) {
        findings.push({ pack: 'K8sConformance', rule, controls: ['ISMS-P 2.6.1'], status: 'pass', cooperative: c.id, stack: ns, resource: 'kubernetes_namespace_v1.ns', message: 'ok' });
      }
    }
  }
  writeFindings(join(dir, 'checks', 'all.json'), findings.sort(compareFindings));
}

/**
 * The report step on an existing output folder: `runs` times as the build runs it (wall and
 * CPU of the whole step, checks.sarif included), then once more phase by phase.
 */
function fromOutput(dir: string, runs: number): void {
  // The build's own date, so the rewritten files are the build's bytes.
  const today = /"today": ?"(\d{4}-\d{2}-\d{2})"/.exec(readFileSync(join(dir, 'report.json'), 'utf8').slice(0, 4096))?.[1] ?? TODAY;
  const sarif = { configDir: join(dir, '..', 'config'), toolVersion: TOOL_VERSION };
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (p: string): number => {
    const st = statSync(p);
    return st.isDirectory() ? readdirSync(p).reduce((n, f) => n + mb(join(p, f)), 0) : st.size / 1e6;
  };
  const templates = readdirSync(join(dir, 'cdk.out')).filter((f) => f.endsWith('.template.json')).length;
  if (args['build-heap'] || ballast.length) console.log(`heap: ${args['build-heap'] ? 'the build\'s policy (bin/heap.js)' : 'V8 default'}, ballast ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB used before the runs`);
  console.log(`bench:report --from ${dir}: ${templates} templates, cdk.out ${mb(join(dir, 'cdk.out')).toFixed(0)} MB, checks/ ${mb(join(dir, 'checks')).toFixed(0)} MB, whole folder ${mb(dir).toFixed(0)} MB; report date ${today}\n`);
  // The templates' hashes as the AWS step hands them over (from its file store, for nothing),
  // and a cache of their inventories filled once before the runs, as a previous build leaves it.
  const hashes = new Map(readdirSync(join(dir, 'cdk.out')).filter((f) => f.endsWith('.template.json')).map((f) => [`cdk.out/${f}`, createHash('sha256').update(readFileSync(join(dir, 'cdk.out', f))).digest('hex')]));
  const cacheDir = mkdtempSync(join(tmpdir(), 'coop-idc-bench-inventories-'));
  const fill = time(() => writeReport(dir, today, { sarif, staged: true, inventories: { cacheDir, hashes } }));
  console.log(`inventories stored in a fresh cache by a first step: ${s(fill.ms)}\n`);
  // The first run of a process is the build's case: nothing warmed up.
  const step = (cached: boolean): { ms: number; cpu: number } => {
    const cpu = process.cpuUsage();
    const t = time(() => writeReport(dir, today, { sarif, staged: true, ...(cached ? { inventories: { cacheDir, hashes } } : {}) }));
    const used = process.cpuUsage(cpu);
    return { ms: t.ms, cpu: (used.user + used.system) / 1000 };
  };
  console.log('| run | the step as the build runs it, every template read: wall / CPU | inventories from the build cache: wall / CPU | CPU ratio |');
  console.log('|---:|---:|---:|---:|');
  for (let r = 1; r <= runs; r++) {
    // Alternating which goes first, so that neither always runs on the other's garbage.
    let read, cached;
    if (r % 2) {
      read = step(false);
      cached = step(true);
    } else {
      cached = step(true);
      read = step(false);
    }
    console.log(`| ${r} | ${s(read.ms)} / ${s(read.cpu)} | ${s(cached.ms)} / ${s(cached.cpu)} | ${(cached.cpu / read.cpu).toFixed(2)} |`);
  }
  rmSync(cacheDir, { recursive: true, force: true });
  // Phase by phase, rendering without writing (the step above writes).
  const inputs = time(() => readReportInputs(dir));
  const model = time(() => buildReport(inputs.value, { today }));
  const render = time(() => {
    let bytes = 0;
    for (const [, page] of reportFiles(model.value)) {
      const out = page();
      if (typeof out === 'string') bytes += out.length;
      else for (const chunk of out) bytes += chunk.length;
    }
    return bytes;
  });
  const sarifLog = time(() => JSON.stringify(findingsToSarif(inputs.value.findings, inputs.value.plan, { ...sarif, configRoot: 'config', platformFile: LAYOUT.platform }), null, 2).length);
  console.log(`\nphases (one more step): read ${inputs.ms.toFixed(0)} ms, model ${model.ms.toFixed(0)} ms, render every file ${render.ms.toFixed(0)} ms, checks.sarif ${sarifLog.ms.toFixed(0)} ms; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

if (from) fromOutput(from, Number(args.runs ?? 3));
else generated();

/** The generated output of each size in `BENCH_N`. */
function generated(): void {
console.log('bench:report — audit report from a build output folder (median of 3 runs)\n');
  console.log('| N | compile config → plan (baseline) | read output | build model | render JSON / MD / HTML | total | ratio to baseline | report.json / .md / .html | peak RSS |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const steps: string[] = [];
  for (const n of sizes) {
    const sources = generateSources({ n, seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'coop-idc-bench-report-'));
    const base: number[] = [];
    const read: number[] = [];
    const model: number[] = [];
    const render: number[] = [];
    let sizesText = '';
    let plan: TenancyPlan | undefined;
    for (let r = 0; r < 3; r++) {
      const c = time(() => compile(sources, { today: TODAY }));
      if (!c.value.plan) throw new Error(`generated config invalid: ${c.value.diagnostics[0]?.message}`);
      base.push(c.ms);
      if (!plan) {
        plan = c.value.plan;
        writeOutput(dir, plan);
      }
      const inputs = time(() => readReportInputs(dir));
      read.push(inputs.ms);
      const m = time(() => buildReport(inputs.value, { today: TODAY }));
      model.push(m.ms);
      const out = time(() => [renderJson(m.value), renderMarkdown(m.value), renderHtml(m.value)]);
      render.push(out.ms);
      sizesText = out.value.map((t) => `${(Buffer.byteLength(t) / 1e6).toFixed(1)}`).join(' / ') + ' MB';
    }
    // The report step as the build runs it (read, model, write every file into the staging
    // folder), then as `coop-idc report` rewrites an existing output (each file renamed into place).
    const cpu = process.cpuUsage();
    const step = time(() => writeReport(dir, TODAY, { staged: true }));
    const stepCpu = process.cpuUsage(cpu);
    const rewrite = time(() => writeReport(dir, TODAY));
    const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size);
    const pageSizes = (folder: string) => readdirSync(join(dir, 'report', folder)).map((f) => statSync(join(dir, 'report', folder, f)).size);
    const coopPages = pageSizes('coops');
    const controlPages = pageSizes('controls');
    const against = (value: number, target: number, unit: string, digits: number) => `${value.toFixed(digits)} ${unit} ${value <= target ? '✓' : '✗'} (≤ ${target} ${unit})`;
    steps.push(
      `| ${n} | ${against(step.ms / 1000, 5, 's', 1)} | ${((stepCpu.user + stepCpu.system) / 1e6).toFixed(1)} s | ${(rewrite.ms / 1000).toFixed(1)} s | ${against(size(join(dir, 'report', 'index.html')) / 1e6, 1, 'MB', 2)} | ${against(Math.max(...coopPages) / 1e3, 300, 'KB', 0)} (${coopPages.length} pages) | ${against(Math.max(...controlPages) / 1e3, 300, 'KB', 0)} (${controlPages.length} pages) | ${against(size(join(dir, 'report.json')) / 1e6, 30, 'MB', 1)} | ${(size(join(dir, 'report.md')) / 1e6).toFixed(1)} MB | ${(size(join(dir, 'checks')) / 1e6).toFixed(1)} MB | ${against(size(dir) / 1e6, 250, 'MB', 1)} |`,
    );
    rmSync(dir, { recursive: true, force: true });
    const total = median(read) + median(model) + median(render);
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(
      `| ${n} | ${median(base).toFixed(0)} ms | ${median(read).toFixed(0)} ms | ${median(model).toFixed(0)} ms | ${median(render).toFixed(0)} ms | ${total.toFixed(0)} ms | ${(total / median(base)).toFixed(2)}× | ${sizesText} | ${rss.toFixed(0)} MB |`,
    );
  }

  console.log('\nThe report step as the build runs it, `coop-idc report` rewriting it, and the sizes, each against its target at 1,000 cooperatives\n');
  console.log('| N | report step (build), wall | its CPU time | coop-idc report (rewrite) | index.html | largest cooperative page | largest control page | report.json | report.md | checks/ | whole output (this bench: no lambdas) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const line of steps) console.log(line);
}
