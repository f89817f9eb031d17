/**
 * The build's heap policy (bin/heap.js) as the build's steps see it. The policy grows V8's old
 * generation by 30 % over what survived the last full collection instead of about 100 %: with
 * aws-cdk-lib's construct tree (~1 GB at 1,000 cooperatives) live during synthesis, that halves
 * the garbage carried. The report step has the opposite shape (a few hundred MB live, much
 * short-lived text), where collecting that often costs more than it saves: it runs with V8's
 * own growth and puts the policy back after.
 */
import { setFlagsFromString } from 'node:v8';

/** Where bin/heap.js records the growth percentage it set (a global: it runs before any module of the build is loaded). */
export const HEAP_POLICY_KEY = 'coop-idc.heapGrowingPercent';

/** The growth percentage the process runs under, or undefined when no policy was applied. */
export function heapPolicy(): number | undefined {
  const v = (globalThis as Record<symbol, unknown>)[Symbol.for(HEAP_POLICY_KEY)];
  return typeof v === 'number' ? v : undefined;
}

/** Runs `run` with V8's own heap growth (flag value 0), then puts the process's policy back. */
export function withDefaultHeapGrowth<T>(run: () => T): T {
  const policy = heapPolicy();
  if (policy === undefined) return run();
  setFlagsFromString('--heap-growing-percent=0');
  try {
    return run();
  } finally {
    setFlagsFromString(`--heap-growing-percent=${policy}`);
  }
}
