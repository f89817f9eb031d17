/**
 * Ingestion of one raw-zone object, end to end: read it, run the pipeline, publish the
 * outputs in an order that makes retries safe, write the manifest last.
 *
 * Layout (all keys derive from the input's key and version, so a replay rewrites the same
 * objects with the same bytes and never duplicates data):
 *
 *   curated     s3://<curated>/<dataset>/dt=YYYY-MM-DD/<id>.parquet
 *   shared      s3://<shared>/<coop>__<dataset>/dt=YYYY-MM-DD/<id>.parquet   (Names.sharedTable)
 *   quarantine  s3://<quarantine>/<dataset>/<id>.jsonl
 *   manifest    s3://<curated>/_manifests/<dataset>/<id>.json
 *
 * `<id>` is the first 32 hex digits of SHA-256(key, version). Each output is one object per
 * partition, uploaded whole (S3 never shows half an object), so a crash part-way leaves each
 * partition either without this input's rows or with all of them, and no manifest: the retry
 * redoes the work and finishes. The manifest's presence means "done"; a replayed event that
 * finds it does nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedCopyRecord, type SharedCopyRecord } from '../../infra/plan/disclosure';
import type { DatasetPlan } from '../../infra/plan/types';
import { charsetOf, encodingOf, type EffectiveEncoding } from './decode';
import { classify, RejectedInputError } from './errors';
import { runPipeline, type LocalTimes, type PipelineResult } from './pipeline';
import { sharedTableName, type DatasetCatalog, type ObjectStore } from './ports';
import { TokenCache, type Pseudonymizer } from './pseudonymize';
import { MANIFEST_PREFIX, OBJECT_TAG } from '../../infra/shared-names';

/** Bumped when the manifest's shape changes. */
export const MANIFEST_VERSION = 1;
/** Key prefix of the manifests (declared with the other names shared across seams). */
export { MANIFEST_PREFIX };

/** Where a cooperative's data lives; from the ingest-object environment. */
export interface IngestTargets {
  readonly cooperative: string;
  readonly database: string;
  readonly curatedBucket: string;
  readonly quarantineBucket: string;
  readonly sharedBucket: string;
  readonly sharedDatabase: string;
}

/** Services the ingestion uses. */
export interface IngestDeps {
  readonly store: ObjectStore;
  readonly catalog: DatasetCatalog;
  readonly pseudonymizer: Pseudonymizer;
  readonly targets: IngestTargets;
  /** Parent of per-object work folders. @default os.tmpdir() */
  readonly tmpDir?: string;
  /** Row-group size; tests lower it to exercise multi-group files. */
  readonly rowGroupRows?: number;
}

/** The object to ingest, as an S3 event names it. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
}

/** One output object listed in the manifest. */
export interface OutputEntry {
  readonly key: string;
  readonly dt: string;
  readonly rows: number;
  readonly bytes: number;
  /** Shared outputs: what was tokenised, generalised, kept and dropped, under which agreements (PIPA art. 28-4). */
  readonly disclosure?: SharedCopyRecord;
}

/** The manifest written last for every input object. */
export interface Manifest {
  readonly manifestVersion: typeof MANIFEST_VERSION;
  readonly status: 'processed' | 'rejected';
  /** Why the whole object was rejected (status "rejected"). */
  readonly reason?: string;
  readonly cooperative: string;
  readonly dataset: string;
  readonly objectId: string;
  readonly input: { readonly bucket: string; readonly key: string; readonly versionId: string | null; readonly bytes: number | null };
  readonly format: 'csv' | 'jsonl' | null;
  readonly encoding: EffectiveEncoding | null;
  readonly rowsIn: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly outputs: {
    readonly curated: readonly OutputEntry[];
    readonly shared: readonly OutputEntry[];
    readonly quarantine: { readonly key: string; readonly rows: number } | null;
  };
  readonly warnings: readonly string[];
  /**
   * How local times were read (status "processed"): the dataset's zone and how many values
   * fell in a daylight-saving gap (moved forward by the gap) or overlap (earlier offset).
   */
  readonly localTimes?: LocalTimes;
}

/** What {@link ingestObject} did. */
export interface IngestOutcome {
  readonly status: 'processed' | 'rejected' | 'already-processed';
  readonly objectId: string;
  readonly dataset: string;
  readonly manifestKey: string;
  readonly manifest?: Manifest;
}

/** Deterministic id of one version of one object. */
export function objectId(key: string, version: string): string {
  return createHash('sha256').update(key).update('\0').update(version).digest('hex').slice(0, 32);
}

/** The dataset a raw-zone key belongs to: its first path segment. */
export function datasetOfKey(key: string): string | undefined {
  const i = key.indexOf('/');
  return i > 0 ? key.slice(0, i) : undefined;
}

