/**
 * The `aws` build step: synthesizes the AWS app into `<out>/cdk.out` with aws-cdk-lib's
 * CloudFormation validation and the AwsSolutions, NIST 800-53 R5 and KoreaLaw packs, and
 * writes every finding to `<out>/checks/aws.json`; then holds every template to
 * CloudFormation's quotas (`CfnLimits`, `<out>/checks/cfn-limits.json`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareFindings, formatFailure, summarizeFindings, type CheckFinding } from '../infra';
import { checkCfnLimits, checkServiceQuotas, type QuotaStackInput, type TemplateInput } from '../infra/checks/aws';
import type { IngestionCode } from '../infra/aws';
import { OUTPUT } from '../infra/shared-names';
import type { BuildContext, BuildStep } from './step';
import { NAG_CACHE, VALIDATION_CACHE, type CacheMismatch } from './build-cache';
import { BuildFailure } from './errors';
import { writeFindings } from './output';
import { runStepOnWorker } from './step-worker';
import { timed } from '../stacks/timer';
import { bundleLambdas, LAMBDA_NAMES } from '../lambdas/bundle';
import { ComplianceFailure, buildAwsApp, synthAwsApp, type AwsApp } from '../stacks/aws/aws-app';
import { cachingResults, NagCache } from './nag-cache';
import { WorkerValidation } from './parallel-validation';

/** Options of {@link createAwsStep}. */
export interface AwsStepOptions {
  /** Ingestion handler bundles. @default - none: stacks carry no Lambda */
  readonly ingestion?: IngestionCode;
}

// Defined with the cache's housekeeping, which the CLI loads without aws-cdk-lib.
export { NAG_CACHE, VALIDATION_CACHE } from './build-cache';

/** Findings file of the CloudFormation limits check, inside `checks/`. */
export const CFN_LIMITS_FILE = OUTPUT.checkFiles.cfnLimits;

/** Findings file of the AWS service-quota check, inside `checks/`. */
export const SERVICE_QUOTAS_FILE = OUTPUT.checkFiles.serviceQuotas;

/**
 * Every stack of the cloud assembly with the account and Region it deploys to (from the
 * assembly manifest, as `cdk deploy` reads it) and the size of each file asset, for the
 * service-quota check.
 */
export function readQuotaInputs(cdkOut: string, templates: readonly TemplateInput[]): QuotaStackInput[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, { type?: string; environment?: string }> };
  const assetBytes = new Map<string, number>();
  for (const entry of readdirSync(cdkOut, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith('asset.')) assetBytes.set(entry.name.slice('asset.'.length), folderBytes(join(cdkOut, entry.name)));
  }
  return templates.map((t) => {
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(manifest.artifacts?.[t.stack]?.environment ?? '');
    if (!env) throw new Error(`cdk.out/manifest.json gives stack ${t.stack} no account and Region`);
    return { stack: t.stack, account: env[1], region: env[2], template: t.template as QuotaStackInput['template'], assetBytes, ...(t.cooperative !== undefined ? { cooperative: t.cooperative } : {}) };
  });
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}


/** The templates of the cloud assembly, with their size on disk (what CloudFormation receives). */
export function readTemplates(cdkOut: string, cooperativeOf: (stack: string) => string | undefined): TemplateInput[] {
  return readdirSync(cdkOut)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(cdkOut, f), 'utf8');
      const stack = f.slice(0, -'.template.json'.length);
      const cooperative = cooperativeOf(stack);
      return { stack, bytes: Buffer.byteLength(text), template: JSON.parse(text), ...(cooperative !== undefined ? { cooperative } : {}) };
    });
}

/** The build's caches of one AWS step, beside the app they serve. */
interface StepCaches {
  readonly validation?: WorkerValidation;
  readonly nag?: NagCache;
}

