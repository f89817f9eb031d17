/** What the benchmark scripts share: the fixed date, the sizes to run, a timer and the telemetry files. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AggregatePlan } from '../infra/plan/types';
import { telemetryCsv } from '../test/lambdas/support/telemetry';

const MB = 1024 * 1024;

/** Fixed date, so generated agreements never expire between runs. */
export const BENCH_TODAY = '2026-11-27';

/** Cooperative counts to measure: `BENCH_N=10,100` or the given default. */
export function benchSizes(fallback = '10,100,1000'): number[] {
  return (process.env.BENCH_N ?? fallback).split(',').map(Number);
}

/** Wall time of `fn` in milliseconds, with its result. */
export function time<T>(fn: () => T): { ms: number; value: T } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

/** The ingestion bench's telemetry (CP949, the korea-machinery shape) of about `sizeMb`, generated once into `dir`. */
export function cp949Telemetry(dir: string, sizeMb: number): string {
  const file = join(dir, `telemetry-${sizeMb}MB.cp949.csv`);
  if (existsSync(file) && statSync(file).size >= sizeMb * MB) return file;
  const fd = openSync(file, 'w');
  try {
    for (const chunk of telemetryCsv(sizeMb * MB)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The same rows as {@link cp949Telemetry}, decoded to UTF-8: what DuckDB's CSV reader takes (no CP949 without an extension). */
export function utf8Telemetry(dir: string, sizeMb: number): string {
  const file = join(dir, `telemetry-${sizeMb}MB.utf8.csv`);
  if (existsSync(file) && statSync(file).size >= sizeMb * MB * 0.9) return file;
  const fd = openSync(file, 'w');
  const decoder = new TextDecoder('euc-kr');
  try {
    for (const chunk of telemetryCsv(sizeMb * MB)) writeSync(fd, decoder.decode(chunk, { stream: true }));
    writeSync(fd, decoder.decode());
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One timing of an aggregated agreement's statistics SQL: {@link timeAggregateSql}. */
export interface AggregateTiming {
  /** Bytes of the Parquet file read. */
  readonly bytes: number;
  readonly rows: number;
  readonly seconds: number;
  /** User + system CPU of the process over the query (one DuckDB thread). */
  readonly cpuSeconds: number;
  /** Result rows: the (period, dimensions) cells that passed the k threshold. */
  readonly cells: number;
}

/**
 * Runs `a.sql` (the plan's statistics statement, as the stats-refresh Lambda hands it to
 * Athena) in DuckDB over one GZIP Parquet file of about `parquetMb` in the shape of the
 * korea-machinery `maintenance_events` source, generated once into `dir`. `conn` should run
 * one thread, so the figure is per core. The source table is a view over the file under the
 * plan's own database and table names, so the SQL runs unchanged.
 */
export async function timeAggregateSql(conn: DuckDBConnection, a: AggregatePlan, dir: string, parquetMb: number): Promise<AggregateTiming> {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await conn.run(`SET TimeZone = 'UTC'`);
  const data = join(dir, `maintenance-${parquetMb}MB.parquet`);
  if (!existsSync(data) || statSync(data).size < parquetMb * MB * 0.95) {
    // 14.1 bytes per row compressed in this shape (798 MB for 56.5 M rows, measured).
    const rows = Math.round((parquetMb * MB) / 14.1);
    await conn.run(`COPY (SELECT 'machine-' || (i % 5000) AS machine_id, 'm-' || lpad(CAST(hash(i) % 1200 AS VARCHAR), 4, '0') AS member_company_id,
      TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(CAST(hash(i * 7) % 31536000 AS BIGINT)) AS occurred_at,
      'F' || lpad(CAST(hash(i * 13) % 300 AS VARCHAR), 3, '0') AS failure_code, CAST(hash(i * 17) % 600 AS INTEGER) AS downtime_minutes,
      CAST(hash(i * 19) % 5000000 AS BIGINT) AS repair_cost_krw FROM range(${rows}) t(i)) TO ${q(data)} (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 65536)`);
  }
  const schema = JSON.stringify(a.source.database);
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await conn.run(`CREATE OR REPLACE VIEW ${schema}.${JSON.stringify(a.source.table)} AS SELECT * FROM read_parquet(${q(data)})`);
  const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${q(data)})`)).getRows()[0][0]);
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const cells = (await conn.runAndReadAll(a.sql)).getRows().length;
  const cpu = process.cpuUsage(cpu0);
  return { bytes: statSync(data).size, rows, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, cells };
}

/** One line describing {@link timeAggregateSql}'s result, for the benches that print it. */
export function aggregateLine(a: AggregatePlan, r: AggregateTiming): string {
  return `statistics SQL (k=${a.k}, ${a.grain}, ${a.dimensions.length} dimension(s), ${a.measures.length} measures, DuckDB 1 thread): ${(r.bytes / 1e6).toFixed(0)} MB Parquet, ${r.rows.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU = ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s, ${(r.bytes / 1e6 / r.cpuSeconds).toFixed(0)} MB per CPU-s, ${(r.rows / r.seconds / 1e6).toFixed(1)} M rows/s; ${r.cells} cells`;
}
