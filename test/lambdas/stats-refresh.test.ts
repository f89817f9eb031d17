/**
 * The statistics refresh job (level aggregated): the real ingestion pipeline writes curated
 * Parquet; a query engine that runs the `UNLOAD` on DuckDB (Athena cannot run here) writes the
 * run into a real S3-API server (s3rver); the catalog is held in memory (Glue cannot run here).
 * Shows: the run equals the plan's SQL result with small cells absent, readers only ever see a
 * complete run, replays start no second query, old runs are deleted, and nothing runs after
 * the agreement's access ends.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { compile, type AggregatePlan, type TenancyPlan } from '../../infra';
import { AGGREGATE_INITIAL_RUN } from '../../infra/shared-names';
import { HmacPseudonymizer, TokenCache } from '../../lambdas/domain/pseudonymize';
import { runPipeline, type PipelineResult } from '../../lambdas/domain/pipeline';
import { refreshAggregate, refreshAllowed, runFolder, runToken, unloadStatement, type AggregateCatalog, type AggregateTableState, type QueryEngine, type QueryState, type RefreshDeps } from '../../lambdas/domain/refresh';
import { RetryableError } from '../../lambdas/domain/errors';
import { parseS3Location, S3RunStorage } from '../../lambdas/adapters/s3-runs';
import { createStatsRefreshHandler, requestOf } from '../../lambdas/stats-refresh/app';
import { Logger } from '../../lambdas/adapters/log';
import { sharingSources, STATS_AGREEMENT, STATS_CSV as CSV } from '../support/sharing-fixture';
import { readParquet, startS3, type LocalS3 } from './support/s3';

const AGREEMENTS = STATS_AGREEMENT;


const DAY1 = '2026-12-06T03:00:00Z';
const DAY2 = '2026-12-07T03:00:00Z';
const DAY3 = '2026-12-08T03:00:00Z';
const NOW = Date.parse('2026-12-08T03:00:05Z');

let plan: TenancyPlan;
let aggregate: AggregatePlan;
let result: PipelineResult;
let workDir: string;
let s3: LocalS3;
let bucket: string;

beforeAll(async () => {
  const compiled = compile(sharingSources(AGREEMENTS), { today: '2026-12-01' });
  expect(compiled.diagnostics).toEqual([]);
  plan = compiled.plan!;
  aggregate = plan.grants.find((g) => g.level === 'aggregated')!.aggregate!;
  workDir = mkdtempSync(join(tmpdir(), 'stats-refresh-'));
  const dataset = JSON.parse(JSON.stringify(plan.cooperatives[0].datasets[0]));
  result = await runPipeline({
    dataset, source: (async function* () { yield Buffer.from(CSV, 'utf8'); })(), format: 'csv', encoding: 'utf-8', workDir,
    tokens: new TokenCache(new HmacPseudonymizer('test-key')),
  });
  bucket = parseS3Location(aggregate.refresh.location).bucket;
  s3 = await startS3([bucket]);
});

afterAll(async () => {
  await s3?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** The catalog as CloudFormation creates the table: pointing at the empty initial run. */
class MemoryCatalog implements AggregateCatalog {
  readonly tables = new Map<string, AggregateTableState>();
  readonly moves: string[] = [];
  constructor(database: string, a: AggregatePlan) {
    this.tables.set(`${database}.${a.table}`, { sql: a.sql, location: `${a.refresh.location}${AGGREGATE_INITIAL_RUN}` });
  }
  async getTable(database: string, table: string) {
    return this.tables.get(`${database}.${table}`);
  }
  async setLocation(database: string, table: string, location: string) {
    const t = this.tables.get(`${database}.${table}`)!;
    this.tables.set(`${database}.${table}`, { ...t, location });
    this.moves.push(location);
  }
}

/**
 * Athena's UNLOAD, run on DuckDB over the pipeline's curated Parquet: fails on a non-empty
 * destination as Athena does, returns the same query for the same client request token, and
 * reports RUNNING once before SUCCEEDED so the job's polling is exercised.
 */
