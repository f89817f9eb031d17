/**
 * Refreshing one statistics table (level `aggregated`): run the table's SQL in the query
 * engine as `UNLOAD … TO '<location>run=<scheduled time>/'`, then point the table at that
 * run, then delete runs no reader can still be using.
 *
 * Readers never see half a refresh: the table points at a complete run or at the previous
 * one, never at a prefix being written. A replayed invocation (Lambda or Scheduler retry)
 * sends the same client request token, so the engine returns the same query instead of
 * starting a second one, and a run the table already points at is not run again.
 *
 * After the agreement's access ends the job refuses to run: the schedule itself ends on that
 * date (EventBridge Scheduler `EndDate`), and this check covers a replay or a manual invoke.
 */
import { createHash } from 'node:crypto';
import { AGGREGATE_RUN_PREFIX, AGGREGATE_SQL_PARAMETER, PARQUET_COMPRESSION } from '../../infra/shared-names';
import { ConfigurationError, RetryableError } from './errors';

/** What one schedule sends (its `Input`, with the scheduled time filled in by the Scheduler). */
export interface RefreshRequest {
  /** The statistics table, in the shared database. */
  readonly table: string;
  /** `s3://bucket/<table>/`: runs are written under it. */
  readonly location: string;
  /** When the agreement's access ends (ISO 8601): no refresh at or after it. */
  readonly endsAt: string;
  /** The run's scheduled time (`<aws.scheduler.scheduled-time>`), ISO 8601. */
  readonly scheduledTime: string;
}

/** A statistics table as the catalog holds it. */
export interface AggregateTableState {
  /** The SQL that fills it (table parameter {@link AGGREGATE_SQL_PARAMETER}). */
  readonly sql: string;
  /** Where it points now. */
  readonly location: string;
}

/** The data catalog holding the statistics tables (Glue, in the data-lake account). */
export interface AggregateCatalog {
  /** The table, or undefined when it does not exist. */
  getTable(database: string, table: string): Promise<AggregateTableState | undefined>;
  /** Points the table at another location, changing nothing else. */
  setLocation(database: string, table: string, location: string): Promise<void>;
}

/** States of a query, as Athena names them. */
export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** The query engine (Athena): start a statement idempotently, ask how it is doing. */
export interface QueryEngine {
  /** Starts `sql` in `workgroup`; the same `token` returns the same query instead of a new one. */
  start(q: { readonly sql: string; readonly token: string; readonly workgroup: string }): Promise<string>;
  state(queryId: string): Promise<{ readonly state: QueryState; readonly reason?: string }>;
}

/** Where runs are written: list and delete whole runs under a table's location. */
export interface RunStorage {
  /** Run folders under `location` (`s3://bucket/<table>/`), each as its full `s3://…/run=…/` location, sorted. */
  listRuns(location: string): Promise<string[]>;
  /** Deletes every object under a run's location; returns how many. */
  deleteRun(location: string): Promise<number>;
}

/** The services a refresh uses. */
export interface RefreshDeps {
  readonly catalog: AggregateCatalog;
  readonly engine: QueryEngine;
  readonly storage: RunStorage;
  /** The shared database holding the statistics tables. */
  readonly database: string;
  readonly workgroup: string;
  /** @default Date.now */
  readonly now?: () => number;
  /** Waits between polls. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Milliseconds left before the invocation must return; polling stops with a retryable
   * error before then (the retry polls the same query, by its token).
   * @default - no limit
   */
  readonly remainingMs?: () => number;
}

/** How a refresh ended. */
export type RefreshOutcome =
  | { readonly status: 'refreshed'; readonly table: string; readonly run: string; readonly queryId: string; readonly deletedRuns: readonly string[] }
  /** The table already points at this run (a replay after a completed refresh). */
  | { readonly status: 'already-current'; readonly table: string; readonly run: string }
  /** The agreement's access has ended: nothing was run. */
  | { readonly status: 'expired'; readonly table: string; readonly endsAt: string };

/** Polling interval of the query's state. */
const POLL_MS = 2_000;
/** Stop polling this long before the invocation's deadline. */
const MARGIN_MS = 10_000;

