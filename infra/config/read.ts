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
import { bilingual, type Diagnostic } from './diagnostics';
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
  const at = { file: displayPath, line: 1, col: 1, severity: 'error' as const, code: 'unreadable-file' };
  switch (code) {
    case 'EISDIR':
      return {
        ...at,
        message: bilingual('YAML 파일 자리에 폴더가 있습니다', 'found a folder where a YAML file is expected'),
        hint: inCooperatives(absolutePath)
          ? bilingual('폴더를 cooperatives/ 밖으로 옮기거나 이름을 바꾸세요', `move the folder out of ${LAYOUT.cooperatives}/ or rename it so it does not end in .yaml`)
          : bilingual('폴더를 옮기고 파일을 두세요', 'move the folder away and put the file there'),
      };
    case 'ELOOP':
      return {
        ...at,
        message: bilingual('심볼릭 링크가 순환합니다', 'the path is a loop of symbolic links'),
        hint: bilingual('링크를 지우고 실제 파일을 두세요', 'replace the link with the file itself'),
      };
    case 'ENOENT':
    case 'ENOTDIR': {
      const target = linkTarget(absolutePath);
      return {
        ...at,
        message: target !== undefined
          ? bilingual(`링크 대상 "${target}" 이(가) 없습니다`, `a link to "${target}", which does not exist`)
          : bilingual('파일이 없습니다', 'the file does not exist (it was removed while reading)'),
        hint: bilingual('링크를 지우고 실제 파일을 두세요', 'replace the link with the file itself, or remove it'),
      };
    }
    case 'EACCES':
    case 'EPERM':
      return {
        ...at,
        message: bilingual('읽기 권한이 없습니다', 'no permission to read the file'),
        hint: bilingual('파일 권한을 고치세요', `make it readable: chmod a+r ${displayPath}`),
      };
    default:
      return {
        ...at,
        message: bilingual(`파일을 읽을 수 없습니다 (${code})`, `the file cannot be read (${code}: ${firstLine((error as Error).message)})`),
        hint: bilingual('경로와 디스크를 확인하세요', 'check the path and the disk, then run again'),
      };
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
    throw new ConfigPathError({
      file: shown(platformFile),
      line: 1,
      col: 1,
      severity: 'error',
      code: 'missing-file',
      message: `no platform file at ${shown(platformFile)}`,
      hint: `pass the config folder (the one holding ${LAYOUT.platform} and ${LAYOUT.cooperatives}/)`,
    });
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
          ? { ...d, message: bilingual('협동조합 파일 폴더 자리에 파일이 있습니다', 'found a file where the folder of cooperative files is expected'), hint: bilingual('파일을 옮기고 cooperatives/ 폴더를 만드세요', `move the file away and create the folder ${shown(coopDir)}/`) }
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
