/**
 * Runs the IDC step ({@link buildIdc}) on a worker thread. The step needs only the plan and
 * writes only its own files (`cdktf.out/`, `checks/kubernetes.json`), so it can run while
 * the main thread builds the AWS app; the main thread then logs and fails exactly as the
 * in-process step would (the worker itself is the build's generic one, step-worker.ts).
 */
import type { TenancyPlan } from '../../infra';
import type { BuildContext } from '../cli/build-steps';
import { BuildFailure } from '../cli/io';
import { runStepOnWorker } from '../cli/step-worker';
import type { PhaseTimer } from '../cli/timer';
import type { IdcOutcome } from './build-step';

/**
 * Runs {@link buildIdc} on a worker thread and resolves to its outcome; the worker's phase
 * times go to `timer` (and its whole run to the `idc worker` phase). An error in the worker
 * rejects with that error's name, message and stack.
 */
export async function buildIdcOnWorker(plan: TenancyPlan, outDir: string, timer?: PhaseTimer): Promise<IdcOutcome> {
  const lines: string[] = [];
  // The IDC step reads only the plan and writes only under outDir.
  const ctx: BuildContext = { plan, outDir, configDir: '', today: '', env: {}, log: (l) => lines.push(l), ...(timer ? { timer } : {}) };
  const t0 = performance.now();
  try {
    await runStepOnWorker(require.resolve('./build-step'), 'idcStep', ctx);
    return { line: lines.join('\n') };
  } catch (e) {
    if (!(e instanceof BuildFailure)) throw e;
    return { line: lines.join('\n'), failure: { summary: e.summary, lines: e.lines } };
  } finally {
    timer?.record?.('idc worker', performance.now() - t0);
  }
}
