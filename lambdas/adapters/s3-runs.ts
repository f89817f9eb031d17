/** {@link RunStorage} on S3: runs are folders `run=…/` under a statistics table's prefix. */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { AGGREGATE_RUN_PREFIX } from '../../infra/shared-names';
import type { RunStorage } from '../domain/refresh';
import { classify } from '../domain/errors';

/** Splits `s3://bucket/prefix/` into bucket and key prefix. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  if (!m) throw new Error(`not an s3:// location: ${location}`);
  return { bucket: m[1], prefix: m[2] };
}

/** S3 implementation of the run storage port. */
export class S3RunStorage implements RunStorage {
  constructor(private readonly s3: Pick<S3Client, 'send'>) {}

  async listRuns(location: string): Promise<string[]> {
    const { bucket, prefix } = parseS3Location(location);
    const runs: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}${AGGREGATE_RUN_PREFIX}`, Delimiter: '/', ContinuationToken: token }));
        for (const p of r.CommonPrefixes ?? []) if (p.Prefix) runs.push(`s3://${bucket}/${p.Prefix}`);
        token = r.NextContinuationToken;
      } while (token);
    } catch (e) {
      classify(e, `listing the runs under ${location}`);
    }
    return runs.sort();
  }

  async deleteRun(location: string): Promise<number> {
    const { bucket, prefix } = parseS3Location(location);
    let n = 0;
    try {
      for (;;) {
        // Listed again after each batch: deleting while paging would skip keys.
        const r = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000 }));
        const keys = (r.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length === 0) return n;
        const d = await this.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
        if (d.Errors && d.Errors.length > 0) throw new Error(`deleting ${location}: ${d.Errors.length} objects not deleted (${d.Errors[0].Code ?? 'unknown'})`);
        n += keys.length;
      }
    } catch (e) {
      return classify(e, `deleting ${location}`);
    }
  }
}
