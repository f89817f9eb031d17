/**
 * Writing build output so that a failed or interrupted build never leaves a half-written
 * output folder: everything is written to a staging folder beside the target, and only a
 * complete build replaces the previous output.
 *
 * And so that a build never removes what it did not create (as the CDK CLI, Bazel and cargo
 * treat their output folders): every build writes {@link OUTPUT_MARKER} at the top of its
 * output, and only a folder carrying it, an empty folder or a path that does not exist is
 * ever replaced. The working directory, the config folder, the repository root, the home
 * folder, `/` and every folder holding one of them are refused whatever they hold.
 */
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { jsonChunks, jsonLineChunks } from '../infra/stable-json';
import { nearestHolding } from './source-files';
import { compactFindings, type CheckFile, type CheckFinding } from '../infra/checks/findings';

/** The file every build writes at the top of its output folder: what marks the folder as coop-idc's to replace. */
export const OUTPUT_MARKER = '.coop-idc-output.json';
/** Version of the output folder's layout, recorded in the marker. */
export const OUTPUT_FORMAT = 1;
const TOOL = 'coop-idc';
// No time, pid or path in it: the output is byte-identical for the same config.
const MARKER_TEXT = toJson({ tool: TOOL, format: OUTPUT_FORMAT, note: 'written by coop-idc build; coop-idc build replaces this folder on the next build' });

/** A folder output may neither be nor hold, and what to call it in a refusal. */
export interface KeptFolder {
  readonly path: string;
  readonly what: MessageRef;
}

/** What a build (or report) may not touch, and how to show paths to the person running it. */
export interface OutputGuard {
  /** Folders the output may neither be nor hold: see {@link keptFolders}. */
  readonly keep: readonly KeptFolder[];
  /**
   * How a path is shown in messages.
   * @default - the absolute path
   */
  readonly show?: (path: string) => string;
  /**
   * Progress lines (stale folders removed or left).
   * @default - nothing is printed
   */
  readonly log?: (line: string) => void;
  /**
   * The language of `log` lines.
   * @default DEFAULT_LANG
   */
  readonly lang?: Lang;
}

/**
 * A path the build refuses to use, and why: the CLI prints both lines and exits 2.
 * Thrown before anything is written or removed.
 */
export class OutputRefused extends Error {
  constructor(
    /** The path as shown to the user. */
    public readonly shown: string,
    /** Why, from the message catalogue: the CLI shows it in the run's language. */
    public readonly why: MessageRef,
  ) {
    super(`${shown}: ${formatMessage('en', why)}`);
    this.name = 'OutputRefused';
  }
}

/** What a folder is for, in refusals. */
export const ROLES = {
  output: msg('output.role.output'),
  failed: msg('output.role.failed'),
  staging: msg('output.role.staging'),
  report: msg('output.role.report'),
} as const satisfies Record<string, MessageRef>;

const FIX_BUILD = msg('output.fix.build');
const FIX_REPORT = msg('output.fix.report');

/**
 * The folders a build must never replace for the person running it in `cwd` with config
 * folder `configDir` and home folder `home`: those, the repository root (the nearest folder
 * holding `.git`, a folder or a worktree's file) and the project folder (the nearest holding
 * package.json) above the working directory and above the config folder, and coop-idc's own
 * installation. Found by looking for the files rather than by running git: no process to
 * start, and a checkout without git installed is kept just the same.
 */
export function keptFolders(cwd: string, configDir: string, home: string | undefined): KeptFolder[] {
  const kept: KeptFolder[] = [
    { path: resolve(cwd), what: msg('output.kept.cwd') },
    { path: resolve(cwd, configDir), what: msg('output.kept.config') },
  ];
  for (const from of [resolve(cwd), resolve(cwd, configDir)]) {
    const repo = nearestHolding(from, '.git');
    if (repo) kept.push({ path: repo, what: msg('output.kept.repo') });
    const project = nearestHolding(from, 'package.json');
    if (project) kept.push({ path: project, what: msg('output.kept.project') });
  }
  if (home) kept.push({ path: resolve(home), what: msg('output.kept.home') });
  const installation = nearestHolding(__dirname, 'package.json');
  if (installation) kept.push({ path: installation, what: msg('output.kept.installation') });
  return kept;
}


