/**
 * The build as a list of steps over one tenancy plan. Each renderer (CDK, CDKTF), the
 * checks and the report add a step here; `coop-idc build` runs them in order into a
 * staging folder that replaces the output folder only when every step succeeded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT } from '../infra/shared-names';
import { awsStep } from './aws-step';
import { toJson } from './output';
import { say, type BuildStep } from './step';
import { idcShardStep, idcStep } from './idc-step';
import { reportStep } from './report-step';

/** Writes the plan itself: the input every later phase and every reviewer starts from. */
export const writePlanStep: BuildStep = {
  name: 'plan',
  run(ctx) {
    writeFileSync(join(ctx.outDir, OUTPUT.plan), toJson(ctx.plan));
    say(ctx, 'build.plan', { coops: ctx.plan.cooperatives.length, grants: ctx.plan.grants.length, file: OUTPUT.plan });
  },
};

/** The steps of `coop-idc build`, in order. */
export const BUILD_STEPS: readonly BuildStep[] = [writePlanStep, awsStep, idcStep, reportStep];

/**
 * The steps of `coop-idc build --shard i/n`: the shard's AWS units and its cells' IDC stacks
 * (merged by `--merge`, which runs the checks over everything and writes the report).
 */
export const SHARD_STEPS: readonly BuildStep[] = [awsStep, idcShardStep];

export type { BuildContext, BuildStep } from './step';
