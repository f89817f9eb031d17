/**
 * Exact division of whole won: a total split in proportion to weights so that the shares
 * are whole won and add up to the total, to the won (the largest-remainder method).
 */

/** One claimant of a split and its weight (any non-negative integer unit). */
export interface Claim<K extends string = string> {
  readonly key: K;
  readonly weight: bigint;
}

/**
 * Splits `total` won over `claims` in proportion to their weights. Each claimant first gets
 * floor(total × weight / Σweight); the won left over (fewer than the claimants) go one each
 * to the largest remainders, ties to the smaller key, so the result is deterministic and
 * sums to `total` exactly. Returns undefined when every weight is zero (nothing to split
 * by: the caller reports the total as unallocated).
 */
export function largestRemainder<K extends string>(total: bigint, claims: readonly Claim<K>[]): Map<K, bigint> | undefined {
  if (total < 0n) throw new RangeError(`cannot split a negative total (${total})`);
  let sum = 0n;
  for (const c of claims) {
    if (c.weight < 0n) throw new RangeError(`weight of ${c.key} is negative (${c.weight})`);
    sum += c.weight;
  }
  if (sum === 0n) return undefined;
  const shares = new Map<K, bigint>();
  const remainders: { key: K; rem: bigint }[] = [];
  let given = 0n;
  for (const c of claims) {
    const exact = total * c.weight;
    const share = exact / sum;
    shares.set(c.key, (shares.get(c.key) ?? 0n) + share);
    given += share;
    remainders.push({ key: c.key, rem: exact % sum });
  }
  let left = total - given;
  remainders.sort((a, b) => (a.rem > b.rem ? -1 : a.rem < b.rem ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of remainders) {
    if (left === 0n) break;
    shares.set(r.key, shares.get(r.key)! + 1n);
    left -= 1n;
  }
  return shares;
}

/** numerator / denominator rounded to the nearest whole number, halves up (both non-negative). */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError(`roundHalfUp(${numerator}, ${denominator}) needs a non-negative numerator and a positive denominator`);
  return (2n * numerator + denominator) / (2n * denominator);
}
