/**
 * Runs the IDC step ({@link buildIdc}) on a worker thread. The step needs only the plan
 * (structured-cloned to the worker) and writes only its own files (`cdktf.out/`,
 * `checks/kubernetes.json`), so it can run while the main thread builds the AWS app; the
 * main thread then logs and fails exactly as the in-process step would.
 */
import { Worker } from 'node:worker_threads';
import type { TenancyPlan } from '../../infra';
import type { PhaseTimer } from '../cli/timer';
import type { IdcOutcome } from './build-step';

/** What the worker posts back. */
type Reply =
  | { readonly outcome: IdcOutcome; readonly phases: Readonly<Record<string, number>> }
  | { readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

// Plain JavaScript, so the worker starts without a TypeScript loader; it loads build-step
// through tsx only when this file is itself TypeScript (tsx, jest), as a compiled build would not.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx);
const phases = {};
const add = (phase, ms) => (phases[phase] = (phases[phase] || 0) + ms);
const timer = {
  time(phase, run) { const t0 = performance.now(); try { return run(); } finally { add(phase, performance.now() - t0); } },
  record: add,
};
try {
  const t0 = performance.now();
  const { buildIdc } = require(workerData.module);
  const outcome = buildIdc(workerData.plan, workerData.outDir, workerData.timed ? timer : undefined);
  add('idc worker', performance.now() - t0);
  parentPort.postMessage({ outcome, phases });
} catch (e) {
  parentPort.postMessage({ error: { name: e && e.name || 'Error', message: e && e.message || String(e), stack: e && e.stack } });
}
`;

/**
 * Runs {@link buildIdc} on a worker thread and resolves to its outcome; the worker's phase
 * times go to `timer`. An error in the worker rejects with that error's name, message and
 * stack.
 */
export function buildIdcOnWorker(plan: TenancyPlan, outDir: string, timer?: PhaseTimer): Promise<IdcOutcome> {
  return new Promise((resolvePromise, reject) => {
    const module = require.resolve('./build-step');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, tsx: module.endsWith('.ts') ? require.resolve('tsx/cjs') : undefined, plan, outDir, timed: timer !== undefined },
    });
    let settled = false;
    worker.once('message', (reply: Reply) => {
      settled = true;
      void worker.terminate();
      if ('error' in reply) {
        const e = new Error(reply.error.message);
        e.name = reply.error.name;
        if (reply.error.stack) e.stack = reply.error.stack;
        return reject(e);
      }
      for (const [phase, ms] of Object.entries(reply.phases)) timer?.record?.(phase, ms);
      resolvePromise(reply.outcome);
    });
    worker.once('error', (e) => {
      if (!settled) (settled = true), reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) (settled = true), reject(new Error(`the IDC worker exited (code ${code}) before it reported`));
    });
  });
}
