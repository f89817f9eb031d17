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
