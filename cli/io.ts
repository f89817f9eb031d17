import type { BuildStep } from '../build/step';

/** What the CLI needs from the outside world, injectable so tests run commands in-process. */
export interface CliIo {
  readonly cwd: string;
  /** Today's date, YYYY-MM-DD; the only clock the CLI reads. */
  readonly today: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
  /**
   * The steps `build` runs. Tests of the CLI's own behaviour pass a short list; the full
   * build is covered end to end elsewhere.
   * @default - BUILD_STEPS (plan, aws, idc, report)
   */
  readonly buildSteps?: readonly BuildStep[];
}

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export { BuildFailure, UsageError } from '../build/errors';
