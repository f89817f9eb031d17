import fc from 'fast-check';
import { shardStacks, shardUnits, unitsNotCovered } from '../../build/shards';

describe('shardUnits', () => {
  test('is deterministic and balanced, largest first', () => {
    const units = [{ unit: 'a', stacks: 5 }, { unit: 'b', stacks: 3 }, { unit: 'c', stacks: 3 }, { unit: 'd', stacks: 1 }];
    expect(shardUnits(units, 2)).toEqual([['a', 'd'], ['b', 'c']]);
    expect(shardUnits(units, 2)).toEqual(shardUnits(units, 2));
  });
});

/** Units named u0, u1, … with stacks named u<i>-s<j>, from a list of stack counts. */
const unitsOf = (sizes: readonly number[]) => sizes.map((n, i) => ({ unit: `u${i}`, stacks: Array.from({ length: n }, (_, j) => `u${i}-s${j}`) }));

describe('shardStacks', () => {
  test('cuts 11 cells of 103 stacks and the platform over 8 shards into runs of 142 or 141 stacks', () => {
    const units = unitsOf([1, ...Array(11).fill(103)]);
    const shares = shardStacks(units, 8);
    const sizes = shares.map((s) => s.units.reduce((n, u) => n + units.find((x) => x.unit === u)!.stacks.length, 0) + s.parts.reduce((n, p) => n + p.stacks.length, 0));
    expect(sizes).toEqual([141, 142, 142, 142, 141, 142, 142, 142]);
    // The first shard: the platform and the first cell whole, then the start of the second cell.
    expect(shares[0].units).toEqual(['u0', 'u1']);
    expect(shares[0].parts).toEqual([{ unit: 'u2', stacks: units[2].stacks.slice(0, 37) }]);
  });

  test('gives every stack to exactly one shard, in order, whole units named whole, runs within one stack of each other', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 12 }), (sizes, count) => {
        const units = unitsOf(sizes);
        const shares = shardStacks(units, count);
        expect(shares).toHaveLength(count);
        const size = new Map(units.map((u) => [u.unit, u.stacks]));
        // Each share's stacks in unit order, whole units expanded.
        const flat = shares.map((s) =>
          units.flatMap((u) => (s.units.includes(u.unit) ? u.stacks : s.parts.find((p) => p.unit === u.unit)?.stacks ?? [])),
        );
        expect(flat.flat()).toEqual(units.flatMap((u) => u.stacks));
        const lengths = flat.map((f) => f.length);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
        for (const s of shares) {
          for (const p of s.parts) expect(p.stacks.length).toBeLessThan(size.get(p.unit)!.length);
          expect(s.parts.filter((p) => s.units.includes(p.unit))).toEqual([]);
        }
        // Every shard computes the same cut, and the cut is always covered.
        expect(shardStacks(units, count)).toEqual(shares);
        expect(unitsNotCovered(units, shares)).toEqual([]);
      }),
    );
  });
});

describe('unitsNotCovered', () => {
  const units = unitsOf([1, 5, 5]);
  const shares = shardStacks(units, 3);

  test('names the units a missing shard leaves uncovered, whole or in part', () => {
    expect(shares.map((s) => s.parts.length)).toEqual([1, 2, 1]);
    expect(unitsNotCovered(units, [shares[0], shares[2]])).toEqual(['u1', 'u2']);
    expect(unitsNotCovered(units, [shares[1], shares[2]])).toEqual(['u0', 'u1']);
  });

  test('takes no unit as covered by overlapping parts, nor by parts of other stacks', () => {
    const u1 = units[1].stacks;
    expect(unitsNotCovered(units, [{ units: ['u0', 'u2'], parts: [{ unit: 'u1', stacks: u1.slice(0, 3) }, { unit: 'u1', stacks: u1.slice(2) }] }])).toEqual(['u1']);
    expect(unitsNotCovered(units, [{ units: ['u0', 'u2'], parts: [{ unit: 'u1', stacks: [...u1.slice(0, 4), 'u2-s0'] }] }])).toEqual(['u1']);
    expect(unitsNotCovered(units, [{ units: ['u0', 'u2'], parts: [{ unit: 'u1', stacks: u1.slice(3) }, { unit: 'u1', stacks: u1.slice(0, 3) }] }])).toEqual([]);
  });

  test("takes a shard's folder passed twice as once: the same part twice is no overlap", () => {
    expect(unitsNotCovered(units, [...shares, shares[1]])).toEqual([]);
    expect(unitsNotCovered(units, [shares[0], shares[0], shares[2]])).toEqual(['u1', 'u2']);
  });
});
