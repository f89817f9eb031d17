/**
 * The ingest-object handler logic, with its services injected: turns S3 "object created"
 * notifications (direct or through EventBridge) into {@link ingestObject} calls.
 * handler.ts wires it to AWS from the environment.
 */
import { ingestObject, type IngestDeps, type IngestOutcome, type ObjectRef } from '../domain/ingest';
import type { Logger } from '../adapters/log';
import { INGESTION_METRICS as M } from '../../infra/shared-names';

/** The parts of an S3 event notification record this handler reads. */
export interface S3NotificationRecord {
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly versionId?: string; readonly eTag?: string; readonly size?: number } };
}

/** An S3 notification event, or an EventBridge "Object Created" event. */
export type IngestObjectEvent =
  | { readonly Records: readonly S3NotificationRecord[] }
  | { readonly 'detail-type': string; readonly detail: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly 'version-id'?: string; readonly etag?: string } } };

/** Per-object results, returned for tests and Lambda destinations. */
export interface IngestObjectResult {
  readonly results: readonly IngestOutcome[];
}

/** The objects an event names. Keys in S3 notifications are URL-encoded with "+" for spaces. */
export function objectsOf(event: IngestObjectEvent): ObjectRef[] {
  if ('Records' in event) {
    return event.Records
      .filter((r) => (r.eventSource === undefined || r.eventSource === 'aws:s3') && (r.eventName === undefined || r.eventName.startsWith('ObjectCreated:')))
      .map((r) => ({
        bucket: r.s3.bucket.name,
        key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
        ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
        ...(r.s3.object.eTag ? { eTag: r.s3.object.eTag } : {}),
      }))
      .filter((r) => !r.key.endsWith('/'));
  }
  if (event['detail-type'] !== 'Object Created') return [];
  const d = event.detail;
  if (d.object.key.endsWith('/')) return [];
  return [{ bucket: d.bucket.name, key: d.object.key, ...(d.object['version-id'] ? { versionId: d.object['version-id'] } : {}), ...(d.object.etag ? { eTag: d.object.etag } : {}) }];
}

/**
 * Builds the handler. Objects are processed one after another; when one fails the error is
 * rethrown so Lambda retries the event, and objects already done are skipped by their manifest.
 */
export function createIngestObjectHandler(deps: IngestDeps, log: Logger) {
  return async (event: IngestObjectEvent, context?: { awsRequestId?: string }): Promise<IngestObjectResult> => {
    log.setContext({ requestId: context?.awsRequestId, cooperative: deps.targets.cooperative });
    const results: IngestOutcome[] = [];
    for (const ref of objectsOf(event)) {
      const started = Date.now();
      try {
        const r = await ingestObject(deps, ref);
        results.push(r);
        const m = r.manifest;
        // Keys and counts only: object keys are chosen by uploaders, so the id stands in for them.
        log.info(`object ${r.status}`, {
          objectId: r.objectId, dataset: r.dataset, manifestKey: r.manifestKey, durationMs: Date.now() - started,
          rowsIn: m?.rowsIn, rowsWritten: m?.rowsWritten, rowsQuarantined: m?.rowsQuarantined, partitions: m?.outputs.curated.map((o) => o.dt),
          reason: m?.reason,
        });
        // The alarms' inputs: rows per dataset for processed objects, whole-object rejections per cooperative.
        if (r.status === 'processed' && m) {
          log.metrics({
            namespace: M.namespace,
            dimensions: { [M.dimensions.cooperative]: deps.targets.cooperative, [M.dimensions.dataset]: r.dataset },
            metrics: { [M.rowsIn]: { value: m.rowsIn, unit: 'Count' }, [M.rowsWritten]: { value: m.rowsWritten, unit: 'Count' }, [M.rowsQuarantined]: { value: m.rowsQuarantined, unit: 'Count' } },
          });
        } else if (r.status === 'rejected') {
          log.metrics({ namespace: M.namespace, dimensions: { [M.dimensions.cooperative]: deps.targets.cooperative }, metrics: { [M.objectsRejected]: { value: 1, unit: 'Count' } } });
        }
      } catch (e) {
        log.error('object failed', e, { retryable: (e as { retryable?: boolean }).retryable === true, durationMs: Date.now() - started });
        throw e;
      }
    }
    return { results };
  };
}
