/**
 * The source files the build's caches are keyed by, listed and hashed with node built-ins
 * only: the up-to-date check (build/up-to-date.ts) must answer without loading aws-cdk-lib or
 * cdktf, and the IDC step's worker thread without loading aws-cdk-lib and cdk-nag.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folders whose code decides what a build writes (the cache keys cover the first three). */
export const SOURCE_FOLDERS: readonly string[] = ['infra', 'stacks', 'build'];

/** The files under `folders` of `root`, relative to `root`, sorted; a missing folder adds none. */
export function sourceFiles(root: string, folders: readonly string[] = SOURCE_FOLDERS): string[] {
  const out: string[] = [];
  const add = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(join(root, dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) add(path);
      else out.push(path);
    }
  };
  for (const folder of folders) add(folder);
  return out;
}

/** The nearest folder at or above `from` that holds an entry named `name`, or undefined. */
export function nearestHolding(from: string, name: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, name))) return d;
    if (dirname(d) === d) return undefined;
  }
}

let sources: string | undefined;
/**
 * SHA-256 of every file under `infra/`, `stacks/` and `build/` (this one's folder) (the sources, or the
 * compiled `dist/` the CLI may run): the rules, the constructs whose L1 objects the rules
 * read, and the packs' set-up. Any change there misses the whole cache once.
 */
export function sourceHash(): string {
  if (sources !== undefined) return sources;
  const root = join(__dirname, '..');
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return (sources = hash.digest('hex'));
}
