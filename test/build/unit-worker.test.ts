import { groupUnits, UNIT_PROCESS_MAX_STACKS, UNIT_PROCESS_MIN_STACKS } from '../../build/unit-worker';

/** A platform unit of one stack and `cells` cells of `perCell` stacks, in layout order. */
const layout = (cells: number, perCell: number) => [{ unit: 'platform', stacks: 1 }, ...Array.from({ length: cells }, (_, i) => ({ unit: `cell/cell-${String(i + 1).padStart(2, '0')}`, stacks: perCell }))];
const sizes = (units: ReturnType<typeof layout>, groups: string[][]) => groups.map((g) => g.reduce((n, u) => n + units.find((x) => x.unit === u)!.stacks, 0));

describe('groupUnits', () => {
  test('puts every unit in exactly one group, each group in unit order', () => {
    const units = layout(8, 137);
    const groups = groupUnits(units, 2);
    expect(groups.flat().sort()).toEqual(units.map((u) => u.unit).sort());
    const rank = new Map(units.map((u, i) => [u.unit, i]));
    for (const g of groups) expect(g).toEqual([...g].sort((a, b) => rank.get(a)! - rank.get(b)!));
  });

  test('keeps every group under the per-process maximum, so that no unit process holds more construct trees', () => {
    for (const cells of [2, 3, 8, 16]) {
      const units = layout(cells, 137);
      for (const size of sizes(units, groupUnits(units, 2))) expect(size).toBeLessThanOrEqual(UNIT_PROCESS_MAX_STACKS);
    }
  });

  test('gives each core a group once there are enough stacks, and splits them evenly', () => {
    const units = layout(8, 137); // 1,000 generated cooperatives
    const s = sizes(units, groupUnits(units, 2));
    expect(s.length % 2).toBe(0);
    expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(137);
  });

  test('builds a small plan in one process', () => {
    const units = layout(1, UNIT_PROCESS_MIN_STACKS - 2);
    expect(groupUnits(units, 2)).toHaveLength(1);
  });

  test('gives a unit larger than the maximum a group of its own', () => {
    const units = [{ unit: 'big', stacks: UNIT_PROCESS_MAX_STACKS + 50 }, { unit: 'small', stacks: 10 }];
    expect(groupUnits(units, 2)).toEqual([['big'], ['small']]);
  });
});
