/**
 * The Lambda bundles with the build cache. esbuild bundles each handler in a few seconds of
 * CPU, before any unit is built, in every build: a warm build with one cooperative changed
 * spent them again on bytes that had not changed. Like a compiler's dependency files (make's
 * `.d`, ninja's depfile), an entry records every file esbuild read for the bundle with its
 * SHA-256 (esbuild's metafile); a bundle is restored when every one of them still has that
 * hash, under a key of the handler, the code under `lambdas/` and `infra/` (a file added there
 * could change what an import resolves to without changing any file read before), the
 * bundler's own module and options, `package-lock.json` and the esbuild version.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_ROOT, bundleOne, LAMBDA_NAMES, type BundleOutput, type LambdaName } from '../lambdas/bundle';
import { entryFileName, LAMBDA_CACHE, openEntry, touchEntry, writeEntry } from './build-cache';
import { sourceFiles } from './source-files';

/** Version of an entry's layout and of what its key covers. */
const FORMAT = 'coop-idc-lambda-bundle/1';

/** What the cache holds of one bundle. */
interface BundleEntry {
  /** `index.js` and `index.js.map` as esbuild wrote them. */
  readonly js: string;
  readonly map: string;
  /** Every file esbuild read, relative to the repository, with the SHA-256 of its bytes. */
  readonly inputs: Readonly<Record<string, string>>;
}

function isBundleEntry(c: unknown): c is BundleEntry {
  const e = c as BundleEntry;
  return e !== null && typeof e === 'object' && typeof e.js === 'string' && typeof e.map === 'string' && e.inputs !== null && typeof e.inputs === 'object';
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of the file at `relative` (to the repository), or undefined when it cannot be read. */
function fileHash(relative: string): string | undefined {
  try {
    return sha256(readFileSync(join(BUNDLE_ROOT, relative)));
  } catch {
    return undefined;
  }
}

let salt: string | undefined;
/** What every bundle's key holds besides its name (computed once per process). */
function bundleSalt(): string {
  if (salt !== undefined) return salt;
  const hash = createHash('sha256').update(FORMAT);
  for (const file of sourceFiles(BUNDLE_ROOT, ['lambdas', 'infra'])) hash.update(file).update('\0').update(readFileSync(join(BUNDLE_ROOT, file))).update('\0');
  hash.update(`package-lock.json\0${fileHash('package-lock.json') ?? ''}\0esbuild@${(require('esbuild/package.json') as { version: string }).version}`);
  return (salt = hash.digest('hex'));
}

/** A bundle made earlier in this process: its files and what esbuild read. */
interface MadeBundle {
  readonly js: string;
  readonly map: string;
  readonly inputs: readonly string[];
}

// On the process object, which every Jest module registry of a worker process shares (as
// build/warm-workers.ts keeps its workers on a built-in module): bundles made by one test
// file's builds serve the next file's.
const MADE = Symbol.for('coop-idc.lambda-bundles.made');
function made(): Map<string, MadeBundle> | undefined {
  return (process as unknown as { [MADE]?: Map<string, MadeBundle> })[MADE];
}

/**
 * Whether bundles made in this process are kept for its later builds over the same sources
 * (keyed by the handler and everything a cache entry's key holds). For a process that builds
 * many times (a test run: each Jest worker process runs build after build, most of them
 * without a cache, and esbuild spent seconds of CPU on each). Off by default: a build bundles,
 * or restores from the build cache, as documented.
 */
export function keepMadeBundles(keep: boolean): void {
  const holder = process as unknown as { [MADE]?: Map<string, MadeBundle> };
  if (keep) holder[MADE] ??= new Map();
  else delete holder[MADE];
}

/** Bundles `name` with esbuild, or writes the bundle this process made before from the same sources. */
async function bundleFresh(name: LambdaName, outDir: string): Promise<BundleOutput> {
  const store = made();
  const key = `${name}\0${bundleSalt()}`;
  const earlier = store?.get(key);
  if (earlier) return restoreBundle(outDir, name, earlier.js, earlier.map, earlier.inputs);
  const fresh = await bundleOne(name, outDir);
  store?.set(key, { js: readFileSync(join(fresh.dir, 'index.js'), 'utf8'), map: readFileSync(join(fresh.dir, 'index.js.map'), 'utf8'), inputs: fresh.inputs });
  return fresh;
}

/** What bundling gave: every bundle, and how many were restored from the cache. */
export interface BundlesOutcome {
  readonly bundles: Record<LambdaName, BundleOutput>;
  readonly restored: number;
  /** With `verify`: the handlers whose entry differed from a fresh bundle. */
  readonly mismatches: readonly LambdaName[];
}

/**
 * Bundles every handler into `<outDir>/<name>/` as `lambdas/bundle.ts` does; with `cacheDir`,
 * restores each bundle whose entry opens and whose recorded inputs are unchanged, and stores
 * the others. With `verify`, bundles everything and names each handler whose entry differs.
 * Same bytes either way (tested).
 */
export async function bundleLambdasCached(outDir: string, cacheDir?: string, verify = false): Promise<BundlesOutcome> {
  const bundles = {} as Record<LambdaName, BundleOutput>;
  // The handlers share most of their inputs (the SDK clients, the domain code): each file hashed once.
  const hashes = new Map<string, string | undefined>();
  const hashOf = (f: string) => (hashes.has(f) ? hashes.get(f) : hashes.set(f, fileHash(f)).get(f));
  let restored = 0;
  const mismatches: LambdaName[] = [];
  for (const name of LAMBDA_NAMES) {
    if (cacheDir === undefined) {
      bundles[name] = await bundleFresh(name, outDir);
      continue;
    }
    const key = { format: FORMAT, name, salt: bundleSalt() };
    const file = join(cacheDir, LAMBDA_CACHE, entryFileName(key));
    const read = openEntry(file, LAMBDA_CACHE, key, isBundleEntry);
    const hit = 'content' in read && Object.entries(read.content.inputs).every(([f, h]) => hashOf(f) === h) ? read.content : undefined;
    if (hit && !verify) {
      bundles[name] = restoreBundle(outDir, name, hit.js, hit.map, Object.keys(hit.inputs));
      touchEntry(file);
      restored++;
      continue;
    }
    const fresh = await bundleFresh(name, outDir);
    const entry: BundleEntry = {
      js: readFileSync(join(fresh.dir, 'index.js'), 'utf8'),
      map: readFileSync(join(fresh.dir, 'index.js.map'), 'utf8'),
      inputs: Object.fromEntries(fresh.inputs.map((f) => [f, hashOf(f) ?? ''])),
    };
    if (hit && (hit.js !== entry.js || hit.map !== entry.map)) mismatches.push(name);
    writeEntry(cacheDir, LAMBDA_CACHE, key, entry);
    bundles[name] = fresh;
  }
  return { bundles, restored, mismatches };
}

/** Writes a bundle made before (`index.js`, its map, and the files esbuild read for it) into `<outDir>/<name>/`. */
function restoreBundle(outDir: string, name: LambdaName, js: string, map: string, inputs: readonly string[]): BundleOutput {
  const dir = join(resolve(outDir), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), js);
  writeFileSync(join(dir, 'index.js.map'), map);
  return { dir, bytes: Buffer.byteLength(js), inputs };
}
