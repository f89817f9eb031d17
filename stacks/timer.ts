/**
 * Phase timing hook of the build: `npm run bench` passes a timer to see where the time of
 * one build goes (CDK synth, cdk-nag, CloudFormation validation, CDKTF synth, checks);
 * `coop-idc build` passes none and pays nothing.
 */

/**
 * Ends the name of an entry that holds a process's peak resident set in MB rather than a
 * duration (the unit processes report theirs so; the bench reads them).
 */
export const PEAK_RSS_PHASE = ' peak RSS MB';

/** Records how long each named phase of the build takes; a phase may run several times and add up. */
export interface PhaseTimer {
  time<T>(phase: string, run: () => T): T;
  /** Adds time measured elsewhere (e.g. on a worker thread). */
  record?(phase: string, ms: number): void;
}

/** Runs `run` under `timer` when there is one. */
export function timed<T>(timer: PhaseTimer | undefined, phase: string, run: () => T): T {
  return timer ? timer.time(phase, run) : run();
}

/** A timer that keeps the total time of each phase in `phases` (milliseconds). */
export function totalsTimer(): PhaseTimer & { readonly phases: Record<string, number>; record(phase: string, ms: number): void } {
  const phases: Record<string, number> = {};
  const record = (phase: string, ms: number): void => void (phases[phase] = (phases[phase] ?? 0) + ms);
  return {
    phases,
    record,
    time<T>(phase: string, run: () => T): T {
      const t0 = performance.now();
      try {
        return run();
      } finally {
        record(phase, performance.now() - t0);
      }
    },
  };
}
