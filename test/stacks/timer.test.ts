/**
 * The phase timer that `build --verbose`, the unit processes and the bench keep totals with:
 * a phase run several times adds up, time measured elsewhere is added under its name, and a
 * phase that throws is still counted.
 */
import { timed, totalsTimer } from '../../stacks/timer';

test('keeps the total of each phase, also when the phase throws', () => {
  const timer = totalsTimer();
  expect(timer.time('a', () => 1)).toBe(1);
  timer.time('a', () => undefined);
  timer.record('b', 5);
  timer.record('b', 7);
  expect(() => timer.time('c', () => {
    throw new Error('boom');
  })).toThrow('boom');
  expect(Object.keys(timer.phases).sort()).toEqual(['a', 'b', 'c']);
  expect(timer.phases.b).toBe(12);
  expect(timer.phases.a).toBeGreaterThanOrEqual(0);
  expect(timed(undefined, 'd', () => 2)).toBe(2);
  expect(timed(timer, 'd', () => 3)).toBe(3);
  expect(timer.phases.d).toBeGreaterThanOrEqual(0);
});
