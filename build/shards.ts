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

/** A run of one unit's stacks that a CI shard builds when the unit is cut between shards. */
export interface ShardPart {
  readonly unit: string;
  /** Its stacks, in the unit's order. */
  readonly stacks: readonly string[];
}

/** What one CI shard builds: whole units, and its runs of the units cut between it and its neighbours. */
export interface ShardShare {
  readonly units: readonly string[];
  readonly parts: readonly ShardPart[];
}

/**
 * The share of each of `count` CI shards: every unit's stacks, unit after unit, cut into
 * `count` runs whose lengths differ by at most one. A unit inside one run is built whole by
 * that shard; a unit cut between runs is built in parts, each shard synthesizing only its own
 * stacks, and the merge puts the parts together. Whole units to a shard would leave the
 * shards that get two cells twice as long as the others, and the slowest shard sets the CI
 * wall time. Every shard of one commit computes the same cut.
 */
export function shardStacks(units: readonly { readonly unit: string; readonly stacks: readonly string[] }[], count: number): ShardShare[] {
  const all = units.flatMap((u) => u.stacks.map((stack) => ({ unit: u.unit, stack })));
  const size = new Map(units.map((u) => [u.unit, u.stacks.length]));
  return Array.from({ length: count }, (_, k) => {
    const run = all.slice(Math.floor((k * all.length) / count), Math.floor(((k + 1) * all.length) / count));
    const whole: string[] = [];
    const parts: ShardPart[] = [];
    for (let i = 0; i < run.length; ) {
      const unit = run[i].unit;
      let j = i;
      while (j < run.length && run[j].unit === unit) j++;
      if (j - i === size.get(unit)) whole.push(unit);
      else parts.push({ unit, stacks: run.slice(i, j).map((x) => x.stack) });
      i = j;
    }
    return { units: whole, parts };
  });
}

/** Whether two parts are the same part: one unit, the same stacks. */
export function samePart(a: ShardPart, b: ShardPart): boolean {
  return a.unit === b.unit && a.stacks.length === b.stacks.length && a.stacks.every((s, i) => s === b.stacks[i]);
}

/**
 * The units of `units` that the shares do not cover: neither named whole by one of them nor
 * made up exactly, stack for stack, by their parts (the same part twice counts once: a shard's
 * folder passed twice; parts that otherwise overlap are no cover). What a merge refuses before
 * it builds anything.
 */
export function unitsNotCovered(units: readonly { readonly unit: string; readonly stacks: readonly string[] }[], shares: readonly ShardShare[]): string[] {
  const whole = new Set(shares.flatMap((s) => s.units));
  const parts = new Map<string, string[]>();
  const seen: ShardPart[] = [];
  for (const s of shares) {
    for (const p of s.parts) {
      if (seen.some((q) => samePart(q, p))) continue;
      seen.push(p);
      parts.set(p.unit, [...(parts.get(p.unit) ?? []), ...p.stacks]);
    }
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
  return units.filter((u) => !whole.has(u.unit) && !same(parts.get(u.unit) ?? [], u.stacks)).map((u) => u.unit);
}
