/**
 * The `aws` build step: synthesizes the AWS app into `<out>/cdk.out` with aws-cdk-lib's
 * CloudFormation validation and the AwsSolutions, NIST 800-53 R5 and KoreaLaw packs, and
 * writes every finding to `<out>/checks/aws.json`; then holds every template to
 * CloudFormation's quotas (`CfnLimits`, `<out>/checks/cfn-limits.json`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareFindings, formatFailure, summarizeFindings, type CheckFinding } from '../../infra';
import { checkCfnLimits, type TemplateInput } from '../../infra/checks/aws';
import type { IngestionCode } from '../../infra/aws';
import type { BuildContext, BuildStep } from '../cli/build-steps';
import { NAG_CACHE, VALIDATION_CACHE, type CacheMismatch } from '../cli/build-cache';
import { BuildFailure } from '../cli/io';
import { writeFindings } from '../cli/output';
import { runStepOnWorker } from '../cli/step-worker';
import { timed } from '../cli/timer';
import { bundleLambdas, LAMBDA_NAMES } from '../../lambdas/bundle';
import { ComplianceFailure, buildAwsApp, synthAwsApp, type AwsApp } from './aws-app';
import { NagCache } from './nag-cache';

/** Options of {@link createAwsStep}. */
export interface AwsStepOptions {
  /** Ingestion handler bundles. @default - none: stacks carry no Lambda */
  readonly ingestion?: IngestionCode;
}

// Defined with the cache's housekeeping, which the CLI loads without aws-cdk-lib.
export { NAG_CACHE, VALIDATION_CACHE } from '../cli/build-cache';

/** Findings file of the CloudFormation limits check, inside `checks/`. */
export const CFN_LIMITS_FILE = 'cfn-limits.json';


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

/**
 * Counts the check results the step computed and replayed into the build, logs one line
 * when cache entries were rejected, and returns the replayed results `--verify-cache`
 * found different.
 */
function cacheOutcome(aws: AwsApp, ctx: BuildContext): readonly CacheMismatch[] {
  const stacks = aws.cooperatives.size + 1;
  const v = aws.validation?.cache;
  const n = aws.nagCache?.counts;
  const replayed = (v?.hits ?? 0) + (n?.hits ?? 0);
  const rejected = { validation: v?.rejected ?? 0, nag: n?.rejected ?? 0 };
  ctx.countCheckResults?.({ computed: stacks * aws.checksPerStack - replayed, replayed, verified: (v?.verified ?? 0) + (n?.verified ?? 0), rejected: rejected.validation + rejected.nag });
  if (ctx.cacheDir !== undefined && rejected.validation + rejected.nag > 0) {
    const where = [rejected.validation ? `${rejected.validation} in ${join(ctx.cacheDir, VALIDATION_CACHE)}` : '', rejected.nag ? `${rejected.nag} in ${join(ctx.cacheDir, NAG_CACHE)}` : ''].filter(Boolean).join(', ');
    const total = rejected.validation + rejected.nag;
    ctx.log(`cache: rejected ${total} damaged or edited entr${total === 1 ? 'y' : 'ies'} (${where}): checksum or recorded key did not match; computed again and rewritten`);
  }
  return [...(aws.validation?.mismatches ?? []), ...(aws.nagCache?.mismatches ?? [])];
}

/** Creates the step; the lead wires the ingestion bundles here once they exist. */
export function createAwsStep(options: AwsStepOptions = {}): BuildStep {
  return {
    name: 'aws',
    run(ctx) {
      const outdir = join(ctx.outDir, 'cdk.out');
      const aws = buildAwsApp(ctx.plan, {
        outdir,
        builtinValidation: true,
        parallelValidation: true,
        checks: true,
        ...(options.ingestion ? { ingestion: options.ingestion } : {}),
        ...(ctx.timer ? { timer: ctx.timer } : {}),
        ...(ctx.cacheDir !== undefined
          ? { validationCacheDir: join(ctx.cacheDir, VALIDATION_CACHE), verifyCache: ctx.verifyCache ?? false, nagCache: new NagCache(join(ctx.cacheDir, NAG_CACHE), undefined, ctx.verifyCache ?? false) }
          : {}),
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
      timed(ctx.timer, 'aws findings', () => writeFindings(join(ctx.outDir, 'checks', 'aws.json'), findings));
      const limits = timed(ctx.timer, 'CfnLimits check', () => checkCfnLimits(readTemplates(outdir, aws.cooperativeOf)).sort(compareFindings));
      writeFindings(join(ctx.outDir, 'checks', CFN_LIMITS_FILE), limits);
      const s = summarizeFindings(findings);
      const l = summarizeFindings(limits);
      ctx.log(`aws: ${aws.cooperatives.size + 1} stacks → cdk.out; checks ${s.pass} passed, ${s.acknowledged} acknowledged, ${s.fail} failed → checks/aws.json; CloudFormation limits ${l.pass} passed, ${l.fail} failed → checks/${CFN_LIMITS_FILE}`);
      const mismatches = cacheOutcome(aws, ctx);
      const failures = [...(failed ? findings : []), ...limits].filter((f) => f.status === 'fail');
      if (failures.length || mismatches.length) {
        const parts = [
          s.fail ? `${s.fail} AWS check${s.fail === 1 ? '' : 's'} failed (see checks/aws.json)` : '',
          l.fail ? `${l.fail} stack${l.fail === 1 ? '' : 's'} near a CloudFormation limit (see checks/${CFN_LIMITS_FILE})` : '',
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
    const bundles = await bundleLambdas(join(ctx.outDir, 'lambdas'));
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
