/**
 * Words and escaping shared by the Markdown and HTML renderers, so both say the same thing.
 */
import type { CheckStatus } from '../checks/findings';
import { attentionOf, type AuditReport, type ControlReport, type ControlStatus, type EvidenceItem, type RuleReport, type StatusCounts } from './model';

/** How a control status is written. */
export const CONTROL_STATUS_LABEL: Readonly<Record<ControlStatus, string>> = {
  passed: 'passed',
  acknowledged: 'acknowledged',
  failed: 'FAILED',
  'no-evidence': 'no evidence',
};

/** What a control without counted evidence says, in every renderer. */
export const NO_EVIDENCE_TEXT = 'No evidence found: no check result maps to this control and the plan alone cannot establish it. It is not counted as passed.';

/** The plan facts shown beside a control they cannot establish alone. */
export function contextText(n: number): string {
  return `${n} plan fact${n === 1 ? '' : 's'} support it (report.json lists them under "context"), not counted until a check on the synthesized output confirms it.`;
}

/** How a finding status is written. */
export const CHECK_STATUS_LABEL: Readonly<Record<CheckStatus, string>> = {
  pass: 'pass',
  acknowledged: 'acknowledged',
  fail: 'FAIL',
};

/** `12 passed · 1 acknowledged · 0 failed`. */
export function formatCounts(c: StatusCounts): string {
  return `${c.pass} passed · ${c.acknowledged} acknowledged · ${c.fail} failed`;
}

/** `k: v; k: v` for an inventory row's properties. */
export function formatProperties(p: Readonly<Record<string, string>> | undefined): string {
  if (!p) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
}

/** Where evidence points: `stack/resource (Type LogicalId in file)`. */
export function formatLocation(e: EvidenceItem): string {
  const base = e.source === 'plan' ? `plan.json ${e.resource}` : `${e.stack} ${e.resource}`;
  return e.logicalId ? `${base} → ${e.type} ${e.logicalId} in ${e.file}` : base;
}

/**
 * Where a group of findings stands, as one line: the first three locations (each with its
 * cooperative) and how many more, since a row can stand for thousands (report.json lists
 * all). Only those three are formatted.
 */
export function firstLocations(items: readonly EvidenceItem[]): string {
  const first = items.slice(0, 3).map((e) => `${e.cooperative ?? 'platform'}: ${formatLocation(e)}`).join('; ');
  return items.length > 3 ? `${first}; … and ${items.length - 3} more (report.json lists all)` : first;
}

/**
 * A control's passes by pack and rule, check results and plan facts alike: count and up to
 * three example locations, so thousands of passes read as a few lines.
 */
export function passSummary(c: ControlReport): { pack: string; rule: string; count: number; examples: string[] }[] {
  const byRule = new Map<string, { pack: string; rule: string; count: number; examples: string[] }>();
  for (const p of c.passes) {
    const key = `${p.pack}\u0000${p.rule}`;
    const g = byRule.get(key) ?? { pack: p.pack, rule: p.rule, count: 0, examples: [] };
    g.count += p.count;
    for (const r of p.resources) if (g.examples.length < 3) g.examples.push(`${p.stack} ${r}`);
    byRule.set(key, g);
  }
  const checks = [...byRule.keys()].sort().map((k) => byRule.get(k)!);
  const facts = groupPasses(c.evidence).map((g) => ({ pack: g.pack, rule: g.rule, count: g.count, examples: g.examples.map(formatLocation) }));
  return [...checks, ...facts];
}

