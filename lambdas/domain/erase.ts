/**
 * Erasure of one member company's data (PIPA art. 36, 21): a request object in the
 * cooperative's curated bucket names a member id; every curated and shared Parquet file that
 * holds a row of that member is rewritten without those rows, and an erasure record says
 * what was done.
 *
 * Layout (curated bucket; "_" keeps both out of every table's location):
 *
 *   request  s3://<curated>/_erasure/requests/<requestRef>.json
 *   record   s3://<curated>/_erasure/records/<requestRef>.json
 *
 * Which files: the ingestion manifests (`_manifests/`) list every curated and shared output.
 * A curated row belongs to the member when its dataset's `memberField` equals the member id;
 * a shared row when that column, as the shared copy carries it, equals the member's HMAC
 * token (the same key and port as the ingestion, ./pseudonymize.ts) or the id in clear; when
 * the shared copy does not carry the column, by position: the pipeline writes the shared
 * file from the same rows in the same order as its curated twin.
 *
 * Atomic, on S3: a PutObject replaces the whole object at once; readers see the old or the
 * new file, never a mix, and S3 reads after writes are strongly consistent. Every new file is
 * written and hashed on local disk first; the record is then written with status
 * `in-progress` and every file's SHA-256 before and after, and only then are objects
 * replaced (shared files first, their curated twins last, since a shared file without the
 * column is matched by its twin's rows). A retry after a crash finds that record, skips the
 * files already at their "after" hash and finishes the rest; a file at neither hash was
 * changed by someone else and stops the erasure. The record's status becomes `erased` last;
 * a replayed request then changes nothing and writes nothing.
 *
 * Not rewritten (said in the record and docs/runbook-erasure.md): raw inputs (the original
 * uploads, listed in the record), quarantine files (expire after at most 90 days), the
 * superseded object versions (expire by the buckets' noncurrent-version rule), the manifests'
 * row counts, and the statistics tables (marked stale in the record; recomputed from the
 * table's SQL).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASURE_PREFIX, MANIFEST_PREFIX, OBJECT_TAG } from '../../infra/shared-names';
import type { DatasetPlan } from '../../infra/plan/types';
import { classify, ConfigurationError } from './errors';
import type { Manifest, ObjectRef } from './ingest';
import { readParquetTable, writeParquetTable, type ParquetTable } from './parquet-rewrite';
import type { DatasetCatalog, ObjectStore } from './ports';
import type { Pseudonymizer } from './pseudonymize';

/** Bumped when the record's shape changes. */
export const ERASURE_RECORD_VERSION = 1;

/** An erasure request as placed by the cooperative's data steward. Never a person's name. */
export interface ErasureRequest {
  /** The member company's id as the datasets' `memberField` holds it, e.g. `m-0042`. */
  readonly memberId: string;
  /** The cooperative id; must be the function's own. */
  readonly cooperative: string;
  /** Why, e.g. "PIPA art. 36 request of 2026-12-01" (no names, e-mails or phone numbers). */
  readonly reason: string;
  /** The request's reference in the steward's register; also the request's file name. */
  readonly requestRef: string;
}

const REQUEST_KEYS = ['memberId', 'cooperative', 'reason', 'requestRef'] as const;
const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REQUEST_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
/** Keys that would carry a person's details: named in the message, their values never echoed. */
const PERSONAL_KEY = /name|이름|성명|성함|e-?mail|메일|phone|mobile|tel|전화|연락처|address|주소|birth|생년|rrn|주민|ssn|person|담당자/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE = /(?:^|\D)0\d{1,2}[-. ]?\d{3,4}[-. ]?\d{4}(?:\D|$)/;
const RRN = /(?:^|\D)\d{6}[- ]?[1-8]\d{6}(?:\D|$)/;

/** A request that may not be processed, with every problem found (field names only, never values). */
export class InvalidErasureRequest extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`삭제 요청이 올바르지 않습니다 (invalid erasure request): ${problems.join('; ')}`);
    this.name = 'InvalidErasureRequest';
  }
}

/**
 * Validates a request object's text. Collects every problem, then fails once. Values are
 * never quoted back: a request that wrongly holds a name must not copy it into logs or records.
 */
