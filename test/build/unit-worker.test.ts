import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupUnits, parseStart, sameStart, UNIT_PROCESS_MAX_STACKS, UNIT_PROCESS_MIN_STACKS } from '../../build/unit-worker';
import { tempDirs } from '../support/files';

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

describe('unit processes', () => {
  const tmp = tempDirs();
  const root = join(__dirname, '..', '..');

  /** Whether process `pid` has ended (gone, or a zombie no one has reaped yet). */
  const ended = (pid: number): boolean => {
    try {
      return /^\S+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  };

  /** Runs test/support/unit-process-parent.ts ending as `how` says; its unit processes' pids and how it ended. */
  const parent = (how: string) =>
    new Promise<{ children: number[]; code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const p = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(root, 'test', 'support', 'unit-process-parent.ts'), tmp('coopidc-unit-parent-'), how], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.once('error', reject);
      p.once('exit', (code, signal) => resolve({ children: JSON.parse(out || '[]') as number[], code, signal }));
    });

  /** Waits up to `ms` for every pid to end; the ones still running. */
  const survivors = async (pids: readonly number[], ms: number): Promise<number[]> => {
    const until = Date.now() + ms;
    while (pids.some((p) => !ended(p)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return pids.filter((p) => !ended(p));
  };

  test.each(['SIGTERM', 'SIGINT', 'exit'])('end with the build that started them when it ends by %s, instead of building on for no one', async (how) => {
    const r = await parent(how);
    expect(r.children).toHaveLength(1);
    expect(how === 'exit' ? { code: r.code } : { signal: r.signal }).toEqual(how === 'exit' ? { code: 3 } : { signal: how });
    // A unit process of 60 cooperatives builds for tens of seconds: left alone it would still be running.
    expect(await survivors(r.children, 10_000)).toEqual([]);
  }, 120_000);
});


describe('a unit process started before its job (its validation worker)', () => {
  const job = { validate: true, cacheDir: '/cache', verify: false };

  test('reads back the settings it was started with, and nothing else', () => {
    expect(parseStart(JSON.stringify(job))).toEqual(job);
    expect(parseStart(JSON.stringify({ validate: false, verify: true }))).toEqual({ validate: false, verify: true });
    for (const arg of [undefined, '', 'not json', 'null', '[]', '{"validate":"yes","verify":false}', '{"validate":true}', '{"validate":true,"verify":false,"cacheDir":3}']) {
      expect(parseStart(arg)).toBeUndefined();
    }
  });

  test('uses the early worker only for a job with the same settings', () => {
    expect(sameStart(parseStart(JSON.stringify(job)), job)).toBe(true);
    expect(sameStart(undefined, job)).toBe(false);
    expect(sameStart(job, { ...job, cacheDir: '/other' })).toBe(false);
    expect(sameStart(job, { ...job, verify: true })).toBe(false);
    expect(sameStart(job, { ...job, validate: false })).toBe(false);
    expect(sameStart({ validate: true, verify: false }, job)).toBe(false);
  });
});
