/**
 * ingest-object end to end: the real handler logic with the AWS SDK S3 client against s3rver
 * on loopback, Parquet read back with DuckDB. Glue and KMS are the only stand-ins (in-memory
 * catalog from the sample plan, node-crypto HMAC with a test key).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { CooperativePlan, TenancyPlan } from '../../infra/plan/types';
import { S3ObjectStore } from '../../lambdas/adapters/s3';
import { Logger } from '../../lambdas/adapters/log';
import { RetryableError } from '../../lambdas/domain/errors';
import { objectId, type Manifest } from '../../lambdas/domain/ingest';
import { InMemoryCatalog } from '../../lambdas/domain/ports';
import { HmacPseudonymizer } from '../../lambdas/domain/pseudonymize';
import { createIngestObjectHandler } from '../../lambdas/ingest-object/app';
import { INGESTION_METRICS } from '../../infra/shared-names';
import { compileAt, sampleSources } from '../support/config';
import { s3Event } from './support/events';
import { getBytes, listAll, readParquet, s3Client, startS3, type LocalS3 } from './support/s3';

const SAMPLES = join(__dirname, 'samples');
const KEY = 'test-pseudonymization-key';
const mac = (v: string) => createHmac('sha256', KEY).update(v).digest('hex');

let plan: TenancyPlan;
let s3: LocalS3;
let catalog: InMemoryCatalog;
const logs: string[] = [];
/** Every PutObject the SDK sends, with its x-amz-tagging header (s3rver stores no tags, so they are read off the wire). */
const puts: { bucket: string; key: string; tagging?: string }[] = [];

const coop = (id: string): CooperativePlan => plan.cooperatives.find((c) => c.id === id)!;

function handlerFor(id: string, client = s3.client) {
  const c = coop(id);
  return createIngestObjectHandler(
    {
      store: new S3ObjectStore(client, 1),
      catalog,
      pseudonymizer: new HmacPseudonymizer(KEY),
      targets: {
        cooperative: c.id,
        database: c.cloud.database,
        curatedBucket: c.cloud.buckets.curated,
        quarantineBucket: c.cloud.buckets.quarantine,
        sharedBucket: plan.platform.sharedZone.bucket,
        sharedDatabase: plan.platform.sharedZone.database,
      },
      rowGroupRows: 2,
    },
    new Logger('ingest-object', (l) => logs.push(l)),
  );
}

async function upload(id: string, key: string, sample: string, contentType?: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: coop(id).cloud.buckets.raw, Key: key, Body: readFileSync(join(SAMPLES, sample)), ...(contentType ? { ContentType: contentType } : {}) }));
}

async function ingest(id: string, key: string, sample: string, versionId = 'v1') {
  await upload(id, key, sample);
  const r = await handlerFor(id)(s3Event(coop(id).cloud.buckets.raw, key, versionId), { awsRequestId: 'req-1' });
  return r.results[0];
}

beforeAll(async () => {
  plan = compileAt(sampleSources()).plan!;
  catalog = InMemoryCatalog.fromPlan(plan);
  const buckets = [plan.platform.sharedZone.bucket, ...plan.cooperatives.flatMap((c) => Object.values(c.cloud.buckets))];
  s3 = await startS3(buckets);
  s3.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand') {
        const input = args.input as { Bucket: string; Key: string };
        const headers = (args.request as { headers: Record<string, string> }).headers;
        puts.push({ bucket: input.Bucket, key: input.Key, ...(headers['x-amz-tagging'] !== undefined ? { tagging: headers['x-amz-tagging'] } : {}) });
      }
      return next(args);
    },
    { step: 'build', name: 'recordPutObjectTagging' },
  );
});

afterAll(async () => {
  await s3?.stop();
});

