/**
 * The HTML report: report/index.html (summary, controls, failures, exceptions, accounts,
 * capacity, data flow, the list of cooperatives), one page per cooperative
 * (report/coops/<id>.html) and one per control (report/controls/<id>.html). Each page is
 * self-contained (inline CSS and SVG, no script, no external asset) and opens from disk
 * with no network. A Content-Security-Policy forbids loading anything, so a value from
 * config can neither inject markup (everything is escaped) nor make the page fetch
 * something. Korean is the page language, English beside it.
 *
 * Sections of the index and pages are registered in INDEX_SECTIONS and HTML_PAGES: adding
 * one is a function and a line there.
 */
import type { AuditReport, ControlReport, ControlStatus, CooperativeReport, DataFlow, EvidenceItem, InventorySection, PassedChecks } from './model';
import { CHECK_STATUS_LABEL, CONTROL_STATUS_LABEL, contextText, NO_EVIDENCE_TEXT, formatCounts, firstLocations, formatLocation, formatProperties, groupAcknowledgements, acknowledgementRuleText, attentionParts, cellOfCooperative, rulesByBase, ruleRowText, type AcknowledgementGroup } from './render-text';
import { accountsSvg, capacitySvg, costChartSvg, COST_CHART_LIMIT, dataFlowSvg, esc } from './svg';
import { COMPONENT_LABELS, COST_COMPONENTS, formatWon, type CostEstimate } from '../cost';
import { describeCheckResultOrigin } from './provenance';

const CSS = `
:root{--fail:#c0392b;--ack:#d68910;--pass:#1e8449;--none:#7f8c8d;--ink:#1c2833;--line:#d5d8dc}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","NanumGothic","Malgun Gothic",sans-serif;color:var(--ink);margin:0;line-height:1.45}
header{background:#1c2833;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:1.4em}
nav{padding:8px 24px;border-bottom:1px solid var(--line);font-size:.9em}
nav a{margin-right:14px}
main{padding:0 24px 48px}
h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.86em;width:100%;table-layout:fixed}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
svg{max-width:100%;height:auto}
th{background:#f4f6f7}
td.num{text-align:right}
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:.85em;white-space:nowrap}
.s-failed,.s-fail{background:var(--fail)}.s-acknowledged{background:var(--ack)}.s-passed,.s-pass{background:var(--pass)}.s-no-evidence{background:var(--none)}
.note{background:#fef5e7;border-left:4px solid var(--ack);padding:6px 10px;margin:8px 0}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:4px;padding:8px 12px;min-width:130px}
.card b{display:block;font-size:1.5em}
.expiring td{background:#fdedec}
details{margin:6px 0}
summary{cursor:pointer}
svg text{font-size:12px;fill:var(--ink)}
svg .col-head{font-weight:bold;font-size:13px}
svg .node rect{fill:#eaf2f8;stroke:#5d6d7e}
svg .node.consumer rect{fill:#f4ecf7}
svg .node.cooperative rect{fill:#e8f6f3}
.scroll{overflow-x:auto}
.en{color:#566573;font-weight:normal}
@media print{
header{background:none;color:#000;border-bottom:2px solid #000}
nav,.screen-only{display:none}
main{padding:0}
h2,h3,h4{break-after:avoid}
tr,.card,svg{break-inside:avoid}
section{break-before:auto}
section.page-break{break-before:page}
a{color:inherit;text-decoration:none}
.badge{border:1px solid #000;color:#000;background:none}
.scroll{overflow:visible}
}
@page{size:A4;margin:14mm}
`.trim();

function badge(status: ControlStatus | EvidenceItem['status'], label: string): string {
  return `<span class="badge s-${esc(status)}">${esc(label)}</span>`;
}

/** A row of cells, or one with a class (e.g. `expiring`). */
type Row = readonly string[] | { readonly cls?: string; readonly attrs?: Readonly<Record<string, string>>; readonly cells: readonly string[] };

function table(header: readonly string[], rows: readonly Row[], cls = ''): string {
  if (rows.length === 0) return '<p><em>none</em></p>';
  const tr = (r: Row) => {
    if (!('cells' in r)) return `<tr>${r.join('')}</tr>`;
    const attrs = Object.entries(r.attrs ?? {}).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
    return `<tr${r.cls ? ` class="${r.cls}"` : ''}${attrs}>${r.cells.join('')}</tr>`;
  };
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map(tr).join('')}</tbody></table>`;
}

/** A cell of escaped text. */
const td = (v: string | number, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${esc(v)}</td>`;

