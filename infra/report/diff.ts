/**
 * What a change to the configuration does to access and tenancy: a pure comparison of two
 * tenancy plans (and, when both sides have them, two sets of check results), rendered as
 * Markdown for a pull-request comment by `coop-idc report --since <ref>`.
 *
 * Access is keyed by consumer × cooperative × dataset × level: moving an agreement from
 * `aggregated` to `pseudonymized` is shown as losing one and gaining the other, because for
 * a reviewer those are two different permissions.
 */
import type { CheckFinding } from '../checks/findings';
import type { Diagnostic } from '../config/diagnostics';
import { formatMessage, msg, type MessageRef } from '../config/messages';
import { formatBytes, formatCpu } from '../config/quantity';
import type { ShareLevel } from '../config/schema';
import { formatAmount } from '../plan/capacity';
import type { GrantPlan, QuotaPlan, TenancyPlan } from '../plan/types';

/** One permission gained, lost or changed. */
export interface AccessChange {
  /** A new agreement, a removed one, or one whose columns or terms changed. */
  readonly change: 'granted' | 'revoked' | 'modified';
  readonly consumer: string;
  readonly cooperative: string;
  readonly dataset: string;
  readonly level: ShareLevel;
  /** Columns of the grant after the change (before, for a lost grant). */
  readonly columns: readonly string[];
  /** Columns newly readable (all of them for a gained grant). */
  readonly columnsGained: readonly string[];
  /** Columns no longer readable (all of them for a lost grant). */
  readonly columnsLost: readonly string[];
  /** Other terms that changed: purpose, legal basis, expiry. */
  readonly terms: readonly { readonly field: 'purpose' | 'legalBasis' | 'expires'; readonly from: string; readonly to: string }[];
  readonly source: string;
}

/** A quota or capacity amount that changed. */
export interface AmountChange {
  /** Cooperative id, `shared:<server>`, or `cluster` for capacity. */
  readonly tenant: string;
  readonly resource: string;
  /** Formatted amounts; `-` when absent on that side. */
  readonly from: string;
  readonly to: string;
}

/** Everything that differs between two plans. */
export interface PlanDiff {
  readonly access: readonly AccessChange[];
  readonly cooperatives: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly idcTenants: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly consumers: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly datasets: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** `cooperative/dataset.column: from → to` PII class changes. */
  readonly piiChanges: readonly { readonly column: string; readonly from: string; readonly to: string }[];
  readonly quotas: readonly AmountChange[];
  readonly capacity: readonly AmountChange[];
}

/** Compares two plans. Pure; every list sorted. */
export function diffPlans(before: TenancyPlan, after: TenancyPlan): PlanDiff {
  const key = (g: GrantPlan) => [g.consumer, g.cooperative, g.dataset, g.level].join('\u0000');
  const old = new Map(before.grants.map((g) => [key(g), g]));
  const now = new Map(after.grants.map((g) => [key(g), g]));
  const access: AccessChange[] = [];
  const base = (g: GrantPlan) => ({ consumer: g.consumer, cooperative: g.cooperative, dataset: g.dataset, level: g.level, source: g.source });
  for (const [k, g] of now) {
    const o = old.get(k);
    if (!o) {
      access.push({ change: 'granted', ...base(g), columns: g.columns, columnsGained: g.columns, columnsLost: [], terms: [] });
      continue;
    }
    const gained = g.columns.filter((c) => !o.columns.includes(c));
    const lost = o.columns.filter((c) => !g.columns.includes(c));
    const terms = (['purpose', 'legalBasis', 'expires'] as const).filter((f) => o[f] !== g[f]).map((field) => ({ field, from: o[field], to: g[field] }));
    if (gained.length || lost.length || terms.length) {
      access.push({ change: 'modified', ...base(g), columns: g.columns, columnsGained: gained, columnsLost: lost, terms });
    }
  }
  for (const [k, o] of old) {
    if (!now.has(k)) access.push({ change: 'revoked', ...base(o), columns: o.columns, columnsGained: [], columnsLost: o.columns, terms: [] });
  }
  access.sort((a, b) => cmp(a.consumer, b.consumer) || cmp(a.cooperative, b.cooperative) || cmp(a.dataset, b.dataset) || cmp(a.level, b.level));

  const ids = (p: TenancyPlan) => p.cooperatives.map((c) => c.id);
  const idcIds = (p: TenancyPlan) => p.cooperatives.filter((c) => c.idc).map((c) => c.id);
  const datasetIds = (p: TenancyPlan) => p.cooperatives.flatMap((c) => c.datasets.map((d) => `${c.id}/${d.name}`));
  const pii = (p: TenancyPlan) => new Map(p.cooperatives.flatMap((c) => c.datasets.flatMap((d) => d.columns.map((col) => [`${c.id}/${d.name}.${col.name}`, col.pii] as const))));
  const oldPii = pii(before);
  const piiChanges = [...pii(after)]
    .filter(([col, cls]) => oldPii.has(col) && oldPii.get(col) !== cls)
    .map(([column, to]) => ({ column, from: oldPii.get(column)!, to }))
    .sort((a, b) => cmp(a.column, b.column));

  return {
    access,
    cooperatives: setDiff(ids(before), ids(after)),
    idcTenants: setDiff(idcIds(before), idcIds(after)),
    consumers: setDiff(
      before.platform.consumers.map((c) => c.id),
      after.platform.consumers.map((c) => c.id),
    ),
    datasets: setDiff(datasetIds(before), datasetIds(after)),
    piiChanges,
    quotas: quotaChanges(before, after),
    capacity: capacityChanges(before, after),
  };
}