describe('CP949 CSV with quoted commas and bad rows (korea-machinery/spindle_telemetry)', () => {
  const key = 'spindle_telemetry/2026/11/27/line 3 export.csv';
  let manifest: Manifest;
  beforeAll(async () => {
    const r = await ingest('korea-machinery', key, 'spindle_telemetry.cp949.csv');
    expect(r.status).toBe('processed');
    manifest = r.manifest!;
  });

  test('shared objects are written tagged with their dataset\'s retention, in the same request', () => {
    const shared = puts.filter((p) => p.bucket === plan.platform.sharedZone.bucket && manifest.outputs.shared.some((o) => o.key === p.key));
    expect(shared).toHaveLength(manifest.outputs.shared.length);
    const days = coop('korea-machinery').datasets.find((d) => d.name === 'spindle_telemetry')!.retentionDays;
    for (const p of shared) expect(p.tagging).toBe(`coopidc%3Aretention-days=${days}`);
    // Curated objects carry no tag: their bucket expires them by dataset prefix.
    expect(puts.filter((p) => p.bucket === coop('korea-machinery').cloud.buckets.curated).every((p) => p.tagging === undefined)).toBe(true);
  });

  test('rows in = rows written + rows quarantined', () => {
    expect(manifest.rowsIn).toBe(11);
    expect(manifest.rowsWritten).toBe(4);
    expect(manifest.rowsQuarantined).toBe(7);
    expect(manifest.encoding).toBe('cp949');
  });

  test('each shared output records what was tokenised, generalised and dropped, under which agreement (PIPA art. 28-4)', () => {
    const agreementOf = plan.grants.find((g) => g.cooperative === 'korea-machinery' && g.dataset === 'spindle_telemetry')!.source;
    const dataset = coop('korea-machinery').datasets.find((d) => d.name === 'spindle_telemetry')!;
    const disclosed = new Set(dataset.sharedColumns!.map((c) => c.name));
    for (const o of manifest.outputs.shared) {
      expect(o.disclosure!.tokenised).toEqual([{ column: 'member_company_id', agreements: [agreementOf] }]);
      expect(o.disclosure!.generalised).toEqual([{ column: 'factory_region', rule: 'truncate 2', agreements: [agreementOf] }]);
      expect(o.disclosure!.dropped).toEqual(dataset.columns.map((c) => c.name).filter((n) => !disclosed.has(n)));
      expect(o.disclosure!.dropped).toContain('power_kwh');
    }
  });

  test('output keys derive from the key and version and are partitioned by UTC date', () => {
    const id = objectId(key, 'v1');
    expect(manifest.objectId).toBe(id);
    expect(manifest.outputs.curated.map((o) => [o.key, o.rows])).toEqual([
      [`spindle_telemetry/dt=2026-11-26/${id}.parquet`, 1],
      [`spindle_telemetry/dt=2026-11-27/${id}.parquet`, 3],
    ]);
    expect(manifest.outputs.shared.map((o) => o.key)).toEqual([
      `korea_machinery__spindle_telemetry/dt=2026-11-26/${id}.parquet`,
      `korea_machinery__spindle_telemetry/dt=2026-11-27/${id}.parquet`,
    ]);
    expect(manifest.outputs.quarantine).toEqual({ key: `spindle_telemetry/${id}.jsonl`, rows: 7 });
  });

  test('curated Parquet holds standardized values with the plan types', async () => {
    const { rows, types } = await readParquet(s3.client, coop('korea-machinery').cloud.buckets.curated, manifest.outputs.curated[1].key, 'SELECT * FROM t ORDER BY machine_id');
    expect(types).toEqual({
      machine_id: 'VARCHAR', member_company_id: 'VARCHAR', measured_at: 'TIMESTAMP WITH TIME ZONE', spindle_temp: 'DOUBLE',
      vibration_rms: 'DOUBLE', spindle_rpm: 'INTEGER', power_kwh: 'DOUBLE', factory_region: 'VARCHAR',
    });
    expect(rows[0]).toMatchObject({ machine_id: 'CNC-0002', member_company_id: 'M00002', spindle_rpm: 12500, power_kwh: 2000, factory_region: '경기 안산시' });
    expect(rows[0].spindle_temp).toBeCloseTo(82.5, 9); // 180.5 °F
    expect(String(rows[0].measured_at)).toMatch(/^2026-11-27 00:00:00/); // 09:00 Seoul
    expect(rows[1]).toMatchObject({ machine_id: 'CNC-0003', spindle_temp: 0, power_kwh: 0.5, factory_region: '경남 창원시, 성산구' });
    expect(String(rows[1].measured_at)).toMatch(/^2026-11-27 01:30:00/);
    expect(String(rows[2].measured_at)).toMatch(/^2026-11-27 14:30:00/); // explicit +09:00
  });

  test('a reading just before 09:00 Seoul lands in the previous UTC day', async () => {
    const { rows } = await readParquet(s3.client, coop('korea-machinery').cloud.buckets.curated, manifest.outputs.curated[0].key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ machine_id: 'CNC-0001', spindle_temp: 100, power_kwh: 1.5, vibration_rms: 1.25 });
  });

  test('the shared copy replaces identifiers with the keyed HMAC and generalizes quasi-identifiers', async () => {
    const { rows } = await readParquet(s3.client, plan.platform.sharedZone.bucket, manifest.outputs.shared[1].key, 'SELECT * FROM t ORDER BY machine_id');
    expect(rows.map((r) => r.member_company_id)).toEqual([mac('M00002'), mac('M00001'), mac('M00003')]);
    expect(rows.map((r) => r.factory_region)).toEqual(['경기', '경남', '인천']);
    expect(rows[0].machine_id).toBe('CNC-0002'); // pii: none stays
    expect(JSON.stringify(rows)).not.toContain('M0000');
  });

  test('every rejected record is quarantined with its line number and reason', async () => {
    const text = (await getBytes(s3.client, coop('korea-machinery').cloud.buckets.quarantine, manifest.outputs.quarantine!.key)).toString('utf8');
    const entries = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.line, e.errors.join('; ')])).toEqual([
      [6, 'member_company_id: is required'],
      [7, expect.stringMatching(/^measured_at: "2026-13-01 00:00:00" is not a valid calendar date/)],
      [8, expect.stringMatching(/^spindle_temp: "900" is above the maximum 250 celsius/)],
      [9, 'vibration_rms: "abc" is not a number'],
      [10, 'has 7 fields but the header has 8; quote fields that contain commas'],
      [11, 'spindle_rpm: "50000" is above the maximum 40000'],
      [12, expect.stringMatching(/^power_kwh: "1 kWh" has unit "kWh" \(kwh\) but the dataset expects wh/)],
    ]);
    expect(entries[0].record).toMatchObject({ machine_id: 'CNC-0005', factory_region: '부산 강서구' });
  });

  test('partitions are registered in both catalogs', () => {
    const c = coop('korea-machinery');
    expect([...catalog.partitions.get(`${c.cloud.database}.spindle_telemetry`)!.entries()]).toEqual([
      ['2026-11-26', `s3://${c.cloud.buckets.curated}/spindle_telemetry/dt=2026-11-26/`],
      ['2026-11-27', `s3://${c.cloud.buckets.curated}/spindle_telemetry/dt=2026-11-27/`],
    ]);
    expect([...catalog.partitions.get(`${plan.platform.sharedZone.database}.korea_machinery__spindle_telemetry`)!.keys()]).toEqual(['2026-11-26', '2026-11-27']);
  });

  test('emits the manifest counts as embedded-metric-format lines (one per object) that CloudWatch turns into metrics', () => {
    const emf = logs.map((l) => JSON.parse(l)).filter((l) => l._aws && l.Dataset === 'spindle_telemetry');
    expect(emf).toHaveLength(1);
    const [line] = emf;
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: INGESTION_METRICS.namespace,
        Dimensions: [['Cooperative', 'Dataset']],
        Metrics: [{ Name: 'RowsIn', Unit: 'Count' }, { Name: 'RowsWritten', Unit: 'Count' }, { Name: 'RowsQuarantined', Unit: 'Count' }],
      },
    ]);
    expect(line).toMatchObject({ Cooperative: 'korea-machinery', Dataset: 'spindle_telemetry', RowsIn: 11, RowsWritten: 4, RowsQuarantined: 7, requestId: 'req-1' });
    expect(Number.isInteger(line._aws.Timestamp)).toBe(true);
    // Every metric and dimension the directive names is a top-level key of the line (the EMF specification's rule).
    for (const d of line._aws.CloudWatchMetrics[0].Dimensions[0]) expect(typeof line[d]).toBe('string');
    for (const m of line._aws.CloudWatchMetrics[0].Metrics) expect(typeof line[m.Name]).toBe('number');
  });

  test('logs are structured and carry no record values or uploader file names', () => {
    const lines = logs.map((l) => JSON.parse(l));
    expect(lines.some((l) => l.message === 'object processed' && l.rowsIn === 11)).toBe(true);
    const all = logs.join('\n');
    for (const secret of ['M00001', '서울', 'CNC-0001', 'line 3 export']) expect(all).not.toContain(secret);
  });

  test('replaying the event changes nothing', async () => {
    const buckets = [...Object.values(coop('korea-machinery').cloud.buckets), plan.platform.sharedZone.bucket];
    const before = await Promise.all(buckets.map((b) => listAll(s3.client, b)));
    const r = await handlerFor('korea-machinery')(s3Event(coop('korea-machinery').cloud.buckets.raw, key, 'v1'));
    expect(r.results[0].status).toBe('already-processed');
    expect(await Promise.all(buckets.map((b) => listAll(s3.client, b)))).toEqual(before);
  });
});

