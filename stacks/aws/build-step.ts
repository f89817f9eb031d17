/**
 * The `aws` build step: synthesizes the AWS app into `<out>/cdk.out` with aws-cdk-lib's
 * CloudFormation validation and the AwsSolutions, NIST 800-53 R5 and KoreaLaw packs, and
 * writes every finding to `<out>/checks/aws.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFailure, summarizeFindings, type CheckFinding } from '../../infra';
import type { IngestionCode } from '../../infra/aws';
import type { BuildStep } from '../cli/build-steps';
import { BuildFailure } from '../cli/io';
import { timed } from '../cli/timer';
import { bundleLambdas, LAMBDA_NAMES } from '../../lambdas/bundle';
import { ComplianceFailure, buildAwsApp, synthAwsApp } from './aws-app';

/** Options of {@link createAwsStep}. */
export interface AwsStepOptions {
  /** Ingestion handler bundles. @default - none: stacks carry no Lambda */
  readonly ingestion?: IngestionCode;
}

/** Writes the findings file, passes and acknowledgements included. */
function writeFindings(outDir: string, findings: readonly CheckFinding[]): void {
  mkdirSync(join(outDir, 'checks'), { recursive: true });
  writeFileSync(join(outDir, 'checks', 'aws.json'), `${JSON.stringify({ findings }, null, 2)}\n`);
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
      });
      let findings: readonly CheckFinding[];
      try {
        findings = synthAwsApp(aws, ctx.plan).findings;
      } catch (e) {
        if (!(e instanceof ComplianceFailure)) throw e;
        timed(ctx.timer, 'aws findings', () => writeFindings(ctx.outDir, e.findings));
        const failures = e.findings.filter((f) => f.status === 'fail');
        throw new BuildFailure(`${failures.length} AWS check${failures.length === 1 ? '' : 's'} failed (see checks/aws.json)`, failures.map(formatFailure));
      }
      timed(ctx.timer, 'aws findings', () => writeFindings(ctx.outDir, findings));
      const s = summarizeFindings(findings);
      ctx.log(`aws: ${aws.cooperatives.size + 1} stacks → cdk.out; checks ${s.pass} passed, ${s.acknowledged} acknowledged, ${s.fail} failed → checks/aws.json`);
    },
  };
}

/**
 * The step registered in BUILD_STEPS: bundles each ingestion handler once (esbuild) into
 * `<out>/lambdas/<name>/` and renders every cooperative's stack with those bundles, so the
 * whole app carries one asset per handler whatever the number of cooperatives.
 */
export const awsStep: BuildStep = {
  name: 'aws',
  async run(ctx) {
    const bundles = await timed(ctx.timer, 'lambda bundles', () => bundleLambdas(join(ctx.outDir, 'lambdas')));
    ctx.log(`lambdas: ${LAMBDA_NAMES.map((n) => `${n} ${(bundles[n].bytes / 1024).toFixed(0)} KiB`).join(', ')} → lambdas/`);
    const step = createAwsStep({ ingestion: { objectHandlerCodeDir: bundles['ingest-object'].dir, apiHandlerCodeDir: bundles['ingest-api'].dir } });
    await step.run(ctx);
  },
};