/** Where a cooperative stands in a plan: its lifecycle state, or absent (no file). */
export type LifecycleState = 'active' | 'offboarding' | 'removed' | 'absent';

/** A cooperative that left the configuration without going through offboarding. */
export interface LifecycleViolation {
  readonly code: 'deleted-without-offboarding' | 'removed-without-offboarding';
  readonly cooperative: string;
  /** Its file, relative to the config folder, as it was before. */
  readonly source: string;
  readonly from: LifecycleState;
  readonly to: LifecycleState;
  /** Korean, then English, for the pull-request comment (read by people of either language). */
  readonly message: string;
  readonly hint: string;
  /** The message and hint from the catalogue, for a diagnostic in the run's language. */
  readonly text: { readonly message: MessageRef; readonly hint: MessageRef };
}

/** A violation whose message and hint are catalogue entries, shown in both languages in the comment. */
function violation(v: Omit<LifecycleViolation, 'message' | 'hint' | 'text'>, message: MessageRef, hint: MessageRef): LifecycleViolation {
  const both = (m: MessageRef) => `${formatMessage('ko', m)} / ${formatMessage('en', m)}`;
  return { ...v, message: both(message), hint: both(hint), text: { message, hint } };
}

/** A cooperative's lifecycle state in a plan. */
export function lifecycleState(plan: TenancyPlan, id: string): LifecycleState {
  const c = plan.cooperatives.find((x) => x.id === id);
  if (c) return c.lifecycle ? 'offboarding' : 'active';
  return plan.removed?.some((x) => x.id === id) ? 'removed' : 'absent';
}

/**
 * Cooperatives that left without offboarding, sorted by id: a file deleted before it said
 * `status: removed` (deleting a file deletes no stack, so its grants, functions and data
 * stay as they were), and an active file turned straight to `removed` (its data never got
 * the offboarding's expiry rules). Only `offboarding` → `removed` → deleted is a clean exit.
 */
export function lifecycleViolations(before: TenancyPlan, after: TenancyPlan): LifecycleViolation[] {
  const out: LifecycleViolation[] = [];
  for (const c of before.cooperatives) {
    const from = lifecycleState(before, c.id);
    const to = lifecycleState(after, c.id);
    if (to === 'absent') {
      const code = 'deleted-without-offboarding';
      out.push(violation({ code, cooperative: c.id, source: c.source, from, to }, msg(`report.${code}`, { cooperative: c.id, from }), msg(`report.${code}.hint`)));
    } else if (from === 'active' && to === 'removed') {
      const code = 'removed-without-offboarding';
      out.push(violation({ code, cooperative: c.id, source: c.source, from, to }, msg(`report.${code}`, { cooperative: c.id }), msg(`report.${code}.hint`)));
    }
  }
  return out.sort((a, b) => cmp(a.cooperative, b.cooperative));
}

