import { shardUnits } from '../../build/shards';

describe('shardUnits', () => {
  test('is deterministic and balanced, largest first', () => {
    const units = [{ unit: 'a', stacks: 5 }, { unit: 'b', stacks: 3 }, { unit: 'c', stacks: 3 }, { unit: 'd', stacks: 1 }];
    expect(shardUnits(units, 2)).toEqual([['a', 'd'], ['b', 'c']]);
    expect(shardUnits(units, 2)).toEqual(shardUnits(units, 2));
  });
});
