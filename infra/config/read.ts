/**
 * The file-system side of loading: find the platform file and cooperative files.
 * Kept apart from `load.ts` so validation stays pure and fuzzable.
 *
 * Whatever sits where a file is expected (a folder, a link loop, a link to nothing, a file
 * nobody may read, bytes that are not UTF-8) becomes a located diagnostic, never an
 * exception: an onboarding pull request is one file, and its author needs to know which.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics';
import { msg } from './messages';
import { decodeConfigText } from './encoding';
import type { ConfigSources } from './load';
import type { SourceFile } from './source';

/** Where the platform file and cooperative files live under a config root. */
export const LAYOUT = { platform: 'platform.yaml', cooperatives: 'cooperatives' } as const;

/** A problem finding the files at all (not inside them): reported like any diagnostic. */
export class ConfigPathError extends Error {
  constructor(public readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'ConfigPathError';
  }
}

/**
 * The file reads loading makes, injectable so tests can produce errors the test machine
 * cannot (EACCES: tests run as root, which reads any file whatever its mode).
 */
export interface ConfigFs {
  readFile(path: string): Uint8Array;
}

const NODE_FS: ConfigFs = { readFile: (p) => readFileSync(p) };

/** Reads one file as a source; paths are shown relative to `cwd`. A file that cannot be read or decoded carries a `readError`. */
export function readSource(root: string, file: string, cwd: string = process.cwd(), fs: ConfigFs = NODE_FS): SourceFile {
  const displayPath = relative(cwd, file) || file;
  const relativePath = relative(root, file).split(sep).join('/');
  let bytes: Uint8Array;
  try {
    bytes = fs.readFile(file);
  } catch (e) {
    return { displayPath, relativePath, text: '', readError: readFailure(e, displayPath, file) };
  }
  const decoded = decodeConfigText(bytes, displayPath);
  return 'text' in decoded ? { displayPath, relativePath, text: decoded.text } : { displayPath, relativePath, text: '', readError: decoded.error };
}

/**
 * The diagnostic for a file that could not be read: what is there instead, and how to fix it.
 * Rethrows what is not a file-system error (a bug, not bad input).
 */
export function readFailure(error: unknown, displayPath: string, absolutePath: string): Diagnostic {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') throw error;
  const at = { file: displayPath, line: 1, col: 1 };
  const unreadable = (message: Parameters<typeof msg>, hint: Parameters<typeof msg>) => diagnostic(at, 'error', 'unreadable-file', msg(...message), msg(...hint));
  switch (code) {
    case 'EISDIR':
      return unreadable(['read.folder'], inCooperatives(absolutePath) ? ['read.folder.hint-cooperatives', { dir: LAYOUT.cooperatives }] : ['read.folder.hint']);
    case 'ELOOP':
      return unreadable(['read.loop'], ['read.loop.hint']);
    case 'ENOENT':
    case 'ENOTDIR': {
      const target = linkTarget(absolutePath);
      return unreadable(target !== undefined ? ['read.dangling', { target }] : ['read.gone'], ['read.link.hint']);
    }
    case 'EACCES':
    case 'EPERM':
      return unreadable(['read.denied'], ['read.denied.hint', { file: displayPath }]);
    default:
      return unreadable(['read.other', { code, detail: firstLine((error as Error).message) }], ['read.other.hint']);
  }
}

/**
 * Reads a config root: `platform.yaml` and every `cooperatives/*.yaml` (files starting
 * with `_` or `.` are skipped, so a work-in-progress copy can sit beside the others).
 */
export function readConfigDir(dir: string, cwd: string = process.cwd(), fs: ConfigFs = NODE_FS): ConfigSources {
  const root = resolve(cwd, dir);
  const platformFile = join(root, LAYOUT.platform);
  const shown = (p: string) => relative(cwd, p) || p;
  // lstat: a link to nothing is there (and reported as such); no entry at all is a wrong path.
  if (!entryExists(platformFile)) {
    throw new ConfigPathError(
      diagnostic(
        { file: shown(platformFile), line: 1, col: 1 },
        'error',
        'missing-file',
        msg('read.no-platform', { file: shown(platformFile) }),
        msg('read.no-platform.hint', { platform: LAYOUT.platform, cooperatives: LAYOUT.cooperatives }),
      ),
    );
  }
  const coopDir = join(root, LAYOUT.cooperatives);
  let names: string[] = [];
  if (entryExists(coopDir)) {
    try {
      names = readdirSync(coopDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const d = readFailure(e, shown(coopDir), coopDir);
      throw new ConfigPathError(
        code === 'ENOTDIR'
          ? diagnostic(d, 'error', d.code, msg('read.file-not-folder'), msg('read.file-not-folder.hint', { dir: shown(coopDir) }))
          : d,
      );
    }
  }
  const files = names
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_') && !f.startsWith('.'))
    .sort()
    .map((f) => join(coopDir, f));
  return { platform: readSource(root, platformFile, cwd, fs), cooperatives: files.map((f) => readSource(root, f, cwd, fs)) };
}

/**
 * The config root a cooperative file belongs to: the folder above its `cooperatives/`
 * folder. Lets `coop-idc validate config/cooperatives/new.yaml` check one file against
 * the platform file and all the others.
 */
export function configRootOf(file: string, cwd: string = process.cwd()): string {
  const abs = resolve(cwd, file);
  const parent = dirname(abs);
  if (parent.split(sep).pop() === LAYOUT.cooperatives) return dirname(parent);
  let dir = parent;
  for (;;) {
    if (isFile(join(dir, LAYOUT.platform))) return dir;
    const up = dirname(dir);
    if (up === dir) return parent;
    dir = up;
  }
}

/** Whether anything is at a path, a link to nothing included (which `existsSync` denies). */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where a symbolic link points, or undefined when the path is not a link. */
function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function inCooperatives(path: string): boolean {
  return dirname(path).split(sep).pop() === LAYOUT.cooperatives;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
