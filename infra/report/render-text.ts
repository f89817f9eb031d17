/**
 * Words and escaping shared by the Markdown and HTML renderers, so both say the same thing.
 */
import type { CheckStatus } from '../checks/findings';
import type { ControlReport, ControlStatus, EvidenceItem, StatusCounts } from './model';

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

/** Acknowledgements sharing a rule and a reason: one exception, however many resources it covers. */
export interface AcknowledgementGroup {
  readonly pack: string;
  readonly rule: string;
  readonly reason: string;
  readonly items: readonly EvidenceItem[];
}

/**
 * Acknowledged evidence grouped by pack, rule and reason, in that order. At 1,000
 * cooperatives the same accepted exception stands on thousands of resources; an auditor reads
 * each exception and its reason once, with the resources it covers (report.json keeps every
 * item with its properties).
 */
export function groupAcknowledgements(evidence: readonly EvidenceItem[]): AcknowledgementGroup[] {
  // Looked up by pack, rule and reason in turn: a key string joined per item (reasons run to
  // a few hundred characters, 70,000 items at 1,000 cooperatives) was most of the time.
  const groups = new Map<string, Map<string, Map<string, { pack: string; rule: string; reason: string; items: EvidenceItem[] }>>>();
  const all: { key: string; group: AcknowledgementGroup }[] = [];
  for (const e of evidence) {
    if (e.status !== 'acknowledged') continue;
    const reason = e.reason ?? '';
    let byRule = groups.get(e.pack);
    if (!byRule) groups.set(e.pack, (byRule = new Map()));
    let byReason = byRule.get(e.rule);
    if (!byReason) byRule.set(e.rule, (byReason = new Map()));
    let g = byReason.get(reason);
    if (!g) {
      byReason.set(reason, (g = { pack: e.pack, rule: e.rule, reason, items: [] }));
      all.push({ key: `${e.pack}\u0000${e.rule}\u0000${reason}`, group: g });
    }
    g.items.push(e);
  }
  // Sorted by the joined key, as before: the same order whatever the fields hold.
  return all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.group);
}
