/**
 * How units are spread over CI shards (and over a build's processes). A leaf module: the
 * IDC step's worker thread splits cells with it without loading the AWS app.
 */

/**
 * The units of each of `count` CI shards: largest first, each to the shard with the fewest
 * stacks so far (ties: the lower shard), each shard's units in unit order. Every shard of one
 * commit computes the same split.
 */
export function shardUnits(units: readonly { readonly unit: string; readonly stacks: number }[], count: number): string[][] {
  const shards = Array.from({ length: count }, () => ({ units: [] as string[], stacks: 0 }));
  const order = units.map((u, i) => ({ ...u, i })).sort((a, b) => b.stacks - a.stacks || a.i - b.i);
  for (const u of order) {
    const s = shards.reduce((best, x) => (x.stacks < best.stacks ? x : best));
    s.units.push(u.unit);
    s.stacks += u.stacks;
  }
  const rank = new Map(units.map((u, i) => [u.unit, i]));
  return shards.map((s) => s.units.sort((a, b) => rank.get(a)! - rank.get(b)!));
}
