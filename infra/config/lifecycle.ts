/**
 * Lifecycle rules: offboarding and removal of a cooperative (`status`, `since`, `retainUntil`).
 *
 * A cooperative leaves in two steps the file records: `offboarding` (every grant revoked,
 * ingestion removed, its data read-only for its admin until `retainUntil`, then expired by
 * lifecycle rules) and `removed` (nothing rendered), after which the file may be deleted.
 * The dates are checked here, each at its own line; "today" is the date every rule gets
 * (`RuleOptions.today` of rules.ts, the one agreement expiry uses), never the clock.
 */
import { bilingual, type Diagnostic } from './diagnostics';
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
  const err = (at: Located<unknown>, path: DocPath, code: string, message: string, hint: string, key = false) =>
    out.push({ file: at.source.source.displayPath, ...at.source.at(path, { key }), severity: 'error', code, message, hint });
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
          bilingual(`\`${k}\`은(는) status가 offboarding 또는 removed일 때만 씁니다 (지금은 active)`, `\`${k}\` only applies with status offboarding or removed; this cooperative is active`),
          bilingual(`\`${k}:\` 줄을 지우거나 \`status: offboarding\`을 추가하세요`, `remove the \`${k}:\` line, or add \`status: offboarding\``),
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
        bilingual(`status ${c.status}에는 ${missing.map((k) => `\`${k}\``).join(', ')}이(가) 필요합니다`, `status ${c.status} needs ${missing.map((k) => `\`${k}\``).join(' and ')}`),
        bilingual(
          `오프보딩 시작일 \`since: "YYYY-MM-DD"\`와 보존 의무가 끝나는 날 \`retainUntil: "YYYY-MM-DD"\`를 추가하세요`,
          `add \`since: "YYYY-MM-DD"\` (the day offboarding began) and \`retainUntil: "YYYY-MM-DD"\` (the last day the retention obligations require)`,
        ),
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
        bilingual(`오프보딩 시작일 ${since}이(가) 오늘(${today})보다 뒤입니다`, `offboarding cannot begin in the future: since is ${since}, today is ${today}`),
        bilingual('오프보딩을 시작하는 날에 이 변경을 병합하고 since를 그날로 적으세요', 'merge this change on the day offboarding begins, with since set to that day'),
      );
    }
    if (until < since) {
      err(
        located,
        ['retainUntil'],
        'retain-until-before-since',
        bilingual(`retainUntil ${until}이(가) since ${since}보다 앞섭니다`, `retainUntil ${until} is before since ${since}`),
        bilingual('retainUntil을 since 이후 날짜로 고치세요', 'set retainUntil to a date on or after since'),
      );
      continue;
    }
    const need = earliestRetainUntil(c, since);
    if (until < need.date) {
      err(
        located,
        ['retainUntil'],
        'retain-until-too-short',
        bilingual(
          `retainUntil ${until}은(는) 데이터셋 "${need.dataset}"의 보존 기간 ${need.days}일을 채우지 못합니다 (since ${since} + ${need.days}일 = ${need.date})`,
          `retainUntil ${until} does not cover the ${need.days}-day retention of dataset "${need.dataset}": the last record ingested before ${since} must be kept until ${need.date}`,
        ),
        bilingual(`retainUntil을 ${need.date} 이후로 하세요`, `set retainUntil to ${need.date} or later`),
      );
    }
    if (c.status === 'removed' && today <= until) {
      err(
        located,
        ['status'],
        'removed-before-retain-until',
        bilingual(
          `보존 기간이 ${until}까지여서 아직 removed로 바꿀 수 없습니다 (오늘 ${today})`,
          `status removed is only valid once retainUntil has passed: the data is kept until ${until} (today is ${today})`,
        ),
        bilingual(`${addDays(until, 1)} 이후에 removed로 바꾸세요; 그때까지는 \`status: offboarding\``, `keep \`status: offboarding\` until ${addDays(until, 1)} or later`),
      );
    }
  }
  return out;
}