class DuckDbAthena implements QueryEngine {
  readonly started: string[] = [];
  private readonly byToken = new Map<string, string>();
  private readonly states = new Map<string, { polls: number; final: QueryState; reason?: string }>();
  constructor(private readonly client: S3Client, private readonly files: readonly string[], private readonly fail?: string) {}

  async start(q: { sql: string; token: string; workgroup: string }): Promise<string> {
    const known = this.byToken.get(q.token);
    if (known) return known;
    const id = `q-${this.byToken.size + 1}`;
    this.byToken.set(q.token, id);
    this.started.push(q.sql);
    const m = /^UNLOAD \(\n([\s\S]*)\n\)\nTO '([^']*)'\nWITH \(format = 'PARQUET', compression = 'GZIP'\)$/.exec(q.sql);
    if (!m) throw new Error(`not an UNLOAD statement: ${q.sql}`);
    const [, inner, to] = m;
    const { bucket: b, prefix } = parseS3Location(to);
    const existing = await this.client.send(new ListObjectsV2Command({ Bucket: b, Prefix: prefix }));
    if (this.fail || (existing.KeyCount ?? 0) > 0) {
      this.states.set(id, { polls: 0, final: 'FAILED', reason: this.fail ?? 'HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists' });
      return id;
    }
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const out = join(workDir, `${id}.parquet`);
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      const files = this.files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
      await conn.run(`CREATE SCHEMA "${aggregate.source.database}"`);
      await conn.run(`CREATE VIEW "${aggregate.source.database}"."${aggregate.source.table}" AS SELECT * FROM read_parquet([${files}])`);
      await conn.run(`COPY (${inner}) TO '${out}' (FORMAT parquet, COMPRESSION gzip)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    await this.client.send(new PutObjectCommand({ Bucket: b, Key: `${prefix}20261206_030012_00001_abcde_0.gz.parquet`, Body: readFileSync(out) }));
    this.states.set(id, { polls: 0, final: 'SUCCEEDED' });
    return id;
  }

  async state(queryId: string) {
    const s = this.states.get(queryId)!;
    s.polls++;
    return s.polls === 1 ? { state: 'RUNNING' as const } : { state: s.final, ...(s.reason ? { reason: s.reason } : {}) };
  }
}

const curatedFiles = () => result.partitions.map((p) => p.curatedFile);

function deps(over: Partial<RefreshDeps> & { engine?: QueryEngine; catalog?: AggregateCatalog } = {}): RefreshDeps & { engine: QueryEngine; catalog: AggregateCatalog } {
  return {
    catalog: new MemoryCatalog(plan.platform.sharedZone.database, aggregate),
    engine: new DuckDbAthena(s3.client, curatedFiles()),
    storage: new S3RunStorage(s3.client),
    database: plan.platform.sharedZone.database,
    workgroup: aggregate.refresh.workgroup,
    now: () => NOW,
    sleep: async () => undefined,
    ...over,
  };
}

const request = (scheduledTime: string, table = aggregate.table) => ({ table, location: aggregate.refresh.location, endsAt: aggregate.refresh.endsAt, scheduledTime });

/** Keys under the statistics table's prefix. */
async function keysUnder(prefix: string): Promise<string[]> {
  const r = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!).sort();
}

/** The plan's SQL run directly on DuckDB over the curated Parquet. */
async function expectedStatistics(): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const files = curatedFiles().map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
    await conn.run(`CREATE SCHEMA "${aggregate.source.database}"`);
    await conn.run(`CREATE VIEW "${aggregate.source.database}"."${aggregate.source.table}" AS SELECT * FROM read_parquet([${files}])`);
    return (await conn.runAndReadAll(aggregate.sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('a refresh', () => {
  const tablePrefix = () => parseS3Location(aggregate.refresh.location).prefix;

  afterEach(async () => {
    for (const k of await keysUnder(tablePrefix())) await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
  });

  test('writes the plan\'s statistics into a new run and points the table at it; small cells absent', async () => {
    const d = deps();
    const out = await refreshAggregate(d, request(DAY1));
    const run = `${aggregate.refresh.location}run=20261206T030000Z/`;
    expect(out).toMatchObject({ status: 'refreshed', run, deletedRuns: [] });
    expect((await d.catalog.getTable(d.database, aggregate.table))!.location).toBe(run);
    const keys = await keysUnder(parseS3Location(run).prefix);
    expect(keys).toHaveLength(1);
    const written = await readParquet(s3.client, bucket, keys[0], 'SELECT * FROM t ORDER BY 1, 2');
    const expected = await expectedStatistics();
    expect(written.rows).toEqual(expected);
    expect(Object.keys(written.types)).toEqual(aggregate.columns.map((c) => c.name));
    expect(written.rows.length).toBe(2);
    expect(written.rows.some((r) => r.machine_id === 'M-SMALL')).toBe(false);
  });

  test('a replay starts no second query: the same token returns the same query, and a current run is not rerun', async () => {
    const engine = new DuckDbAthena(s3.client, curatedFiles());
    const catalog = new MemoryCatalog(plan.platform.sharedZone.database, aggregate);
    const first = await refreshAggregate(deps({ engine, catalog }), request(DAY1));
    const again = await refreshAggregate(deps({ engine, catalog }), request(DAY1));
    expect(first.status).toBe('refreshed');
    expect(again).toEqual({ status: 'already-current', table: aggregate.table, run: `${aggregate.refresh.location}run=20261206T030000Z/` });
    expect(engine.started).toHaveLength(1);
  });

  test('a retry after the query succeeded but before the switch reuses that query and switches', async () => {
    const engine = new DuckDbAthena(s3.client, curatedFiles());
    const catalog = new MemoryCatalog(plan.platform.sharedZone.database, aggregate);
    const failing: AggregateCatalog = { getTable: (d, t) => catalog.getTable(d, t), setLocation: async () => { throw new RetryableError('Glue throttled'); } };
    await expect(refreshAggregate(deps({ engine, catalog: failing }), request(DAY1))).rejects.toThrow(/Glue throttled/);
    // Readers still see the run from before: the half-done refresh is invisible.
    expect((await catalog.getTable(plan.platform.sharedZone.database, aggregate.table))!.location).toBe(`${aggregate.refresh.location}${AGGREGATE_INITIAL_RUN}`);
    const retry = await refreshAggregate(deps({ engine, catalog }), request(DAY1));
    expect(retry.status).toBe('refreshed');
    expect(engine.started).toHaveLength(1);
  });

  test('keeps the current and the previous run, deletes older ones', async () => {
    const d = deps();
    await refreshAggregate(d, request(DAY1));
    await refreshAggregate(d, request(DAY2));
    const third = await refreshAggregate(d, request(DAY3));
    expect(third).toMatchObject({ status: 'refreshed', deletedRuns: [`${aggregate.refresh.location}run=20261206T030000Z/`] });
    const runs = await new S3RunStorage(s3.client).listRuns(aggregate.refresh.location);
    expect(runs).toEqual([`${aggregate.refresh.location}run=20261207T030000Z/`, `${aggregate.refresh.location}run=20261208T030000Z/`]);
  });

  test('a failed query leaves the table where it was and fails the invocation', async () => {
    const d = deps({ engine: new DuckDbAthena(s3.client, curatedFiles(), 'SYNTAX_ERROR: line 1:8') });
    await expect(refreshAggregate(d, request(DAY1))).rejects.toThrow(/FAILED: SYNTAX_ERROR/);
    expect((await d.catalog.getTable(d.database, aggregate.table))!.location).toBe(`${aggregate.refresh.location}${AGGREGATE_INITIAL_RUN}`);
  });

  test('a query still running at the invocation\'s deadline is a retryable error', async () => {
    const slow: QueryEngine = { start: async () => 'q-slow', state: async () => ({ state: 'RUNNING' }) };
    await expect(refreshAggregate(deps({ engine: slow, remainingMs: () => 5_000 }), request(DAY1))).rejects.toBeInstanceOf(RetryableError);
  });

  test('fails when the table is missing or has no SQL', async () => {
    await expect(refreshAggregate(deps(), request(DAY1, 'no_such_table'))).rejects.toThrow(/does not exist/);
    const catalog = new MemoryCatalog(plan.platform.sharedZone.database, { ...aggregate, sql: '' });
    await expect(refreshAggregate(deps({ catalog }), request(DAY1))).rejects.toThrow(/coopidc:sql/);
  });
});

describe('after the agreement\'s access ends', () => {
  test('the job refuses to run: no query, the table unchanged', async () => {
    const engine = new DuckDbAthena(s3.client, curatedFiles());
    const d = deps({ engine, now: () => Date.parse(aggregate.refresh.endsAt) });
    const out = await refreshAggregate(d, request(DAY1));
    expect(out).toEqual({ status: 'expired', table: aggregate.table, endsAt: aggregate.refresh.endsAt });
    expect(engine.started).toEqual([]);
    expect((await d.catalog.getTable(d.database, aggregate.table))!.location).toBe(`${aggregate.refresh.location}${AGGREGATE_INITIAL_RUN}`);
  });

  test('a run scheduled at or after the end is refused even when invoked earlier', () => {
    const end = aggregate.refresh.endsAt;
    expect(refreshAllowed({ endsAt: end, scheduledTime: end }, Date.parse(end) - 60_000)).toBe(false);
    expect(refreshAllowed({ endsAt: end, scheduledTime: DAY1 }, Date.parse(end) - 1)).toBe(true);
  });

  test('an expired agreement\'s schedule ends in the past; a live one\'s on its access end', () => {
    const expired = compile(sharingSources(AGREEMENTS.replace('expires: "2030-12-31"', 'expires: "2026-11-20"')), { today: '2026-12-01' });
    const refresh = expired.plan!.grants.find((g) => g.level === 'aggregated')!.aggregate!.refresh;
    expect(Date.parse(refresh.endsAt)).toBeLessThan(Date.parse('2026-12-01T00:00:00Z'));
    expect(refresh.endsAt).toBe(expired.plan!.grants.find((g) => g.level === 'aggregated')!.accessEndsAt);
    expect(aggregate.refresh.endsAt).toBe('2030-12-31T15:00:00Z');
  });
});

describe('the statement and its names', () => {
  test('the UNLOAD wraps the plan\'s SQL unchanged and writes GZIP Parquet, as the tables declare', () => {
    const s = unloadStatement(aggregate.sql, 's3://b/t/run=x/');
    expect(s).toContain(aggregate.sql);
    expect(s).toMatch(/TO 's3:\/\/b\/t\/run=x\/'\nWITH \(format = 'PARQUET', compression = 'GZIP'\)$/);
  });

  test('run folders sort by time and tokens are stable per table and run', () => {
    expect(runFolder('2026-12-06T03:00:00Z')).toBe('run=20261206T030000Z/');
    expect(runFolder('2026-12-06T12:00:00+09:00')).toBe('run=20261206T030000Z/');
    expect(runToken('t', DAY1)).toBe(runToken('t', '2026-12-06T12:00:00+09:00'));
    expect(runToken('t', DAY1)).not.toBe(runToken('t', DAY2));
    expect(runToken('t', DAY1)).not.toBe(runToken('u', DAY1));
    expect(runToken('t', DAY1)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => runFolder('yesterday')).toThrow(/ISO 8601/);
  });
});

describe('the handler', () => {
  test('reads the schedule input and logs the outcome without data values', async () => {
    const lines: string[] = [];
    const handler = createStatsRefreshHandler({ ...deps(), now: () => Date.parse(aggregate.refresh.endsAt) + 1 }, new Logger('stats-refresh', (l) => lines.push(l)));
    const out = await handler(request(DAY1), { awsRequestId: 'r-1' });
    expect(out.status).toBe('expired');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'WARN', requestId: 'r-1', table: aggregate.table, endsAt: aggregate.refresh.endsAt });
  });

  test('fails when the schedule input lacks a field', () => {
    expect(() => requestOf({ table: 't', location: 's3://b/t/', endsAt: '2030-01-01T00:00:00Z' })).toThrow(/lacks scheduledTime/);
  });

  test('the sample event of a schedule is a valid request', () => {
    const dir = join(__dirname, 'events');
    const file = readdirSync(dir).find((f) => f.startsWith('stats-refresh'))!;
    expect(requestOf(JSON.parse(readFileSync(join(dir, file), 'utf8')))).toMatchObject({ scheduledTime: expect.any(String) });
  });
});
