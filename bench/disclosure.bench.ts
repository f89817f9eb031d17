/**
 * Disclosure bench: `npm run bench:disclosure`. A bench, not a test: nothing here asserts.
 *
 * 1. DuckDB CSV → GZIP Parquet on the ingestion bench's rows, one thread
 *    (DISCLOSURE_BENCH_CSV_MB, default 200). `npm run bench:ingest` runs the same conversion as
 *    its second baseline, in the same run as the pipeline, and prints the ratio.
 * 2. The statistics SQL of an aggregated agreement (the plan's own text, korea-machinery
 *    maintenance_events → ibk-bank), run by DuckDB on one thread over generated GZIP Parquet
 *    of DISCLOSURE_BENCH_PARQUET_MB (default 1024) in that dataset's shape.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { utf8Telemetry } from './support';
import { compileAt, sampleSources } from '../test/support/config';

const MB = 1024 * 1024;
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function main(): Promise<void> {
  const csvMb = Number(process.env.DISCLOSURE_BENCH_CSV_MB ?? 200);
  const parquetMb = Number(process.env.DISCLOSURE_BENCH_PARQUET_MB ?? 1024);
  const dir = join(tmpdir(), 'coop-idc-disclosure-bench');
  mkdirSync(dir, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  await conn.run(`SET TimeZone = 'UTC'`);

  // 1. CSV → GZIP Parquet.
  const csv = utf8Telemetry(dir, csvMb);
  const csvBytes = statSync(csv).size;
  const out = join(dir, 'duckdb-telemetry.parquet');
  let t = performance.now();
  await conn.run(`COPY (SELECT * FROM read_csv(${q(csv)}, header = true)) TO ${q(out)} (FORMAT parquet, COMPRESSION gzip)`);
  let s = (performance.now() - t) / 1000;
  console.log(`duckdb csv→parquet (gzip, 1 thread): ${(csvBytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s = ${(csvBytes / 1e6 / s).toFixed(1)} MB/s`);

  // 2. The statistics SQL over ~parquetMb of Parquet.
  const plan = compileAt(sampleSources()).plan!;
  const a = plan.grants.find((g) => g.aggregate && g.cooperative === 'korea-machinery')!.aggregate!;
  const data = join(dir, `maintenance-${parquetMb}MB.parquet`);
  if (!existsSync(data)) {
    // ~19 bytes per row compressed in this shape, measured on a first run; the size is printed.
    const rows = Math.round((parquetMb * MB) / 19);
    t = performance.now();
    await conn.run(`COPY (SELECT 'machine-' || (i % 5000) AS machine_id, 'm-' || lpad(CAST(hash(i) % 1200 AS VARCHAR), 4, '0') AS member_company_id,
      TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(CAST(hash(i * 7) % 31536000 AS BIGINT)) AS occurred_at,
      'F' || lpad(CAST(hash(i * 13) % 300 AS VARCHAR), 3, '0') AS failure_code, CAST(hash(i * 17) % 600 AS INTEGER) AS downtime_minutes,
      CAST(hash(i * 19) % 5000000 AS BIGINT) AS repair_cost_krw FROM range(${rows}) t(i)) TO ${q(data)} (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 65536)`);
    console.log(`generated ${rows.toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const bytes = statSync(data).size;
  await conn.run(`CREATE SCHEMA ${JSON.stringify(a.source.database)}`);
  await conn.run(`CREATE VIEW ${JSON.stringify(a.source.database)}.${JSON.stringify(a.source.table)} AS SELECT * FROM read_parquet(${q(data)})`);
  const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${q(data)})`)).getRows()[0][0]);
  t = performance.now();
  const cells = (await conn.runAndReadAll(a.sql)).getRows().length;
  s = (performance.now() - t) / 1000;
  console.log(`statistics SQL (k=${a.k}, ${a.grain}, ${a.dimensions.length} dimension(s), ${a.measures.length} measures, 1 thread): ${(bytes / 1e6).toFixed(0)} MB Parquet, ${n.toLocaleString('en-US')} rows in ${s.toFixed(1)} s = ${(bytes / 1e6 / s).toFixed(0)} MB/s, ${(n / s / 1e6).toFixed(1)} M rows/s; ${cells} cells`);
  conn.closeSync();
  db.closeSync();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
