/**
 * A real S3-API server (s3rver) on 127.0.0.1 with a random port, plus helpers to read what
 * the handlers wrote. DuckDB reads Parquet from a local copy (httpfs would need a download).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (o: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> };

/** A running s3rver and a client for it. */
export interface LocalS3 {
  readonly client: S3Client;
  readonly endpoint: string;
  /** The folder s3rver keeps objects in; restarting on it keeps the data. */
  readonly dir: string;
  stop(): Promise<void>;
}

/** Starts s3rver with the given buckets (or on an existing folder). */
export async function startS3(buckets: readonly string[], dir = mkdtempSync(join(tmpdir(), 's3rver-'))): Promise<LocalS3> {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3Client(endpoint);
  let stopped = false;
  return {
    client,
    endpoint,
    dir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await server.close();
    },
  };
}

/** An S3 client for a local endpoint: path-style, dummy credentials, one attempt (tests want failures fast). */
export function s3Client(endpoint: string, maxAttempts = 1): S3Client {
  // s3rver predates the SDK's default aws-chunked CRC trailers; checksums only where S3 requires them.
  return new S3Client({
    endpoint, region: 'ap-northeast-2', forcePathStyle: true, maxAttempts, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Every key in a bucket with its ETag, sorted. */
export async function listAll(client: S3Client, bucket: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let token: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of r.Contents ?? []) out[o.Key!] = o.ETag!;
    token = r.NextContinuationToken;
  } while (token);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** An object's bytes. */
export async function getBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await r.Body!.transformToByteArray());
}

/** Reads a Parquet object with DuckDB: rows as objects, plus column types. */
export async function readParquet(client: S3Client, bucket: string, key: string, sql = 'SELECT * FROM t'): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pq-'));
  try {
    const file = join(dir, 'f.parquet');
    writeFileSync(file, await getBytes(client, bucket, key));
    return await readParquetFile(file, sql);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads a local Parquet file with DuckDB as view `t` (session time zone UTC); rows as JSON-able objects. */
export async function readParquetFile(file: string, sql = 'SELECT * FROM t'): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
    const types = (await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE t)`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
    const rows = (await conn.runAndReadAll(sql.replace(/\bFILE\b/g, `'${file.replace(/'/g, "''")}'`))).getRowObjectsJson() as Record<string, unknown>[];
    return { rows, types: Object.fromEntries(types.map((t) => [t.column_name, t.column_type])) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