function evidenceTable(items: readonly EvidenceItem[]): string {
  return table(
    ['Status', 'Rule', 'Cooperative', 'Where', 'Properties', 'Finding', 'Reason / fix'],
    items.map((e) => [
      `<td>${badge(e.status, CHECK_STATUS_LABEL[e.status])}</td>`,
      td(`${e.pack} ${e.rule}`),
      td(e.cooperative ?? 'platform'),
      td(formatLocation(e)),
      td(formatProperties(e.properties)),
      td(e.message),
      td(e.reason ?? e.fix ?? ''),
    ]),
    'evidence',
  );
}

/** Failures one by one; acknowledgements once per base rule and reason, with the resources they cover. */
function attentionTables(items: readonly EvidenceItem[]): string {
  const fails = items.filter((e) => e.status === 'fail');
  const acks = items.filter((e) => e.status === 'acknowledged');
  return `${fails.length ? evidenceTable(fails) : ''}${acks.length ? acknowledgementTable(acks) : ''}`;
}

/**
 * One row per accepted exception (pack, base rule, reason) with how many resources it covers.
 * Given the report, the index's rows link to the control pages that list the exception's
 * evidence (`root` leads from the page to the report folder).
 */
function acknowledgementTable(items: readonly EvidenceItem[], links?: { readonly report: AuditReport; readonly root: string }): string {
  const controls = links ? controlsOfAcknowledgements(links.report) : undefined;
  const listedOn = (g: AcknowledgementGroup): string => {
    const ids = new Set<string>();
    for (const v of g.variants) for (const id of controls?.get(`${g.pack}\u0000${v}`) ?? []) ids.add(id);
    return [...ids].sort().map((id) => `<a href="${esc(`${links!.root}${controlPagePath(id)}`)}">${esc(id)}</a>`).join(', ');
  };
  return table(
    ['Status', 'Rule', 'Reason', 'Resources', 'Where', ...(controls ? ['Evidence'] : [])],
    groupAcknowledgements(items).map((g) => [
      `<td>${badge('acknowledged', CHECK_STATUS_LABEL.acknowledged)}</td>`,
      td(acknowledgementRuleText(g)),
      td(g.reason),
      td(g.items.length, 'num'),
      `<td>${where(g.items)}</td>`,
      ...(controls ? [`<td>${listedOn(g)}</td>`] : []),
    ]),
    'evidence acknowledgements',
  );
}

/** Per report, the controls whose pages list an acknowledgement of a pack and full rule id. */
function controlsOfAcknowledgements(r: AuditReport): Map<string, Set<string>> {
  const known = ackControlsOf.get(r);
  if (known) return known;
  const map = new Map<string, Set<string>>();
  for (const c of r.controls) {
    for (const e of c.evidence) {
      if (e.status !== 'acknowledged') continue;
      const k = `${e.pack}\u0000${e.rule}`;
      const s = map.get(k) ?? new Set<string>();
      s.add(c.id);
      map.set(k, s);
    }
  }
  ackControlsOf.set(r, map);
  return map;
}

const ackControlsOf = new WeakMap<AuditReport, Map<string, Set<string>>>();

/** The first locations inline, the rest folded away (a single one keeps its properties). */
function where(items: readonly EvidenceItem[]): string {
  if (items.length === 1) {
    const p = formatProperties(items[0].properties);
    return esc(`${formatLocation(items[0])}${p ? ` (${p})` : ''}`);
  }
  // No <details>: a printed page shows everything; the full list is in report.json.
  return esc(firstLocations(items));
}

function inventory(title: string, s: InventorySection, missing: string): string {
  if (!s.found) return `<h4>${esc(title)}</h4><p class="note">${esc(missing)}</p>`;
  return (
    `<h4>${esc(title)} <small>(${s.resources.length} resources in ${esc(s.stacks.join(', ') || 'no stack')})</small></h4>` +
    table(
      ['Stack', 'Type', 'Logical id', 'Key properties'],
      s.resources.map((r) => [td(r.stack), td(r.type), td(r.logicalId), td(formatProperties(r.properties))]),
      'inventory',
    )
  );
}

