/**
 * Erasure of one member company (PIPA art. 36) end to end: the real ingestion writes the
 * curated and shared Parquet of a self-contained configuration into s3rver on loopback, the
 * erase handler removes one member, and DuckDB reads every zone back. Glue and KMS are the
 * only stand-ins (in-memory catalog from the plan, node-crypto HMAC with a test key).
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { compile, type TenancyPlan } from '../../infra';
import { ERASURE_PREFIX } from '../../infra/shared-names';
import { Logger } from '../../lambdas/adapters/log';
import { S3ObjectStore } from '../../lambdas/adapters/s3';
import { InvalidErasureRequest, parseErasureRequest, recordKeyOf, type ErasureRecord, type ErasureStore } from '../../lambdas/domain/erase';
import { RetryableError } from '../../lambdas/domain/errors';
import type { Manifest } from '../../lambdas/domain/ingest';
import { readParquetTable, writeParquetTable } from '../../lambdas/domain/parquet-rewrite';
import { runPipeline } from '../../lambdas/domain/pipeline';
import { InMemoryCatalog } from '../../lambdas/domain/ports';
import { HmacPseudonymizer, TokenCache } from '../../lambdas/domain/pseudonymize';
import { createEraseHandler } from '../../lambdas/erase/app';
import { createIngestObjectHandler } from '../../lambdas/ingest-object/app';
import { agreement, sharingSources } from '../support/sharing-fixture';
import { s3Event } from './support/events';
import { getBytes, listAll, startS3, type LocalS3 } from './support/s3';

const KEY = 'test-pseudonymization-key';
const mac = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MEMBER = 'm-0001';
const HEADER = 'machine_id,member_company_id,measured_at,energy_kwh,factory_region,postcode,owner_age,health_flag';

interface Row { machine: string; member: string; at: string; kwh: number | ''; n: number }
/** Upload 1 holds the member on two days; upload 2 never does (its files must stay untouched). */
const UPLOAD1: Row[] = [1, 2, 3, 4, 5, 6].flatMap((m) => [11, 12].flatMap((d) => [0, 1].map((h) => ({ machine: `M-${h}`, member: `m-000${m}`, at: `2026-11-${d} 1${h}:00:00`, kwh: m === 3 && h === 1 ? '' as const : m * 10 + d + h, n: m * 100 + d * 2 + h }))));
const UPLOAD2: Row[] = [2, 3, 4, 5, 6].flatMap((m) => [11, 13].map((d) => ({ machine: 'M-9', member: `m-000${m}`, at: `2026-11-${d} 09:30:00`, kwh: m + d, n: 5000 + m * 100 + d })));
const csv = (rows: readonly Row[]) => [HEADER, ...rows.map((r) => `${r.machine},${r.member},${r.at},${r.kwh},서울 강남구,0${6000 + r.n},${30 + (r.n % 50)},${r.n % 2 === 0}`)].join('\n');

const TOKEN_AGREEMENTS =
  agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region, energy_kwh' }) +
  agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id',
    extra: '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh, count distinct member_company_id] }\n' });
/** The shared copy does not carry the member column: rows are matched by position. */
const POSITION_AGREEMENTS = agreement({ level: 'pseudonymized', columns: 'machine_id, measured_at, energy_kwh' });

/** One s3rver with the cooperative's buckets, the real ingestion and the erase handler. */
class Lake {
  plan!: TenancyPlan;
  s3!: LocalS3;
  catalog!: InMemoryCatalog;
  readonly logs: string[] = [];

  async start(agreements: string): Promise<void> {
    const compiled = compile(sharingSources(agreements), { today: '2026-12-01' });
    expect(compiled.diagnostics).toEqual([]);
    this.plan = compiled.plan!;
    this.catalog = InMemoryCatalog.fromPlan(this.plan);
    this.s3 = await startS3([this.plan.platform.sharedZone.bucket, ...Object.values(this.coop.cloud.buckets)]);
  }
  get coop() {
    return this.plan.cooperatives[0];
  }
  get buckets() {
    return { ...this.coop.cloud.buckets, shared: this.plan.platform.sharedZone.bucket };
  }
  get dataset() {
    return this.coop.datasets[0];
  }

