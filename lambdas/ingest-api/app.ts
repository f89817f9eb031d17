/**
 * The ingest-api logic: `POST /v1/cooperatives/<id>/datasets/{dataset}/records` from factory
 * gateways, through the cell's API Gateway HTTP API (one route per cooperative, AWS_IAM
 * authorization, each route integrated with its own cooperative's function).
 *
 * The caller's role maps to exactly one cooperative (the roles in ALLOWED_PRINCIPAL_ARNS are
 * this function's cooperative's); a caller whose cooperative is not the route's is refused,
 * whatever IAM let through.
 *
 * The request is checked (caller, dataset, media type, size, shape) and the batch is written
 * to the raw zone as JSON Lines, where ingest-object takes over; 202 carries the object key.
 * Bad requests get 4xx with a JSON body `{ error, message }` — never a stack trace.
 */
import { LAMBDA_ENV } from '../../infra/shared-names';
import { createHash } from 'node:crypto';
import type { Logger } from '../adapters/log';
import type { ObjectStore } from '../domain/ports';
import { MAX_JSON_DEPTH, valueDeeperThan } from '../domain/jsonl';

/** Configuration from the environment (see handler.ts). */
export interface IngestApiConfig {
  readonly cooperative: string;
  readonly rawBucket: string;
  readonly datasets: readonly string[];
  readonly maxBodyBytes: number;
  /** IAM role ARNs allowed to push, e.g. `arn:aws:iam::123456789012:role/gateway`. */
  readonly allowedPrincipalArns: readonly string[];
}

/** The parts of an HTTP API (payload 2.0) event this handler reads. */
export interface HttpApiEvent {
  readonly routeKey?: string;
  readonly rawPath?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly pathParameters?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly requestId: string;
    readonly timeEpoch?: number;
    readonly http?: { readonly method?: string };
    readonly authorizer?: { readonly iam?: { readonly userArn?: string; readonly accountId?: string } };
  };
}

/** An HTTP API (payload 2.0) result. */
export interface HttpApiResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The route's path, optionally under a stage name: cooperative and dataset. */
const PUSH_PATH = /^(?:\/[^/]+)?\/v1\/cooperatives\/([^/]+)\/datasets\/([^/]+)\/records\/?$/;
/** The route key API Gateway passes: the cooperative is literal, the dataset a parameter. */
const PUSH_ROUTE = /^POST \/v1\/cooperatives\/([^/]+)\/datasets\/\{dataset\}\/records$/;

/**
 * The cooperative a request's route names: from the route key API Gateway matched, else from
 * the path; undefined when the request is not on a push route.
 */
export function routeCooperative(event: Pick<HttpApiEvent, 'routeKey' | 'rawPath'>): string | undefined {
  return PUSH_ROUTE.exec(event.routeKey ?? '')?.[1] ?? PUSH_PATH.exec(event.rawPath ?? '')?.[1];
}

/**
 * The one cooperative a caller's role acts for, from the roles each cooperative allows
 * (`identity → cooperative`); undefined when the role is none of them.
 */
export function cooperativeOfCaller(userArn: string | undefined, roles: ReadonlyMap<string, string>): { readonly cooperative: string; readonly roleName: string } | undefined {
  const role = userArn ? callerRoleArn(userArn) : undefined;
  const identity = role ? roleIdentity(role) : undefined;
  const cooperative = identity !== undefined ? roles.get(identity) : undefined;
  return cooperative !== undefined && identity !== undefined ? { cooperative, roleName: identity.split(':')[2] } : undefined;
}

/**
 * The role ARN behind a caller: assumed-role session ARNs
 * (`arn:aws:sts::<acct>:assumed-role/<name>/<session>`) map to `arn:aws:iam::<acct>:role/<name>`.
 */
export function callerRoleArn(userArn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(userArn);
  if (m) return `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
  return /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(userArn) ? userArn : undefined;
}

/** A role ARN reduced to partition, account and name: session ARNs do not carry the role's path. */
function roleIdentity(roleArn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `${m[1]}:${m[2]}:${m[3]}` : undefined;
}

/** Reads and checks the configuration; throws a message naming the variable at fault. */
export function configFromEnv(env: NodeJS.ProcessEnv, read: (name: string) => string): IngestApiConfig {
  const maxBodyBytes = Number(read(LAMBDA_ENV.maxBodyBytes));
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new Error(`${LAMBDA_ENV.maxBodyBytes} must be a positive integer, found "${env[LAMBDA_ENV.maxBodyBytes]}"`);
  const list = (name: string) => read(name).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const allowed = list(LAMBDA_ENV.allowedPrincipalArns);
  for (const a of allowed) if (!roleIdentity(a)) throw new Error(`${LAMBDA_ENV.allowedPrincipalArns}: "${a}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  return { cooperative: read(LAMBDA_ENV.cooperative), rawBucket: read(LAMBDA_ENV.rawBucket), datasets: list(LAMBDA_ENV.datasets), maxBodyBytes, allowedPrincipalArns: allowed };
}