describe('UTF-8 with BOM, CRLF, quoted newlines (korea-food/cold_chain_readings)', () => {
  let manifest: Manifest;
  beforeAll(async () => {
    manifest = (await ingest('korea-food', 'cold_chain_readings/bom-crlf.csv', 'cold_chain_readings.bom-crlf.csv')).manifest!;
  });

  test('counts add up and the BOM does not leak into the first column', async () => {
    expect([manifest.rowsIn, manifest.rowsWritten, manifest.rowsQuarantined]).toEqual([5, 3, 2]);
    expect(manifest.warnings).toEqual([]);
    const all = await Promise.all(manifest.outputs.curated.map((o) => readParquet(s3.client, coop('korea-food').cloud.buckets.curated, o.key)));
    const rows = all.flatMap((r) => r.rows).sort((a, b) => String(a.sensor_id).localeCompare(String(b.sensor_id)));
    expect(rows.map((r) => [r.sensor_id, r.lot_number, r.humidity_pct])).toEqual([
      ['S-01', 'LOT-1, A', 45],
      ['S-02', 'LOT "2"', 50.5],
      ['S-03', 'LOT-3\r\nsecond line', null],
    ]);
  });

  test('line numbers count the lines inside quoted fields', async () => {
    const text = (await getBytes(s3.client, coop('korea-food').cloud.buckets.quarantine, manifest.outputs.quarantine!.key)).toString('utf8');
    expect(text.trim().split('\n').map((l) => JSON.parse(l)).map((e) => [e.line, e.errors])).toEqual([
      [6, ['temperature: is required']],
      [7, ['temperature: "70" is above the maximum 60 celsius']],
    ]);
  });
});