function quotaAmounts(q: QuotaPlan): Map<string, string> {
  const m = new Map<string, string>([
    ['cpu', formatCpu(q.cpuMillis)],
    ['memory', formatBytes(q.memoryBytes)],
    ['storage', formatBytes(q.storageBytes)],
    ['pods', String(q.pods)],
    ['services', String(q.services)],
    ['pvcs', String(q.pvcs)],
  ]);
  for (const [model, n] of Object.entries(q.gpus)) if (n > 0) m.set(`gpu/${model}`, String(n));
  return m;
}

function tenantQuotas(p: TenancyPlan): Map<string, Map<string, string>> {
  const m = new Map<string, Map<string, string>>();
  for (const c of p.cooperatives) if (c.idc) m.set(c.id, quotaAmounts(c.idc.quota));
  for (const s of p.platform.idc.sharedServers) m.set(`shared:${s.id}`, quotaAmounts(s.quota));
  return m;
}

function quotaChanges(before: TenancyPlan, after: TenancyPlan): AmountChange[] {
  const a = tenantQuotas(before);
  const b = tenantQuotas(after);
  const out: AmountChange[] = [];
  for (const tenant of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const qa = a.get(tenant) ?? new Map<string, string>();
    const qb = b.get(tenant) ?? new Map<string, string>();
    for (const resource of [...new Set([...qa.keys(), ...qb.keys()])].sort()) {
      const from = qa.get(resource) ?? '-';
      const to = qb.get(resource) ?? '-';
      if (from !== to) out.push({ tenant, resource, from, to });
    }
  }
  return out;
}

function capacityChanges(before: TenancyPlan, after: TenancyPlan): AmountChange[] {
  const rows = (p: TenancyPlan) => new Map(p.capacity.rows.map((r) => [r.resource, r]));
  const a = rows(before);
  const b = rows(after);
  const out: AmountChange[] = [];
  for (const resource of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const ra = a.get(resource);
    const rb = b.get(resource);
    const cap = (r: typeof ra) => (r ? formatAmount(resource, r.capacity) : '-');
    const req = (r: typeof ra) => (r ? formatAmount(resource, r.requested) : '-');
    if (cap(ra) !== cap(rb)) out.push({ tenant: 'cluster capacity', resource, from: cap(ra), to: cap(rb) });
    if (req(ra) !== req(rb)) out.push({ tenant: 'reserved by all quotas', resource, from: req(ra), to: req(rb) });
  }
  return out;
}

function setDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const a = new Set(before);
  const b = new Set(after);
  return { added: [...b].filter((x) => !a.has(x)).sort(), removed: [...a].filter((x) => !b.has(x)).sort() };
}

/** How check results changed between a baseline and now. */
export interface FindingsDiff {
  /** Failing now and not failing (or absent) in the baseline. */
  readonly newlyFailing: readonly CheckFinding[];
  /** Acknowledged now and not acknowledged in the baseline. */
  readonly newlyAcknowledged: readonly CheckFinding[];
  /** Failing in the baseline and no longer failing. */
  readonly resolved: readonly CheckFinding[];
}

/** Compares two sets of findings by pack, rule, stack and resource. */
export function diffFindings(baseline: readonly CheckFinding[], current: readonly CheckFinding[]): FindingsDiff {
  const k = (f: CheckFinding) => [f.pack, f.rule, f.stack, f.resource].join('\u0000');
  const statuses = (fs: readonly CheckFinding[]) => {
    const m = new Map<string, Set<string>>();
    for (const f of fs) m.set(k(f), (m.get(k(f)) ?? new Set()).add(f.status));
    return m;
  };
  const was = statuses(baseline);
  const is = statuses(current);
  return {
    newlyFailing: current.filter((f) => f.status === 'fail' && !was.get(k(f))?.has('fail')),
    newlyAcknowledged: current.filter((f) => f.status === 'acknowledged' && !was.get(k(f))?.has('acknowledged')),
    resolved: baseline.filter((f) => f.status === 'fail' && !is.get(k(f))?.has('fail')),
  };
}

