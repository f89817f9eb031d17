/** What the benchmark scripts share: the fixed date, the sizes to run and a timer. */

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