/** Passing evidence grouped by pack and rule, so thousands of passes read as a few lines. */
export function groupPasses(evidence: readonly EvidenceItem[]): { pack: string; rule: string; count: number; examples: EvidenceItem[] }[] {
  const groups = new Map<string, { pack: string; rule: string; count: number; examples: EvidenceItem[] }>();
  for (const e of evidence) {
    if (e.status !== 'pass') continue;
    const key = `${e.pack}\u0000${e.rule}`;
    const g = groups.get(key) ?? { pack: e.pack, rule: e.rule, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(e);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * A rule id without the finding it names: cdk-nag writes the resource or action into the id
 * (`AwsSolutions-IAM5[Action::s3:*]`), so one accepted exception reads as thousands of rules.
 */
export function baseRule(rule: string): string {
  const i = rule.indexOf('[');
  return i > 0 ? rule.slice(0, i) : rule;
}

/** Acknowledgements sharing a base rule and a reason: one exception, however many resources it covers. */
export interface AcknowledgementGroup {
  readonly pack: string;
  /** The rule id without its bracketed part (see baseRule). */
  readonly rule: string;
  readonly reason: string;
  /** The full rule ids grouped here, sorted (one, unless cdk-nag bracketed a finding into it). */
  readonly variants: readonly string[];
  readonly items: readonly EvidenceItem[];
}

/**
 * Acknowledged evidence grouped by pack, base rule (see baseRule) and reason, in that order.
 * At 1,000 cooperatives the same accepted exception stands on thousands of resources; an
 * auditor reads each exception and its reason once, with the resources it covers (report.json
 * keeps every item with its full rule id and properties).
 */
export function groupAcknowledgements(evidence: readonly EvidenceItem[]): AcknowledgementGroup[] {
  // Looked up by pack, rule and reason in turn: a key string joined per item (reasons run to
  // a few hundred characters, 70,000 items at 1,000 cooperatives) was most of the time.
  const groups = new Map<string, Map<string, Map<string, { pack: string; rule: string; reason: string; variants: Set<string>; items: EvidenceItem[] }>>>();
  const all: { key: string; group: { pack: string; rule: string; reason: string; variants: Set<string>; items: EvidenceItem[] } }[] = [];
  for (const e of evidence) {
    if (e.status !== 'acknowledged') continue;
    const reason = e.reason ?? '';
    const rule = baseRule(e.rule);
    let byRule = groups.get(e.pack);
    if (!byRule) groups.set(e.pack, (byRule = new Map()));
    let byReason = byRule.get(rule);
    if (!byReason) byRule.set(rule, (byReason = new Map()));
    let g = byReason.get(reason);
    if (!g) {
      byReason.set(reason, (g = { pack: e.pack, rule, reason, variants: new Set(), items: [] }));
      all.push({ key: `${e.pack}\u0000${rule}\u0000${reason}`, group: g });
    }
    g.variants.add(e.rule);
    g.items.push(e);
  }
  // Sorted by the joined key: the same order whatever the fields hold.
  return all
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ group: g }) => ({ pack: g.pack, rule: g.rule, reason: g.reason, variants: [...g.variants].sort(), items: g.items }));
}

/**
 * An acknowledgement group's rule as a table shows it: the full id when the group holds one,
 * else the base rule and how many bracketed variants it holds, with the first as an example.
 */
export function acknowledgementRuleText(g: AcknowledgementGroup): string {
  if (g.variants.length === 1) return `${g.pack} ${g.variants[0]}`;
  return `${g.pack} ${g.rule} (${g.variants.length} variants, e.g. ${g.variants[0]})`;
}

/**
 * A pack's rules as the report's tables list them: one row per base rule (see baseRule), its
 * counts and controls summed over the bracketed variants (report.json lists each full id).
 * Sorted by base rule.
 */
export function rulesByBase(rules: readonly RuleReport[]): (RuleReport & { readonly variants: number })[] {
  const byBase = new Map<string, { counts: { pass: number; acknowledged: number; fail: number }; controls: Set<string>; variants: number; only: string }>();
  for (const x of rules) {
    const base = baseRule(x.rule);
    let g = byBase.get(base);
    if (!g) byBase.set(base, (g = { counts: { pass: 0, acknowledged: 0, fail: 0 }, controls: new Set(), variants: 0, only: x.rule }));
    g.counts.pass += x.counts.pass;
    g.counts.acknowledged += x.counts.acknowledged;
    g.counts.fail += x.counts.fail;
    for (const c of x.controls) g.controls.add(c);
    g.variants++;
  }
  return [...byBase.keys()].sort().map((rule) => {
    const { counts, controls, variants, only } = byBase.get(rule)!;
    // A single id keeps its bracketed part: nothing is summed, so nothing is hidden.
    return { rule: variants === 1 ? only : rule, status: counts.fail ? 'failed' : counts.acknowledged ? 'acknowledged' : 'passed', controls: [...controls].sort(), counts, variants };
  });
}