/** Plan-level rule diagnostics (from `compile`) that appear or disappear. */
export interface DiagnosticsDiff {
  readonly added: readonly Diagnostic[];
  readonly removed: readonly Diagnostic[];
}

/** Compares diagnostics by file, code and message (positions move with unrelated edits). */
export function diffDiagnostics(before: readonly Diagnostic[], after: readonly Diagnostic[]): DiagnosticsDiff {
  const k = (d: Diagnostic) => [d.file, d.severity, d.code, d.message].join('\u0000');
  const a = new Set(before.map(k));
  const b = new Set(after.map(k));
  return { added: after.filter((d) => !a.has(k(d))), removed: before.filter((d) => !b.has(k(d))) };
}

/** What `--since` compared, for the honest header of the comment. */
export interface SinceContext {
  /** The ref as given and the commit it resolved to. */
  readonly ref: string;
  readonly commit: string;
  /** Config folder relative to the repository root. */
  readonly configPath: string;
  readonly diagnostics: DiagnosticsDiff;
  /** Present only when a baseline of check results was given. */
  readonly findings?: FindingsDiff;
  /** Current check results when no baseline was given (not compared). */
  readonly currentFindings?: readonly CheckFinding[];
  /** Extra statements, e.g. that the old side was compiled with the expiry check off. */
  readonly notes: readonly string[];
  /** Cooperatives that left without offboarding ({@link lifecycleViolations}); shown first, as errors. */
  readonly lifecycle?: readonly LifecycleViolation[];
  /** Cooperatives offboarding in the new plan: their lost access is a revocation, and says so. */
  readonly offboarding?: readonly string[];
}

