/**
 * CDK app from the sources: `npx cdk synth --app 'npx tsx stacks/aws/app.ts'`. `cdk.json`
 * points the CDK CLI at the build's checked output (`out/cdk.out`) instead, so that `cdk ls`,
 * `cdk diff` and `cdk deploy` neither bundle nor check again and deploy what was checked.
 * The only place besides the CLI that reads the environment and the clock.
 *
 * Environment: COOP_IDC_CONFIG (config folder, default `config`), COOP_IDC_TODAY
 * (YYYY-MM-DD, default today), COOP_IDC_INGESTION_OBJECT_DIR / COOP_IDC_INGESTION_API_DIR
 * (prebuilt ingestion handler directories; both or neither; by default the handlers are
 * bundled here, exactly as `coop-idc build` does, so `cdk deploy` never ships stacks
 * without their ingestion functions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, formatDiagnostic, formatFailure, readConfigDir, type TenancyPlan } from '../../infra';
import { resolveLang } from '../../infra/config/messages';
import type { IngestionCode } from '../../infra/aws';
import { bundleLambdas } from '../../lambdas/bundle';
import { ComplianceFailure, buildAwsApp, synthAwsApp } from './aws-app';

async function main(): Promise<number> {
  const configDir = process.env.COOP_IDC_CONFIG ?? 'config';
  const today = process.env.COOP_IDC_TODAY ?? new Date().toISOString().slice(0, 10);
  const result = compile(readConfigDir(configDir, process.cwd()), { today });
  // An entry point: the language comes from the environment (LC_ALL, LANG), as the CLI's does.
  const lang = resolveLang(undefined, process.env);
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, lang)}\n`);
  if (!result.plan) return 1;
  const objectDir = process.env.COOP_IDC_INGESTION_OBJECT_DIR;
  const apiDir = process.env.COOP_IDC_INGESTION_API_DIR;
  const statsDir = process.env.COOP_IDC_STATS_REFRESH_DIR;
  if ((objectDir === undefined) !== (apiDir === undefined) || (objectDir === undefined) !== (statsDir === undefined)) {
    process.stderr.write('coop-idc: set all of COOP_IDC_INGESTION_OBJECT_DIR, COOP_IDC_INGESTION_API_DIR and COOP_IDC_STATS_REFRESH_DIR, or none\n');
    return 2;
  }
  const eraseDir = process.env.COOP_IDC_ERASE_DIR;
  let ingestion: IngestionCode | undefined = objectDir && apiDir && statsDir ? { objectHandlerCodeDir: objectDir, apiHandlerCodeDir: apiDir, statsHandlerCodeDir: statsDir, ...(eraseDir ? { eraseHandlerCodeDir: eraseDir } : {}) } : undefined;
  let scratch: string | undefined;
  if (!ingestion) {
    // Assets are content-addressed: where the bundles are written does not change the output.
    scratch = mkdtempSync(join(tmpdir(), 'coop-idc-lambdas-'));
    const bundles = await bundleLambdas(scratch);
    ingestion = { objectHandlerCodeDir: bundles['ingest-object'].dir, apiHandlerCodeDir: bundles['ingest-api'].dir, statsHandlerCodeDir: bundles['stats-refresh'].dir, eraseHandlerCodeDir: bundles.erase.dir };
  }
  try {
    return synth(result.plan, ingestion);
  } finally {
    // The assembly holds its own copy of each bundle: nothing is left behind in the temp folder.
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

function synth(plan: TenancyPlan, ingestion: IngestionCode): number {
  // aws-cdk-lib's own switch for its built-in template validation.
  const aws = buildAwsApp(plan, { ingestion, builtinValidation: process.env.CDK_VALIDATION !== 'false' });
  try {
    synthAwsApp(aws, plan);
  } catch (e) {
    if (!(e instanceof ComplianceFailure)) throw e;
    const failures = e.findings.filter((f) => f.status === 'fail');
    for (const f of failures) process.stderr.write(`${formatFailure(f)}\n`);
    process.stderr.write(`coop-idc: ${failures.length} AWS checks failed\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`coop-idc: internal error, please report it: ${String((err as Error)?.stack ?? err)}\n`);
    process.exitCode = 70;
  },
);
