/** What the benchmark scripts share: the fixed date, the sizes to run, a timer and the telemetry files. */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { telemetryCsv } from '../test/lambdas/support/telemetry';

const MB = 1024 * 1024;

/** Fixed date, so generated agreements never expire between runs. */
export const BENCH_TODAY = '2026-11-27';

/** Cooperative counts to measure: `BENCH_N=10,100` or the given default. */
export function benchSizes(fallback = '10,100,1000'): number[] {
  return (process.env.BENCH_N ?? fallback).split(',').map(Number);
}

/** Wall time of `fn` in milliseconds, with its result. */
export function time<T>(fn: () => T): { ms: number; value: T } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

/** The ingestion bench's telemetry (CP949, the korea-machinery shape) of about `sizeMb`, generated once into `dir`. */
export function cp949Telemetry(dir: string, sizeMb: number): string {
  const file = join(dir, `telemetry-${sizeMb}MB.cp949.csv`);
  if (existsSync(file) && statSync(file).size >= sizeMb * MB) return file;
  const fd = openSync(file, 'w');
  try {
    for (const chunk of telemetryCsv(sizeMb * MB)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The same rows as {@link cp949Telemetry}, decoded to UTF-8: what DuckDB's CSV reader takes (no CP949 without an extension). */
export function utf8Telemetry(dir: string, sizeMb: number): string {
  const file = join(dir, `telemetry-${sizeMb}MB.utf8.csv`);
  if (existsSync(file) && statSync(file).size >= sizeMb * MB * 0.9) return file;
  const fd = openSync(file, 'w');
  const decoder = new TextDecoder('euc-kr');
  try {
    for (const chunk of telemetryCsv(sizeMb * MB)) writeSync(fd, decoder.decode(chunk, { stream: true }));
    writeSync(fd, decoder.decode());
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