describe('EUC-KR with dates and exact decimals (korea-food/production_lots)', () => {
  test('dates partition directly, decimals keep every digit; an aggregated-only dataset gets no row-level shared copy', async () => {
    const m = (await ingest('korea-food', 'production_lots/2026-11.csv', 'production_lots.euc-kr.csv')).manifest!;
    expect([m.rowsIn, m.rowsWritten, m.rowsQuarantined]).toEqual([4, 3, 1]);
    expect(m.outputs.curated.map((o) => o.dt)).toEqual(['2026-11-27', '2026-11-28']);
    const { rows, types } = await readParquet(s3.client, coop('korea-food').cloud.buckets.curated, m.outputs.curated[0].key, 'SELECT lot_number, produced_on::VARCHAR AS d, quantity_kg::VARCHAR AS q, product_category FROM t');
    expect(rows).toEqual([{ lot_number: 'L-001', d: '2026-11-27', q: '1234.567891234', product_category: '김치' }]);
    expect(types).toMatchObject({ produced_on: 'DATE', quantity_kg: 'DECIMAL(38,9)' });
    expect(m.outputs.shared).toEqual([]);
  });
});

describe('JSON Lines with unit conversion (korea-electronics/inspection_results)', () => {
  test('valid lines are written, malformed ones quarantined with their line', async () => {
    const m = (await ingest('korea-electronics', 'inspection_results/batch-1.jsonl', 'inspection_results.jsonl')).manifest!;
    expect([m.rowsIn, m.rowsWritten, m.rowsQuarantined]).toEqual([5, 2, 3]);
    const { rows } = await readParquet(s3.client, coop('korea-electronics').cloud.buckets.curated, m.outputs.curated[0].key, 'SELECT board_serial, line_speed, confidence, inspected_at::VARCHAR AS at FROM t ORDER BY board_serial');
    expect(rows).toEqual([
      { board_serial: 'B-1', line_speed: 254, confidence: 0.93, at: '2026-11-27 00:00:00+00' },
      { board_serial: 'B-2', line_speed: 50.8, confidence: 0.5, at: '2026-11-27 01:00:00+00' },
    ]);
    const q = (await getBytes(s3.client, coop('korea-electronics').cloud.buckets.quarantine, m.outputs.quarantine!.key)).toString('utf8');
    expect(q.trim().split('\n').map((l) => JSON.parse(l)).map((e) => [e.line, e.errors[0]])).toEqual([
      [3, expect.stringMatching(/^not valid JSON/)],
      [5, 'each line must be a JSON object, found an array'],
      [6, 'confidence: 1.5 is above the maximum 1'],
    ]);
  });
});