/** AWS accounts and cells: a bar chart of the highest quota use, then every account-level quota. */
function accountsBody(r: AuditReport): string {
  const rows = r.accounts.flatMap((a) =>
    (a.quotas.length ? a.quotas : [undefined]).map((q, i) => ({
      cls: a.status === 'fail' ? 'expiring' : '',
      cells: [
        td(i === 0 ? (a.cell ?? 'data lake / 데이터 레이크') : ''),
        td(i === 0 ? a.account : ''),
        td(i === 0 ? (a.capacity !== undefined ? `${a.cooperatives.length} / ${a.capacity}` : String(a.cooperatives.length)) : '', 'num'),
        q ? `<td><span lang="ko">${esc(q.name.ko)}</span> (${esc(q.name.en)})</td>` : td('-'),
        td(q ? `${q.used} / ${q.limit}` : '-', 'num'),
        td(q ? `${q.percent} %` : '-', 'num'),
        q ? `<td>${badge(q.status, CHECK_STATUS_LABEL[q.status])}</td>` : td(''),
      ],
    })),
  );
  return `<div class="scroll">${accountsSvg(r.accounts)}</div>${table(['Cell / 셀', 'Account / 계정', 'Cooperatives / 조합', 'Quota / 할당량', 'Used / 사용', 'Use', 'Check'], rows, 'accounts')}`;
}

/** Korean first, English beside it, for headings and labels. */
function bi(ko: string, en: string): string {
  return `<span lang="ko">${esc(ko)}</span> <span class="en" lang="en">${esc(en)}</span>`;
}

/** Path of the platform's inventory page, relative to the report folder. */
export const PLATFORM_PAGE_PATH = 'platform.html';

/** Path of a cooperative's page, relative to the report folder. */
export function cooperativePagePath(id: string): string {
  return `coops/${id}.html`;
}

/** Path of a control's page, relative to the report folder. */
export function controlPagePath(id: string): string {
  return `controls/${slug(id)}.html`;
}

/** One HTML page of the report. */
export interface HtmlPage {
  /** Relative to the report folder (`index.html`, `coops/x.html`). */
  readonly path: string;
  readonly title: string;
  /** The page's `<body>` content. */
  readonly body: string;
}

/** A section of index.html: its anchor, its heading and what it renders. */
export interface IndexSection {
  readonly id: string;
  readonly title: { readonly ko: string; readonly en: string };
  /** HTML inside the section, after its heading. */
  readonly render: (r: AuditReport) => string;
}

/** The index's sections in order. Add a section here (one function, one line). */
export const INDEX_SECTIONS: readonly IndexSection[] = [
  { id: 'summary', title: { ko: '요약', en: 'Summary' }, render: summarySection },
  { id: 'controls', title: { ko: '통제 항목', en: 'Controls' }, render: controlsSection },
  { id: 'failures', title: { ko: '실패한 점검', en: 'Failed checks' }, render: (r) => evidenceTable(r.failures) },
  { id: 'acknowledgements', title: { ko: '승인된 예외', en: 'Accepted exceptions' }, render: (r) => (r.acknowledgements.length ? acknowledgementTable(r.acknowledgements, { report: r, root: '' }) : evidenceTable([])) },
  { id: 'packs', title: { ko: '점검 규칙 묶음', en: 'Check packs' }, render: packsSection },
  { id: 'accounts', title: { ko: '계정 및 셀', en: 'AWS accounts and cells' }, render: accountsBody },
  { id: 'capacity', title: { ko: 'IDC 용량', en: 'IDC capacity' }, render: capacitySection },
  { id: 'dataflow', title: { ko: '데이터 흐름', en: 'Data flow' }, render: (r) => `<div class="scroll">${dataFlowSvg(flowForIndex(r))}</div>${r.cooperatives.length > FLOW_DETAIL_LIMIT ? `<p>${esc(`Aggregated by industry (KSIC) and consumer kind: ${r.cooperatives.length} cooperatives are more than one readable diagram holds. Each cooperative's page draws its own.`)}</p>` : ''}` },
  { id: 'offboarding', title: { ko: '오프보딩', en: 'Offboarding' }, render: offboardingSection },
  { id: 'cooperatives', title: { ko: '조합', en: 'Cooperatives' }, render: cooperativesSection },
];

/** Pages besides the index, each from the report. Add a page kind here. */
export const HTML_PAGES: readonly ((r: AuditReport) => readonly HtmlPage[])[] = [
  (r) => r.cooperatives.map((c) => cooperativePage(r, c)),
  (r) => r.controls.map((c) => controlPage(r, c)),
  (r) => [platformPage(r)],
  (r) => (r.cost ? [costPage(r.cost)] : []),
];

