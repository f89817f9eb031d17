/**
 * The report's inputs cut to one cell: the first step of building the report per cell and
 * merging it (docs/design/report.md, "Per-cell fragments"). A cooperative page built from its
 * cell's part must be byte-identical to the page built from the whole output; the tests hold
 * every page to that, which also catches a page that starts reading across cells.
 */
import type { AuditReport } from './model';
import type { StackInventory } from './inventory';
import type { ReportInputs } from './read';

/** A cell as the report groups cooperatives: a cell's id, or `account:<id>` for the data-lake account's. */
export interface ReportCell {
  readonly id: string;
  /** Sorted. */
  readonly cooperatives: readonly string[];
}

/** The report's cells (the data-lake account's cooperatives form one), in the order of `accounts`. */
export function reportCells(whole: AuditReport): ReportCell[] {
  return whole.accounts.filter((a) => a.cooperatives.length > 0).map((a) => ({ id: a.cell ?? `account:${a.account}`, cooperatives: a.cooperatives }));
}

/**
 * The inputs of the cooperatives of `cell` alone: their plan entries and grants (the platform
 * whole but its rate card: the estimate spans cells), their check results, the stacks they own, and the stacks their check results point
 * at (an evidence item shows its resource's row). Stack owners are those the whole report
 * decided (`whole.inputs.stacks`), carried as `stackOwners`, since the part alone cannot tell a
 * platform stack that only this cell's cooperatives have findings on.
 */
export function cellInputs(inputs: ReportInputs, whole: AuditReport, cell: ReportCell): ReportInputs {
  const mine = new Set(cell.cooperatives);
  const ours = (c: string | undefined): boolean => c !== undefined && mine.has(c);
  const findings = inputs.findings.filter((f) => ours(f.cooperative));
  const passes = (inputs.passes ?? []).filter((g) => ours(g.cooperative));
  const owners = new Map<string, string | null>(whole.inputs.stacks.map((s) => [`${s.kind}\u0000${s.stack}`, s.cooperative ?? null]));
  const cited = new Set<string>();
  for (const f of findings) cited.add(f.stack);
  for (const g of passes) cited.add(g.stack);
  const keep = (list: readonly StackInventory[] | undefined): readonly StackInventory[] | undefined =>
    list?.filter((s) => ours(owners.get(`${s.kind}\u0000${s.stack}`) ?? undefined) || cited.has(s.stack));
  const cloud = keep(inputs.cloud);
  // The chargeback estimate spans every cell (shared servers are split among their
  // subscribers wherever they are): it is the merge's, not a cell's.
  const { cost: _cost, ...platform } = inputs.plan.platform;
  const idc = keep(inputs.idc);
  return {
    ...inputs,
    plan: { ...inputs.plan, platform, cooperatives: inputs.plan.cooperatives.filter((c) => mine.has(c.id)), grants: inputs.plan.grants.filter((g) => mine.has(g.cooperative)) },
    findings,
    passes,
    ...(cloud ? { cloud } : {}),
    ...(idc ? { idc } : {}),
    stackOwners: new Map([...(cloud ?? []), ...(idc ?? [])].map((s) => [`${s.kind}\u0000${s.stack}`, owners.get(`${s.kind}\u0000${s.stack}`) ?? null])),
  };
}
