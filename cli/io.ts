import { homedir } from 'node:os';
import { relative, sep } from 'node:path';
import type { BuildStep } from '../build/step';
import { keptFolders, type OutputGuard } from '../build/output';
import { formatMessage, msg, resolveLang, type Lang, type MessageRef } from '../infra/config/messages';

/** What the CLI needs from the outside world, injectable so tests run commands in-process. */
export interface CliIo {
  readonly cwd: string;
  /** Today's date, YYYY-MM-DD; the only clock the CLI reads. */
  readonly today: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
  /**
   * Writes to a terminal as it is (no newline: a progress bar redrawn in place).
   * @default - not a terminal: progress comes as one line per unit through `out`
   */
  readonly tty?: (text: string) => void;
  /**
   * The steps `build` runs. Tests of the CLI's own behaviour pass a short list; the full
   * build is covered end to end elsewhere.
   * @default - BUILD_STEPS (plan, aws, idc, report)
   */
  readonly buildSteps?: readonly BuildStep[];
  /**
   * Whether `build` skips when its output is up to date (build/up-to-date.ts) although
   * `buildSteps` is given: for the tests of that check.
   * @default - on for the real steps, off when `buildSteps` is given
   */
  readonly upToDateCheck?: boolean;
  /**
   * The language of messages, as `main` resolved it from `--lang`, LC_ALL and LANG.
   * @default - resolved from `env` (LC_ALL, then LANG), else Korean
   */
  readonly lang?: Lang;
}

/** The language a command's messages are shown in. */
export function langOf(io: CliIo): Lang {
  return io.lang ?? resolveLang(undefined, io.env);
}

/** A message of the catalogue in the language of the run. */
export function t(io: CliIo, id: MessageRef['id'], args?: MessageRef['args']): string {
  return formatMessage(langOf(io), msg(id, args));
}

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export { BuildFailure, UsageError } from '../build/errors';

/**
 * What `build` and `report` may not touch for this invocation (see output.ts), with paths
 * shown relative to the working directory when they are inside it or above it, else
 * absolute. HOME comes from the injected environment, so tests give each run its own.
 */
export function outputGuard(io: CliIo, configDir: string): OutputGuard {
  return { keep: keptFolders(io.cwd, configDir, io.env.HOME ?? homedir()), show: (p) => shownPath(io.cwd, p), log: (l) => io.out(l), lang: langOf(io) };
}

/** `p` relative to `cwd` when inside it or a folder above it (`..`, `../..`), else absolute. */
export function shownPath(cwd: string, p: string): string {
  const r = relative(cwd, p);
  if (r === '') return '.';
  const up = r.split(sep).every((s) => s === '..');
  if ((r === '..' || r.startsWith(`..${sep}`)) && !(up && p !== sep)) return p;
  return r;
}
