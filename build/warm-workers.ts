/**
 * Whether worker threads that are slow to start are kept, once their job is done, for the
 * next job of this thread. The CloudFormation validation engine (build/parallel-validation.ts)
 * takes seconds of CPU to start; a process that builds many times (the test suites: one
 * process runs a file's builds one after the other) can start it once. aws-cdk-lib keeps its
 * built-in validation plugin's engine across syntheses the same way.
 *
 * Off by default: a build ends its validation worker with its job, so that the worker's
 * memory is gone before the build's later steps. A leaf module (no framework imported), so
 * that switching it on costs nothing to a process that never validates.
 */

let keeping = false;
const releases = new Set<() => void>();

/**
 * Keeps finished workers (`true`) for the next job, or (`false`) ends the kept ones and keeps
 * none from now on.
 */
export function keepWarmWorkers(keep: boolean): void {
  keeping = keep;
  if (!keep) for (const release of releases) release();
}

/** Whether a finished worker is to be kept (see {@link keepWarmWorkers}). */
export function keepingWarmWorkers(): boolean {
  return keeping;
}

/** Registers what ends a module's kept workers, run when keeping is switched off. */
export function onReleaseWarmWorkers(release: () => void): void {
  releases.add(release);
}