/** The run folder of a scheduled time: `run=20261206T030000Z/` (sorts by time, no ":" in keys). */
export function runFolder(scheduledTime: string): string {
  const t = parseTime(scheduledTime, 'scheduledTime');
  return `${AGGREGATE_RUN_PREFIX}${new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}/`;
}

/**
 * The Athena client request token of one run: the same table and scheduled time always give
 * the same token (Athena requires 32–128 characters).
 */
export function runToken(table: string, scheduledTime: string): string {
  return createHash('sha256').update(`${table}\u0000${runFolder(scheduledTime)}`, 'utf8').digest('hex');
}

/** The statement a run executes: the table's SQL, unloaded as Parquet into the run's folder. */
export function unloadStatement(sql: string, runLocation: string): string {
  return `UNLOAD (\n${sql}\n)\nTO '${runLocation.replace(/'/g, "''")}'\nWITH (format = 'PARQUET', compression = '${PARQUET_COMPRESSION}')`;
}

/** Whether a refresh scheduled at `scheduledTime` may still run at `now`. */
export function refreshAllowed(req: Pick<RefreshRequest, 'endsAt' | 'scheduledTime'>, now: number): boolean {
  const end = parseTime(req.endsAt, 'endsAt');
  return now < end && parseTime(req.scheduledTime, 'scheduledTime') < end;
}

/** Refreshes one statistics table; see the module comment for the guarantees. */
export async function refreshAggregate(deps: RefreshDeps, req: RefreshRequest): Promise<RefreshOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  if (!req.location.startsWith('s3://') || !req.location.endsWith('/')) throw new ConfigurationError(`location "${req.location}" must be s3://bucket/prefix/`);
  if (!refreshAllowed(req, now())) return { status: 'expired', table: req.table, endsAt: req.endsAt };

  const run = `${req.location}${runFolder(req.scheduledTime)}`;
  const table = await deps.catalog.getTable(deps.database, req.table);
  if (!table) throw new ConfigurationError(`statistics table ${deps.database}.${req.table} does not exist; deploy the data-lake stacks first`);
  if (table.sql.trim() === '') throw new ConfigurationError(`statistics table ${deps.database}.${req.table} has no "${AGGREGATE_SQL_PARAMETER}" parameter; redeploy its stack`);
  const previous = table.location;
  if (previous === run) {
    // The first invocation cleaned up; which run it kept for readers is no longer known here.
    return { status: 'already-current', table: req.table, run };
  }

  const queryId = await deps.engine.start({ sql: unloadStatement(table.sql, run), token: runToken(req.table, req.scheduledTime), workgroup: deps.workgroup });
  for (;;) {
    const s = await deps.engine.state(queryId);
    if (s.state === 'SUCCEEDED') break;
    if (s.state === 'FAILED' || s.state === 'CANCELLED') {
      // Not retryable with the same token (it returns this query); the next schedule tries again.
      throw new Error(`refresh of ${req.table} (query ${queryId}) ${s.state}: ${s.reason ?? 'no reason given'}`);
    }
    if (deps.remainingMs && deps.remainingMs() < POLL_MS + MARGIN_MS) {
      throw new RetryableError(`refresh of ${req.table} (query ${queryId}) still ${s.state} at the invocation's deadline; a retry waits for the same query`);
    }
    await sleep(POLL_MS);
  }

  // Only a complete run becomes visible; the run read until now is kept for queries in flight.
  await deps.catalog.setLocation(deps.database, req.table, run);
  return { status: 'refreshed', table: req.table, run, queryId, deletedRuns: await cleanUp(deps.storage, req.location, [run, previous]) };
}

/** Deletes every run under `location` except those kept; returns the deleted runs. */
async function cleanUp(storage: RunStorage, location: string, keep: readonly string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (const r of await storage.listRuns(location)) {
    if (keep.includes(r)) continue;
    await storage.deleteRun(r);
    deleted.push(r);
  }
  return deleted;
}

function parseTime(text: string, what: string): number {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(t)) throw new ConfigurationError(`${what} "${text}" is not an ISO 8601 time`);
  return t;
}
