/**
 * The estimate as a terminal table in the run's language and as CSV (RFC 4180). Both list
 * the cooperatives by id, then the unallocated remainder and the total: byte-stable output.
 */
import { formatMessage, msg, type Lang } from '../config/messages';
import { displayWidth, padEndTo, padStartTo } from '../display-width';
import { COMPONENT_LABELS, COST_COMPONENTS, type CostEstimate } from './estimate';

/** Whole won with thousands separators, e.g. 1,234,567. */
export function formatWon(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Options of the table and CSV: one cooperative only. */
export interface CostFormatOptions {
  /** Only this cooperative's row (the plan's total and remainder still shown). */
  readonly coop?: string;
}

/**
 * A terminal table in a language: one row per cooperative, the components as columns, then
 * the remainder and the total.
 */
export function formatCostTable(e: CostEstimate, lang: Lang, options: CostFormatOptions = {}): string {
  const text = (id: Parameters<typeof msg>[0], args?: Parameters<typeof msg>[1]) => formatMessage(lang, msg(id, args));
  const rows = e.cooperatives.filter((c) => options.coop === undefined || c.id === options.coop);
  const head = [text('cost.col-cooperative'), ...COST_COMPONENTS.map((k) => COMPONENT_LABELS[k][lang]), text('cost.col-total')];
  const body = rows.map((c) => [c.id, ...COST_COMPONENTS.map((k) => formatWon(c.amounts[k])), formatWon(c.total)]);
  const unallocated = e.unallocated.reduce((s, u) => s + u.amount, 0);
  const foot = [
    [text('cost.unallocated'), ...COST_COMPONENTS.map(() => ''), formatWon(unallocated)],
    [text('cost.whole-plan'), ...COST_COMPONENTS.map(() => ''), formatWon(e.total)],
  ];
  const all = [head, ...body, ...foot];
  const widths = head.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i]))));
  const fmt = (r: string[]) => r.map((cell, i) => (i === 0 ? padEndTo(cell, widths[i]) : padStartTo(cell, widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    text('cost.title', { month: e.month, split: e.split }),
    fmt(head),
    rule,
    ...body.map(fmt),
    rule,
    ...foot.map(fmt),
  ];
  for (const u of e.unallocated) out.push(`  ${text('cost.unallocated-line', { reason: u.reason[lang], amount: formatWon(u.amount) })}`);
  return out.join('\n');
}

/** Column names of the CSV, in order. */
export const CSV_COLUMNS = ['month', 'cooperative', 'name_ko', 'name_en', ...COST_COMPONENTS, 'total', 'stored_gb'] as const;

/**
 * The estimate as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
 * quote or line break, quotes doubled). Rows: cooperatives by id, then `_unallocated` and
 * `_total` (ids never start with `_`).
 */
export function costCsv(e: CostEstimate, options: CostFormatOptions = {}): string {
  const rows: (string | number)[][] = [[...CSV_COLUMNS]];
  for (const c of e.cooperatives) {
    if (options.coop !== undefined && c.id !== options.coop) continue;
    rows.push([e.month, c.id, c.name.ko, c.name.en, ...COST_COMPONENTS.map((k) => c.amounts[k]), c.total, c.storedGb]);
  }
  const blank = COST_COMPONENTS.map(() => '');
  rows.push([e.month, '_unallocated', '미배분', 'unallocated', ...blank, e.unallocated.reduce((s, u) => s + u.amount, 0), '']);
  rows.push([e.month, '_total', '전체', 'whole plan', ...blank, e.total, '']);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One RFC 4180 field. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

