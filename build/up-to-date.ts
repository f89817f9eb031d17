/**
 * The up-to-date check of `build`, as make, ninja and the CDK CLI's asset hashes skip work
 * whose inputs did not change: after a successful build, {@link BUILD_MANIFEST} in the
 * output folder records one hash of everything the build read and the size, mtime, ctime and
 * inode of every file it wrote. The next build with the same input hash whose recorded files
 * are all still there, unchanged by these four, has nothing to do.
 *
 * The four are what git's index compares to tell a file unchanged without reading it. The
 * ctime is the one an edit cannot put back: setting the mtime back (`touch -d`, `utimes`)
 * stamps the ctime with the time of the change. Hashing the content instead would read the
 * whole output (~300 MB at 1,000 cooperatives) after every build and again on every check.
 *
 * Node built-ins only: the check must answer before aws-cdk-lib or cdktf (seconds of
 * start-up) are loaded.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { nearestHolding, SOURCE_FOLDERS, sourceFiles } from './source-files';

/** The manifest a successful build writes at the top of its output folder. */
export const BUILD_MANIFEST = '.coop-idc-build.json';
/** Version of the manifest's layout: a manifest of another version is no manifest. */
const MANIFEST_FORMAT = 2;

/** One output file as the manifest records it. */
export interface OutputFileRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

const RECORDED = ['size', 'mtimeMs', 'ctimeMs', 'ino'] as const;

function recordOf(st: { readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number; readonly ino: number }): OutputFileRecord {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

/** What {@link BUILD_MANIFEST} holds. */
export interface BuildManifest {
  readonly format: number;
  /** {@link inputHash} of the build that wrote the folder. */
  readonly inputs: string;
  /** Every file of the output folder but the manifest, by path relative to it (`/`-separated). */
  readonly files: Readonly<Record<string, OutputFileRecord>>;
}

/** What the up-to-date check found: nothing to do, or why a build is needed. */
export type UpToDate = { readonly upToDate: true; readonly files: number } | { readonly upToDate: false; readonly reason: string };

function hashFile(hash: ReturnType<typeof createHash>, name: string, file: string): void {
  hash.update(name).update('\0').update(readFileSync(file)).update('\0');
}

/**
 * SHA-256 of everything a build reads: every file of the config folder (names and bytes),
 * the code under `infra/`, `stacks/`, `build/`, `lambdas/` and `cli/` of this installation,
 * its package.json and package-lock.json (the library versions), the Node major version and
 * `options`, the settings that change what is written (language, shard, cache, the
 * cooperative, the date, template validation).
 */
export function inputHash(configDir: string, options: Readonly<Record<string, unknown>>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: MANIFEST_FORMAT, node: process.versions.node.split('.')[0], options })).update('\0');
  for (const file of sourceFiles(configDir, ['.'])) hashFile(hash, `config/${file.split(sep).join('/')}`, join(configDir, file));
  const code = join(__dirname, '..');
  for (const file of sourceFiles(code, [...SOURCE_FOLDERS, 'lambdas', 'cli'])) hashFile(hash, file.split(sep).join('/'), join(code, file));
  // The installation whose code runs: the package.json nearest above this file.
  const pkg = nearestHolding(__dirname, 'package.json');
  for (const name of ['package.json', 'package-lock.json']) {
    if (pkg !== undefined && existsSync(join(pkg, name))) hashFile(hash, name, join(pkg, name));
  }
  return hash.digest('hex');
}

/** Every file under `dir` but the manifest, relative and `/`-separated, sorted. */
function outputFiles(dir: string): string[] {
  return sourceFiles(dir, ['.'])
    .map((f) => f.split(sep).join('/'))
    .filter((f) => f !== BUILD_MANIFEST);
}

/**
 * Records `inputs` and every file of `outDir` (a folder this build just wrote and swapped in)
 * in {@link BUILD_MANIFEST}, written through a temporary file so a reader never sees half.
 */
export function writeBuildManifest(outDir: string, inputs: string): void {
  const files: Record<string, OutputFileRecord> = {};
  for (const f of outputFiles(outDir)) {
    files[f] = recordOf(statSync(join(outDir, f)));
  }
  const manifest: BuildManifest = { format: MANIFEST_FORMAT, inputs, files };
  const file = join(outDir, BUILD_MANIFEST);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(manifest)}\n`);
  renameSync(tmp, file);
}

function isManifest(value: unknown): value is BuildManifest {
  const m = value as Partial<BuildManifest> | null;
  if (m === null || typeof m !== 'object' || m.format !== MANIFEST_FORMAT || typeof m.inputs !== 'string') return false;
  if (m.files === null || typeof m.files !== 'object') return false;
  return Object.values(m.files).every((r) => r !== null && typeof r === 'object' && RECORDED.every((k) => typeof r[k] === 'number'));
}

/**
 * Whether `outDir` holds the output of a successful build with input hash `inputs`: its
 * manifest opens, records `inputs`, and every file it records is a plain file with the
 * recorded size, mtime, ctime and inode. Anything else, a missing or damaged manifest
 * included, means build.
 */
export function checkUpToDate(outDir: string, inputs: string): UpToDate {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(outDir, BUILD_MANIFEST), 'utf8'));
  } catch {
    return { upToDate: false, reason: 'no readable manifest' };
  }
  if (!isManifest(manifest)) return { upToDate: false, reason: 'manifest of another format' };
  if (manifest.inputs !== inputs) return { upToDate: false, reason: 'inputs changed' };
  const entries = Object.entries(manifest.files);
  if (entries.length === 0) return { upToDate: false, reason: 'manifest records no file' };
  for (const [name, record] of entries) {
    const file = join(outDir, name);
    // A recorded name that leaves the folder was not written by a build.
    if (relative(outDir, file).startsWith('..')) return { upToDate: false, reason: `${name}: outside the output folder` };
    let st;
    try {
      st = lstatSync(file);
    } catch {
      return { upToDate: false, reason: `${name}: missing` };
    }
    const now = recordOf(st);
    if (!st.isFile() || RECORDED.some((k) => now[k] !== record[k])) return { upToDate: false, reason: `${name}: changed` };
  }
  return { upToDate: true, files: entries.length };
}