  async ingest(key: string, rows: readonly Row[]): Promise<Manifest> {
    const c = this.coop;
    await this.s3.client.send(new PutObjectCommand({ Bucket: c.cloud.buckets.raw, Key: key, Body: csv(rows) }));
    const handler = createIngestObjectHandler({
      store: new S3ObjectStore(this.s3.client, 1), catalog: this.catalog, pseudonymizer: new HmacPseudonymizer(KEY),
      targets: { cooperative: c.id, database: c.cloud.database, curatedBucket: c.cloud.buckets.curated, quarantineBucket: c.cloud.buckets.quarantine, sharedBucket: this.buckets.shared, sharedDatabase: this.plan.platform.sharedZone.database },
    }, new Logger('ingest-object', () => undefined));
    const r = await handler(s3Event(c.cloud.buckets.raw, key, 'v1'));
    expect(r.results[0].status).toBe('processed');
    return r.results[0].manifest!;
  }

  eraser(store: ErasureStore = new S3ObjectStore(this.s3.client, 1), now = '2026-12-02T01:00:00.000Z') {
    const c = this.coop;
    return createEraseHandler({
      store, catalog: this.catalog, pseudonymizer: new HmacPseudonymizer(KEY), now: () => new Date(now),
      targets: {
        cooperative: c.id, database: c.cloud.database, curatedBucket: c.cloud.buckets.curated, sharedBucket: this.buckets.shared,
        aggregateTables: this.plan.grants.flatMap((g) => (g.aggregate ? [{ table: g.aggregate.table, dataset: g.dataset }] : [])),
      },
    }, new Logger('erase', (l) => this.logs.push(l)));
  }

  async request(body: unknown, ref = 'ER-2026-0001'): Promise<string> {
    const key = `${ERASURE_PREFIX.requests}/${ref}.json`;
    await this.s3.client.send(new PutObjectCommand({ Bucket: this.coop.cloud.buckets.curated, Key: key, Body: typeof body === 'string' ? body : JSON.stringify(body) }));
    return key;
  }

  /** Every object of every bucket: key → sha256. */
  async snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const b of Object.values(this.buckets)) {
      for (const k of Object.keys(await listAll(this.s3.client, b))) out[`${b}/${k}`] = sha(await getBytes(this.s3.client, b, k));
    }
    return out;
  }

  /** Runs SQL in DuckDB over the zone's Parquet objects (view `t`). */
  async query(zone: 'curated' | 'shared', sql: string, setup?: (dir: string, files: string[]) => string[]): Promise<Record<string, unknown>[]> {
    const dir = mkdtempSync(join(tmpdir(), 'erase-q-'));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const bucket = this.buckets[zone];
      const keys = Object.keys(await listAll(this.s3.client, bucket)).filter((k) => k.endsWith('.parquet'));
      const files = await Promise.all(keys.map(async (k, i) => {
        const f = join(dir, `${i}.parquet`);
        writeFileSync(f, await getBytes(this.s3.client, bucket, k));
        return f;
      }));
      await conn.run(`SET TimeZone = 'UTC'`);
      await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
      for (const stmt of setup?.(dir, files) ?? []) await conn.run(stmt);
      return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
      db.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async record(ref = 'ER-2026-0001'): Promise<ErasureRecord> {
    return JSON.parse((await getBytes(this.s3.client, this.coop.cloud.buckets.curated, recordKeyOf(ref))).toString('utf8')) as ErasureRecord;
  }
}

