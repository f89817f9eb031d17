import { HEAP_POLICY_KEY, heapPolicy, withDefaultHeapGrowth } from '../../build/heap-policy';

const { HEAP_GROWING_PERCENT, HEAP_POLICY_KEY: BIN_KEY } = require('../../bin/heap.js') as { HEAP_GROWING_PERCENT: number; HEAP_POLICY_KEY: string };
const record = Symbol.for(HEAP_POLICY_KEY);
// The module object itself, which build/heap-policy.ts calls through.
const v8 = require('node:v8') as typeof import('node:v8');

describe('the report step under the build heap policy', () => {
  let flags: jest.SpyInstance;
  // The flags are recorded, not applied: this test process keeps V8's own heap.
  beforeEach(() => (flags = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined)));
  afterEach(() => {
    flags.mockRestore();
    delete (globalThis as Record<symbol, unknown>)[record];
  });

  test('bin/heap.js records its policy where the build reads it', () => {
    expect(BIN_KEY).toBe(HEAP_POLICY_KEY);
    (globalThis as Record<symbol, unknown>)[Symbol.for(BIN_KEY)] = HEAP_GROWING_PERCENT;
    expect(heapPolicy()).toBe(HEAP_GROWING_PERCENT);
  });

  test("runs with V8's own growth and puts the policy back, also when the step throws", () => {
    (globalThis as Record<symbol, unknown>)[record] = 30;
    expect(withDefaultHeapGrowth(() => 7)).toBe(7);
    expect(() =>
      withDefaultHeapGrowth(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(flags.mock.calls).toEqual([['--heap-growing-percent=0'], ['--heap-growing-percent=30'], ['--heap-growing-percent=0'], ['--heap-growing-percent=30']]);
  });

  test('changes nothing in a process without the policy', () => {
    expect(withDefaultHeapGrowth(() => 'done')).toBe('done');
    expect(flags).not.toHaveBeenCalled();
  });
});
