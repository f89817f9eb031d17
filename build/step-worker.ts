/**
 * Runs a build step on a worker thread, for its memory rather than its speed.
 *
 * aws-cdk-lib never lets go of an app: every token stays in its global token map
 * (`global.__cdkTokenMap`) and every cross-stack reference in a static table
 * (`CfnReference.referenceTable`), and both reach the whole construct tree. At 1,000
 * cooperatives that is ~1 GB that stays live, and grows with garbage around it, while the
 * report step runs after the AWS step (heap snapshots: the tree survives clearing the token
 * map, through the reference table). A worker's heap goes away with the worker, so the steps
 * after it start from the heap the build had before.
 *
 * The step runs exactly as in the main thread, on a context rebuilt from the same values:
 * its log lines come back as they are written (the person running the build sees progress),
 * its phase times go to the build's timer, a `BuildFailure` comes back as the same
 * `BuildFailure`, and any other error rejects with that error's name, message and stack.
 */
import { Worker } from 'node:worker_threads';
import type { CheckResultCounts } from '../infra/report/provenance';
import type { BuildContext } from './step';
import { BuildFailure } from './errors';

/** What the worker posts: log lines as they come, then one end message. */
type Message =
  | { readonly log: string }
  | { readonly count: CheckResultCounts }
  | { readonly done: true; readonly phases: Readonly<Record<string, number>>; readonly failure?: { readonly summary: string; readonly lines: readonly string[] } }
  | { readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

// Plain JavaScript, so the worker starts without a TypeScript loader; it loads the step's
// module through tsx only when that module is itself TypeScript (tsx, jest), as a compiled
// build's is not.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx);
const phases = {};
const add = (phase, ms) => (phases[phase] = (phases[phase] || 0) + ms);
const timer = {
  time(phase, run) { const t0 = performance.now(); try { return run(); } finally { add(phase, performance.now() - t0); } },
  record: add,
};
(async () => {
  try {
    const step = require(workerData.module)[workerData.exportName];
    const ctx = { ...workerData.ctx, log: (line) => parentPort.postMessage({ log: String(line) }), ...(workerData.timed ? { timer } : {}), ...(workerData.counted ? { countCheckResults: (count) => parentPort.postMessage({ count }) } : {}) };
    try {
      await step.run(ctx);
      parentPort.postMessage({ done: true, phases });
    } catch (e) {
      if (!e || e.name !== 'BuildFailure' || !Array.isArray(e.lines)) throw e;
      parentPort.postMessage({ done: true, phases, failure: { summary: e.summary, lines: e.lines } });
    }
  } catch (e) {
    parentPort.postMessage({ error: { name: (e && e.name) || 'Error', message: (e && e.message) || String(e), stack: e && e.stack } });
  }
})();
`;

/**
 * Runs the step exported as `exportName` by `module` (an absolute path, e.g. from
 * `require.resolve`) on a worker thread with the values of `ctx`, and settles when the
 * worker has ended: resolves when the step succeeded, rejects with a `BuildFailure` when it
 * failed a check, or with the step's own error.
 */
export function runStepOnWorker(module: string, exportName: string, ctx: BuildContext): Promise<void> {
  // checkResults is the report step's, which never runs on a worker.
  const { log, timer, countCheckResults, checkResults: _, ...values } = ctx;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, exportName, tsx: module.endsWith('.ts') ? require.resolve('tsx/cjs') : undefined, ctx: values, timed: timer !== undefined, counted: countCheckResults !== undefined },
    });
    let outcome: { ok: true } | { ok: false; error: Error } | undefined;
    worker.on('message', (msg: Message) => {
      if ('log' in msg) return log(msg.log);
      if ('count' in msg) return countCheckResults?.(msg.count);
      if ('error' in msg) {
        const e = new Error(msg.error.message);
        e.name = msg.error.name;
        if (msg.error.stack) e.stack = msg.error.stack;
        outcome = { ok: false, error: e };
      } else {
        for (const [phase, ms] of Object.entries(msg.phases)) timer?.record?.(phase, ms);
        outcome = msg.failure ? { ok: false, error: new BuildFailure(msg.failure.summary, [...msg.failure.lines]) } : { ok: true };
      }
      // Settled on exit, not here: the next step must not start while this heap is still there.
      void worker.terminate();
    });
    worker.once('error', (e) => {
      outcome ??= { ok: false, error: e };
    });
    worker.once('exit', (code) => {
      if (!outcome) return reject(new Error(`the worker of step '${exportName}' exited (code ${code}) before it reported`));
      if (outcome.ok) resolvePromise();
      else reject(outcome.error);
    });
  });
}
