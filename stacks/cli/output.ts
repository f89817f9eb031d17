/**
 * Writing build output so that a failed or interrupted build never leaves a half-written
 * output folder: everything is written to a staging folder beside the target, and only a
 * complete build replaces the previous output.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { jsonChunks } from '../../infra/stable-json';

/** Runs `write` against a fresh staging folder, then swaps it in for `outDir`. */
export async function writeOutputAtomically(outDir: string, write: (staging: string) => Promise<void> | void): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await write(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const old = join(parent, `.${basename(target)}.old-${process.pid}`);
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

/**
 * Writes {@link toJson}'s bytes for `value` without building them as one string (see
 * infra/stable-json.ts): the large findings and report files of a big build.
 */
export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeChunks(file, jsonChunks(value));
}

/** Writes a findings file in the shared format, `{ "findings": [...] }`, passes and acknowledgements included. */
export function writeFindings(file: string, findings: readonly unknown[]): void {
  writeJsonFile(file, { findings });
}

/** Writes string pieces through a ~1 MiB buffer. */
function writeChunks(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    let buf = '';
    for (const p of pieces) {
      buf += p;
      if (buf.length >= 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf) writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

/** Stable JSON: two-space indent and a final newline, so outputs diff cleanly. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
