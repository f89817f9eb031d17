/**
 * ingest-object end to end on files as Korean business software exports them: Korean column
 * headers (`header:` in the dataset), CP949, an ambiguous header, local times in another
 * zone's daylight-saving change. s3rver on loopback, Parquet read back with DuckDB; the
 * dataset definition reaches the handler through the catalog as JSON, as the Glue table
 * parameter carries it. Uses its own dataset, not the sample config.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ColumnPlan, DatasetPlan } from '../../infra/plan/types';
import { Logger } from '../../lambdas/adapters/log';
import { S3ObjectStore } from '../../lambdas/adapters/s3';
import type { Manifest } from '../../lambdas/domain/ingest';
import { InMemoryCatalog } from '../../lambdas/domain/ports';
import { HmacPseudonymizer } from '../../lambdas/domain/pseudonymize';
import { createIngestObjectHandler } from '../../lambdas/ingest-object/app';
import { encodeCp949 } from './support/cp949';
import { s3Event } from './support/events';
import { getBytes, readParquet, startS3, type LocalS3 } from './support/s3';

const BUCKETS = { raw: 'coop-raw', curated: 'coop-curated', quarantine: 'coop-quarantine', shared: 'platform-shared' };
const col = (c: Partial<ColumnPlan> & Pick<ColumnPlan, 'name' | 'type'>): ColumnPlan => ({ glueType: c.type, pii: 'none', required: false, ...c });

/** An ERP export of equipment readings, as the onboarding guides show it. */
const READINGS: DatasetPlan = {
  name: 'equipment_readings', format: 'csv', encoding: 'cp949', timeZone: 'Asia/Seoul', timestampField: 'measured_at', retentionDays: 365,
  table: 'equipment_readings', partitionKeys: ['dt'], classification: 'none', sharedAt: [],
  columns: [
    col({ name: 'measured_at', type: 'timestamp', required: true, header: '측정시각' }),
    col({ name: 'machine_id', type: 'string', required: true, header: '설비ID' }),
    col({ name: 'temperature_c', type: 'double', unit: 'celsius', header: '온도(°C)' }),
  ],
};
const ABROAD: DatasetPlan = { ...READINGS, name: 'plant_readings', table: 'plant_readings', encoding: 'utf-8', timeZone: 'America/New_York' };

let s3: LocalS3;
const catalog = new InMemoryCatalog();

async function ingest(key: string, body: Uint8Array): Promise<Manifest> {
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKETS.raw, Key: key, Body: body }));
  const handler = createIngestObjectHandler({
    store: new S3ObjectStore(s3.client, 1), catalog, pseudonymizer: new HmacPseudonymizer('k'),
    targets: { cooperative: 'korea-test', database: 'coop_db', curatedBucket: BUCKETS.curated, quarantineBucket: BUCKETS.quarantine, sharedBucket: BUCKETS.shared, sharedDatabase: 'shared_db' },
  }, new Logger('ingest-object', () => undefined));
  const r = await handler(s3Event(BUCKETS.raw, key, 'v1'));
  return r.results[0].manifest!;
}

beforeAll(async () => {
  s3 = await startS3(Object.values(BUCKETS));
  catalog.put('coop_db', READINGS.table, READINGS);
  catalog.put('coop_db', ABROAD.table, ABROAD);
});

afterAll(async () => {
  await s3?.stop();
});

describe('Korean column headers (header:)', () => {
  test('a Korean-header CP949 ERP export lands with the right values', async () => {
    const csv = '측정시각,설비ID,온도(°C),비고\r\n2026-11-27 09:00:00,프레스-01,21.5,정상\r\n2026-11-27 09:00:05,프레스-02,,점검\r\n2026-11-27 09:00:10,,19.0,\r\n';
    const m = await ingest('equipment_readings/2026/11/27/export.csv', encodeCp949(csv));
    expect(m).toMatchObject({ status: 'processed', encoding: 'cp949', rowsIn: 3, rowsWritten: 2, rowsQuarantined: 1 });
    expect(m.warnings).toEqual(['ignored columns not in the dataset: 비고']);
    const { rows, types } = await readParquet(s3.client, BUCKETS.curated, m.outputs.curated[0].key, 'SELECT * FROM t ORDER BY measured_at');
    expect(types).toEqual({ measured_at: 'TIMESTAMP WITH TIME ZONE', machine_id: 'VARCHAR', temperature_c: 'DOUBLE' });
    expect(rows).toEqual([
      { measured_at: '2026-11-27 00:00:00+00', machine_id: '프레스-01', temperature_c: 21.5 },
      { measured_at: '2026-11-27 00:00:05+00', machine_id: '프레스-02', temperature_c: null },
    ]);
    const q = (await getBytes(s3.client, BUCKETS.quarantine, m.outputs.quarantine!.key)).toString('utf8');
    expect(JSON.parse(q)).toMatchObject({ line: 4, errors: ['machine_id: is required'] });
  });

  test('fails when the header holds the same column twice after normalisation: the object is rejected with the reason in the manifest', async () => {
    const csv = `측정시각,설비ID,온도(°C),${'설비ID'.normalize('NFD')} \r\n2026-11-27 09:00:00,A,1,B\r\n`;
    // Decomposed Hangul has no CP949 form: a UTF-8 file with a byte-order mark, as Excel saves it.
    const m = await ingest('equipment_readings/2026/11/27/twice.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
    expect(m.status).toBe('rejected');
    expect(m.reason).toBe(`duplicate column headers (헤더 중복): "설비ID" (column 2) and "${'설비ID'.normalize('NFD')} " (column 4) both read as "설비id"; rename or remove one and upload again (하나의 이름을 바꾸거나 지운 뒤 다시 올리세요)`);
    expect([m.rowsIn, m.outputs.curated.length]).toEqual([0, 0]);
  });
});

describe('local times in a daylight-saving change', () => {
  test('the manifest counts gap and overlap times and says which rule read them', async () => {
    const csv = '측정시각,설비ID,온도(°C)\n2026-03-08 02:30:00,A,1\n2026-11-01 01:30:00,A,2\n2026-11-01 01:45:00,A,3\n2026-06-01 12:00:00,A,4\n';
    const m = await ingest('plant_readings/export.csv', Buffer.from(csv, 'utf8'));
    expect(m.status).toBe('processed');
    expect(m.localTimes).toEqual({ timeZone: 'America/New_York', dstGap: 1, dstOverlap: 2 });
    expect(m.warnings).toEqual(['1 local time fell in a daylight-saving gap of America/New_York and was moved forward by the gap\'s length; 2 fell in an overlap and took the earlier offset']);
  });
});
