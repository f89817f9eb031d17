/**
 * Pseudonymization for the shared zone (PIPA art. 2-1-2, 28-2): identifiers become a keyed
 * HMAC, quasi-identifiers are generalized as the dataset declares.
 *
 * The key never enters this process in production: {@link Pseudonymizer} is backed by KMS
 * GenerateMac under the platform's pseudonymization key, which lives apart from the data as
 * PIPA art. 28-4 requires. The same value always yields the same token, so pseudonymized
 * tables still join on the identifier.
 */
import { createHmac } from 'node:crypto';
import type { ColumnPlan, SharedColumnPlan } from '../../infra/plan/types';
import type { Value } from './coerce';
import { truncateDay, truncateInstant, type ZoneOffsets } from './time';

/** Computes the keyed token of one identifier value (lower-case hex HMAC-SHA-256). */
export interface Pseudonymizer {
  mac(value: string): Promise<string>;
}

/**
 * HMAC-SHA-256 with a key held in memory. For tests and local runs only: in AWS the key is a
 * KMS HMAC key and {@link KmsPseudonymizer} (lambdas/adapters/kms.ts) is used.
 */
export class HmacPseudonymizer implements Pseudonymizer {
  constructor(private readonly key: Uint8Array | string) {}
  /** Same output as KMS GenerateMac HMAC_SHA_256 with the same key material. */
  async mac(value: string): Promise<string> {
    return createHmac('sha256', this.key).update(value, 'utf8').digest('hex');
  }
}

/**
 * Memoises tokens for one invocation and computes missing ones with bounded concurrency.
 * Identifier columns repeat (a few hundred member companies across millions of readings),
 * so most values cost one map lookup instead of one KMS call.
 */
export class TokenCache {
  private readonly tokens = new Map<string, string>();
  /** Calls made to the underlying pseudonymizer, for the bench and logs. */
  calls = 0;

  constructor(
    private readonly inner: Pseudonymizer,
    private readonly concurrency = 16,
    private readonly maxEntries = 200_000,
  ) {}

  /** Ensures every value has a token; call before {@link get}. */
  async prepare(values: Iterable<string>): Promise<void> {
    const missing = [...new Set([...values].filter((v) => !this.tokens.has(v)))];
    if (missing.length === 0) return;
    if (this.tokens.size + missing.length > this.maxEntries) this.tokens.clear();
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const v = missing[next++];
        this.calls++;
        this.tokens.set(v, await this.inner.mac(v));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, missing.length) }, worker));
  }

  /** The token of a value passed to {@link prepare}. */
  get(value: string): string {
    const t = this.tokens.get(value);
    if (t === undefined) throw new Error('token requested before prepare()');
    return t;
  }
}

/** How one column is transformed for the shared zone. */
export type SharedTransform = { kind: 'keep' } | { kind: 'mac' } | { kind: 'generalize'; apply: (v: Value) => Value };

/**
 * The transform of a column in the shared copy, as the plan's `disclosureOf` decided it
 * (`DatasetPlan.sharedColumns`): `token` is a keyed HMAC, `generalized` applies the rule,
 * `clear` keeps the value. Columns no agreement discloses are not in the shared copy at all.
 */
export function sharedTransform(c: ColumnPlan, disclosure: SharedColumnPlan['disclosure'], zone: ZoneOffsets): SharedTransform {
  if (disclosure.kind === 'token') return { kind: 'mac' };
  if (disclosure.kind === 'clear') return { kind: 'keep' };
  const g = disclosure.rule;
  if ('truncate' in g) {
    const n = g.truncate;
    return { kind: 'generalize', apply: (v) => (typeof v === 'string' ? [...v].slice(0, n).join('') : v) };
  }
  if ('bucket' in g) {
    const w = g.bucket;
    return {
      kind: 'generalize',
      apply: (v) => {
        if (typeof v === 'number') return Math.floor(v / w) * w;
        if (typeof v === 'bigint') {
          // Decimal columns hold values scaled by 10^9; long columns hold plain integers.
          const scaled = BigInt(Math.max(1, Math.round(c.type === 'decimal' ? w * 1e9 : w)));
          const q = v / scaled;
          return (v < 0n && q * scaled !== v ? q - 1n : q) * scaled;
        }
        return v;
      },
    };
  }
  const to = g.dateTo;
  return {
    kind: 'generalize',
    apply: (v) => (typeof v !== 'number' ? v : c.type === 'date' ? truncateDay(v, to) : truncateInstant(v, to, zone)),
  };
}
