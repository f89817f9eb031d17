/**
 * {@link ObjectStore} on Amazon S3 (and any S3-compatible server, e.g. s3rver in tests).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { classify, isTransient, RetryableError } from '../domain/errors';
import type { ObjectStore, StoredObject } from '../domain/ports';

/** S3 implementation of the storage port; transient failures surface as `RetryableError`. */
export class S3ObjectStore implements ObjectStore {
  /**
   * @param attempts tries per file upload (see {@link putFile}).
   */
  constructor(private readonly s3: S3Client, private readonly attempts = 3) {}

  async get(bucket: string, key: string, versionId?: string): Promise<StoredObject> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      const body = r.Body as Readable | undefined;
      if (!body) throw new Error(`s3://${bucket}/${key} has no body`);
      return { body: guard(body, bucket, key), ...(r.ContentType ? { contentType: r.ContentType } : {}), ...(r.ContentLength !== undefined ? { size: r.ContentLength } : {}) };
    } catch (e) {
      return classify(e, `reading s3://${bucket}/${key}`);
    }
  }

  /**
   * The SDK does not retry requests with a streaming body, so this does: each attempt opens the
   * file afresh. Overwriting with the same bytes is harmless.
   */
  async putFile(bucket: string, key: string, path: string, contentType: string, tags?: Readonly<Record<string, string>>): Promise<void> {
    const { size } = await stat(path);
    // Tags travel with the PutObject (x-amz-tagging): an object is never stored untagged.
    const tagging = tags && Object.keys(tags).length > 0 ? { Tagging: new URLSearchParams(Object.entries(tags)).toString() } : {};
    for (let attempt = 1; ; attempt++) {
      try {
        await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: contentType, ...tagging }));
        return;
      } catch (e) {
        if (attempt >= this.attempts || !isTransient(e)) classify(e, `writing s3://${bucket}/${key}`);
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  async putText(bucket: string, key: string, text: string, contentType: string): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: contentType }));
    } catch (e) {
      classify(e, `writing s3://${bucket}/${key}`);
    }
  }

  /** Every key under a prefix, in S3's (byte) order; used by the erasure to find the manifests. */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      classify(e, `listing s3://${bucket}/${prefix}`);
    }
    return keys;
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey') return false;
      return classify(e, `checking s3://${bucket}/${key}`);
    }
  }
}

/** Re-labels stream errors (connection reset mid-download) as retryable. */
async function* guard(body: Readable, bucket: string, key: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk as Uint8Array;
  } catch (e) {
    if (isTransient(e) || (e as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      throw new RetryableError(`reading s3://${bucket}/${key}: ${(e as Error).message}`, { cause: e });
    }
    throw e;
  }
}
