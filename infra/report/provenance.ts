/**
 * How the build produced the check results the report reads: computed in that build, or
 * replayed from the build cache (and whether the replayed ones were computed again,
 * `--verify-cache`). It describes the build run, not the configuration, so it is the one
 * part of the output that differs between a cold and a warm build of the same config: it is
 * kept in `build.json` and shown in the report as one sentence, and nowhere else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg, type MessageRef } from '../config/messages';

/** The file that describes the build run, in the output folder. */
export const BUILD_FILE = 'build.json';

/** How the build used its cache: not at all (`--no-cache`), to replay, or to replay and recompute (`--verify-cache`). */
export type CacheMode = 'off' | 'on' | 'verify';

/** Counts of per-stack check results (one check, e.g. a cdk-nag pack, on one stack). */
export interface CheckResultCounts {
  /** Computed in this build (no cache, no entry, or an entry that was rejected). */
  readonly computed: number;
  /** Taken from the build cache. */
  readonly replayed: number;
  /** Replayed results computed again (`--verify-cache`) and found identical. */
  readonly verified: number;
  /** Cache entries found damaged or edited (checksum or recorded key did not match): computed again. */
  readonly rejected: number;
}

/** How the build produced its check results: `build.json`'s `checkResults`. */
export interface CheckResultOrigin extends CheckResultCounts {
  readonly cache: CacheMode;
}

const COUNTS: readonly (keyof CheckResultCounts)[] = ['computed', 'replayed', 'verified', 'rejected'];

/**
 * The `checkResults` of `<outDir>/build.json`, or undefined when the folder has none (an
 * older build) or it is not of that shape, which is noted in `problems`.
 */
export function readCheckResultOrigin(outDir: string, problems: MessageRef[] = []): CheckResultOrigin | undefined {
  const file = join(outDir, BUILD_FILE);
  if (!existsSync(file)) return undefined;
  let origin: unknown;
  try {
    origin = (JSON.parse(readFileSync(file, 'utf8')) as { checkResults?: unknown }).checkResults;
  } catch (e) {
    problems.push(msg('report.build-file-unreadable', { file: BUILD_FILE, error: (e as Error).message }));
    return undefined;
  }
  if (origin === undefined) return undefined;
  const o = origin as Partial<CheckResultOrigin>;
  const ok = o !== null && typeof o === 'object' && ['off', 'on', 'verify'].includes(o.cache as string) && COUNTS.every((k) => Number.isSafeInteger(o[k]) && (o[k] as number) >= 0);
  if (!ok) {
    problems.push(msg('report.check-results-shape', { file: BUILD_FILE }));
    return undefined;
  }
  return { cache: o.cache!, computed: o.computed!, replayed: o.replayed!, verified: o.verified!, rejected: o.rejected! };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The sentence the report shows (Markdown and HTML alike): how its check results were produced. */
export function describeCheckResultOrigin(o: CheckResultOrigin | undefined): string {
  const head = 'How this evidence was produced: ';
  const always = ' The Kubernetes checks and the CloudFormation limits check are computed in every build.';
  if (o === undefined) return `${head}not recorded (this output folder has no ${BUILD_FILE} with check-result counts; build it again to know).${always}`;
  const total = o.computed + o.replayed;
  const what = `${plural(total, 'per-stack check result')} (CloudFormation validation and cdk-nag, one per stack and check)`;
  const rejected = o.rejected ? ` ${plural(o.rejected, 'cache entry', 'cache entries')} ${o.rejected === 1 ? 'was' : 'were'} found damaged or edited and computed again.` : '';
  if (o.cache === 'off') return `${head}all ${what} were computed in this build; the build cache was not used (--no-cache).${always}`;
  const replayed = `${o.computed.toLocaleString('en-US')} computed in this build and ${o.replayed.toLocaleString('en-US')} replayed from the build cache`;
  if (o.cache === 'verify') {
    const differed = o.replayed - o.verified;
    const check = differed
      ? `${o.verified.toLocaleString('en-US')} of the replayed results were computed again and found identical, ${differed.toLocaleString('en-US')} differed (the build failed; the recomputed results are the ones shown)`
      : `every replayed result was computed again and found identical (--verify-cache)`;
    return `${head}of ${what}, ${replayed}; ${check}.${rejected}${always}`;
  }
  return (
    `${head}of ${what}, ${replayed} (results an earlier build computed from identical input; their checksum was checked, they were not computed again).${rejected}` +
    ` Release and deploy builds run with --no-cache or --verify-cache.${always}`
  );
}
