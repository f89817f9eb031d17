/**
 * The report's two diagrams as inline SVG strings: the data flow (cooperatives → datasets →
 * consumers, coloured by sharing level) and the IDC capacity chart. Plain string building,
 * no layout library: the shapes are simple and the output must be byte-stable.
 */
import type { ShareLevel } from '../config/schema';
import { COMPONENT_LABELS, COST_COMPONENTS, formatWon, type CostComponent, type CostEstimate } from '../cost';
import type { AccountReport } from './accounts';
import type { CapacityReportRow, DataFlow } from './model';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(text: string | number): string {
  const s = String(text);
  // Most of what a page holds needs no escaping: one scan, and one pass when it does
  // (five chained replaces were ~0.3 s of the report's pages at 1,000 cooperatives).
  return /[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]) : s;
}

/** Colour per sharing level: raw is the most exposed, aggregated the least. */
export const LEVEL_COLOURS: Readonly<Record<ShareLevel, string>> = {
  raw: '#c0392b',
  pseudonymized: '#d68910',
  aggregated: '#1e8449',
};

const ROW = 30;
const NODE_H = 22;
const COL_W = 280;
const GAP = 150;
const TOP = 40;

/** The data-flow diagram. Nodes carry `data-node="<column>:<id>"`, edges `data-level`. */
export function dataFlowSvg(flow: DataFlow): string {
  if (flow.edges.length === 0) {
    return '<svg xmlns="http://www.w3.org/2000/svg" class="dataflow" role="img" width="400" height="40" viewBox="0 0 400 40"><title>Data flow</title><text x="10" y="25">No sharing agreements: no data leaves any cooperative.</text></svg>';
  }
  const columns: [string, string[]][] = [
    ['cooperative', flow.cooperatives as string[]],
    ['dataset', flow.datasets as string[]],
    ['consumer', flow.consumers.map((c) => c.id)],
  ];
  const rows = Math.max(...columns.map(([, ids]) => ids.length));
  const height = TOP + rows * ROW + 50;
  const width = 3 * COL_W + 2 * GAP + 20;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach(([col, ids], ci) => {
    const offset = ((rows - ids.length) * ROW) / 2;
    ids.forEach((id, i) => pos.set(`${col}:${id}`, { x: 10 + ci * (COL_W + GAP), y: TOP + offset + i * ROW }));
  });
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="dataflow" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push('<title>Data flow: cooperatives to datasets to consumers, coloured by sharing level</title>');
  ['Cooperatives', 'Datasets', 'Consumers'].forEach((h, i) => out.push(`<text class="col-head" x="${10 + i * (COL_W + GAP)}" y="20">${h}</text>`));

  const curve = (a: { x: number; y: number }, b: { x: number; y: number }) => {
    const x1 = a.x + COL_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    return `M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}`;
  };
  const ownEdges = new Set<string>();
  for (const e of flow.edges) {
    const d = `${e.cooperative}/${e.dataset}`;
    if (!ownEdges.has(d)) {
      ownEdges.add(d);
      out.push(`<path class="edge own" d="${curve(pos.get(`cooperative:${e.cooperative}`)!, pos.get(`dataset:${d}`)!)}" stroke="#8e9aa6" stroke-width="1.5" fill="none"/>`);
    }
    out.push(
      `<path class="edge" data-level="${esc(e.level)}" d="${curve(pos.get(`dataset:${d}`)!, pos.get(`consumer:${e.consumer}`)!)}" stroke="${LEVEL_COLOURS[e.level]}" stroke-width="2" fill="none"><title>${esc(`${e.consumer} reads ${d} (${e.level})`)}</title></path>`,
    );
  }
  for (const [col, ids] of columns) {
    for (const id of ids) {
      const p = pos.get(`${col}:${id}`)!;
      const label = id.length > 40 ? `${id.slice(0, 39)}…` : id;
      out.push(
        `<g class="node ${col}" data-node="${esc(`${col}:${id}`)}"><rect x="${p.x}" y="${p.y}" width="${COL_W}" height="${NODE_H}" rx="4"/><text x="${p.x + 8}" y="${p.y + 15}">${esc(label)}</text><title>${esc(id)}</title></g>`,
      );
    }
  }
  const legendY = height - 18;
  (Object.keys(LEVEL_COLOURS) as ShareLevel[]).forEach((level, i) => {
    const x = 10 + i * 170;
    out.push(`<g class="legend"><line x1="${x}" y1="${legendY}" x2="${x + 30}" y2="${legendY}" stroke="${LEVEL_COLOURS[level]}" stroke-width="3"/><text x="${x + 36}" y="${legendY + 4}">${level}</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}

const BAR_W = 520;
const LABEL_W = 190;

/** Quota reserved against capacity, one bar per resource and GPU model. */
export function capacitySvg(rows: readonly CapacityReportRow[]): string {
  const height = 20 + rows.length * 34;
  const width = LABEL_W + BAR_W + 260;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="capacity" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  out.push('<title>IDC capacity: sum of tenant quotas against cluster capacity</title>');
  rows.forEach((r, i) => {
    const y = 10 + i * 34;
    const ratio = r.capacity > 0 ? Math.min(r.requested / r.capacity, 1) : r.requested > 0 ? 1 : 0;
    const w = Math.round(ratio * BAR_W);
    const colour = r.exceeded ? '#c0392b' : ratio > 0.85 ? '#d68910' : '#2e86c1';
    out.push(
      `<g class="bar" data-resource="${esc(r.resource)}"><text x="0" y="${y + 16}">${esc(r.resource)}</text>` +
        `<rect class="cap" x="${LABEL_W}" y="${y}" width="${BAR_W}" height="22" fill="#e5e8eb"/>` +
        `<rect class="req" x="${LABEL_W}" y="${y}" width="${w}" height="22" fill="${colour}"/>` +
        `<text x="${LABEL_W + BAR_W + 8}" y="${y + 16}">${esc(`${r.requestedText} of ${r.capacityText} (${r.percent}%)${r.exceeded ? ' EXCEEDED' : ''}`)}</text>` +
        `<title>${esc(`${r.resource}: quotas reserve ${r.requestedText} of ${r.capacityText}`)}</title></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/**
 * One bar per AWS account: its most used account-level quota (percent of the limit), red
 * when the quota check fails it; cells also show cooperatives held of their capacity.
 */
export function accountsSvg(accounts: readonly AccountReport[]): string {
  const height = 20 + accounts.length * 34;
  const width = LABEL_W + BAR_W + 420;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="accounts" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  out.push('<title>AWS accounts: highest service-quota use per account (계정별 최대 서비스 할당량 사용률)</title>');
  accounts.forEach((a, i) => {
    const y = 10 + i * 34;
    const top = a.quotas[0];
    const ratio = top ? Math.min(top.used / top.limit, 1) : 0;
    const colour = a.status === 'fail' ? '#c0392b' : ratio > 0.6 ? '#d68910' : '#2e86c1';
    const label = a.cell ?? 'data lake';
    const held = a.capacity !== undefined ? `${a.cooperatives.length} / ${a.capacity} cooperatives; ` : `${a.cooperatives.length} cooperatives; `;
    const text = top ? `${held}${top.name.en} ${top.used} / ${top.limit} (${top.percent} %)` : `${held}no quota results`;
    out.push(
      `<g class="bar" data-account="${esc(a.account)}" data-status="${a.status}"><text x="0" y="${y + 16}">${esc(label)}</text>` +
        `<rect class="cap" x="${LABEL_W}" y="${y}" width="${BAR_W}" height="22" fill="#e5e8eb"/>` +
        `<rect class="req" x="${LABEL_W}" y="${y}" width="${Math.round(ratio * BAR_W)}" height="22" fill="${colour}"/>` +
        `<text x="${LABEL_W + BAR_W + 8}" y="${y + 16}">${esc(text)}</text>` +
        `<title>${esc(`${label} (account ${a.account}): ${text}`)}</title></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Colour per cost component, in `COST_COMPONENTS` order: IDC blues, cloud greens, shares greys. */
export const COST_COLOURS: Readonly<Record<CostComponent, string>> = {
  idcCpu: '#1f4e79',
  idcMemory: '#2e75b6',
  idcStorage: '#9dc3e6',
  idcGpu: '#7030a0',
  cloudKms: '#375623',
  cloudStorage: '#70ad47',
  cloudRequests: '#c5e0b4',
  sharedServers: '#bf9000',
  platform: '#7f7f7f',
};

/** Most cooperatives drawn as bars; the table below the chart lists every one. */
export const COST_CHART_LIMIT = 40;

/**
 * The monthly estimate as horizontal stacked bars, one per cooperative (largest first, ties
 * by id; at most {@link COST_CHART_LIMIT}), each component its colour. Widths are rounded to
 * tenths of a pixel from integers, so the output is byte-stable. Bars carry `data-coop`.
 */
export function costChartSvg(e: CostEstimate): string {
  const rows = [...e.cooperatives].sort((a, b) => b.total - a.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, COST_CHART_LIMIT);
  const LABEL = 170;
  const BAR = 620;
  const H = 20;
  const legendTop = 10;
  const top = 50;
  const width = LABEL + BAR + 130;
  const height = top + rows.length * (H + 6) + 10;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const px = (won: number) => ((won * BAR * 10) / max / 10).toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="cost" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<title>월 추정 비용 / Monthly estimate ${esc(e.month)} (KRW)</title>`);
  COST_COMPONENTS.forEach((k, i) => {
    const x = 10 + (i % 5) * 180;
    const y = legendTop + Math.floor(i / 5) * 16;
    out.push(`<rect x="${x}" y="${y}" width="10" height="10" fill="${COST_COLOURS[k]}"/><text x="${x + 14}" y="${y + 9}" font-size="11">${esc(`${COMPONENT_LABELS[k].ko} / ${COMPONENT_LABELS[k].en}`)}</text>`);
  });
  if (rows.length === 0) out.push(`<text x="10" y="${top + 14}">${esc('협동조합 없음 / no cooperatives')}</text>`);
  rows.forEach((r, i) => {
    const y = top + i * (H + 6);
    out.push(`<g data-coop="${esc(r.id)}"><text x="${LABEL - 6}" y="${y + 14}" text-anchor="end" font-size="12">${esc(r.id)}</text>`);
    let x = 0;
    for (const k of COST_COMPONENTS) {
      const w = r.amounts[k];
      if (w === 0) continue;
      out.push(`<rect x="${(LABEL + Number(px(x))).toFixed(1)}" y="${y}" width="${px(w)}" height="${H}" fill="${COST_COLOURS[k]}"><title>${esc(`${r.id} ${COMPONENT_LABELS[k].en}: ${formatWon(w)} KRW`)}</title></rect>`);
      x += w;
    }
    out.push(`<text x="${(LABEL + Number(px(r.total)) + 6).toFixed(1)}" y="${y + 14}" font-size="12">${esc(formatWon(r.total))}</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}