/** The path with every link of its existing part resolved; the rest as written. */
function realForm(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return path;
  }
}

const holds = (outer: string, inner: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/** True when `dir` is a folder (not a link) carrying coop-idc's marker. */
function carriesMarker(dir: string): boolean {
  try {
    const marker = join(dir, OUTPUT_MARKER);
    if (!lstatSync(marker).isFile()) return false;
    const value = JSON.parse(readFileSync(marker, 'utf8')) as { tool?: unknown; format?: unknown };
    return value.tool === TOOL && Number.isInteger(value.format);
  } catch {
    return false;
  }
}

/**
 * Throws {@link OutputRefused} unless `path` is a place coop-idc may replace with its own
 * output: a path that does not exist (under folders, not files), an empty folder or a
 * folder carrying {@link OUTPUT_MARKER}, and never a kept folder or one holding it.
 * `forReport` words the fix for `report`, which writes into a build's output.
 */
export function checkReplaceable(path: string, role: MessageRef, guard: OutputGuard, opts: { readonly forReport?: boolean } = {}): void {
  const show = guard.show ?? ((p: string) => p);
  const target = resolve(path);
  const shown = show(target);
  const fix = opts.forReport ? FIX_REPORT : FIX_BUILD;
  const refuse = (reason: MessageRef, more?: MessageRef): never => {
    throw new OutputRefused(shown, more ? msg('output.refused-more', { role, reason, more, fix }) : msg('output.refused', { role, reason, fix }));
  };
  const forms = [target, realForm(target)];
  if (forms.some((f) => dirname(f) === f)) refuse(msg('output.why.root'));
  const kept = guard.keep.map((k) => ({ ...k, forms: [resolve(k.path), realForm(resolve(k.path))] }));
  // Being a kept folder says more than holding one: look for that first.
  for (const k of kept) if (forms.some((f) => k.forms.includes(f))) refuse(msg('output.why.is-kept', { what: k.what }));
  for (const k of kept) {
    if (forms.some((f) => k.forms.some((kf) => holds(f, kf)))) refuse(msg('output.why.holds-kept', { what: k.what, path: show(k.path) }));
  }
  // The nearest existing folder above must be a folder: nothing can be made under a file.
  for (let d = dirname(target); dirname(d) !== d; d = dirname(d)) {
    let st;
    try {
      st = statSync(d);
    } catch {
      continue;
    }
    if (!st.isDirectory()) {
      const f = show(d);
      refuse(msg('output.why.parent-file', { path: f }));
    }
    break;
  }
  let st;
  try {
    st = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    refuse(msg('output.why.unchecked', { code: String((e as NodeJS.ErrnoException).code) }));
  }
  if (st!.isSymbolicLink()) refuse(msg('output.why.symlink'), msg('output.why.symlink-fix'));
  if (!st!.isDirectory()) refuse(msg('output.why.file'));
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (e) {
    return refuse(msg('output.why.unreadable', { code: String((e as NodeJS.ErrnoException).code) }));
  }
  if (entries.length === 0 || carriesMarker(target)) return;
  const legacy = entries.includes('plan.json') && entries.includes('build.json');
  refuse(msg('output.why.foreign', { marker: OUTPUT_MARKER }), legacy ? msg('output.why.legacy') : undefined);
}

/** The staging and old folders of a build of `target` by process `pid`, as coop-idc names them. */
export function workFolders(target: string, pid: number): { readonly staging: string; readonly old: string } {
  const parent = dirname(target);
  return { staging: join(parent, `.${basename(target)}.staging-${pid}`), old: join(parent, `.${basename(target)}.old-${pid}`) };
}

/** Highest pid Linux can hand out (pid_max's ceiling); larger numbers were never ours. */
const PID_MAX = 4_194_304;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the staging and old folders that builds of `target` left when they were killed:
 * only those named exactly as {@link workFolders} names them, whose process is gone (or is
 * this one, which has not made them yet: a pid reused after a reboot), and that are empty
 * or carry the marker. Anything else is left and named in the log.
 */
function removeStale(target: string, guard: OutputGuard): void {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return; // no parent yet: nothing stale
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(staging|old)-([1-9][0-9]{0,6})$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid > PID_MAX || (pid !== process.pid && alive(pid))) continue;
    const dir = join(parent, name);
    try {
      checkReplaceable(dir, ROLES.staging, { keep: guard.keep });
    } catch (e) {
      if (!(e instanceof OutputRefused)) throw e;
      // This process's own name is refused just after, with the reason.
      if (pid !== process.pid) guard.log?.(formatMessage(guard.lang ?? DEFAULT_LANG, msg('build.left-folder', { name })));
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(name);
  }
  if (removed.length) guard.log?.(formatMessage(guard.lang ?? DEFAULT_LANG, msg('build.removed-folders', { n: removed.length, folders: removed.join(', ') })));
}

