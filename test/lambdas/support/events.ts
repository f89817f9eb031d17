/**
 * Sample events (JSON files in test/lambdas/events) adapted to a test's bucket and key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestObjectEvent } from '../../../lambdas/ingest-object/app';
import type { HttpApiEvent } from '../../../lambdas/ingest-api/app';

const EVENTS = join(__dirname, '..', 'events');

/** The sample S3 notification for one object (key URL-encoded as S3 sends it). */
export function s3Event(bucket: string, key: string, versionId?: string): IngestObjectEvent {
  const e = JSON.parse(readFileSync(join(EVENTS, 's3-object-created.json'), 'utf8'));
  e.Records[0].s3.bucket.name = bucket;
  e.Records[0].s3.bucket.arn = `arn:aws:s3:::${bucket}`;
  e.Records[0].s3.object.key = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  if (versionId) e.Records[0].s3.object.versionId = versionId;
  else delete e.Records[0].s3.object.versionId;
  return e;
}

/** The sample HTTP API request, with overrides. */
export function apiEvent(overrides: { dataset?: string; cooperative?: string; body?: string; headers?: Record<string, string>; userArn?: string | null; method?: string } = {}): HttpApiEvent {
  const e = JSON.parse(readFileSync(join(EVENTS, 'http-api-push.json'), 'utf8'));
  const coop = overrides.cooperative ?? 'korea-machinery';
  const dataset = overrides.dataset ?? e.pathParameters.dataset;
  e.pathParameters.dataset = dataset;
  e.rawPath = `/v1/cooperatives/${coop}/datasets/${dataset}/records`;
  e.requestContext.http.path = e.rawPath;
  e.routeKey = e.requestContext.routeKey = `POST /v1/cooperatives/${coop}/datasets/{dataset}/records`;
  if (overrides.body !== undefined) e.body = overrides.body;
  if (overrides.headers) e.headers = { ...e.headers, ...overrides.headers };
  if (overrides.userArn === null) delete e.requestContext.authorizer;
  else if (overrides.userArn !== undefined) e.requestContext.authorizer.iam.userArn = overrides.userArn;
  if (overrides.method) e.requestContext.http.method = overrides.method;
  return e;
}
