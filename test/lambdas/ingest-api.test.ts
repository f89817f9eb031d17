/**
 * ingest-api: the handler logic against s3rver, then the written batch through ingest-object
 * so a pushed record ends up in curated Parquet.
 */
import { S3ObjectStore } from '../../lambdas/adapters/s3';
import { Logger } from '../../lambdas/adapters/log';
import { InMemoryCatalog } from '../../lambdas/domain/ports';
import { HmacPseudonymizer } from '../../lambdas/domain/pseudonymize';
import { callerRoleArn, configFromEnv, cooperativeOfCaller, createIngestApiHandler, routeCooperative, type IngestApiConfig } from '../../lambdas/ingest-api/app';
import { createIngestObjectHandler } from '../../lambdas/ingest-object/app';
import type { CooperativePlan, TenancyPlan } from '../../infra/plan/types';
import { compileAt, sampleSources } from '../support/config';
import { apiEvent, s3Event } from './support/events';
import { getBytes, listAll, readParquet, s3Client, startS3, type LocalS3 } from './support/s3';

let plan: TenancyPlan;
let coop: CooperativePlan;
let s3: LocalS3;
let config: IngestApiConfig;
const logs: string[] = [];
const GATEWAY = 'arn:aws:iam::111111111111:role/gateways/kbiz-dev-korea-machinery-gateway';

const handler = () => createIngestApiHandler(config, new S3ObjectStore(s3.client, 1), new Logger('ingest-api', (l) => logs.push(l)));
const body = (r: { body: string }) => JSON.parse(r.body);

beforeAll(async () => {
  plan = compileAt(sampleSources()).plan!;
  coop = plan.cooperatives.find((c) => c.id === 'korea-machinery')!;
  s3 = await startS3([...Object.values(coop.cloud.buckets), plan.platform.sharedZone.bucket]);
  config = {
    cooperative: coop.id,
    rawBucket: coop.cloud.buckets.raw,
    datasets: coop.datasets.map((d) => d.name),
    maxBodyBytes: 4096,
    allowedPrincipalArns: [GATEWAY],
  };
});

afterAll(async () => {
  await s3?.stop();
});

describe('accepted batches', () => {
  test('writes the batch as JSON Lines to the raw zone and returns 202 with the key', async () => {
    const r = await handler()(apiEvent());
    expect(r.statusCode).toBe(202);
    const b = body(r);
    expect(b).toMatchObject({ status: 'accepted', records: 1, key: 'spindle_telemetry/api/2026/11/27/JqkLbg-aIE0EMWQ=.jsonl' });
    const text = (await getBytes(s3.client, coop.cloud.buckets.raw, b.key)).toString('utf8');
    expect(text).toBe('{"machine_id":"CNC-0100","member_company_id":"M00009","measured_at":"2026-11-27 12:00:00","spindle_temp":"200","vibration_rms":1.5,"spindle_rpm":9000,"power_kwh":"2,500","factory_region":"울산 남구"}\n');
  });

  test('the pushed batch flows through ingest-object into curated Parquet', async () => {
    const key = body(await handler()(apiEvent({ body: JSON.stringify({ records: [{ machine_id: 'CNC-0200', member_company_id: 'M00010', measured_at: '2026-11-28T03:00:00Z', spindle_temp: 212, power_kwh: 1000 }] }) }))).key;
    const ingest = createIngestObjectHandler({
      store: new S3ObjectStore(s3.client, 1),
      catalog: InMemoryCatalog.fromPlan(plan),
      pseudonymizer: new HmacPseudonymizer('k'),
      targets: {
        cooperative: coop.id, database: coop.cloud.database, curatedBucket: coop.cloud.buckets.curated, quarantineBucket: coop.cloud.buckets.quarantine,
        sharedBucket: plan.platform.sharedZone.bucket, sharedDatabase: plan.platform.sharedZone.database,
      },
    }, new Logger('ingest-object', () => undefined));
    const m = (await ingest(s3Event(coop.cloud.buckets.raw, key))).results[0].manifest!;
    expect(m).toMatchObject({ format: 'jsonl', encoding: 'utf-8', rowsIn: 1, rowsWritten: 1, rowsQuarantined: 0 });
    const { rows } = await readParquet(s3.client, coop.cloud.buckets.curated, m.outputs.curated[0].key);
    expect(rows[0]).toMatchObject({ machine_id: 'CNC-0200', spindle_temp: 100, power_kwh: 1 });
  });

  test('an Idempotency-Key makes a retried batch land once', async () => {
    const event = apiEvent({ headers: { 'Idempotency-Key': 'gw-line-3-batch-000042' } });
    const first = await handler()(event);
    const before = await listAll(s3.client, coop.cloud.buckets.raw);
    const second = await handler()({ ...event, requestContext: { ...event.requestContext, requestId: 'another-request' } });
    expect(first.statusCode).toBe(202);
    expect(body(second)).toMatchObject({ status: 'accepted', duplicate: true, key: body(first).key });
    expect(await listAll(s3.client, coop.cloud.buckets.raw)).toEqual(before);
  });
});