describe('edge files', () => {
  test.each([
    ['an empty file', 'cold_chain_readings.empty.csv'],
    ['a header-only file', 'cold_chain_readings.header-only.csv'],
  ])('%s yields a manifest with zero rows and no outputs', async (_, sample) => {
    const m = (await ingest('korea-food', `cold_chain_readings/${sample}`, sample)).manifest!;
    expect(m).toMatchObject({ status: 'processed', rowsIn: 0, rowsWritten: 0, rowsQuarantined: 0, outputs: { curated: [], shared: [], quarantine: null } });
  });

  test('a CP949 file uploaded to a UTF-8 dataset is quarantined row by row, never stored garbled', async () => {
    const m = (await ingest('korea-food', 'cold_chain_readings/mislabelled.csv', 'cold_chain_readings.cp949-mislabelled.csv')).manifest!;
    expect([m.rowsIn, m.rowsWritten, m.rowsQuarantined]).toEqual([2, 1, 1]);
    const q = (await getBytes(s3.client, coop('korea-food').cloud.buckets.quarantine, m.outputs.quarantine!.key)).toString('utf8');
    expect(JSON.parse(q).errors[0]).toMatch(/^lot_number: contains bytes that are not valid utf-8; re-export the file as UTF-8/);
  });

  test('a charset in the Content-Type overrides the dataset encoding', async () => {
    const key = 'cold_chain_readings/labelled.csv';
    await upload('korea-food', key, 'cold_chain_readings.cp949-mislabelled.csv', 'text/csv; charset=cp949');
    const r = await handlerFor('korea-food')(s3Event(coop('korea-food').cloud.buckets.raw, key, 'v1'));
    expect(r.results[0].manifest).toMatchObject({ rowsWritten: 2, rowsQuarantined: 0, encoding: 'cp949' });
  });

  test('an object outside any dataset prefix is rejected with a manifest saying why', async () => {
    const r = await ingest('korea-food', 'no_such_dataset/x.csv', 'cold_chain_readings.header-only.csv');
    expect(r.status).toBe('rejected');
    expect(r.manifest!.reason).toMatch(/no dataset "no_such_dataset" in catalog database kbiz_\w+_korea_food/);
    // Counted per cooperative only: the key's first segment is the uploader's, not a dataset.
    const emf = logs.map((l) => JSON.parse(l)).filter((l) => l._aws && l.ObjectsRejected !== undefined);
    expect(emf.at(-1)).toMatchObject({ Cooperative: 'korea-food', ObjectsRejected: 1, _aws: { CloudWatchMetrics: [{ Dimensions: [['Cooperative']] }] } });
    expect(emf.at(-1).Dataset).toBeUndefined();
  });
});

describe('failure part-way', () => {
  test('stopping the S3 server mid-run fails with a retryable error and leaves no manifest; a rerun completes', async () => {
    const c = coop('korea-machinery');
    const key = 'spindle_telemetry/crash.csv';
    await upload('korea-machinery', key, 'spindle_telemetry.cp949.csv');
    const local = await startS3([...Object.values(c.cloud.buckets), plan.platform.sharedZone.bucket]);
    try {
      await local.client.send(new PutObjectCommand({ Bucket: c.cloud.buckets.raw, Key: key, Body: readFileSync(join(SAMPLES, 'spindle_telemetry.cp949.csv')) }));
      // Stop the server right after the first Parquet object is stored.
      const client = s3Client(local.endpoint);
      let puts = 0;
      client.middlewareStack.add((next, ctx) => async (args) => {
        const r = await next(args);
        if (ctx.commandName === 'PutObjectCommand' && ++puts === 1) await local.stop();
        return r;
      }, { step: 'initialize', name: 'stopAfterFirstPut' });
      const event = s3Event(c.cloud.buckets.raw, key, 'v7');
      await expect(handlerFor('korea-machinery', client)(event)).rejects.toBeInstanceOf(RetryableError);
      client.destroy();

      const again = await startS3([], local.dir);
      try {
        const curated = await listAll(again.client, c.cloud.buckets.curated);
        expect(Object.keys(curated).filter((k) => k.startsWith('_manifests/'))).toEqual([]);
        expect(Object.keys(curated)).toHaveLength(1); // the one Parquet object stored whole before the stop
        const r = await handlerFor('korea-machinery', again.client)(event);
        expect(r.results[0].manifest).toMatchObject({ rowsIn: 11, rowsWritten: 4, rowsQuarantined: 7 });
        const after = await listAll(again.client, c.cloud.buckets.curated);
        expect(Object.keys(after).sort()).toEqual([
          `_manifests/spindle_telemetry/${objectId(key, 'v7')}.json`,
          `spindle_telemetry/dt=2026-11-26/${objectId(key, 'v7')}.parquet`,
          `spindle_telemetry/dt=2026-11-27/${objectId(key, 'v7')}.parquet`,
        ]);
        // The object written before the crash was rewritten with identical bytes.
        const first = Object.keys(curated)[0];
        expect(after[first]).toBe(curated[first]);
      } finally {
        await again.stop();
      }
    } finally {
      await local.stop();
    }
  });
});