/** Removes `dir` when coop-idc may (it carries the marker or is empty); throws {@link OutputRefused} otherwise. */
export function removeOwnOutput(dir: string, role: MessageRef, guard: OutputGuard): void {
  checkReplaceable(dir, role, guard);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `write` against a fresh staging folder holding the marker, then swaps it in for
 * `outDir`. Throws {@link OutputRefused}, before writing anything, when `outDir` or the
 * staging folder's name is not coop-idc's to replace (see {@link checkReplaceable}).
 */
export async function writeOutputAtomically(outDir: string, write: (staging: string) => Promise<void> | void, guard: OutputGuard): Promise<void> {
  const target = resolve(outDir);
  checkReplaceable(target, ROLES.output, guard);
  removeStale(target, guard);
  const { staging, old } = workFolders(target, process.pid);
  checkReplaceable(staging, ROLES.staging, guard);
  checkReplaceable(old, ROLES.staging, guard);
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    writeFileSync(join(staging, OUTPUT_MARKER), MARKER_TEXT);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    const show = guard.show ?? ((p: string) => p);
    throw new OutputRefused(show(target), msg('output.why.cannot-create', { code }));
  }
  try {
    await write(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  // Checked again just before the swap: the target may have changed during a long build.
  checkReplaceable(target, ROLES.output, guard);
  if (existsSync(target)) renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
}

/** Writes one file atomically (temp file + rename): a reader never sees half a file. */
export function writeFileAtomically(file: string, data: string | Uint8Array | Iterable<string>): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(tmp, data);
  else writeChunks(tmp, data);
  renameSync(tmp, file);
}

/** Writes one file in place, its folder already made: for a staging folder nobody reads yet. */
export function writeFileInPlace(file: string, data: string | Uint8Array | Iterable<string>): void {
  if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(file, data);
  else writeChunks(file, data);
}

/**
 * Writes {@link toJson}'s bytes for `value` without building them as one string (see
 * infra/stable-json.ts): the large findings and report files of a big build.
 */
export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeChunks(file, jsonChunks(value));
}

/**
 * Writes a check file (`CheckFile`): failures in full, acknowledgements and passes grouped
 * (every finding kept), one record per line like report.json.
 */
export function writeFindings(file: string, findings: readonly CheckFinding[]): void {
  writeCheckFile(file, compactFindings(findings));
}

/** Writes a check file already grouped ({@link writeFindings}). */
export function writeCheckFile(file: string, checkFile: CheckFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeChunks(file, jsonLineChunks(checkFile));
}

/** Size of {@link writeChunks}'s buffer. */
const CHUNK_BUFFER = 1 << 22;

/**
 * Writes string pieces as UTF-8 through one 4 MiB buffer. Each piece is encoded straight into
 * the buffer: joining pieces into ~1 MB strings first (what this did before) made V8 build and
 * then flatten a rope of small strings, 3–6 s of the 294 MB report.json at 1,000
 * cooperatives against ~1.5 s now; the bytes are the same. Each piece must be well-formed
 * UTF-16 on its own (a surrogate pair split across two pieces would be written as two
 * replacement characters): JSON.stringify's output always is.
 */
function writeChunks(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BUFFER);
    let used = 0;
    for (const p of pieces) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      if (used + p.length * 3 > CHUNK_BUFFER) {
        writeSync(fd, buf, 0, used);
        used = 0;
        if (p.length * 3 > CHUNK_BUFFER) {
          writeSync(fd, p);
          continue;
        }
      }
      used += buf.write(p, used);
    }
    if (used) writeSync(fd, buf, 0, used);
  } finally {
    closeSync(fd);
  }
}

/** Stable JSON: two-space indent and a final newline, so outputs diff cleanly. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
