/**
 * Words and escaping shared by the Markdown and HTML renderers, so both say the same thing.
 */
import type { CheckStatus } from '../checks/findings';
import type { ControlStatus, EvidenceItem, StatusCounts } from './model';

/** How a control status is written. */
export const CONTROL_STATUS_LABEL: Readonly<Record<ControlStatus, string>> = {
  passed: 'passed',
  acknowledged: 'acknowledged',
  failed: 'FAILED',
  'no-evidence': 'no evidence',
};

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
