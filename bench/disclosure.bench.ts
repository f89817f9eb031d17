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
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { aggregateLine, timeAggregateSql, utf8Telemetry } from './support';
import { compileAt, sampleSources } from '../test/support/config';

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
  const t = performance.now();
  await conn.run(`COPY (SELECT * FROM read_csv(${q(csv)}, header = true)) TO ${q(out)} (FORMAT parquet, COMPRESSION gzip)`);
  const s = (performance.now() - t) / 1000;
  console.log(`duckdb csv→parquet (gzip, 1 thread): ${(csvBytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s = ${(csvBytes / 1e6 / s).toFixed(1)} MB/s`);

  // 2. The statistics SQL over ~parquetMb of Parquet.
  const plan = compileAt(sampleSources()).plan!;
  const a = plan.grants.find((g) => g.aggregate && g.cooperative === 'korea-machinery')!.aggregate!;
  console.log(aggregateLine(a, await timeAggregateSql(conn, a, dir, parquetMb)));
  conn.closeSync();
  db.closeSync();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
