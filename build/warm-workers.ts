/**
 * Whether worker threads that are slow to start are kept, once their job is done, for the
 * next job of this thread. The CloudFormation validation engine (build/parallel-validation.ts)
 * takes seconds of CPU to start; a process that builds many times (a test run: each Jest
 * worker process runs file after file of builds) can start it once. aws-cdk-lib keeps its
 * built-in validation plugin's engine across syntheses the same way.
 *
 * Off by default: a build ends its validation worker with its job, so that the worker's
 * memory is gone before the build's later steps. A leaf module (no framework imported), so
 * that switching it on costs nothing to a process that never validates.
 */
import workerThreads, { type Worker } from 'node:worker_threads';

/** A kept worker: whatever its module talks to it with, and the worker to end it. */
export interface WarmWorker {
  readonly worker: Worker;
}

let keeping = false;

// The kept workers hang on the `node:worker_threads` module object, the one object every
// module instance of this process sees: Jest gives each test file its own instance of every
// module but the built-in ones, and a worker kept by one file is as good for the next.
const STORE = Symbol.for('coop-idc.warm-workers');
function kept(): Map<string, WarmWorker[]> {
  const holder = workerThreads as unknown as { [STORE]?: Map<string, WarmWorker[]> };
  return (holder[STORE] ??= new Map());
}

/**
 * Keeps finished workers (`true`) for the next job, or (`false`) ends the kept ones and keeps
 * none from now on.
 */
export function keepWarmWorkers(keep: boolean): void {
  keeping = keep;
  if (keep) return;
  for (const list of kept().values()) for (const { worker } of list.splice(0)) void worker.terminate();
}

/** A kept worker of `kind` for a new job, if there is one; it is the caller's until given back. */
export function takeWarmWorker<T extends WarmWorker>(kind: string): T | undefined {
  return kept().get(kind)?.pop() as T | undefined;
}

/**
 * Gives back a worker of `kind` whose job is done: kept for the next job when keeping is on
 * (see {@link keepWarmWorkers}), else ended.
 */
export function giveBackWarmWorker(kind: string, thread: WarmWorker): void {
  if (!keeping) {
    void thread.worker.terminate();
    return;
  }
  const store = kept();
  const list = store.get(kind) ?? [];
  store.set(kind, list);
  list.push(thread);
}