/** A rule row's name: the base rule, and how many bracketed variants it sums when more than one. */
export function ruleRowText(x: { readonly rule: string; readonly variants: number }): string {
  return x.variants > 1 ? `${x.rule} (${x.variants} variants)` : x.rule;
}

/**
 * A cooperative's findings needing attention as its page and report.md show them: its
 * failures, its own acknowledgements, and its cell's routine ones (see
 * {@link routineAcknowledgements}), each in {@link attentionOf}'s order.
 */
export function attentionParts(r: AuditReport, cooperative: string): { readonly fails: EvidenceItem[]; readonly own: EvidenceItem[]; readonly routine: EvidenceItem[] } {
  const isRoutine = routineAcknowledgements(r);
  const attention = attentionOf(r, cooperative);
  return {
    fails: attention.filter((e) => e.status === 'fail'),
    own: attention.filter((e) => e.status === 'acknowledged' && !isRoutine(e)),
    routine: attention.filter((e) => e.status === 'acknowledged' && isRoutine(e)),
  };
}

/**
 * Whether an acknowledgement is routine: its group (cell, pack, base rule, reason) stands on
 * more than one cooperative of the same cell. Local to the cell so that a cooperative's page
 * depends on its cell alone (a page can then be built per cell, and editing one cooperative
 * leaves the other cells' pages as they were).
 */
function routineAcknowledgements(r: AuditReport): (e: EvidenceItem) => boolean {
  const { keys, ofItem } = routineIndex(r);
  const cells = cellOfCooperative(r);
  return (e) => ofItem.get(e) ?? keys.has(routineKey(cells, e));
}

/** The routine groups' keys, and the answer for each of the report's acknowledgements. */
interface RoutineIndex {
  readonly keys: ReadonlySet<string>;
  readonly ofItem: ReadonlyMap<EvidenceItem, boolean>;
}

function routineIndex(r: AuditReport): RoutineIndex {
  const known = routineIndexOf.get(r);
  if (known) return known;
  const index = computeRoutineIndex(r);
  routineIndexOf.set(r, index);
  return index;
}

/**
 * Per report: every cooperative page and report.md section asks, and computing it per page
 * is quadratic; each acknowledgement's answer is kept, since its key (with a reason of a few
 * hundred characters) cost as much again on every page at 1,000 cooperatives.
 */
const routineIndexOf = new WeakMap<AuditReport, RoutineIndex>();

/** The key of an acknowledgement's group (as groupAcknowledgements groups) within its cooperative's cell. */
function routineKey(cells: ReadonlyMap<string, string>, e: EvidenceItem): string {
  return `${cells.get(e.cooperative ?? '') ?? ''}\u0000${e.pack}\u0000${baseRule(e.rule)}\u0000${e.reason ?? ''}`;
}

/** Each cooperative's cell id; the data-lake account stands as one cell of its own. */
export function cellOfCooperative(r: AuditReport): Map<string, string> {
  const known = cellsOf.get(r);
  if (known) return known;
  const cells = new Map(r.accounts.flatMap((a) => a.cooperatives.map((c) => [c, a.cell ?? `account:${a.account}`] as const)));
  cellsOf.set(r, cells);
  return cells;
}

const cellsOf = new WeakMap<AuditReport, Map<string, string>>();

function computeRoutineIndex(r: AuditReport): RoutineIndex {
  const cells = cellOfCooperative(r);
  const coops = new Map<string, Set<string>>();
  const keyOf = new Map<EvidenceItem, string>();
  for (const a of r.acknowledgements) {
    if (a.cooperative === undefined) continue;
    const k = routineKey(cells, a);
    keyOf.set(a, k);
    const s = coops.get(k) ?? new Set<string>();
    s.add(a.cooperative);
    coops.set(k, s);
  }
  const keys = new Set([...coops].filter(([, s]) => s.size > 1).map(([k]) => k));
  return { keys, ofItem: new Map([...keyOf].map(([a, k]) => [a, keys.has(k)])) };
}