describe('rejected requests get a clear JSON error and no stack trace', () => {
  test.each([
    ['fails when the caller is another role', { userArn: 'arn:aws:sts::111111111111:assumed-role/someone-else/s' }, 403, 'forbidden'],
    ['fails when the role is in another account', { userArn: 'arn:aws:sts::222222222222:assumed-role/kbiz-dev-korea-machinery-gateway/s' }, 403, 'forbidden'],
    ['fails when the request is not IAM-signed', { userArn: null }, 403, 'forbidden'],
    ['fails when the caller is an IAM user', { userArn: 'arn:aws:iam::111111111111:user/kbiz-dev-korea-machinery-gateway' }, 403, 'forbidden'],
    ['fails when the dataset is unknown', { dataset: 'payroll' }, 404, 'unknown-dataset'],
    ['fails when the route names another cooperative than the caller\'s role', { cooperative: 'korea-textile' }, 403, 'wrong-cooperative'],
    ['fails when another cooperative\'s gateway calls this route', { userArn: 'arn:aws:sts::111111111111:assumed-role/kbiz-dev-korea-textile-gateway/s' }, 403, 'forbidden'],
    ['fails when the body is not JSON', { body: '[{"a":1},' }, 400, 'invalid-json'],
    ['fails when the body is not a batch', { body: '{"machine_id":"x"}' }, 400, 'invalid-batch'],
    ['fails when the batch is empty', { body: '[]' }, 400, 'empty-batch'],
    ['fails when a record is not an object', { body: '[{"a":1}, 2]' }, 400, 'invalid-record'],
    ['fails when the body is too large', { body: JSON.stringify([{ pad: 'x'.repeat(5000) }]) }, 413, 'payload-too-large'],
    ['fails when the media type is not JSON', { headers: { 'content-type': 'text/csv' } }, 415, 'unsupported-media-type'],
    ['fails when the method is not POST', { method: 'GET' }, 405, 'method-not-allowed'],
  ] as const)('%s', async (_, overrides, status, error) => {
    const before = await listAll(s3.client, coop.cloud.buckets.raw);
    const r = await handler()(apiEvent(overrides as Parameters<typeof apiEvent>[0]));
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const b = body(r);
    expect(b.error).toBe(error);
    expect(b.message).toEqual(expect.any(String));
    expect(r.body).not.toMatch(/\n\s+at /);
    expect(await listAll(s3.client, coop.cloud.buckets.raw)).toEqual(before);
  });

  test.each([
    ['nests deeper than the ingestion reads (a few levels over)', 66],
    ['would exhaust the stack of a recursive serializer', 200_000],
  ])('fails when a record %s: 400 naming the record, nothing stored', async (_, depth) => {
    const before = await listAll(s3.client, coop.cloud.buckets.raw);
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const big = { ...config, maxBodyBytes: 1 << 20 };
    const r = await createIngestApiHandler(big, new S3ObjectStore(s3.client, 1), new Logger('t', () => undefined))(apiEvent({ body: `[{"machine_id":"a"},{"machine_id":"b","x":${deep}}]` }));
    expect([r.statusCode, body(r).error, body(r).message, body(r).index]).toEqual([400, 'invalid-record', 'record 1 nests deeper than 64 levels; send flat records', 1]);
    expect(await listAll(s3.client, coop.cloud.buckets.raw)).toEqual(before);
  });

  test('storage outages answer 503 with Retry-After, not 500 with internals', async () => {
    const down = await startS3([coop.cloud.buckets.raw]);
    await down.stop();
    const r = await createIngestApiHandler(config, new S3ObjectStore(s3Client(down.endpoint), 1), new Logger('t', () => undefined))(apiEvent());
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(body(r).error).toBe('unavailable');
  });
});