/** Renders report/index.html. */
export function renderHtml(r: AuditReport): string {
  const body: string[] = [];
  body.push(`<header><h1>${bi('감사 보고서', 'Audit report')}: ${esc(r.environment.name)}</h1><div>${bi('계정', 'Account')} ${esc(r.environment.account)} · ${esc(r.environment.region)} · ${bi('보고일', 'report date')} ${esc(r.today)}</div></header>`);
  body.push(`<nav>${INDEX_SECTIONS.map((s) => `<a href="#${s.id}">${esc(s.title.ko)} ${esc(s.title.en)}</a>`).join('')}<a href="${PLATFORM_PAGE_PATH}">플랫폼 Platform</a>${r.cost ? '<a href="cost.html">비용 Cost</a>' : ''}</nav>`);
  body.push('<main>');
  body.push(
    `<p>Built from plan.json${r.inputs.checkFiles.map((f) => `, ${esc(f)}`).join('')}${r.inputs.cloudOutput ? ', cdk.out/' : ''}${r.inputs.idcOutput ? ', cdktf.out/' : ''}. The report reads these results; it does not recompute them.</p>`,
  );
  body.push(`<p class="provenance">${esc(describeCheckResultOrigin(r.inputs.checkResults))}</p>`);
  for (const n of r.inputs.notes) body.push(`<p class="note">${esc(n)}</p>`);
  for (const s of INDEX_SECTIONS) body.push(`<section id="${s.id}"><h2>${bi(s.title.ko, s.title.en)}</h2>${s.render(r)}</section>`);
  body.push('</main>');
  return shell(`coop-idc audit report: ${r.environment.name} ${r.today}`, body.join('\n'), '');
}

