/**
 * What leaves a cooperative, checked on real files: the ingestion pipeline writes the curated
 * and shared Parquet of a self-contained configuration, DuckDB reads them back, and
 *  - the shared copy holds exactly the columns `disclosureOf` lets leave, in that form;
 *  - the statistics SQL of the plan, run as it is on DuckDB over the curated Parquet, gives
 *    correct sums, no cell of fewer than k member companies and no identifier value.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compile, type TenancyPlan } from '../../infra';
import { HmacPseudonymizer, TokenCache } from '../../lambdas/domain/pseudonymize';
import { runPipeline, type PipelineResult } from '../../lambdas/domain/pipeline';
import { agreement, sharingSources, STATS_AGREEMENT, STATS_CSV as CSV, STATS_ROWS as ROWS, type StatsRow as Row } from '../support/sharing-fixture';
import { readParquetFile } from './support/s3';

const KEY = 'test-key';
const mac = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex');

const AGREEMENTS =
  agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region, energy_kwh' }) +
  STATS_AGREEMENT;


let plan: TenancyPlan;
let result: PipelineResult;
let workDir: string;

beforeAll(async () => {
  const compiled = compile(sharingSources(AGREEMENTS), { today: '2026-12-01' });
  expect(compiled.diagnostics).toEqual([]);
  plan = compiled.plan!;
  workDir = mkdtempSync(join(tmpdir(), 'disclosure-'));
  const dataset = JSON.parse(JSON.stringify(plan.cooperatives[0].datasets[0])); // as the Glue parameter carries it
  result = await runPipeline({
    dataset, source: (async function* () { yield Buffer.from(CSV, 'utf8'); })(), format: 'csv', encoding: 'utf-8', workDir,
    tokens: new TokenCache(new HmacPseudonymizer(KEY)),
  });
  expect([result.rowsIn, result.rowsWritten, result.rowsQuarantined]).toEqual([ROWS.length, ROWS.length, 0]);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the shared copy, column by column', () => {
  test('holds exactly the disclosed columns: no sensitive, no undisclosed quasi-identifier', async () => {
    const dataset = plan.cooperatives[0].datasets[0];
    expect(dataset.sharedColumns!.map((c) => [c.name, c.disclosure.kind])).toEqual([
      ['machine_id', 'clear'], ['member_company_id', 'token'], ['measured_at', 'clear'], ['energy_kwh', 'clear'], ['factory_region', 'generalized'],
    ]);
    for (const p of result.partitions) {
      const { types } = await readParquetFile(p.sharedFile!);
      expect(Object.keys(types)).toEqual(dataset.sharedColumns!.map((c) => c.name));
    }
  });

  test('each column is in the form its disclosure says: tokens, generalized values, clear values', async () => {
    const dataset = plan.cooperatives[0].datasets[0];
    for (const p of result.partitions) {
      const curated = (await readParquetFile(p.curatedFile, 'SELECT * FROM t ORDER BY measured_at, machine_id, member_company_id')).rows;
      const shared = (await readParquetFile(p.sharedFile!, 'SELECT * FROM t ORDER BY measured_at, machine_id, member_company_id')).rows;
      expect(shared).toHaveLength(curated.length);
      // Tokens reorder rows within a timestamp, so compare as sorted sets of rows.
      const expected = curated.map((row) => {
        const out: Record<string, unknown> = {};
        for (const sc of dataset.sharedColumns!) {
          const v = row[sc.name] as string;
          const d = sc.disclosure;
          out[sc.name] = d.kind === 'token' ? mac(v) : d.kind === 'generalized' && 'truncate' in d.rule ? [...v].slice(0, d.rule.truncate).join('') : v;
        }
        return JSON.stringify(out);
      });
      expect(shared.map((r) => JSON.stringify(r)).sort()).toEqual(expected.sort());
      expect(shared.every((r) => r.factory_region === '서울')).toBe(true);
    }
  });

  test('is the same when written three rows per row group (column arrays reused from group to group)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disclosure-groups-'));
    try {
      const dataset = JSON.parse(JSON.stringify(plan.cooperatives[0].datasets[0]));
      const small = await runPipeline({
        dataset, source: (async function* () { yield Buffer.from(CSV, 'utf8'); })(), format: 'csv', encoding: 'utf-8', workDir: dir,
        tokens: new TokenCache(new HmacPseudonymizer(KEY)), rowGroupRows: 3, maxBufferedRows: 3,
      });
      const rowsOf = async (r: PipelineResult, file: 'curatedFile' | 'sharedFile') => {
        const all: string[] = [];
        for (const p of r.partitions) all.push(...(await readParquetFile(p[file]!)).rows.map((row) => JSON.stringify(row)));
        return all.sort();
      };
      expect(small.partitions.length).toBe(result.partitions.length);
      expect(await rowsOf(small, 'curatedFile')).toEqual(await rowsOf(result, 'curatedFile'));
      expect(await rowsOf(small, 'sharedFile')).toEqual(await rowsOf(result, 'sharedFile'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('statistics of an aggregated agreement, on DuckDB over the pipeline\'s Parquet', () => {
  const statistics = async () => {
    const g = plan.grants.find((x) => x.level === 'aggregated')!;
    const a = g.aggregate!;
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      const files = result.partitions.map((p) => `'${p.curatedFile.replace(/'/g, "''")}'`).join(', ');
      await conn.run(`CREATE SCHEMA "${a.source.database}"`);
      await conn.run(`CREATE VIEW "${a.source.database}"."${a.source.table}" AS SELECT * FROM read_parquet([${files}])`);
      const reader = await conn.runAndReadAll(a.sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Record<string, unknown>[], grant: g };
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  };

  test('cells of fewer than k member companies are absent; sums and counts are correct', async () => {
    const { rows, columns, grant } = await statistics();
    expect(grant.aggregate!.k).toBe(5);
    expect(columns).toEqual(['period', 'machine_id', 'count', 'sum_energy_kwh', 'count_distinct_member_company_id']);
    const nov = ROWS.filter((r) => r.machine === 'M-BIG' && r.at.startsWith('2026-11'));
    const dec = ROWS.filter((r) => r.machine === 'M-BIG' && r.at.startsWith('2026-12'));
    const sum = (rs: Row[]) => rs.reduce((n, r) => n + r.kwh, 0);
    expect(rows).toEqual([
      { period: '2026-11-01', machine_id: 'M-BIG', count: String(nov.length), sum_energy_kwh: sum(nov), count_distinct_member_company_id: '6' },
      { period: '2026-12-01', machine_id: 'M-BIG', count: String(dec.length), sum_energy_kwh: sum(dec), count_distinct_member_company_id: '5' },
    ]);
    expect(rows.some((r) => r.machine_id === 'M-SMALL')).toBe(false);
  });

  test('no identifier value (nor its token) is reachable in the statistics', async () => {
    const { rows } = await statistics();
    const cells = new Set(rows.flatMap((r) => Object.values(r).map(String)));
    for (const m of new Set(ROWS.map((r) => r.member))) {
      expect(cells.has(m)).toBe(false);
      expect(cells.has(mac(m))).toBe(false);
    }
  });

  test('the SQL is deterministic: the same config gives the same text', () => {
    const again = compile(sharingSources(AGREEMENTS), { today: '2026-12-01' }).plan!;
    expect(again.grants.find((x) => x.level === 'aggregated')!.aggregate!.sql).toBe(plan.grants.find((x) => x.level === 'aggregated')!.aggregate!.sql);
  });
});
