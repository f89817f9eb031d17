/**
 * Build steps for the step-worker tests: small, so that what is tested is the worker's
 * plumbing (context, log lines, phases, failures), not a renderer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildStep } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';

/** Writes what it was given, logs twice with a timed phase between, and succeeds. */
export const echoStep: BuildStep = {
  name: 'echo',
  async run(ctx) {
    ctx.log('first line');
    ctx.timer?.time('echo phase', () => undefined);
    writeFileSync(join(ctx.outDir, 'echo.json'), JSON.stringify({ cooperatives: ctx.plan.cooperatives.map((c) => c.id), today: ctx.today, configDir: ctx.configDir, env: ctx.env, cacheDir: ctx.cacheDir ?? null }));
    await new Promise((r) => setTimeout(r, 5));
    ctx.log('second line');
  },
};

/** Counts check results, as the AWS step does with the build cache. */
export const countingStep: BuildStep = {
  name: 'counting',
  run(ctx) {
    ctx.countCheckResults?.({ computed: 1, replayed: 2, verified: 0, rejected: 3 });
    ctx.log('counted');
  },
};

/** Fails a check, as a renderer whose findings failed does. */
export const failingStep: BuildStep = {
  name: 'failing',
  run(ctx) {
    ctx.log('checked');
    throw new BuildFailure('2 checks failed', ['rule A coop-a resource-1 (fix: do x)', 'rule B coop-b resource-2 (fix: do y)']);
  },
};

/** Breaks, as a bug does. */
export const brokenStep: BuildStep = {
  name: 'broken',
  run() {
    throw new TypeError('something is not a function');
  },
};
