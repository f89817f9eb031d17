/** `coop-idc cost`: formats, exit codes and the whole-plan sum, on a generated config folder. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../cli/main';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import type { CostEstimate } from '../../infra/cost';

const TODAY = '2026-11-27';

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-cost-'));
  writeSources(generateSources({ n: 12, seed: 3, cost: { split: 'byMembers' } }), join(dir, 'config'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('coop-idc cost', () => {
  test('prints a table in the run\'s language, this month by default', async () => {
    const r = await run(dir, 'cost');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^monthly estimate 2026-11 \(KRW; KBIZ rate card; platform split: byMembers\)$/m);
    expect(r.out).toMatch(/coop-0000/);
    expect(r.out).toMatch(/^whole plan\s+[\d,]+$/m);
    const ko = await run(dir, 'cost', '--lang', 'ko');
    expect(ko.out).toMatch(/^월 추정 비용 2026-11 \(원; KBIZ 요금표; 플랫폼 배분: byMembers\)$/m);
    expect(ko.out).toMatch(/^전체\s+[\d,]+$/m);
    expect(ko.out).not.toMatch(/monthly|whole plan/);
  });

  test('--json: the cooperatives plus the unallocated remainder equal the whole-plan total', async () => {
    const r = await run(dir, 'cost', '--json', '--month', '2027-03');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out) as CostEstimate;
    expect(e.month).toBe('2027-03');
    expect(e.cooperatives).toHaveLength(12);
    expect(e.cooperatives.reduce((s, c) => s + c.total, 0) + e.unallocated.reduce((s, u) => s + u.amount, 0)).toBe(e.total);
    expect(e.lines.reduce((s, l) => s + l.amount, 0)).toBe(e.total);
  });

  test('--csv: RFC 4180 that a CSV parser reads back, byte-identical on a second run', async () => {
    const a = await run(dir, 'cost', '--csv');
    const b = await run(dir, 'cost', '--csv');
    expect(a.out).toBe(b.out);
    expect(a.out).toContain('\r\n');
    const rows = parse(`${a.out}\r\n`, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.cooperative)).toEqual([...Array.from({ length: 12 }, (_, i) => `coop-${String(i).padStart(4, '0')}`), '_unallocated', '_total']);
    const sum = rows.slice(0, -1).reduce((s, x) => s + Number(x.total), 0);
    expect(sum).toBe(Number(rows.at(-1)!.total));
  });

  test('--coop shows one cooperative', async () => {
    const r = await run(dir, 'cost', '--coop', 'coop-0003', '--json');
    expect((JSON.parse(r.out) as CostEstimate).cooperatives.map((c) => c.id)).toEqual(['coop-0003']);
  });

  test.each([
    [['--json', '--csv'], /exclude each other/],
    [['--month', '2027-13'], /--month must be a month YYYY-MM/],
    [['--coop', 'nobody'], /no cooperative "nobody"/],
  ])('exits 2 on %j', async (args, message) => {
    const r = await run(dir, 'cost', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('exits 1 with a located line when the platform declares no rate card', async () => {
    const other = mkdtempSync(join(tmpdir(), 'coop-idc-cost-'));
    try {
      writeSources(generateSources({ n: 2, seed: 1 }), join(other, 'config'));
      const r = await run(other, 'cost');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^config\/platform\.yaml:1:1 error cost-rates-missing /);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('exits 1 with the diagnostics when the configuration is invalid', async () => {
    const other = mkdtempSync(join(tmpdir(), 'coop-idc-cost-'));
    try {
      writeSources(generateSources({ n: 2, seed: 1, cost: { split: 'evenly' } }), join(other, 'config'));
      const p = join(other, 'config', 'platform.yaml');
      writeFileSync(p, readFileSync(p, 'utf8').replace('nvidia-l40s: 900000', 'nvidia-l40x: 900000'));
      const r = await run(other, 'cost');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/error unknown-gpu-model/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('help is in the run\'s language, Korean with --lang ko', async () => {
    const en = await run(dir, 'cost', '--help');
    expect(en.code).toBe(0);
    expect(en.out.split('\n')[0]).toMatch(/^Usage: coop-idc cost/);
    expect(en.out).not.toMatch(/[가-힣]/);
    const ko = await run(dir, 'cost', '--help', '--lang', 'ko');
    expect(ko.out.split('\n')[0]).toMatch(/^사용법: coop-idc cost/);
    expect(ko.out).toContain('협동조합별 월 비용을 추정합니다');
  });
});
