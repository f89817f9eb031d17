/**
 * The file-system side of loading: find the platform file and cooperative files.
 * Kept apart from `load.ts` so validation stays pure and fuzzable.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from './diagnostics';
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

/** Reads one file as a source; paths are shown relative to `cwd`. */
export function readSource(root: string, file: string, cwd: string = process.cwd()): SourceFile {
  return {
    displayPath: relative(cwd, file) || file,
    relativePath: relative(root, file).split(sep).join('/'),
    text: readFileSync(file, 'utf8'),
  };
}

/**
 * Reads a config root: `platform.yaml` and every `cooperatives/*.yaml` (files starting
 * with `_` or `.` are skipped, so a work-in-progress copy can sit beside the others).
 */
export function readConfigDir(dir: string, cwd: string = process.cwd()): ConfigSources {
  const root = resolve(cwd, dir);
  const platformFile = join(root, LAYOUT.platform);
  if (!existsSync(platformFile)) {
    throw new ConfigPathError({
      file: relative(cwd, platformFile) || platformFile,
      line: 1,
      col: 1,
      severity: 'error',
      code: 'missing-file',
      message: `no platform file at ${relative(cwd, platformFile) || platformFile}`,
      hint: `pass the config folder (the one holding ${LAYOUT.platform} and ${LAYOUT.cooperatives}/)`,
    });
  }
  const coopDir = join(root, LAYOUT.cooperatives);
  const files = existsSync(coopDir)
    ? readdirSync(coopDir)
        .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_') && !f.startsWith('.'))
        .sort()
        .map((f) => join(coopDir, f))
    : [];
  return { platform: readSource(root, platformFile, cwd), cooperatives: files.map((f) => readSource(root, f, cwd)) };
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
    if (existsSync(join(dir, LAYOUT.platform)) && statSync(join(dir, LAYOUT.platform)).isFile()) return dir;
    const up = dirname(dir);
    if (up === dir) return parent;
    dir = up;
  }
}
