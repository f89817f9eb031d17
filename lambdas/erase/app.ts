/**
 * The erase handler logic, with its services injected: turns S3 "object created"
 * notifications of erasure requests into {@link eraseMember} calls. handler.ts wires it to
 * AWS from the environment.
 */
import { eraseMember, type ErasureDeps, type ErasureOutcome } from '../domain/erase';
import type { Logger } from '../adapters/log';
import { objectsOf, type IngestObjectEvent } from '../ingest-object/app';
import { ERASURE_PREFIX } from '../../infra/shared-names';

/** Per-request results, returned for tests and Lambda destinations. */
export interface EraseResult {
  readonly results: readonly ErasureOutcome[];
}

/**
 * Builds the handler. Requests are processed one after another; a failure is rethrown so
 * Lambda retries the event, and the erasure record makes the retry finish the same work.
 * Logs carry the request reference and counts, never the member id or the request's text.
 */
export function createEraseHandler(deps: ErasureDeps, log: Logger) {
  return async (event: IngestObjectEvent, context?: { awsRequestId?: string }): Promise<EraseResult> => {
    log.setContext({ requestId: context?.awsRequestId, cooperative: deps.targets.cooperative });
    const results: ErasureOutcome[] = [];
    for (const ref of objectsOf(event)) {
      // The notification is filtered to the requests prefix; anything else is not a request.
      if (!ref.key.startsWith(`${ERASURE_PREFIX.requests}/`)) continue;
      const started = Date.now();
      try {
        const r = await eraseMember(deps, ref);
        results.push(r);
        const rec = r.record;
        log.info(`erasure ${r.status}`, {
          requestRef: rec?.request.requestRef, recordKey: r.recordKey, durationMs: Date.now() - started,
          files: rec?.files.length, rowsRemovedCurated: rec?.rowsRemoved.curated, rowsRemovedShared: rec?.rowsRemoved.shared,
          problems: r.problems,
        });
      } catch (e) {
        log.error('erasure failed', e, { retryable: (e as { retryable?: boolean }).retryable === true, durationMs: Date.now() - started });
        throw e;
      }
    }
    return { results };
  };
}