/** The pull-request comment. */
export function renderPlanDiffMarkdown(diff: PlanDiff, ctx: SinceContext): string {
  const o: string[] = [];
  const c = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  o.push(`## coop-idc: access and tenancy changes since ${c(ctx.ref)} (${ctx.commit.slice(0, 12)})`, '');
  o.push(`Compared: the tenancy plan compiled from ${c(ctx.configPath)} at ${c(ctx.ref)} with the plan compiled from the working tree.`, '');
  for (const n of ctx.notes) o.push(`> ${cell(n)}`, '');
  const violations = ctx.lifecycle ?? [];
  if (violations.length) {
    o.push(`### Errors: cooperatives that left without offboarding (${violations.length})`, '');
    for (const v of violations) o.push(`- **error** ${c(v.code)} ${c(`${ctx.configPath}/${v.source}`)} (${v.from} → ${v.to === 'absent' ? 'file deleted' : v.to}): ${cell(v.message)}. Fix: ${cell(v.hint)}`);
    o.push('');
  }
  const unrevoked = new Set(violations.map((v) => v.cooperative));
  const offboarding = new Set(ctx.offboarding ?? []);
  const lostNote = (a: AccessChange) =>
    unrevoked.has(a.cooperative) ? ' (file deleted: NOT revoked in AWS, see the errors above)' : offboarding.has(a.cooperative) ? ' (revoked: cooperative offboarding)' : a.change === 'revoked' ? ' (agreement removed)' : '';

  const gained = diff.access.filter((a) => a.columnsGained.length > 0);
  const lost = diff.access.filter((a) => a.columnsLost.length > 0);
  const changed = diff.access.filter((a) => a.terms.length > 0);
  const tbl = (header: string[], rows: string[][]) => (rows.length ? [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''] : ['_none_', '']);

  o.push(`### Access gained (${gained.length})`, '');
  o.push(...tbl(['Consumer', 'Cooperative', 'Dataset', 'Level', 'Columns gained', 'Agreement'], gained.map((a) => [a.consumer, a.cooperative, a.dataset, a.level, a.columnsGained.join(', '), `${a.source}${a.change === 'granted' ? ' (new agreement)' : ''}`])));
  o.push(`### Access lost (${lost.length})`, '');
  o.push(...tbl(['Consumer', 'Cooperative', 'Dataset', 'Level', 'Columns lost', 'Agreement'], lost.map((a) => [a.consumer, a.cooperative, a.dataset, a.level, a.columnsLost.join(', '), `${a.source}${lostNote(a)}`])));
  if (changed.length) {
    o.push(`### Agreement terms changed (${changed.length})`, '');
    o.push(...tbl(['Consumer', 'Cooperative', 'Dataset', 'Level', 'Term', 'Before', 'After'], changed.flatMap((a) => a.terms.map((t) => [a.consumer, a.cooperative, a.dataset, a.level, t.field, t.from, t.to]))));
  }

  o.push('### Tenants', '');
  const list = (label: string, xs: readonly string[]) => (xs.length ? [`- ${label}: ${xs.map(cell).join(', ')}`] : []);
  const tenants = [
    ...list('cooperatives added', diff.cooperatives.added),
    ...list('cooperatives removed', diff.cooperatives.removed),
    ...list('IDC tenants added', diff.idcTenants.added),
    ...list('IDC tenants removed', diff.idcTenants.removed),
    ...list('consumers added', diff.consumers.added),
    ...list('consumers removed', diff.consumers.removed),
    ...list('datasets added', diff.datasets.added),
    ...list('datasets removed', diff.datasets.removed),
    ...diff.piiChanges.map((p) => `- PII class of ${cell(p.column)}: ${p.from} → ${p.to}`),
  ];
  o.push(...(tenants.length ? tenants : ['_no tenant added or removed_']), '');

  o.push('### Quotas and capacity', '');
  o.push(...tbl(['Tenant', 'Resource', 'Before', 'After'], [...diff.capacity, ...diff.quotas].map((q) => [q.tenant, q.resource, q.from, q.to])));

  o.push('### Checks', '');
  const d = ctx.diagnostics;
  o.push(`Configuration rules (compiled on both sides): ${d.added.length} newly reported, ${d.removed.length} no longer reported.`, '');
  for (const x of d.added) o.push(`- new: ${cell(`${x.file} ${x.severity} ${x.code} ${x.message}`)}`);
  for (const x of d.removed) o.push(`- gone: ${cell(`${x.file} ${x.severity} ${x.code} ${x.message}`)}`);
  if (d.added.length || d.removed.length) o.push('');
  if (ctx.findings) {
    const f = ctx.findings;
    o.push(`Check results (current checks/ against the baseline given with --baseline-checks): ${f.newlyFailing.length} newly failing, ${f.newlyAcknowledged.length} newly acknowledged, ${f.resolved.length} resolved.`, '');
    for (const x of f.newlyFailing) o.push(`- newly failing: ${cell(`${x.pack} ${x.rule} ${x.cooperative ?? 'platform'} ${x.stack}/${x.resource}: ${x.message}`)}`);
    for (const x of f.newlyAcknowledged) o.push(`- newly acknowledged: ${cell(`${x.pack} ${x.rule} ${x.cooperative ?? 'platform'} ${x.stack}/${x.resource}, reason: ${x.reason ?? '(none given)'}`)}`);
    for (const x of f.resolved) o.push(`- resolved: ${cell(`${x.pack} ${x.rule} ${x.cooperative ?? 'platform'} ${x.stack}/${x.resource}`)}`);
    if (f.newlyFailing.length || f.newlyAcknowledged.length || f.resolved.length) o.push('');
  } else {
    o.push('Synthesized-output checks (cdk-nag, KoreaLaw, K8sConformance) were not compared: only the configuration exists at the old ref. Pass `--baseline-checks <dir>` with the checks/ folder of a build of the base branch to compare them.', '');
    if (ctx.currentFindings) {
      const fails = ctx.currentFindings.filter((x) => x.status === 'fail');
      const acks = ctx.currentFindings.filter((x) => x.status === 'acknowledged');
      o.push(`Current check results: ${fails.length} failing, ${acks.length} acknowledged.`, '');
    }
  }
  return `${o.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Escapes a value for a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