/**
 * Counts the check results the step computed and replayed into the build over every
 * synthesized stack (`stacks`: cooperative, data-lake, cell shared-zone and shared-table), logs one line
 * when cache entries were rejected, and returns the replayed results `--verify-cache`
 * found different.
 */
function cacheOutcome(aws: AwsApp, stacks: number, caches: StepCaches, ctx: BuildContext): readonly CacheMismatch[] {
  const v = caches.validation?.cache;
  const n = caches.nag?.counts;
  const replayed = (v?.hits ?? 0) + (n?.hits ?? 0);
  const rejected = { validation: v?.rejected ?? 0, nag: n?.rejected ?? 0 };
  ctx.countCheckResults?.({ computed: stacks * aws.checksPerStack - replayed, replayed, verified: (v?.verified ?? 0) + (n?.verified ?? 0), rejected: rejected.validation + rejected.nag });
  if (ctx.cacheDir !== undefined && rejected.validation + rejected.nag > 0) {
    const where = [rejected.validation ? `${rejected.validation} in ${join(ctx.cacheDir, VALIDATION_CACHE)}` : '', rejected.nag ? `${rejected.nag} in ${join(ctx.cacheDir, NAG_CACHE)}` : ''].filter(Boolean).join(', ');
    const total = rejected.validation + rejected.nag;
    ctx.log(`cache: rejected ${total} damaged or edited entr${total === 1 ? 'y' : 'ies'} (${where}): checksum or recorded key did not match; computed again and rewritten`);
  }
  return [...(caches.validation?.mismatches ?? []), ...(caches.nag?.mismatches ?? [])];
}

/** Creates the step; the lead wires the ingestion bundles here once they exist. */
export function createAwsStep(options: AwsStepOptions = {}): BuildStep {
  return {
    name: 'aws',
    run(ctx) {
      const outdir = join(ctx.outDir, OUTPUT.cdkOut);
      // aws-cdk-lib's own switch for its built-in template validation.
      const validate = ctx.env.CDK_VALIDATION !== 'false';
      const verify = ctx.verifyCache ?? false;
      const nagCache = ctx.cacheDir !== undefined ? new NagCache(join(ctx.cacheDir, NAG_CACHE), undefined, verify) : undefined;
      const validation = validate ? new WorkerValidation(ctx.timer, ctx.cacheDir !== undefined ? { cacheDir: join(ctx.cacheDir, VALIDATION_CACHE), verify } : {}) : undefined;
      const aws = buildAwsApp(ctx.plan, {
        outdir,
        builtinValidation: validate,
        ...(validation ? { validation } : {}),
        checks: true,
        ...(options.ingestion ? { ingestion: options.ingestion } : {}),
        ...(ctx.timer ? { timer: ctx.timer } : {}),
        ...(nagCache ? { decoratePacks: (Pack, passes) => cachingResults(Pack, passes, nagCache) } : {}),
      });
      let findings: readonly CheckFinding[];
      let failed = false;
      try {
        findings = synthAwsApp(aws, ctx.plan).findings;
      } catch (e) {
        if (!(e instanceof ComplianceFailure)) throw e;
        findings = e.findings;
        failed = true;
      }
      timed(ctx.timer, 'aws findings', () => writeFindings(join(ctx.outDir, OUTPUT.checks, OUTPUT.checkFiles.aws), findings));
      const templates = readTemplates(outdir, aws.cooperativeOf);
      const limits = timed(ctx.timer, 'CfnLimits check', () => checkCfnLimits(templates).sort(compareFindings));
      writeFindings(join(ctx.outDir, OUTPUT.checks, CFN_LIMITS_FILE), limits);
      const quotas = timed(ctx.timer, 'ServiceQuotas check', () => checkServiceQuotas(readQuotaInputs(outdir, templates), { raised: ctx.plan.platform.raisedQuotas }).sort(compareFindings));
      writeFindings(join(ctx.outDir, OUTPUT.checks, SERVICE_QUOTAS_FILE), quotas);
      const s = summarizeFindings(findings);
      const l = summarizeFindings(limits);
      const q = summarizeFindings(quotas);
      ctx.log(`aws: ${templates.length} stacks → cdk.out; checks ${s.pass} passed, ${s.acknowledged} acknowledged, ${s.fail} failed → checks/aws.json; CloudFormation limits ${l.pass} passed, ${l.fail} failed → checks/${CFN_LIMITS_FILE}; service quotas ${q.pass} passed, ${q.fail} failed → checks/${SERVICE_QUOTAS_FILE}`);
      const mismatches = cacheOutcome(aws, templates.length, { ...(validation ? { validation } : {}), ...(nagCache ? { nag: nagCache } : {}) }, ctx);
      const failures = [...(failed ? findings : []), ...limits, ...quotas].filter((f) => f.status === 'fail');
      if (failures.length || mismatches.length) {
        const parts = [
          s.fail ? `${s.fail} AWS check${s.fail === 1 ? '' : 's'} failed (see checks/aws.json)` : '',
          l.fail ? `${l.fail} stack${l.fail === 1 ? '' : 's'} near a CloudFormation limit (see checks/${CFN_LIMITS_FILE})` : '',
          q.fail ? `${q.fail} AWS service quota${q.fail === 1 ? '' : 's'} above 80 % (see checks/${SERVICE_QUOTAS_FILE})` : '',
          mismatches.length ? `${mismatches.length} cached check result${mismatches.length === 1 ? '' : 's'} differed from a recomputation (--verify-cache)` : '',
        ];
        const lines = [...failures.map(formatFailure), ...mismatches.map((m) => `cache: ${m.stack} ${m.check}: ${m.difference} (the recomputed result is in the output; clear the cache with 'coop-idc cache clean' and find who can write to it)`)];
        throw new BuildFailure(parts.filter(Boolean).join('; ') || 'AWS checks failed', lines);
      }
    },
  };
}