export function parseErasureRequest(text: string, cooperative: string, fileName?: string): ErasureRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InvalidErasureRequest(['JSON 객체가 아닙니다 (not a JSON object); write {"memberId", "cooperative", "reason", "requestRef"}']);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidErasureRequest(['JSON 객체가 아닙니다 (not a JSON object)']);
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o)) {
    if ((REQUEST_KEYS as readonly string[]).includes(k)) continue;
    problems.push(PERSONAL_KEY.test(k)
      ? `"${k}": 개인의 이름·연락처는 요청에 넣지 마세요 (never put a person's name or contact details in a request); remove the key`
      : `"${k}": 알 수 없는 항목 (unknown key); allowed: ${REQUEST_KEYS.join(', ')}`);
  }
  const str = (k: (typeof REQUEST_KEYS)[number]): string | undefined => {
    const v = o[k];
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`"${k}": 필수 문자열입니다 (is required, a non-empty string)`);
      return undefined;
    }
    return v.trim();
  };
  const memberId = str('memberId');
  const coop = str('cooperative');
  const reason = str('reason');
  const requestRef = str('requestRef');
  if (memberId !== undefined && (!MEMBER_ID.test(memberId) || PHONE.test(memberId) || RRN.test(memberId))) {
    problems.push('"memberId": 회원사 식별자(예: m-0042)여야 합니다 (must be the member company\'s id as the data holds it, letters, digits, ".", "_", "-", up to 64; never a name, phone or resident number)');
  }
  if (coop !== undefined && coop !== cooperative) problems.push(`"cooperative": 이 함수는 ${cooperative}의 요청만 처리합니다 (this function erases for ${cooperative} only)`);
  if (reason !== undefined && (reason.length > 500 || EMAIL.test(reason) || PHONE.test(reason) || RRN.test(reason))) {
    problems.push('"reason": 500자 이내, 이메일·전화번호·주민등록번호 없이 (at most 500 characters, without e-mail addresses, phone or resident registration numbers)');
  }
  if (requestRef !== undefined && !REQUEST_REF.test(requestRef)) problems.push('"requestRef": 영문·숫자·"._-" 3~64자 (3-64 letters, digits, ".", "_", "-")');
  if (requestRef !== undefined && fileName !== undefined && fileName !== `${requestRef}.json`) {
    problems.push(`"requestRef": 파일 이름은 <requestRef>.json 이어야 합니다 (the request's file name must be <requestRef>.json)`);
  }
  if (problems.length > 0) throw new InvalidErasureRequest(problems);
  return { memberId: memberId!, cooperative: coop!, reason: reason!, requestRef: requestRef! };
}

/** Object storage as the erasure needs it: the ingestion's port plus listing. */
export interface ErasureStore extends ObjectStore {
  /** Every key under a prefix. */
  list(bucket: string, prefix: string): Promise<string[]>;
}

/** Where a cooperative's data lives; from the erasure function's environment. */
export interface ErasureTargets {
  readonly cooperative: string;
  readonly database: string;
  readonly curatedBucket: string;
  readonly sharedBucket: string;
  /** Statistics tables over this cooperative's datasets, marked stale when a dataset loses rows. */
  readonly aggregateTables?: readonly { readonly table: string; readonly dataset: string }[];
}

/** Services the erasure uses. */
export interface ErasureDeps {
  readonly store: ErasureStore;
  readonly catalog: DatasetCatalog;
  readonly pseudonymizer: Pseudonymizer;
  readonly targets: ErasureTargets;
  /** The clock, for the record. @default () => new Date() */
  readonly now?: () => Date;
  /** Parent of the work folder. @default os.tmpdir() */
  readonly tmpDir?: string;
}

/** How a file's rows were matched to the member. */
export type MatchKind = 'member-id' | 'token' | 'clear' | 'row-position';

/** One rewritten file in the record. */
export interface ErasedFile {
  readonly zone: 'curated' | 'shared';
  readonly bucket: string;
  readonly key: string;
  readonly dataset: string;
  readonly dt: string;
  readonly match: MatchKind;
  readonly rowsBefore: number;
  readonly rowsRemoved: number;
  readonly rowsAfter: number;
  readonly sha256Before: string;
  readonly sha256After: string;
  readonly bytesAfter: number;
}