/** What the pipeline writes for these rows: partition → curated and shared bytes. */
async function pipelineFiles(lake: Lake, rows: readonly Row[]): Promise<Map<string, { curated: Buffer; shared?: Buffer }>> {
  const workDir = mkdtempSync(join(tmpdir(), 'erase-pipe-'));
  try {
    const r = await runPipeline({
      dataset: JSON.parse(JSON.stringify(lake.dataset)), source: (async function* () { yield Buffer.from(csv(rows), 'utf8'); })(),
      format: 'csv', encoding: 'utf-8', workDir, tokens: new TokenCache(new HmacPseudonymizer(KEY)),
    });
    return new Map(r.partitions.map((p) => [p.dt, { curated: readFileSync(p.curatedFile), ...(p.sharedFile ? { shared: readFileSync(p.sharedFile) } : {}) }]));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const REQUEST = { memberId: MEMBER, cooperative: 'test-coop', reason: 'PIPA art. 36 request received 2026-12-01', requestRef: 'ER-2026-0001' };
const ORDER = 'ORDER BY ALL';

describe('erasure with the member tokenized in the shared copy', () => {
  const lake = new Lake();
  let m1: Manifest;
  let m2: Manifest;
  let before: Record<string, string>;
  let curatedBefore: Record<string, unknown>[];
  let sharedBefore: Record<string, unknown>[];
  let record: ErasureRecord;

  beforeAll(async () => {
    await lake.start(TOKEN_AGREEMENTS);
    m1 = await lake.ingest('readings/2026/11/upload-1.csv', UPLOAD1);
    m2 = await lake.ingest('readings/2026/11/upload-2.csv', UPLOAD2);
    curatedBefore = await lake.query('curated', `SELECT * FROM t ${ORDER}`);
    sharedBefore = await lake.query('shared', `SELECT * FROM t ${ORDER}`);
    const key = await lake.request(REQUEST);
    before = await lake.snapshot();
    const r = await lake.eraser()(s3Event(lake.coop.cloud.buckets.curated, key, 'rv1'), { awsRequestId: 'req-1' });
    expect(r.results.map((x) => x.status)).toEqual(['erased']);
    record = await lake.record();
  });
  afterAll(async () => lake.s3?.stop());

  test('the member is in both zones before', () => {
    expect(curatedBefore.filter((r) => r.member_company_id === MEMBER)).toHaveLength(4);
    expect(sharedBefore.filter((r) => r.member_company_id === mac(MEMBER))).toHaveLength(4);
  });

  test('its rows are gone from the curated and the shared zone (DuckDB reads every file)', async () => {
    expect(await lake.query('curated', `SELECT count(*) AS n FROM t WHERE member_company_id = '${MEMBER}'`)).toEqual([{ n: '0' }]);
    expect(await lake.query('shared', `SELECT count(*) AS n FROM t WHERE member_company_id = '${mac(MEMBER)}'`)).toEqual([{ n: '0' }]);
  });

  test('every other row is still there, value for value', async () => {
    expect(await lake.query('curated', `SELECT * FROM t ${ORDER}`)).toEqual(curatedBefore.filter((r) => r.member_company_id !== MEMBER));
    expect(await lake.query('shared', `SELECT * FROM t ${ORDER}`)).toEqual(sharedBefore.filter((r) => r.member_company_id !== mac(MEMBER)));
  });

  test('files without the member, manifests and raw inputs are byte-identical; only the listed files and the record changed', async () => {
    const after = await lake.snapshot();
    const rewritten = record.files.map((f) => `${f.bucket}/${f.key}`).sort();
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]).sort();
    expect(changed).toEqual([...rewritten, `${lake.coop.cloud.buckets.curated}/${recordKeyOf('ER-2026-0001')}`].sort());
    const untouched = [...m2.outputs.curated.map((o) => `${lake.buckets.curated}/${o.key}`), ...m2.outputs.shared.map((o) => `${lake.buckets.shared}/${o.key}`)];
    expect(untouched.length).toBeGreaterThan(0);
    for (const k of untouched) expect(after[k]).toBe(before[k]);
  });

  test('each rewritten file is exactly what the pipeline writes for the input without the member', async () => {
    const expected = await pipelineFiles(lake, UPLOAD1.filter((r) => r.member !== MEMBER));
    for (const f of record.files) {
      const bytes = await getBytes(lake.s3.client, f.bucket, f.key);
      const want = expected.get(f.dt)!;
      expect(bytes.equals(f.zone === 'curated' ? want.curated : want.shared!)).toBe(true);
    }
  });

  test('the record names each file with rows and SHA-256 before and after, the request and the time', async () => {
    expect(record).toMatchObject({ recordVersion: 1, status: 'erased', request: REQUEST, startedAt: '2026-12-02T01:00:00.000Z', erasedAt: '2026-12-02T01:00:00.000Z', rowsRemoved: { curated: 4, shared: 4 }, manifestsExamined: 2 });
    expect(record.files.map((f) => [f.zone, f.dt, f.match, f.rowsBefore, f.rowsRemoved, f.rowsAfter])).toEqual([
      ['shared', '2026-11-11', 'token', 12, 2, 10], ['shared', '2026-11-12', 'token', 12, 2, 10],
      ['curated', '2026-11-11', 'member-id', 12, 2, 10], ['curated', '2026-11-12', 'member-id', 12, 2, 10],
    ]);
    for (const f of record.files) {
      expect(f.sha256Before).toBe(before[`${f.bucket}/${f.key}`]);
      expect(f.sha256After).toBe(sha(await getBytes(lake.s3.client, f.bucket, f.key)));
    }
    expect(record.rawInputs).toEqual([m1.input]);
    expect(record.aggregatesToRefresh).toEqual([{ table: lake.plan.grants.find((g) => g.aggregate)!.aggregate!.table, dataset: 'readings' }]);
    expect(record.notSearched).toEqual([]);
  });

  test('the statistics recomputed from the table\'s SQL over the erased zone equal those of the data without the member', async () => {
    const a = lake.plan.grants.find((g) => g.aggregate)!.aggregate!;
    const view = [`CREATE SCHEMA "${a.source.database}"`, `CREATE VIEW "${a.source.database}"."${a.source.table}" AS SELECT * FROM t`];
    const erased = await lake.query('curated', a.sql, () => view);
    const expected = await pipelineFiles(lake, [...UPLOAD1, ...UPLOAD2].filter((r) => r.member !== MEMBER));
    const dir = mkdtempSync(join(tmpdir(), 'erase-agg-'));
    try {
      const files = [...expected.values()].map((e, i) => {
        const f = join(dir, `${i}.parquet`);
        writeFileSync(f, e.curated);
        return `'${f}'`;
      });
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      await conn.run(`CREATE SCHEMA "${a.source.database}"`);
      await conn.run(`CREATE VIEW "${a.source.database}"."${a.source.table}" AS SELECT * FROM read_parquet([${files.join(', ')}])`);
      const want = (await conn.runAndReadAll(a.sql)).getRowObjectsJson();
      conn.closeSync();
      db.closeSync();
      expect(erased).toEqual(want);
      expect(erased.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a replayed request changes nothing and writes no second record', async () => {
    const snap = await lake.snapshot();
    const r = await lake.eraser(undefined, '2027-01-01T00:00:00.000Z')(s3Event(lake.coop.cloud.buckets.curated, `${ERASURE_PREFIX.requests}/ER-2026-0001.json`, 'rv1'));
    expect(r.results.map((x) => x.status)).toEqual(['already-erased']);
    expect(await lake.snapshot()).toEqual(snap);
  });

  test('a different request under the same reference is refused and changes nothing', async () => {
    const snap = await lake.snapshot();
    const key = await lake.request({ ...REQUEST, memberId: 'm-0002' });
    const after = await lake.snapshot();
    const r = await lake.eraser()(s3Event(lake.coop.cloud.buckets.curated, key));
    expect(r.results.map((x) => x.status)).toEqual(['conflict']);
    expect(await lake.snapshot()).toEqual(after);
    expect(Object.keys(after).filter((k) => after[k] !== snap[k])).toEqual([`${lake.coop.cloud.buckets.curated}/${key}`]);
    await lake.request(REQUEST); // put the original request back for later tests
  });

  test('a request with a person\'s name is rejected without writing anything or echoing the name', async () => {
    const key = await lake.request({ ...REQUEST, requestRef: 'ER-2026-0002', name: '홍길동' }, 'ER-2026-0002');
    const snap = await lake.snapshot();
    lake.logs.length = 0;
    const r = await lake.eraser()(s3Event(lake.coop.cloud.buckets.curated, key));
    expect(r.results[0].status).toBe('rejected');
    expect(r.results[0].problems!.join(' ')).toMatch(/"name".*never put a person's name/);
    expect(await lake.snapshot()).toEqual(snap);
    expect(lake.logs.join('\n')).not.toContain('홍길동');
    expect(lake.logs.join('\n')).not.toContain(MEMBER);
  });

  test('objects outside the requests prefix are ignored', async () => {
    const r = await lake.eraser()(s3Event(lake.coop.cloud.buckets.curated, 'readings/dt=2026-11-11/x.parquet'));
    expect(r.results).toEqual([]);
  });
});

describe('erasure when the shared copy does not carry the member (matched by position), interrupted and retried', () => {
  const lake = new Lake();
  let before: Record<string, string>;

  /** A store whose uploads fail after `okPuts` successful ones, as a crash part-way would. */
  const failingAfter = (okPuts: number): ErasureStore => {
    const inner = new S3ObjectStore(lake.s3.client, 1);
    let puts = 0;
    return Object.assign(Object.create(inner) as S3ObjectStore, {
      putFile: async (b: string, k: string, p: string, t: string) => {
        if (puts++ >= okPuts) throw new RetryableError('simulated crash');
        return inner.putFile(b, k, p, t);
      },
    });
  };

  beforeAll(async () => {
    await lake.start(POSITION_AGREEMENTS);
    await lake.ingest('readings/2026/11/upload-1.csv', UPLOAD1);
    await lake.ingest('readings/2026/11/upload-2.csv', UPLOAD2);
    await lake.request(REQUEST);
    before = await lake.snapshot();
  });
  afterAll(async () => lake.s3?.stop());

  test('the shared copy has no member column', () => {
    expect(lake.dataset.sharedColumns!.map((c) => c.name)).toEqual(['machine_id', 'measured_at', 'energy_kwh']);
  });

  test('a crash after one replaced file leaves an in-progress record; the retry finishes the same erasure', async () => {
    const event = s3Event(lake.coop.cloud.buckets.curated, `${ERASURE_PREFIX.requests}/ER-2026-0001.json`, 'rv1');
    await expect(lake.eraser(failingAfter(1))(event)).rejects.toThrow(/simulated crash/);
    const pending = await lake.record();
    expect(pending.status).toBe('in-progress');
    expect(pending.files.map((f) => [f.zone, f.match])).toEqual([['shared', 'row-position'], ['shared', 'row-position'], ['curated', 'member-id'], ['curated', 'member-id']]);

    const r = await lake.eraser(undefined, '2026-12-02T02:00:00.000Z')(event);
    expect(r.results.map((x) => x.status)).toEqual(['erased']);
    const record = await lake.record();
    expect(record).toMatchObject({ status: 'erased', startedAt: '2026-12-02T01:00:00.000Z', erasedAt: '2026-12-02T02:00:00.000Z', rowsRemoved: { curated: 4, shared: 4 } });
    expect(record.files).toEqual(pending.files);
    for (const f of record.files) expect(f.sha256Before).toBe(before[`${f.bucket}/${f.key}`]);

    const expected = await pipelineFiles(lake, UPLOAD1.filter((x) => x.member !== MEMBER));
    for (const f of record.files) {
      const want = expected.get(f.dt)!;
      expect((await getBytes(lake.s3.client, f.bucket, f.key)).equals(f.zone === 'curated' ? want.curated : want.shared!)).toBe(true);
    }
    expect(await lake.query('curated', `SELECT count(*) AS n FROM t WHERE member_company_id = '${MEMBER}'`)).toEqual([{ n: '0' }]);
    expect(await lake.query('shared', 'SELECT count(*) AS n FROM t')).toEqual([{ n: String(UPLOAD1.length + UPLOAD2.length - 4) }]);
  });

  test('a replay after that changes nothing', async () => {
    const snap = await lake.snapshot();
    const r = await lake.eraser()(s3Event(lake.coop.cloud.buckets.curated, `${ERASURE_PREFIX.requests}/ER-2026-0001.json`, 'rv1'));
    expect(r.results.map((x) => x.status)).toEqual(['already-erased']);
    expect(await lake.snapshot()).toEqual(snap);
  });
});

describe('the Parquet rewrite', () => {
  test('a file from which no row is dropped comes back byte for byte, every column type included', async () => {
    const compiled = compile(sharingSources(agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region, energy_kwh' })), { today: '2026-12-01' });
    const ds = JSON.parse(JSON.stringify(compiled.plan!.cooperatives[0].datasets[0]));
    ds.columns.push(
      { name: 'lot', type: 'decimal', glueType: 'decimal(38,9)', pii: 'none', required: false },
      { name: 'cnt', type: 'long', glueType: 'bigint', pii: 'none', required: false },
      { name: 'day', type: 'date', glueType: 'date', pii: 'none', required: false },
      { name: 'n', type: 'int', glueType: 'int', pii: 'none', required: false },
    );
    const lines = [`${HEADER},lot,cnt,day,n`];
    for (let i = 0; i < 300; i++) lines.push(`M${i % 7},m-00${i % 9},2026-11-${10 + (i % 3)} 12:00:0${i % 10},${i % 5 === 0 ? '' : i * 1.5},서울 강남구,0600${i},${30 + (i % 40)},${i % 2 === 0},${i % 4 === 0 ? '' : '-12345.678901234'},${i * 100000000000},2026-10-0${1 + (i % 9)},${i % 3 === 0 ? '' : i}`);
    const dir = mkdtempSync(join(tmpdir(), 'erase-rt-'));
    try {
      const r = await runPipeline({ dataset: ds, source: (async function* () { for (const l of lines) yield Buffer.from(l + '\n'); })(), format: 'csv', encoding: 'utf-8', workDir: dir, tokens: new TokenCache(new HmacPseudonymizer(KEY)), rowGroupRows: 40, maxBufferedRows: 40 });
      expect(r.rowsQuarantined).toBe(0);
      for (const p of r.partitions) {
        for (const f of [p.curatedFile, p.sharedFile!]) {
          const bytes = readFileSync(f);
          const table = await readParquetTable(bytes);
          expect(table.groups.length).toBeGreaterThan(1);
          const out = writeParquetTable(table, () => true, dir, 'copy.parquet');
          expect(readFileSync(out.path).equals(bytes)).toBe(true);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseErasureRequest', () => {
  const text = (o: object) => JSON.stringify(o);
  const problems = (o: object | string, file?: string) => {
    try {
      parseErasureRequest(typeof o === 'string' ? o : text(o), 'test-coop', file);
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidErasureRequest);
      return (e as InvalidErasureRequest).problems;
    }
  };

  test('accepts the four fields', () => {
    expect(parseErasureRequest(text(REQUEST), 'test-coop', 'ER-2026-0001.json')).toEqual(REQUEST);
  });
  test('fails when a key could carry a person\'s details, naming the key and not the value', () => {
    const p = problems({ ...REQUEST, contactEmail: 'kim@example.com', 담당자: '김철수' });
    expect(p).toHaveLength(2);
    expect(p.join(' ')).toMatch(/"contactEmail".*never put a person's name/);
    expect(p.join(' ')).not.toMatch(/kim@example|김철수/);
  });
  test('fails when the reason holds an e-mail, a phone or a resident registration number', () => {
    for (const reason of ['asked by kim@example.com', 'call 010-1234-5678', 'RRN 900101-1234567']) expect(problems({ ...REQUEST, reason })).toEqual([expect.stringMatching(/^"reason"/)]);
  });
  test('fails when the member id is a name or a phone number', () => {
    for (const memberId of ['홍길동', '010-1234-5678', 'kim@example.com']) expect(problems({ ...REQUEST, memberId })).toEqual([expect.stringMatching(/^"memberId"/)]);
  });
  test('fails for another cooperative, a missing field, unknown keys, a file name that is not the reference, or no object', () => {
    expect(problems({ ...REQUEST, cooperative: 'other' })).toEqual([expect.stringMatching(/^"cooperative"/)]);
    expect(problems({ ...REQUEST, reason: undefined })).toEqual([expect.stringMatching(/^"reason".*required/)]);
    expect(problems({ ...REQUEST, note: 'x' })).toEqual([expect.stringMatching(/^"note".*unknown key/)]);
    expect(problems(REQUEST, 'other.json')).toEqual([expect.stringMatching(/file name/)]);
    expect(problems('[1]')).toHaveLength(1);
    expect(problems('not json')).toHaveLength(1);
  });
});
