/**
 * Runs the build steps into a staging folder.
 *
 * A failed check does not stop the build: the remaining steps still run, so the report
 * (always last) records exactly the failures that fail the build; auditors need that
 * evidence most when something failed. Steps with `start` begin before the first step and
 * finish in their place. The staging folder then becomes `<out>.failed/`,
 * the previous good output stays in `<out>/`, and one `BuildFailure` carrying every
 * failure's lines is thrown. Any other error discards the staging folder.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_FILE, type CheckResultCounts, type CheckResultOrigin } from '../infra/report/provenance';
import type { BuildContext, BuildStep } from './step';
import { BuildFailure } from './errors';
import { checkReplaceable, removeOwnOutput, ROLES, toJson, writeOutputAtomically, type OutputGuard } from './output';

/** Suffix of the folder that keeps a failed build's output. */
export const FAILED_SUFFIX = '.failed';

/**
 * Throws `OutputRefused` unless both places a build of `outDir` may end up, `outDir` and
 * `<outDir>.failed`, are coop-idc's to replace. Called before the build starts (and by the
 * CLI before it compiles the config), not after minutes of work.
 */
export function checkBuildTargets(outDir: string, guard: OutputGuard): void {
  checkReplaceable(outDir, ROLES.output, guard);
  checkReplaceable(`${outDir}${FAILED_SUFFIX}`, ROLES.failed, guard);
}

/**
 * Runs `steps` and swaps the result in for `outDir`. When any step failed a check, keeps
 * the output in `<outDir>.failed` and throws a `BuildFailure` whose `evidence` names it.
 * Throws `OutputRefused` before any step runs when `outDir` or `<outDir>.failed` is not
 * coop-idc's to replace (`guard`, see output.ts).
 */
export async function runBuild(steps: readonly BuildStep[], outDir: string, ctx: Omit<BuildContext, 'outDir' | 'countCheckResults' | 'checkResults' | 'templateHashes'>, guard: OutputGuard): Promise<void> {
  const failedDir = `${outDir}${FAILED_SUFFIX}`;
  checkBuildTargets(outDir, guard);
  await writeOutputAtomically(outDir, async (staging) => {
    let origin: CheckResultOrigin = { cache: ctx.cacheDir === undefined ? 'off' : ctx.verifyCache ? 'verify' : 'on', computed: 0, replayed: 0, verified: 0, rejected: 0 };
    const countCheckResults = (c: CheckResultCounts) => {
      origin = { cache: origin.cache, computed: origin.computed + c.computed, replayed: origin.replayed + c.replayed, verified: origin.verified + c.verified, rejected: origin.rejected + c.rejected };
    };
    const staged: BuildContext = { ...ctx, outDir: staging, countCheckResults, checkResults: () => origin, templateHashes: new Map() };
    const failures: BuildFailure[] = [];
    // Steps that can start early do; each still finishes (logs, fails) at its place in order.
    const started = new Map(steps.map((s) => [s, s.start?.(staged)] as const));
    for (const pending of started.values()) pending?.catch(() => undefined); // awaited below, in order
    try {
      for (const step of steps) {
        try {
          const pending = started.get(step);
          if (pending) (await pending)();
          else await step.run(staged);
        } catch (e) {
          if (!(e instanceof BuildFailure)) throw e;
          failures.push(e);
        }
      }
    } finally {
      // Nothing may still write into the staging folder once it is discarded or swapped in.
      await Promise.allSettled([...started.values()]);
    }
    // The one file that describes the run rather than the config: checkResults differ between
    // a cold and a warm build (see infra/report/provenance.ts).
    writeFileSync(join(staging, BUILD_FILE), toJson({ steps: steps.map((s) => s.name), cooperatives: ctx.plan.cooperatives.length, failed: failures.map((f) => f.summary), checkResults: origin }));
    if (failures.length > 0) {
      removeOwnOutput(failedDir, ROLES.failed, guard);
      renameSync(staging, failedDir);
      throw new BuildFailure(failures.map((f) => f.summary).join('; '), failures.flatMap((f) => f.lines), failedDir);
    }
  }, guard);
  // A successful build supersedes an earlier failed one.
  removeOwnOutput(failedDir, ROLES.failed, guard);
}