/** Builds the request handler. */
export function createIngestApiHandler(config: IngestApiConfig, store: ObjectStore, log: Logger) {
  const roles = new Map(config.allowedPrincipalArns.map((a) => [roleIdentity(a)!, config.cooperative]));
  const datasets = new Set(config.datasets);
  return async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const requestId = event.requestContext.requestId;
    log.setContext({ requestId, cooperative: config.cooperative });
    const fail = (statusCode: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
      log.warn('request rejected', { statusCode, error });
      return json(statusCode, { error, message, requestId, ...extra }, headers);
    };

    const method = event.requestContext.http?.method ?? 'POST';
    if (method !== 'POST') return fail(405, 'method-not-allowed', `use POST, not ${method}`, {}, { allow: 'POST' });

    const caller = cooperativeOfCaller(event.requestContext.authorizer?.iam?.userArn, roles);
    if (!caller) {
      return fail(403, 'forbidden', `this caller may not push records to cooperative ${config.cooperative}; sign the request with one of the cooperative's gateway roles`);
    }
    const roleName = caller.roleName;
    const routed = routeCooperative(event);
    if (routed === undefined) return fail(404, 'not-found', `the route is POST /v1/cooperatives/${config.cooperative}/datasets/{dataset}/records`);
    // The integration is per cooperative; a route naming another one means a miswired API.
    if (routed !== caller.cooperative || routed !== config.cooperative) {
      return fail(403, 'wrong-cooperative', `the caller's role acts for cooperative ${caller.cooperative}, not ${routed}; push to /v1/cooperatives/${caller.cooperative}/datasets/{dataset}/records`);
    }

    const dataset = event.pathParameters?.dataset ?? PUSH_PATH.exec(event.rawPath ?? '')?.[2];
    if (!dataset) return fail(404, 'not-found', `the route is POST /v1/cooperatives/${config.cooperative}/datasets/{dataset}/records`);
    if (!datasets.has(dataset)) {
      return fail(404, 'unknown-dataset', `dataset "${dataset}" is not declared by cooperative ${config.cooperative}`, { datasets: [...datasets].sort() });
    }

    const headers = lowerKeys(event.headers);
    const contentType = headers['content-type'];
    if (!contentType || !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
      return fail(415, 'unsupported-media-type', `send Content-Type: application/json (found ${contentType ? `"${contentType}"` : 'none'})`);
    }
    const bytes = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes.length > config.maxBodyBytes) {
      return fail(413, 'payload-too-large', `the body is ${bytes.length} bytes; the limit is ${config.maxBodyBytes}: split the batch`, { limitBytes: config.maxBodyBytes });
    }
    if (bytes.length === 0) return fail(400, 'empty-body', 'send a JSON array of records, or {"records": [...]}');

    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return fail(400, 'invalid-json', `the body is not valid JSON: ${(e as Error).message}`);
    }
    const records = Array.isArray(parsed) ? parsed : isObject(parsed) && Array.isArray(parsed.records) ? parsed.records : undefined;
    if (!records) return fail(400, 'invalid-batch', 'the body must be a JSON array of records, or an object {"records": [...]}');
    if (records.length === 0) return fail(400, 'empty-batch', 'the batch holds no records');
    const bad = records.findIndex((r) => !isObject(r));
    if (bad >= 0) return fail(400, 'invalid-record', `record ${bad} is not a JSON object`, { index: bad });
    // Ingestion quarantines such a line anyway; saying so now tells the sender which record.
    const deep = records.findIndex((r) => valueDeeperThan(r, MAX_JSON_DEPTH));
    if (deep >= 0) return fail(400, 'invalid-record', `record ${deep} nests deeper than ${MAX_JSON_DEPTH} levels; send flat records`, { index: deep });

    const idem = headers['idempotency-key'];
    if (idem !== undefined && (idem.length === 0 || idem.length > 256)) return fail(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1 to 256 characters');
    const key = idem !== undefined
      ? `${dataset}/api/idempotent/${roleName}/${createHash('sha256').update(idem).digest('hex').slice(0, 32)}.jsonl`
      : `${dataset}/api/${datePath(event.requestContext.timeEpoch ?? Date.now())}/${safeId(requestId)}.jsonl`;

    try {
      if (idem !== undefined && (await store.exists(config.rawBucket, key))) {
        log.info('duplicate batch', { dataset, key });
        return json(202, { status: 'accepted', duplicate: true, key, requestId });
      }
      const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
      await store.putText(config.rawBucket, key, text, 'application/x-ndjson; charset=utf-8');
      log.info('batch accepted', { dataset, key, records: records.length, bytes: bytes.length, callerRole: roleName });
      return json(202, { status: 'accepted', key, records: records.length, requestId });
    } catch (e) {
      log.error('storing the batch failed', e, { dataset });
      if ((e as { retryable?: boolean }).retryable) {
        return json(503, { error: 'unavailable', message: 'storage is temporarily unavailable; retry the request (with the same Idempotency-Key)', requestId }, { 'retry-after': '5' });
      }
      return json(500, { error: 'internal', message: 'the batch could not be stored; quote the request id when reporting this', requestId });
    }
  };
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpApiResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lowerKeys(h: Readonly<Record<string, string | undefined>> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function datePath(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9=_-]/g, '_');
}