/** The erasure record: the evidence of PIPA art. 36 / 21 for one request. */
export interface ErasureRecord {
  readonly recordVersion: typeof ERASURE_RECORD_VERSION;
  readonly status: 'in-progress' | 'erased';
  readonly request: ErasureRequest;
  readonly requestObject: { readonly bucket: string; readonly key: string; readonly versionId: string | null };
  readonly startedAt: string;
  /** When the last object was replaced (status `erased`). */
  readonly erasedAt?: string;
  readonly manifestsExamined: number;
  readonly filesExamined: number;
  readonly rowsRemoved: { readonly curated: number; readonly shared: number };
  /** Files rewritten, in the order they were replaced. */
  readonly files: readonly ErasedFile[];
  /** Datasets whose rows cannot be told apart by member (no `memberField`). */
  readonly notSearched: readonly { readonly dataset: string; readonly reason: string }[];
  /** Statistics tables computed from a dataset that lost rows: stale until recomputed with their SQL. */
  readonly aggregatesToRefresh: readonly { readonly table: string; readonly dataset: string }[];
  /** Original uploads that held the member's rows; raw inputs are not rewritten (see the runbook). */
  readonly rawInputs: readonly { readonly bucket: string; readonly key: string; readonly versionId: string | null }[];
  /** Quarantine files of those inputs, not rewritten; they expire with the quarantine rule. */
  readonly quarantineFiles: readonly string[];
}

/** What {@link eraseMember} did. */
export interface ErasureOutcome {
  readonly status: 'erased' | 'already-erased' | 'rejected' | 'conflict';
  readonly recordKey?: string;
  readonly record?: ErasureRecord;
  /** Why a request was rejected or conflicts (never a value from the request). */
  readonly problems?: readonly string[];
}

/** The record key of a request reference. */
export function recordKeyOf(requestRef: string): string {
  return `${ERASURE_PREFIX.records}/${requestRef}.json`;
}

const PARQUET = 'application/vnd.apache.parquet';
const JSON_TYPE = 'application/json';

