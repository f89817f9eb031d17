/**
 * The stats-refresh handler logic, with its services injected: one EventBridge Scheduler
 * invocation refreshes one statistics table ({@link refreshAggregate}). handler.ts wires it
 * to AWS from the environment.
 */
import { refreshAggregate, type RefreshDeps, type RefreshOutcome, type RefreshRequest } from '../domain/refresh';
import { ConfigurationError } from '../domain/errors';
import type { Logger } from '../adapters/log';

/** The schedule's input: the request, as the schedule's `Input` JSON carries it. */
export type StatsRefreshEvent = Partial<Record<keyof RefreshRequest, unknown>>;

/** Reads the request out of an event, or fails with a configuration error naming what is missing. */
export function requestOf(event: StatsRefreshEvent): RefreshRequest {
  const missing = (['table', 'location', 'endsAt', 'scheduledTime'] as const).filter((k) => typeof event[k] !== 'string' || (event[k] as string) === '');
  if (missing.length > 0) throw new ConfigurationError(`schedule input lacks ${missing.join(', ')}; redeploy the cooperative's stack`);
  return { table: event.table as string, location: event.location as string, endsAt: event.endsAt as string, scheduledTime: event.scheduledTime as string };
}

/** Builds the handler. Errors are logged and rethrown, so the Scheduler's retry policy applies. */
export function createStatsRefreshHandler(deps: Omit<RefreshDeps, 'remainingMs'>, log: Logger) {
  return async (event: StatsRefreshEvent, context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }): Promise<RefreshOutcome> => {
    log.setContext({ requestId: context?.awsRequestId, table: typeof event.table === 'string' ? event.table : undefined });
    const started = Date.now();
    try {
      const req = requestOf(event);
      const remaining = context?.getRemainingTimeInMillis;
      const outcome = await refreshAggregate({ ...deps, ...(remaining ? { remainingMs: () => remaining() } : {}) }, req);
      if (outcome.status === 'expired') log.warn('refresh refused: the agreement\'s access has ended', { endsAt: outcome.endsAt, scheduledTime: req.scheduledTime });
      else log.info(`statistics ${outcome.status}`, { run: outcome.run, ...(outcome.status === 'refreshed' ? { queryId: outcome.queryId, deletedRuns: outcome.deletedRuns } : {}), durationMs: Date.now() - started });
      return outcome;
    } catch (e) {
      log.error('refresh failed', e, { retryable: (e as { retryable?: boolean }).retryable === true, durationMs: Date.now() - started });
      throw e;
    }
  };
}