describe('caller mapping and configuration', () => {
  test('maps a caller\'s role to exactly one cooperative, and no other role to any', () => {
    const roles = new Map([
      ['aws:111111111111:kbiz-dev-korea-machinery-uploader', 'korea-machinery'],
      ['aws:111111111111:kbiz-dev-korea-textile-uploader', 'korea-textile'],
    ]);
    expect(cooperativeOfCaller('arn:aws:sts::111111111111:assumed-role/kbiz-dev-korea-textile-uploader/gw-7', roles)).toEqual({ cooperative: 'korea-textile', roleName: 'kbiz-dev-korea-textile-uploader' });
    expect(cooperativeOfCaller('arn:aws:sts::111111111111:assumed-role/kbiz-dev-korea-machinery-uploader/gw-1', roles)?.cooperative).toBe('korea-machinery');
    expect(cooperativeOfCaller('arn:aws:sts::222222222222:assumed-role/kbiz-dev-korea-textile-uploader/gw-7', roles)).toBeUndefined();
    expect(cooperativeOfCaller('arn:aws:sts::111111111111:assumed-role/kbiz-dev-korea-textile-admin/x', roles)).toBeUndefined();
    expect(cooperativeOfCaller(undefined, roles)).toBeUndefined();
  });
  test('reads the route\'s cooperative from the route key, else from the path', () => {
    expect(routeCooperative({ routeKey: 'POST /v1/cooperatives/korea-food/datasets/{dataset}/records' })).toBe('korea-food');
    expect(routeCooperative({ rawPath: '/v1/cooperatives/korea-food/datasets/lots/records' })).toBe('korea-food');
    expect(routeCooperative({ rawPath: '/v1/datasets/lots/records' })).toBeUndefined();
  });
  test('assumed-role session ARNs map to the role ARN', () => {
    expect(callerRoleArn('arn:aws:sts::111111111111:assumed-role/gw/session-1')).toBe('arn:aws:iam::111111111111:role/gw');
    expect(callerRoleArn('arn:aws:iam::111111111111:user/alice')).toBeUndefined();
  });

  test('fails when MAX_BODY_BYTES is not a positive integer', () => {
    const env = { COOP_ID: 'c', RAW_BUCKET: 'b', DATASETS: 'a', MAX_BODY_BYTES: '10MB', ALLOWED_PRINCIPAL_ARNS: GATEWAY };
    expect(() => configFromEnv(env, (n) => env[n as keyof typeof env])).toThrow(/MAX_BODY_BYTES must be a positive integer, found "10MB"/);
  });

  test('fails when an allowed principal is not a role ARN', () => {
    const env = { COOP_ID: 'c', RAW_BUCKET: 'b', DATASETS: 'a', MAX_BODY_BYTES: '10', ALLOWED_PRINCIPAL_ARNS: 'arn:aws:iam::111111111111:user/x' };
    expect(() => configFromEnv(env, (n) => env[n as keyof typeof env])).toThrow(/ALLOWED_PRINCIPAL_ARNS: "arn:aws:iam::111111111111:user\/x" is not an IAM role ARN/);
  });

  test('logs carry no record values', () => {
    expect(logs.join('\n')).not.toMatch(/M00009|울산|CNC-0100/);
  });
});