/**
 * The AWS step in this thread: bundles each ingestion handler once (esbuild) into
 * `<out>/lambdas/<name>/` and renders every cooperative's stack with those bundles, so the
 * whole app carries one asset per handler whatever the number of cooperatives.
 */
export const awsStepInProcess: BuildStep = {
  name: 'aws',
  async run(ctx) {
    // Timed to completion: esbuild works in its own process while this thread waits.
    const started = performance.now();
    const bundles = await bundleLambdas(join(ctx.outDir, OUTPUT.lambdas));
    ctx.timer?.record?.('lambda bundles', performance.now() - started);
    ctx.log(`lambdas: ${LAMBDA_NAMES.map((n) => `${n} ${(bundles[n].bytes / 1024).toFixed(0)} KiB`).join(', ')} → lambdas/`);
    const step = createAwsStep({ ingestion: { objectHandlerCodeDir: bundles['ingest-object'].dir, apiHandlerCodeDir: bundles['ingest-api'].dir } });
    await step.run(ctx);
  },
};

/**
 * From this many cooperatives on, the AWS step runs on a worker thread (step-worker.ts) so
 * that the construct tree aws-cdk-lib keeps reachable after synthesis (~1 MB per
 * cooperative) is freed before the report step. Below, it is small, and the worker's
 * start-up (the TypeScript loader and aws-cdk-lib loaded in the worker: ~1.5 s) would
 * lengthen `build --coop`. Output, log lines and failures are the same either way.
 */
export const AWS_WORKER_MIN_COOPERATIVES = 50;

/** The step registered in BUILD_STEPS: {@link awsStepInProcess}, on a worker thread for a large plan. */
export const awsStep: BuildStep = {
  name: 'aws',
  async run(ctx) {
    if (ctx.plan.cooperatives.length < AWS_WORKER_MIN_COOPERATIVES) return awsStepInProcess.run(ctx);
    await runStepOnWorker(__filename, 'awsStepInProcess', ctx);
  },
};
