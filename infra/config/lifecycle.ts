/**
 * Lifecycle rules: offboarding and removal of a cooperative (`status`, `since`, `retainUntil`).
 *
 * A cooperative leaves in two steps the file records: `offboarding` (every grant revoked,
 * ingestion removed, its data read-only for its admin until `retainUntil`, then expired by
 * lifecycle rules) and `removed` (nothing rendered), after which the file may be deleted.
 * The dates are checked here, each at its own line; "today" is the date every rule gets
 * (`RuleOptions.today` of rules.ts, the one agreement expiry uses), never the clock.
 */
import { diagnostic, type Diagnostic } from './diagnostics';
import { msg, type MessageRef } from './messages';
import type { LoadedConfig, Located } from './load';
import type { CooperativeConfig } from './schema';
import type { DocPath } from './source';

/** The date `days` days after `date` (both YYYY-MM-DD, UTC calendar). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The earliest `retainUntil` the retention obligations allow: the last record ingested
 * before offboarding began is kept for its dataset's full `retentionDays`, so `since` plus
 * the longest retention (`since` itself for a cooperative without datasets). Returns the
 * dataset that sets it, for the message.
 */
export function earliestRetainUntil(coop: Pick<CooperativeConfig, 'datasets'>, since: string): { readonly date: string; readonly dataset?: string; readonly days: number } {
  let best: { date: string; dataset?: string; days: number } = { date: since, days: 0 };
  for (const d of coop.datasets) if (d.retentionDays > best.days) best = { date: addDays(since, d.retentionDays), dataset: d.name, days: d.retentionDays };
  return best;
}

/** Diagnostics of the lifecycle keys of every cooperative file. */
export function checkLifecycle(config: LoadedConfig, options: { readonly today: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (at: Located<unknown>, path: DocPath, code: string, message: MessageRef, hint: MessageRef, key = false) =>
    out.push(diagnostic({ file: at.source.source.displayPath, ...at.source.at(path, { key }) }, 'error', code, message, hint));
  const today = options.today;
  for (const located of config.cooperatives) {
    const c = located.value;
    if (c.status === 'active') {
      for (const k of ['since', 'retainUntil'] as const) {
        if (c[k] === undefined) continue;
        err(
          located,
          [k],
          'lifecycle-date-without-offboarding',
          msg('lifecycle.date-on-active', { key: k }),
          msg('lifecycle.date-on-active.hint', { key: k }),
          true,
        );
      }
      continue;
    }
    const missing = (['since', 'retainUntil'] as const).filter((k) => c[k] === undefined);
    if (missing.length > 0) {
      err(
        located,
        ['status'],
        'lifecycle-date-missing',
        msg('lifecycle.date-missing', { status: c.status, missing: missing.length === 2 ? 'both' : missing[0] }),
        msg('lifecycle.date-missing.hint'),
      );
      continue;
    }
    const since = c.since!;
    const until = c.retainUntil!;
    if (since > today) {
      err(
        located,
        ['since'],
        'offboarding-in-future',
        msg('lifecycle.future', { since, today }),
        msg('lifecycle.future.hint'),
      );
    }
    if (until < since) {
      err(
        located,
        ['retainUntil'],
        'retain-until-before-since',
        msg('lifecycle.before-since', { until, since }),
        msg('lifecycle.before-since.hint'),
      );
      continue;
    }
    const need = earliestRetainUntil(c, since);
    if (until < need.date) {
      err(
        located,
        ['retainUntil'],
        'retain-until-too-short',
        msg('lifecycle.too-short', { until, dataset: need.dataset ?? '', days: need.days, since, date: need.date }),
        msg('lifecycle.too-short.hint', { date: need.date }),
      );
    }
    if (c.status === 'removed' && today <= until) {
      err(
        located,
        ['status'],
        'removed-before-retain-until',
        msg('lifecycle.removed-early', { until, today }),
        msg('lifecycle.removed-early.hint', { after: addDays(until, 1) }),
      );
    }
  }
  return out;
}
