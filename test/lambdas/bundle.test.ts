/**
 * The deployable bundles: deterministic, free of deploy-time frameworks, and working — the
 * ingest-api bundle is run in a child Node process against s3rver.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, bundleLambdas, LAMBDA_NAMES, type BundleOutput, type LambdaName } from '../../lambdas/bundle';
import { getBytes, startS3, type LocalS3 } from './support/s3';

let a: Record<LambdaName, BundleOutput>;
let b: Record<LambdaName, BundleOutput>;
const dirs: string[] = [];

beforeAll(async () => {
  const d1 = mkdtempSync(join(tmpdir(), 'bundle-a-'));
  const d2 = mkdtempSync(join(tmpdir(), 'bundle-b-'));
  dirs.push(d1, d2);
  a = await bundleLambdas(d1);
  b = await bundleLambdas(join(d2, 'elsewhere'));
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.each(LAMBDA_NAMES)('%s is byte-identical whatever the output folder', (name) => {
  for (const f of ['index.js', 'index.js.map']) {
    expect(readFileSync(join(a[name].dir, f)).equals(readFileSync(join(b[name].dir, f)))).toBe(true);
  }
  expect(a[name].bytes).toBe(readFileSync(join(a[name].dir, 'index.js')).length);
});

test.each(LAMBDA_NAMES)('%s bundles no deploy-time framework and maps sources portably', (name) => {
  const map = JSON.parse(readFileSync(join(a[name].dir, 'index.js.map'), 'utf8')) as { sources: string[] };
  expect(map.sources.filter((s) => /aws-cdk-lib|cdktf|\/constructs\//.test(s))).toEqual([]);
  expect(map.sources).toContain(`lambdas/${name}/handler.ts`);
  expect(map.sources.every((s) => !s.startsWith('/') && !s.includes('..'))).toBe(true);
});

test('fails when a handler imports a deploy-time framework', async () => {
  // Inside the repository (test-output/ is git-ignored) so aws-cdk-lib resolves as it would from lambdas/.
  const dir = join(__dirname, '..', '..', 'test-output', 'bundle-guard');
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  const entry = join(dir, 'handler.ts');
  writeFileSync(entry, "import { Stack } from 'aws-cdk-lib';\nexport const handler = async () => Stack.name;\n");
  await expect(bundleEntry(entry, 'bad', join(dir, 'out'))).rejects.toThrow(/aws-cdk-lib must not be bundled into a Lambda/);
});

/** Runs a bundle in a child process (asynchronously: s3rver lives in this process and must keep serving). */
async function runBundle(name: LambdaName, env: Record<string, string>, event?: unknown) {
  const script = `const m = require(${JSON.stringify(join(a[name].dir, 'index.js'))});
    Promise.resolve(${event ? `m.handler(${JSON.stringify(event)})` : 'typeof m.handler'}).then((r) => process.stdout.write('RESULT' + JSON.stringify(r)));`;
  const child = spawn(process.execPath, ['-e', script], { env: { PATH: process.env.PATH!, AWS_REGION: 'ap-northeast-2', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr, result: stdout.includes('RESULT') ? JSON.parse(stdout.slice(stdout.indexOf('RESULT') + 6)) : undefined };
}

test('fails the cold start with a clear message when configuration is missing', async () => {
  const r = await runBundle('ingest-object', { COOP_ID: 'korea-food' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('environment variable GLUE_DATABASE is required but not set');
});

test('ingest-object loads with its full configuration', async () => {
  const r = await runBundle('ingest-object', {
    COOP_ID: 'korea-food', GLUE_DATABASE: 'db', CURATED_BUCKET: 'c', QUARANTINE_BUCKET: 'q', SHARED_BUCKET: 's', SHARED_DATABASE: 'sd',
    PSEUDONYMIZATION_KEY_ARN: 'arn:aws:kms:ap-northeast-2:111111111111:key/0000',
  });
  expect(r.result).toBe('function');
});

describe('the ingest-api bundle against s3rver', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3(['raw']);
  });
  afterAll(async () => {
    await s3?.stop();
  });

  test('accepts a signed batch and stores it, logging one JSON line', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, 'events', 'http-api-push.json'), 'utf8'));
    const r = await runBundle('ingest-api', {
      COOP_ID: 'korea-machinery', RAW_BUCKET: 'raw', DATASETS: 'spindle_telemetry,maintenance_events', MAX_BODY_BYTES: '1048576',
      ALLOWED_PRINCIPAL_ARNS: 'arn:aws:iam::111111111111:role/kbiz-dev-korea-machinery-gateway',
      AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }, event);
    expect(r.result).toMatchObject({ statusCode: 202 });
    const key = JSON.parse(r.result.body).key;
    expect((await getBytes(s3.client, 'raw', key)).toString('utf8')).toContain('"machine_id":"CNC-0100"');
    const log = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(log).toEqual([expect.objectContaining({ level: 'INFO', message: 'batch accepted', service: 'ingest-api', records: 1 })]);
  });
});