const DATASET_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Ingests one object. Throws `RetryableError` when storage or catalog fail transiently. */
export async function ingestObject(deps: IngestDeps, ref: ObjectRef): Promise<IngestOutcome> {
  const { store, catalog, targets } = deps;
  const version = ref.versionId ?? (ref.eTag ? `etag:${ref.eTag}` : 'null');
  const id = objectId(ref.key, version);
  const datasetName = datasetOfKey(ref.key);
  const dsPrefix = datasetName && DATASET_NAME.test(datasetName) ? datasetName : '_unknown';
  const manifestKey = `${MANIFEST_PREFIX}/${dsPrefix}/${id}.json`;
  const base = { objectId: id, dataset: dsPrefix, manifestKey };

  if (await store.exists(targets.curatedBucket, manifestKey)) return { ...base, status: 'already-processed' };

  const input = { bucket: ref.bucket, key: ref.key, versionId: ref.versionId ?? null, bytes: null as number | null };
  const rejected = async (reason: string): Promise<IngestOutcome> => {
    const manifest: Manifest = {
      manifestVersion: MANIFEST_VERSION, status: 'rejected', reason, cooperative: targets.cooperative, dataset: dsPrefix, objectId: id,
      input, format: null, encoding: null, rowsIn: 0, rowsWritten: 0, rowsQuarantined: 0,
      outputs: { curated: [], shared: [], quarantine: null }, warnings: [],
    };
    await store.putText(targets.curatedBucket, manifestKey, JSON.stringify(manifest, null, 2) + '\n', 'application/json');
    return { ...base, status: 'rejected', manifest };
  };

  if (dsPrefix === '_unknown') {
    return rejected('the object key must start with "<dataset>/" where <dataset> is a dataset name (lower-case letters, digits, "_")');
  }
  let dataset: DatasetPlan | undefined;
  try {
    dataset = await catalog.getDataset(targets.database, dsPrefix);
  } catch (e) {
    classify(e, 'reading the dataset definition');
  }
  if (!dataset) return rejected(`no dataset "${dsPrefix}" in catalog database ${targets.database}; declare it in the cooperative's config file or upload under an existing dataset's prefix`);

  const obj = await store.get(ref.bucket, ref.key, ref.versionId);
  input.bytes = obj.size ?? null;
  const format = formatOf(ref.key, dataset.format);
  const charset = charsetOf(obj.contentType);
  const encoding = (charset && encodingOf(charset)) || encodingOf(dataset.encoding) || 'utf-8';
  const shared = (dataset.sharedColumns?.length ?? 0) > 0;

  const workDir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), `ingest-${id}-`));
  try {
    let result: PipelineResult;
    try {
      result = await runPipeline({
        dataset,
        source: obj.body,
        format,
        encoding,
        workDir,
        ...(shared ? { tokens: new TokenCache(deps.pseudonymizer) } : {}),
        ...(deps.rowGroupRows !== undefined ? { rowGroupRows: deps.rowGroupRows } : {}),
      });
    } catch (e) {
      if (e instanceof RejectedInputError) return await rejected(e.message);
      classify(e, 'reading the input object');
    }

    const sharedPrefix = sharedTableName(targets.cooperative, dataset.name);
    const curated: OutputEntry[] = [];
    const sharedOut: OutputEntry[] = [];
    for (const p of result.partitions) {
      const key = `${dataset.name}/dt=${p.dt}/${id}.parquet`;
      await store.putFile(targets.curatedBucket, key, p.curatedFile, PARQUET);
      curated.push({ key, dt: p.dt, rows: p.rows, bytes: p.curatedBytes });
    }
    for (const p of result.partitions) {
      if (!p.sharedFile) continue;
      const key = `${sharedPrefix}/dt=${p.dt}/${id}.parquet`;
      // The tag selects the shared zone's lifecycle rule for this dataset's retention.
      await store.putFile(targets.sharedBucket, key, p.sharedFile, PARQUET, { [OBJECT_TAG.retentionDays]: String(dataset.retentionDays) });
      sharedOut.push({ key, dt: p.dt, rows: p.rows, bytes: p.sharedBytes ?? 0, disclosure: sharedCopyRecord(dataset) });
    }
    let quarantine: Manifest['outputs']['quarantine'] = null;
    if (result.quarantineFile) {
      const key = `${dataset.name}/${id}.jsonl`;
      await store.putFile(targets.quarantineBucket, key, result.quarantineFile, 'application/x-ndjson; charset=utf-8');
      quarantine = { key, rows: result.rowsQuarantined };
    }
    try {
      for (const p of result.partitions) {
        await catalog.addPartition(targets.database, dataset.table, p.dt, `s3://${targets.curatedBucket}/${dataset.name}/dt=${p.dt}/`);
        if (p.sharedFile) await catalog.addPartition(targets.sharedDatabase, sharedPrefix, p.dt, `s3://${targets.sharedBucket}/${sharedPrefix}/dt=${p.dt}/`);
      }
    } catch (e) {
      classify(e, 'registering partitions');
    }
    const manifest: Manifest = {
      manifestVersion: MANIFEST_VERSION, status: 'processed', cooperative: targets.cooperative, dataset: dataset.name, objectId: id,
      input, format: result.format, encoding: result.encoding,
      rowsIn: result.rowsIn, rowsWritten: result.rowsWritten, rowsQuarantined: result.rowsQuarantined,
      outputs: { curated, shared: sharedOut, quarantine }, warnings: result.warnings, localTimes: result.localTimes,
    };
    await store.putText(targets.curatedBucket, manifestKey, JSON.stringify(manifest, null, 2) + '\n', 'application/json');
    return { ...base, dataset: dataset.name, status: 'processed', manifest };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

const PARQUET = 'application/vnd.apache.parquet';

/** The input format: a `.jsonl`/`.ndjson` or `.csv` extension wins over the dataset's declared format. */
export function formatOf(key: string, declared: 'csv' | 'jsonl'): 'csv' | 'jsonl' {
  const k = key.toLowerCase();
  if (k.endsWith('.jsonl') || k.endsWith('.ndjson')) return 'jsonl';
  if (k.endsWith('.csv')) return 'csv';
  return declared;
}
