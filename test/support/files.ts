import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BUILD_MANIFEST } from '../../build/up-to-date';

/**
 * Every file under `dir` by its path relative to `dir`, read as `encoding` (`latin1` keeps
 * each byte as one character, for byte-for-byte comparisons of binary files).
 */
export function readTree(dir: string, encoding: BufferEncoding = 'utf8'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, encoding);
    }
  };
  walk(dir);
  return out;
}

/**
 * Everything under `dir` (itself included, as `.`), dotfiles, empty folders and links too:
 * each path maps to `dir`, `link -> <target>` (never followed) or `file <sha-256>
 * <mode>`. Two equal snapshots mean the tree is byte-for-byte the same.
 */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    const st = lstatSync(p);
    const key = relative(dir, p) || '.';
    if (st.isSymbolicLink()) out[key] = `link -> ${readlinkSync(p)}`;
    else if (st.isDirectory()) {
      out[key] = `dir ${(st.mode & 0o7777).toString(8)}`;
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else out[key] = `file ${createHash('sha256').update(readFileSync(p)).digest('hex')} ${(st.mode & 0o7777).toString(8)}`;
  };
  walk(dir);
  return out;
}

/**
 * A maker of temporary folders (`mkdtemp` under the OS temp folder with the given prefix),
 * all removed after the test file's tests. Call it at the top level of a test file.
 */
export function tempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/**
 * The files of a build's output folder, relative to it and sorted, without the up-to-date
 * manifest: it records the folder's own mtimes, not what the config gives (see
 * test/build/up-to-date.test.ts).
 */
export function outputFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true })
      .filter((e) => e.name !== BUILD_MANIFEST)
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(dir, join(d, e.name))]));
  return walk(dir).sort();
}

/** The files of `files` whose bytes differ between the folders `a` and `b`, sorted. */
export function differingFiles(a: string, b: string, files: readonly string[]): string[] {
  return files.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).sort();
}