/** Every HTML page besides index.html (see HTML_PAGES), sorted by path. */
export function renderHtmlPages(r: AuditReport): HtmlPage[] {
  const pages = HTML_PAGES.flatMap((p) => p(r)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return pages;
}

/** A page's full HTML from its body; `root` is the way back to the report folder (`../`). */
export function renderPage(page: HtmlPage): string {
  const depth = page.path.split('/').length - 1;
  return shell(page.title, page.body, '../'.repeat(depth));
}

function shell(title: string, body: string, root: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="ko">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body data-root="${esc(root || './')}">${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}

function summarySection(r: AuditReport): string {
  const s = r.summary;
  const cards: [string, string, number][] = [
    ['조합', 'Cooperatives', s.cooperatives],
    ['데이터셋', 'Datasets', s.datasets],
    ['이용기관', 'Consumers', s.consumers],
    ['제공 계약', 'Agreements', s.agreements],
    [`${r.expiryWindowDays}일 내 만료`, `Expiring ≤ ${r.expiryWindowDays} days`, s.agreementsExpiringSoon],
    ['통과', 'Checks passed', s.checks.pass],
    ['예외 승인', 'Checks acknowledged', s.checks.acknowledged],
    ['실패', 'Checks failed', s.checks.fail],
  ];
  return `<div class="cards">${cards.map(([ko, en, n]) => `<div class="card" data-card="${esc(en)}"><b>${n}</b>${bi(ko, en)}</div>`).join('')}</div><p>Controls: ${s.controls.passed} passed, ${s.controls.acknowledged} acknowledged, ${s.controls.failed} failed, ${s.controls['no-evidence']} without evidence.</p>`;
}

function controlsSection(r: AuditReport): string {
  return table(
    ['Control / 통제', 'Title / 제목', 'Status / 상태', 'Evidence / 증적'],
    r.controls.map((c) => ({
      attrs: { 'data-control': c.id, 'data-status': c.status },
      cells: [
        `<td><a href="${esc(controlPagePath(c.id))}">${esc(c.id)}</a></td>`,
        `<td><span lang="ko">${esc(c.title.ko)}</span> (${esc(c.title.en)})</td>`,
        `<td>${badge(c.status, CONTROL_STATUS_LABEL[c.status])}</td>`,
        `<td data-counts="${esc(formatCounts(c.counts))}">${esc(formatCounts(c.counts))}</td>`,
      ],
    })),
    'controls',
  );
}

function packsSection(r: AuditReport): string {
  if (r.packs.length === 0) return '<p class="note">No check results.</p>';
  return r.packs
    .map(
      (p) =>
        `<h3>${esc(p.pack)} <small>${esc(formatCounts(p.counts))}</small></h3>` +
        table(
          ['Rule', 'Status', 'Passed', 'Acknowledged', 'Failed', 'Controls'],
          rulesByBase(p.rules).map((x) => [td(ruleRowText(x)), `<td>${badge(x.status, x.status)}</td>`, td(x.counts.pass, 'num'), td(x.counts.acknowledged, 'num'), td(x.counts.fail, 'num'), td(x.controls.join('; '))]),
          'rules',
        ),
    )
    .join('');
}

function capacitySection(r: AuditReport): string {
  return (
    `<div class="scroll">${capacitySvg(r.capacity)}</div>` +
    table(
      ['Resource', 'Reserved by quotas', 'Capacity', 'Used', 'Largest tenants'],
      r.capacity.map((c) => [td(c.resource), td(c.requestedText, 'num'), td(c.capacityText, 'num'), td(`${c.percent}%${c.exceeded ? ' EXCEEDED' : ''}`, 'num'), td(c.tenants.slice(0, 5).map((t) => `${t.tenant} ${t.text}`).join(', '))]),
      'capacity',
    )
  );
}

/** Each leaving or removed cooperative with its steps and their evidence (PIPA art. 21). */
function offboardingSection(r: AuditReport): string {
  if (r.offboarding.length === 0) return `<p>${bi('오프보딩 중이거나 삭제된 조합이 없습니다.', 'No cooperative is offboarding or removed.')}</p>`;
  return r.offboarding
    .map(
      (o) =>
        `<h3 id="offboarding-${esc(o.id)}">${esc(o.id)} <span lang="ko">${esc(o.name.ko)}</span> (${esc(o.name.en)}): ${esc(o.status)}</h3>` +
        `<p>${bi('시작', 'since')} ${esc(o.since)} · ${bi('보존', 'kept until')} ${esc(o.retainUntil)} · ${bi('만료', o.status === 'removed' ? 'expired on' : 'expires on')} ${esc(o.expiresOn)} · ${esc(o.source)}</p>` +
        table(
          ['Step / 단계', 'Status / 상태', 'Evidence / 근거'],
          o.steps.map((st) => [`<td>${bi(st.title.ko, st.title.en)}</td>`, `<td>${badge(st.status, CHECK_STATUS_LABEL[st.status])}</td>`, td(st.evidence)]),
          'offboarding',
        ),
    )
    .join('\n');
}

function cooperativesSection(r: AuditReport): string {
  return table(
    ['Cooperative / 조합', 'Name / 이름', 'KSIC', 'Checks / 점검', 'Needs attention / 조치 필요', 'Agreements / 계약'],
    r.cooperatives.map((c) => [
      `<td><a href="${esc(cooperativePagePath(c.id))}">${esc(c.id)}</a></td>`,
      `<td><span lang="ko">${esc(c.name.ko)}</span> (${esc(c.name.en)})</td>`,
      td(c.ksic),
      td(formatCounts(c.checks)),
      td(c.checks.fail ? `${c.checks.fail} failed` : '-', 'num'),
      td(c.sharing.length, 'num'),
    ]),
    'cooperatives',
  );
}

/** Above this many cooperatives the index draws the data flow by industry and consumer kind. */
export const FLOW_DETAIL_LIMIT = 30;

/** The index's data flow: in full for a few cooperatives, else by KSIC and consumer kind. */
export function flowForIndex(r: AuditReport): DataFlow {
  if (r.cooperatives.length <= FLOW_DETAIL_LIMIT) return r.dataFlow;
  const ksic = new Map(r.cooperatives.map((c) => [c.id, c.ksic]));
  const kind = new Map(r.dataFlow.consumers.map((c) => [c.id, c.kind]));
  const edges = new Map<string, DataFlow['edges'][number]>();
  for (const e of r.dataFlow.edges) {
    const industry = `KSIC ${ksic.get(e.cooperative) ?? '?'}`;
    const x = { cooperative: industry, dataset: e.level, consumer: kind.get(e.consumer) ?? 'research', level: e.level };
    edges.set(`${x.cooperative}\u0000${x.dataset}\u0000${x.consumer}`, x);
  }
  const list = [...edges.keys()].sort().map((k) => edges.get(k)!);
  return {
    cooperatives: [...new Set(list.map((e) => e.cooperative))].sort(),
    datasets: [...new Set(list.map((e) => `${e.cooperative}/${e.dataset}`))].sort(),
    consumers: [...new Set(list.map((e) => e.consumer))].sort().map((id) => ({ id, kind: id as DataFlow['consumers'][number]['kind'] })),
    edges: list,
  };
}

function cooperativePage(r: AuditReport, c: CooperativeReport): HtmlPage {
  const body: string[] = [];
  body.push(`<header><h1>${esc(c.id)}: <span lang="ko">${esc(c.name.ko)}</span> <span class="en" lang="en">(${esc(c.name.en)})</span></h1><div>KSIC ${esc(c.ksic)} · ${c.memberCount} ${bi('회원사', 'members')} · ${bi('분류', 'classification')} ${esc(c.classification)} · config ${esc(c.source)}</div></header>`);
  body.push(`<nav><a href="../index.html">${bi('감사 보고서', 'Audit report')}</a><a href="#attention">조치 필요 Attention</a><a href="#inventory">자원 Inventory</a><a href="#datasets">데이터셋 Datasets</a><a href="#disclosure">제공 내역 Disclosure</a><a href="#sharing">제공 계약 Sharing</a></nav>`);
  body.push(`<main class="cooperative" id="coop-${esc(c.id)}">`);
  body.push(`<p>${bi('점검', 'Checks')}: ${esc(formatCounts(c.checks))}</p>`);
  const { fails, own, routine: usual } = attentionParts(r, c.id);
  body.push(`<section id="attention"><h2>${bi('먼저 확인할 사항', 'Needs attention first')}</h2>`);
  body.push(`<h3>${bi('실패', 'Failures')}</h3>${fails.length ? evidenceTable(fails) : '<p><em>none / 없음</em></p>'}`);
  body.push(`<h3>${bi('이 조합만의 예외', 'Exceptions of this cooperative')}</h3>${own.length ? acknowledgementTable(own) : '<p><em>none / 없음</em></p>'}`);
  body.push(`<h3>${bi('셀 공통 예외', 'Routine exceptions of this cell')}</h3>${usual.length ? acknowledgementTable(usual) : '<p><em>none / 없음</em></p>'}</section>`);
  body.push(`<section id="inventory" class="page-break"><h2>${bi('자원 목록', 'Inventory')}</h2>`);
  body.push(inventory('Cloud inventory', c.cloud, 'no cloud synth output found'));
  if (c.idc.tenancy) {
    const t = c.idc.tenancy;
    body.push(`<h4>IDC tenancy</h4><p>Namespace ${esc(t.namespace)} · quota ${esc(Object.entries(t.quota).map(([k, v]) => `${k} ${v}`).join(', '))} · shared servers ${esc(t.sharedServers.join(', ') || 'none')}</p>`);
    body.push(table(['Model', 'Replicas', 'CPU', 'Memory', 'GPU'], t.models.map((m) => [td(m.name), td(m.replicas, 'num'), td(m.cpu), td(m.memory), td(m.gpu)]), 'models'));
    body.push(inventory('IDC inventory', c.idc, 'no IDC synth output found'));
  } else body.push('<h4>IDC tenancy</h4><p>None (cloud only).</p>');
  body.push('</section>');
  body.push(`<section id="datasets"><h2>${bi('데이터셋과 개인정보 분류', 'Datasets and PII classes')}</h2>`);
  body.push(
    table(
      ['Dataset', 'Classification', 'Retention (days)', 'Shared at', 'PII columns'],
      c.datasets.map((d) => [
        td(d.name),
        td(d.classification),
        td(d.retentionDays, 'num'),
        td(d.sharedAt.join(', ') || '-'),
        td(d.columns.filter((x) => x.pii !== 'none').map((x) => `${x.name} (${x.pii}${x.generalized ? ', generalized' : ''})`).join(', ') || '-'),
      ]),
      'datasets',
    ),
  );
  body.push('</section>');
  const flow = { ...r.dataFlow, edges: r.dataFlow.edges.filter((e) => e.cooperative === c.id) };
  const mine: DataFlow = {
    cooperatives: flow.edges.length ? [c.id] : [],
    datasets: [...new Set(flow.edges.map((e) => `${e.cooperative}/${e.dataset}`))].sort(),
    consumers: r.dataFlow.consumers.filter((x) => flow.edges.some((e) => e.consumer === x.id)),
    edges: flow.edges,
  };
  body.push(`<section id="disclosure"><h2>${bi('이용기관별 제공 내역', 'What each consumer receives')}</h2><div class="scroll">${dataFlowSvg(mine)}</div>`);
  body.push(
    table(
      ['Consumer', 'Dataset', 'Column', 'Level', 'Disclosure', 'Until', 'Agreement'],
      r.disclosureMatrix.filter((x) => x.cooperative === c.id).map((x) => [td(x.consumer), td(x.dataset), td(x.column), td(x.level), td(x.disclosure), td(x.expires), td(x.source)]),
      'disclosure',
    ),
  );
  body.push('</section>');
  body.push(`<section id="sharing"><h2>${bi('제공 계약', 'Sharing agreements')}</h2>`);
  body.push(
    table(
      ['Consumer', 'Dataset', 'Level', 'Columns', 'Purpose', 'Legal basis', 'Expires', 'Agreement'],
      c.sharing.map((g) => {
        const cells = [
          td(`${g.consumerName} (${g.consumer}, ${g.consumerKind})`),
          td(g.dataset),
          td(g.level),
          td(g.columns.join(', ')),
          td(g.purpose),
          td(g.legalBasis),
          `<td>${esc(g.expires)}${g.expiringSoon ? ` <span class="badge s-fail">expires in ${g.daysLeft} days</span>` : ''}</td>`,
          td(g.source),
        ];
        return g.expiringSoon ? { cls: 'expiring', cells } : cells;
      }),
      'sharing',
    ),
  );
  body.push('</section></main>');
  return { path: cooperativePagePath(c.id), title: `${c.id}: ${c.name.ko} (${c.name.en}) · audit report`, body: body.join('\n') };
}

function controlPage(r: AuditReport, c: ControlReport): HtmlPage {
  const body: string[] = [];
  body.push(`<header><h1>${esc(c.id)}: <span lang="ko">${esc(c.title.ko)}</span> <span class="en" lang="en">(${esc(c.title.en)})</span></h1><div>${esc(c.framework)} · ${badge(c.status, CONTROL_STATUS_LABEL[c.status])} · ${esc(formatCounts(c.counts))}</div></header>`);
  body.push(`<nav><a href="../index.html#controls">${bi('통제 항목', 'Controls')}</a></nav><main id="ctl-${slug(c.id)}">`);
  body.push(`<p>${esc(c.how)}</p>`);
  if (c.status === 'no-evidence') body.push(`<p class="note">${esc(NO_EVIDENCE_TEXT)}${c.context ? ` ${esc(contextText(c.context.length))}` : ''}</p>`);
  const attention = c.evidence.filter((e) => e.status !== 'pass');
  if (attention.length) body.push(`<h2>${bi('실패 및 예외', 'Failures and exceptions')}</h2>${attentionTables(attention)}`);
  if (c.passes.length) body.push(`<h2>${bi('통과한 점검', 'Passed checks')}</h2>${passesTables(r, c.passes)}`);
  const facts = c.evidence.filter((e) => e.source === 'plan' && e.status === 'pass');
  if (facts.length) body.push(`<h2>${bi('계획상 사실', 'Plan facts')}</h2>${factsTable(r, facts)}`);
  if (c.context?.length) body.push(`<h2>${bi('참고 사실 (미집계)', 'Context (not counted)')}</h2>${factsTable(r, c.context)}`);
  body.push('</main>');
  return { path: controlPagePath(c.id), title: `${c.id} · audit report`, body: body.join('\n') };
}

/**
 * A control's passes (or plan facts), counted: per rule (passes, stacks, cooperatives), then
 * per cell with each cooperative's count linking to its page. One row per pass group made a
 * control page of ~65,000 rows at 1,000 cooperatives; these tables grow with rules and
 * cooperatives only. report.json lists each one.
 */
function passesTables(r: AuditReport, passes: readonly Pick<PassedChecks, 'pack' | 'rule' | 'stack' | 'cooperative' | 'count'>[]): string {
  const rules = new Map<string, { count: number; stacks: Set<string>; coops: Set<string> }>();
  const byCell = new Map<string, Map<string, number>>();
  const platform = new Map<string, number>();
  const cells = cellOfCooperative(r);
  for (const p of passes) {
    const k = `${p.pack} ${p.rule}`;
    const g = rules.get(k) ?? { count: 0, stacks: new Set<string>(), coops: new Set<string>() };
    g.count += p.count;
    g.stacks.add(p.stack);
    if (p.cooperative !== undefined) g.coops.add(p.cooperative);
    rules.set(k, g);
    if (p.cooperative === undefined) {
      platform.set(p.stack, (platform.get(p.stack) ?? 0) + p.count);
      continue;
    }
    const cell = cells.get(p.cooperative) ?? '';
    const m = byCell.get(cell) ?? new Map<string, number>();
    m.set(p.cooperative, (m.get(p.cooperative) ?? 0) + p.count);
    byCell.set(cell, m);
  }
  const sorted = <T>(m: ReadonlyMap<string, T>): [string, T][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const pages = new Set(r.cooperatives.map((c) => c.id));
  const coopLink = (id: string, n: number) => (pages.has(id) ? `<a href="../${esc(cooperativePagePath(id))}">${esc(id)}</a> ${n}` : `${esc(id)} ${n}`);
  const perRule = table(
    ['규칙 / Rule', '통과 / Passed', '스택 / Stacks', '조합 / Cooperatives'],
    sorted(rules).map(([rule, g]) => [td(rule), td(g.count, 'num'), td(g.stacks.size, 'num'), td(g.coops.size, 'num')]),
    'passes',
  );
  const rows: Row[] = sorted(byCell).map(([cell, m]) => [td(cell.startsWith('account:') ? `데이터 레이크 / data lake (${cell.slice('account:'.length)})` : cell || '-'), td(sum(m), 'num'), `<td>${sorted(m).map(([id, n]) => coopLink(id, n)).join(', ')}</td>`]);
  if (platform.size) rows.push([td('플랫폼 / platform'), td(sum(platform), 'num'), td(sorted(platform).map(([stack, n]) => `${stack} ${n}`).join(', '))]);
  const perCell = table(['셀 / Cell', '통과 / Passed', '조합별 통과 / Passes per cooperative'], rows, 'passes-by-cell');
  return `${perRule}<h3>${bi('셀별', 'By cell')}</h3>${perCell}<p>${bi('하나하나는 report.json에 있습니다.', 'report.json lists each one.')}</p>`;
}

/** Above this many plan facts a control page counts them as it counts passes (some controls have several per cooperative). */
const FACTS_IN_FULL = 100;

/** Plan facts one per row, or counted per rule and cell when there are more than {@link FACTS_IN_FULL}. */
function factsTable(r: AuditReport, facts: readonly EvidenceItem[]): string {
  if (facts.length > FACTS_IN_FULL) return passesTables(r, facts.map((e) => ({ pack: e.pack, rule: e.rule, stack: e.stack, cooperative: e.cooperative, count: 1 })));
  return table(['Rule', 'Cooperative', 'Where', 'Fact'], facts.map((e) => [td(e.rule), td(e.cooperative ?? 'platform'), td(e.resource), td(e.message)]), 'facts');
}

function platformPage(r: AuditReport): HtmlPage {
  const body = [
    `<header><h1>${bi('플랫폼 자원', 'Platform inventory')}</h1></header>`,
    `<nav><a href="index.html">${bi('감사 보고서', 'Audit report')}</a></nav><main id="platform">`,
    inventory('Cloud', r.platform.cloud, 'no cloud synth output found'),
    inventory('IDC', r.platform.idc, 'no IDC synth output found'),
    '</main>',
  ];
  return { path: PLATFORM_PAGE_PATH, title: 'Platform inventory · audit report', body: body.join('\n') };
}

/**
 * report/cost.html: the chargeback estimate of the report's month (docs/cost.en.md): a
 * stacked bar per cooperative and the table of every cooperative, the remainder and the total.
 */
function costPage(e: CostEstimate): HtmlPage {
  const td = (v: string, num = false) => `<td${num ? ' class="num"' : ''}>${esc(v)}</td>`;
  const rows = e.cooperatives.map((c) => [td(c.id), ...COST_COMPONENTS.map((k) => td(formatWon(c.amounts[k]), true)), td(formatWon(c.total), true)]);
  const unallocated = e.unallocated.reduce((s, u) => s + u.amount, 0);
  const blank = COST_COMPONENTS.map(() => td(''));
  rows.push([td('미배분 / unallocated'), ...blank, td(formatWon(unallocated), true)]);
  rows.push([td('전체 / whole plan'), ...blank, td(formatWon(e.total), true)]);
  const body = [
    `<header><h1>${bi('월 추정 비용', 'Monthly cost estimate')}: ${esc(e.month)}</h1></header>`,
    `<nav><a href="index.html">${bi('감사 보고서', 'Audit report')}</a></nav><main id="cost">`,
    `<p>${esc(`KBIZ 요금표(원, 예시 값일 수 있음)를 계획에 적용한 추정입니다. 플랫폼 비용 배분: ${e.split}. / The KBIZ rate card (whole won; KBIZ's own prices, not AWS list prices) applied to the plan; platform costs split ${e.split}. Cooperatives plus unallocated equal the whole plan to the won (docs/cost.en.md).`)}</p>`,
    e.cooperatives.length > COST_CHART_LIMIT ? `<p>${esc(`그래프는 상위 ${COST_CHART_LIMIT}개 협동조합만 / The chart shows the ${COST_CHART_LIMIT} largest of ${e.cooperatives.length} cooperatives; the table lists all.`)}</p>` : '',
    `<div class="scroll">${costChartSvg(e)}</div>`,
    `<div class="scroll">${table(['협동조합 / cooperative', ...COST_COMPONENTS.map((k) => `${COMPONENT_LABELS[k].ko} / ${COMPONENT_LABELS[k].en}`), '합계 / total'], rows)}</div>`,
    ...e.unallocated.map((u) => `<p class="note">${esc(`미배분 / unallocated: ${u.reason.ko} / ${u.reason.en}: ${formatWon(u.amount)}`)}</p>`),
    '</main>',
  ];
  return { path: 'cost.html', title: 'Monthly cost estimate · audit report', body: body.join('\n') };
}

function slug(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