async function bytesOf(store: ObjectStore, bucket: string, key: string): Promise<Uint8Array> {
  const o = await store.get(bucket, key);
  const chunks: Uint8Array[] = [];
  try {
    for await (const c of o.body) chunks.push(c);
  } catch (e) {
    classify(e, `reading s3://${bucket}/${key}`);
  }
  return Buffer.concat(chunks);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A rewrite decided in memory and staged on disk, not yet published. */
interface Staged {
  readonly entry: ErasedFile;
  readonly path: string;
}

/**
 * Erases the member a request object names. Throws `RetryableError` on transient storage
 * faults (Lambda retries; the record makes the retry finish the same work).
 */
export async function eraseMember(deps: ErasureDeps, ref: ObjectRef): Promise<ErasureOutcome> {
  const { store, targets } = deps;
  const now = deps.now ?? (() => new Date());
  const fileName = ref.key.slice(ref.key.lastIndexOf('/') + 1);
  let request: ErasureRequest;
  try {
    request = parseErasureRequest(Buffer.from(await bytesOf(store, ref.bucket, ref.key)).toString('utf8'), targets.cooperative, fileName);
  } catch (e) {
    if (e instanceof InvalidErasureRequest) return { status: 'rejected', problems: e.problems };
    throw e;
  }
  const recordKey = recordKeyOf(request.requestRef);
  let pending: ErasureRecord | undefined;
  if (await store.exists(targets.curatedBucket, recordKey)) {
    const existing = JSON.parse(Buffer.from(await bytesOf(store, targets.curatedBucket, recordKey)).toString('utf8')) as ErasureRecord;
    if (!sameRequest(existing.request, request)) {
      return { status: 'conflict', recordKey, problems: [`${recordKey} records a different request under the same requestRef; use a new requestRef`] };
    }
    if (existing.status === 'erased') return { status: 'already-erased', recordKey, record: existing };
    pending = existing;
  }
  const done = new Map((pending?.files ?? []).map((f) => [`${f.bucket}/${f.key}`, f]));

  const manifestKeys = (await store.list(targets.curatedBucket, `${MANIFEST_PREFIX}/`)).filter((k) => k.endsWith('.json')).sort();
  const datasets = new Map<string, DatasetPlan | undefined>();
  const notSearched = new Map<string, string>();
  const token = await deps.pseudonymizer.mac(request.memberId);
  const staged: { shared: Staged[]; curated: Staged[] } = { shared: [], curated: [] };
  const rawInputs: ErasureRecord['rawInputs'][number][] = [];
  const quarantineFiles: string[] = [];
  let filesExamined = 0;
  let manifestsExamined = 0;

  const workDir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'erase-'));
  try {
    for (const mk of manifestKeys) {
      const m = JSON.parse(Buffer.from(await bytesOf(store, targets.curatedBucket, mk)).toString('utf8')) as Manifest;
      if (m.status !== 'processed' || m.cooperative !== targets.cooperative) continue;
      manifestsExamined++;
      if (!datasets.has(m.dataset)) {
        try {
          datasets.set(m.dataset, await deps.catalog.getDataset(targets.database, m.dataset));
        } catch (e) {
          classify(e, 'reading the dataset definition');
        }
      }
      const dataset = datasets.get(m.dataset);
      if (!dataset || !dataset.memberField) {
        notSearched.set(m.dataset, dataset ? 'the dataset declares no memberField (회원사 필드 없음)' : 'the dataset is no longer in the catalog (카탈로그에 없음)');
        continue;
      }
      const memberField = dataset.memberField;
      const sharedColumn = dataset.sharedColumns?.find((c) => c.name === memberField);
      let touched = false;
      for (const out of m.outputs.curated) {
        filesExamined++;
        const curated = await inspect(store, targets.curatedBucket, out.key, done);
        const memberCol = curated.table?.columns.indexOf(memberField) ?? -1;
        if (curated.table && memberCol < 0) throw new ConfigurationError(`s3://${targets.curatedBucket}/${out.key} has no column ${memberField}`);
        // Rows of the member in the curated file as it was before (empty once it is rewritten).
        const positions = curated.table ? matches(curated.table, (g, r) => String(curated.table!.groups[g].values[memberCol][r]) === request.memberId) : undefined;
        const twin = m.outputs.shared.find((s) => s.dt === out.dt);
        if (twin) {
          filesExamined++;
          const shared = await inspect(store, targets.sharedBucket, twin.key, done);
          if (shared.table) {
            const col = shared.table.columns.indexOf(memberField);
            let match: MatchKind;
            let drop: Rows;
            if (col >= 0 && sharedColumn && sharedColumn.disclosure.kind !== 'generalized') {
              match = sharedColumn.disclosure.kind === 'token' ? 'token' : 'clear';
              const want = match === 'token' ? token : request.memberId;
              drop = matches(shared.table, (g, r) => shared.table!.groups[g].values[col][r] === want);
            } else {
              // The shared copy does not carry the member: its rows are its curated twin's, in order.
              if (!positions || !curated.table) throw new ConfigurationError(`s3://${targets.sharedBucket}/${twin.key} cannot be matched: its curated twin was already rewritten but it was not`);
              if (rowsOf(shared.table) !== rowsOf(curated.table) || shared.table.groups.some((g, i) => g.rows !== curated.table!.groups[i]?.rows)) {
                throw new ConfigurationError(`s3://${targets.sharedBucket}/${twin.key} does not have its curated twin's row groups; it cannot be matched by position`);
              }
              match = 'row-position';
              drop = positions;
            }
            if (drop.size > 0) staged.shared.push(stage(shared.table, drop, workDir, { zone: 'shared', bucket: targets.sharedBucket, key: twin.key, dataset: m.dataset, dt: twin.dt, match, sha256Before: shared.sha }));
          } else if (shared.done) {
            staged.shared.push({ entry: shared.done, path: '' });
          }
          touched ||= staged.shared.some((s) => s.entry.key === twin.key);
        }
        if (curated.table && positions && positions.size > 0) {
          staged.curated.push(stage(curated.table, positions, workDir, { zone: 'curated', bucket: targets.curatedBucket, key: out.key, dataset: m.dataset, dt: out.dt, match: 'member-id', sha256Before: curated.sha }));
          touched = true;
        } else if (curated.done) {
          staged.curated.push({ entry: curated.done, path: '' });
          touched = true;
        }
      }
      if (touched) {
        rawInputs.push(m.input);
        if (m.outputs.quarantine) quarantineFiles.push(m.outputs.quarantine.key);
      }
    }

    const files = [...staged.shared, ...staged.curated];
    const erasedDatasets = new Set(files.map((f) => f.entry.dataset));
    const record: ErasureRecord = {
      recordVersion: ERASURE_RECORD_VERSION,
      status: 'in-progress',
      request,
      requestObject: { bucket: ref.bucket, key: ref.key, versionId: ref.versionId ?? null },
      startedAt: pending?.startedAt ?? now().toISOString(),
      manifestsExamined,
      filesExamined,
      rowsRemoved: {
        curated: staged.curated.reduce((s, f) => s + f.entry.rowsRemoved, 0),
        shared: staged.shared.reduce((s, f) => s + f.entry.rowsRemoved, 0),
      },
      files: files.map((f) => f.entry),
      notSearched: [...notSearched].sort(([a], [b]) => (a < b ? -1 : 1)).map(([dataset, reason]) => ({ dataset, reason })),
      aggregatesToRefresh: (targets.aggregateTables ?? []).filter((a) => erasedDatasets.has(a.dataset)).map((a) => ({ table: a.table, dataset: a.dataset })).sort((a, b) => (a.table < b.table ? -1 : 1)),
      rawInputs,
      quarantineFiles,
    };
    const toPublish = files.filter((f) => f.path !== '');
    // The record first, with every hash: a crash from here on is finished by the retry.
    if (toPublish.length > 0) await store.putText(targets.curatedBucket, recordKey, JSON.stringify(record, null, 2) + '\n', JSON_TYPE);
    for (const f of toPublish) {
      // A shared copy carries the retention tag its bucket's lifecycle rules select on (and the
      // cell bucket's policy requires), exactly as the ingestion wrote it.
      const retentionDays = f.entry.zone === 'shared' ? datasets.get(f.entry.dataset)?.retentionDays : undefined;
      if (retentionDays !== undefined) await store.putFile(f.entry.bucket, f.entry.key, f.path, PARQUET, { [OBJECT_TAG.retentionDays]: String(retentionDays) });
      else await store.putFile(f.entry.bucket, f.entry.key, f.path, PARQUET);
    }
    const final: ErasureRecord = { ...record, status: 'erased', erasedAt: now().toISOString() };
    await store.putText(targets.curatedBucket, recordKey, JSON.stringify(final, null, 2) + '\n', JSON_TYPE);
    return { status: 'erased', recordKey, record: final };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function sameRequest(a: ErasureRequest, b: ErasureRequest): boolean {
  return REQUEST_KEYS.every((k) => a[k] === b[k]);
}

/**
 * A file as it is now: its table to rewrite, or the record's entry when it is already at its
 * "after" hash (a retry). A file at neither hash was changed by someone else: stop.
 */
async function inspect(store: ObjectStore, bucket: string, key: string, done: ReadonlyMap<string, ErasedFile>): Promise<{ sha: string; table?: ParquetTable; done?: ErasedFile }> {
  const bytes = await bytesOf(store, bucket, key);
  const sha = sha256(bytes);
  const prior = done.get(`${bucket}/${key}`);
  if (prior && sha === prior.sha256After) return { sha, done: prior };
  if (prior && sha !== prior.sha256Before) throw new ConfigurationError(`s3://${bucket}/${key} changed while its erasure was in progress (neither the hash before nor after); re-run with a new requestRef`);
  return { sha, table: await readParquetTable(bytes) };
}

/** The rows `hit` selects: one flag per row of each group, and how many. */
interface Rows {
  readonly flags: readonly Uint8Array[];
  readonly size: number;
}

function matches(t: ParquetTable, hit: (g: number, r: number) => boolean): Rows {
  let size = 0;
  const flags = t.groups.map((g, gi) => {
    const f = new Uint8Array(g.rows);
    for (let r = 0; r < g.rows; r++) if (hit(gi, r)) {
      f[r] = 1;
      size++;
    }
    return f;
  });
  return { flags, size };
}

function rowsOf(t: ParquetTable): number {
  return t.groups.reduce((s, g) => s + g.rows, 0);
}

let staging = 0;
function stage(t: ParquetTable, drop: Rows, dir: string, e: Omit<ErasedFile, 'rowsBefore' | 'rowsRemoved' | 'rowsAfter' | 'sha256After' | 'bytesAfter'>): Staged {
  const out = writeParquetTable(t, (g, r) => drop.flags[g][r] === 0, dir, `${++staging}.parquet`);
  const before = rowsOf(t);
  return {
    path: out.path,
    entry: { ...e, rowsBefore: before, rowsRemoved: before - out.rows, rowsAfter: out.rows, sha256After: sha256Sync(out.path), bytesAfter: out.bytes },
  };
}

function sha256Sync(path: string): string {
  return sha256(readFileSync(path));
}
