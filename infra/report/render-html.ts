/**
 * report/index.html: one self-contained page (inline CSS and SVG, no script, no external
 * asset) that opens from disk with no network. A Content-Security-Policy forbids loading
 * anything, so a value from config can neither inject markup (everything is escaped) nor
 * make the page fetch something.
 */
import type { AuditReport, ControlStatus, EvidenceItem, InventorySection } from './model';
import { CHECK_STATUS_LABEL, CONTROL_STATUS_LABEL, contextText, NO_EVIDENCE_TEXT, formatCounts, formatLocation, formatProperties, groupAcknowledgements, passSummary } from './render-text';
import { accountsSvg, capacitySvg, dataFlowSvg, esc } from './svg';
import { describeCheckResultOrigin } from './provenance';

const CSS = `
:root{--fail:#c0392b;--ack:#d68910;--pass:#1e8449;--none:#7f8c8d;--ink:#1c2833;--line:#d5d8dc}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Malgun Gothic",sans-serif;color:var(--ink);margin:0;line-height:1.45}
header{background:#1c2833;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:1.4em}
nav{padding:8px 24px;border-bottom:1px solid var(--line);font-size:.9em}
nav a{margin-right:14px}
main{padding:0 24px 48px}
h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.86em;width:100%}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
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

/** Failures one by one; acknowledgements once per rule and reason, with the resources they cover. */
function attentionTables(items: readonly EvidenceItem[]): string {
  const fails = items.filter((e) => e.status === 'fail');
  const acks = items.filter((e) => e.status === 'acknowledged');
  return `${fails.length ? evidenceTable(fails) : ''}${acks.length ? acknowledgementTable(acks) : ''}`;
}

function acknowledgementTable(items: readonly EvidenceItem[]): string {
  return table(
    ['Status', 'Rule', 'Reason', 'Resources', 'Where'],
    groupAcknowledgements(items).map((g) => [
      `<td>${badge('acknowledged', CHECK_STATUS_LABEL.acknowledged)}</td>`,
      td(`${g.pack} ${g.rule}`),
      td(g.reason),
      td(g.items.length, 'num'),
      `<td>${where(g.items)}</td>`,
    ]),
    'evidence acknowledgements',
  );
}

/** The first locations inline, the rest folded away (a single one keeps its properties). */
function where(items: readonly EvidenceItem[]): string {
  if (items.length === 1) {
    const p = formatProperties(items[0].properties);
    return esc(`${formatLocation(items[0])}${p ? ` (${p})` : ''}`);
  }
  const locations = items.map((e) => `${e.cooperative ?? 'platform'}: ${formatLocation(e)}`);
  if (locations.length <= 3) return esc(locations.join('; '));
  return `${esc(locations.slice(0, 3).join('; '))}<details><summary>all ${locations.length}</summary>${esc(locations.join('; '))}</details>`;
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
function accountsSection(r: AuditReport): string {
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
  return `<section id="accounts"><h2><span lang="ko">계정 및 셀</span> / AWS accounts and cells</h2><div class="scroll">${accountsSvg(r.accounts)}</div>${table(['Cell / 셀', 'Account / 계정', 'Cooperatives / 조합', 'Quota / 할당량', 'Used / 사용', 'Use', 'Check'], rows, 'accounts')}</section>`;
}

/** Renders report/index.html. */
export function renderHtml(r: AuditReport): string {
  const s = r.summary;
  const body: string[] = [];
  body.push(
    `<header><h1>Audit report: ${esc(r.environment.name)}</h1><div>Account ${esc(r.environment.account)} · ${esc(r.environment.region)} · report date ${esc(r.today)}</div></header>`,
  );
  body.push(
    '<nav><a href="#summary">Summary</a><a href="#controls">Controls</a><a href="#packs">Check packs</a><a href="#failures">Failed</a><a href="#acknowledgements">Acknowledgements</a><a href="#dataflow">Data flow</a><a href="#accounts">Accounts</a><a href="#capacity">Capacity</a><a href="#cooperatives">Cooperatives</a><a href="#platform">Platform</a></nav>',
  );
  body.push('<main>');
  body.push(
    `<p>Built from plan.json${r.inputs.checkFiles.map((f) => `, ${esc(f)}`).join('')}${r.inputs.cloudOutput ? ', cdk.out/' : ''}${r.inputs.idcOutput ? ', cdktf.out/' : ''}. The report reads these results; it does not recompute them.</p>`,
  );
  body.push(`<p class="provenance">${esc(describeCheckResultOrigin(r.inputs.checkResults))}</p>`);
  for (const n of r.inputs.notes) body.push(`<p class="note">${esc(n)}</p>`);

  body.push('<section id="summary"><h2>Summary</h2><div class="cards">');
  const cards: [string, number][] = [
    ['Cooperatives', s.cooperatives],
    ['Datasets', s.datasets],
    ['Consumers', s.consumers],
    ['Agreements', s.agreements],
    [`Expiring ≤ ${r.expiryWindowDays} days`, s.agreementsExpiringSoon],
    ['Checks passed', s.checks.pass],
    ['Checks acknowledged', s.checks.acknowledged],
    ['Checks failed', s.checks.fail],
  ];
  for (const [label, n] of cards) body.push(`<div class="card" data-card="${esc(label)}"><b>${n}</b>${esc(label)}</div>`);
  body.push(`</div><p>Controls: ${s.controls.passed} passed, ${s.controls.acknowledged} acknowledged, ${s.controls.failed} failed, ${s.controls['no-evidence']} without evidence.</p></section>`);

  body.push('<section id="controls"><h2>Controls</h2>');
  body.push(
    table(
      ['Control', 'Title', 'Status', 'Evidence'],
      r.controls.map((c) => ({
        attrs: { 'data-control': c.id, 'data-status': c.status },
        cells: [
          `<td><a href="#ctl-${slug(c.id)}">${esc(c.id)}</a></td>`,
          `<td><span lang="ko">${esc(c.title.ko)}</span> (${esc(c.title.en)})</td>`,
          `<td>${badge(c.status, CONTROL_STATUS_LABEL[c.status])}</td>`,
          `<td data-counts="${esc(formatCounts(c.counts))}">${esc(formatCounts(c.counts))}</td>`,
        ],
      })),
      'controls',
    ),
  );
  for (const c of r.controls) {
    body.push(`<details id="ctl-${slug(c.id)}"${c.status === 'failed' ? ' open' : ''}><summary>${badge(c.status, CONTROL_STATUS_LABEL[c.status])} <b>${esc(c.id)}</b> <span lang="ko">${esc(c.title.ko)}</span> (${esc(c.title.en)})</summary>`);
    body.push(`<p>${esc(c.how)}</p>`);
    if (c.status === 'no-evidence') body.push(`<p class="note">${esc(NO_EVIDENCE_TEXT)}${c.context ? ` ${esc(contextText(c.context.length))}` : ''}</p>`);
    const attention = c.evidence.filter((e) => e.status !== 'pass');
    if (attention.length) body.push(attentionTables(attention));
    const passes = passSummary(c);
    if (passes.length) {
      body.push('<p>Passed:</p><ul>');
      for (const g of passes) body.push(`<li>${esc(`${g.pack} ${g.rule}`)}: ${g.count} result${g.count === 1 ? '' : 's'}, e.g. ${g.examples.map(esc).join('; ')}</li>`);
      body.push('</ul>');
    }
    body.push('</details>');
  }
  body.push('</section>');

  body.push('<section id="packs"><h2>Check packs</h2>');
  if (r.packs.length === 0) body.push('<p class="note">No check results.</p>');
  for (const p of r.packs) {
    body.push(`<h3>${esc(p.pack)} <small>${esc(formatCounts(p.counts))}</small></h3>`);
    body.push(
      table(
        ['Rule', 'Status', 'Passed', 'Acknowledged', 'Failed', 'Controls'],
        p.rules.map((x) => [td(x.rule), `<td>${badge(x.status, x.status)}</td>`, td(x.counts.pass, 'num'), td(x.counts.acknowledged, 'num'), td(x.counts.fail, 'num'), td(x.controls.join('; '))]),
        'rules',
      ),
    );
  }
  body.push('</section>');

  body.push(`<section id="failures"><h2>Failed checks</h2>${evidenceTable(r.failures)}</section>`);
  body.push(`<section id="acknowledgements"><h2>Acknowledgements</h2>${r.acknowledgements.length ? acknowledgementTable(r.acknowledgements) : evidenceTable([])}</section>`);

  body.push(`<section id="dataflow"><h2>Data flow</h2><div class="scroll">${dataFlowSvg(r.dataFlow)}</div></section>`);
  body.push(
    `<section id="disclosure"><h2>What each consumer receives</h2>${table(
      ['Consumer', 'Cooperative', 'Dataset', 'Column', 'Level', 'Disclosure', 'Until', 'Agreement'],
      r.disclosureMatrix.map((c) => [td(c.consumer), td(c.cooperative), td(c.dataset), td(c.column), td(c.level), td(c.disclosure), td(c.expires), td(c.source)]),
      'disclosure',
    )}</section>`,
  );
  body.push(accountsSection(r));
  body.push(`<section id="capacity"><h2>IDC capacity</h2><div class="scroll">${capacitySvg(r.capacity)}</div>`);
  body.push(
    table(
      ['Resource', 'Reserved by quotas', 'Capacity', 'Used', 'Largest tenants'],
      r.capacity.map((c) => [td(c.resource), td(c.requestedText, 'num'), td(c.capacityText, 'num'), td(`${c.percent}%${c.exceeded ? ' EXCEEDED' : ''}`, 'num'), td(c.tenants.slice(0, 5).map((t) => `${t.tenant} ${t.text}`).join(', '))]),
      'capacity',
    ),
  );
  body.push('</section>');

  body.push('<section id="cooperatives"><h2>Cooperatives</h2>');
  body.push(`<p>${r.cooperatives.map((c) => `<a href="#coop-${esc(c.id)}">${esc(c.id)}</a>`).join(' · ')}</p>`);
  for (const c of r.cooperatives) {
    body.push(`<section class="cooperative" id="coop-${esc(c.id)}"><h3>${esc(c.id)}: <span lang="ko">${esc(c.name.ko)}</span> (${esc(c.name.en)})</h3>`);
    body.push(`<p>KSIC ${esc(c.ksic)} · ${c.memberCount} members · classification ${esc(c.classification)} · config ${esc(c.source)} · checks: ${esc(formatCounts(c.checks))}</p>`);
    if (c.attention.length) body.push(`<h4>Findings needing attention</h4>${attentionTables(c.attention)}`);
    body.push(inventory('Cloud inventory', c.cloud, 'no cloud synth output found'));
    if (c.idc.tenancy) {
      const t = c.idc.tenancy;
      body.push(
        `<h4>IDC tenancy</h4><p>Namespace ${esc(t.namespace)} · quota ${esc(Object.entries(t.quota).map(([k, v]) => `${k} ${v}`).join(', '))} · shared servers ${esc(t.sharedServers.join(', ') || 'none')}</p>`,
      );
      body.push(table(['Model', 'Replicas', 'CPU', 'Memory', 'GPU'], t.models.map((m) => [td(m.name), td(m.replicas, 'num'), td(m.cpu), td(m.memory), td(m.gpu)]), 'models'));
      body.push(inventory('IDC inventory', c.idc, 'no IDC synth output found'));
    } else body.push('<h4>IDC tenancy</h4><p>None (cloud only).</p>');
    body.push('<h4>Datasets</h4>');
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
    body.push('<h4>Sharing matrix</h4>');
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
    body.push('</section>');
  }
  body.push('</section>');

  body.push('<section id="platform"><h2>Platform inventory</h2>');
  body.push(inventory('Cloud', r.platform.cloud, 'no cloud synth output found'));
  body.push(inventory('IDC', r.platform.idc, 'no IDC synth output found'));
  body.push('</section></main>');

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>coop-idc audit report: ${esc(r.environment.name)} ${esc(r.today)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body>${body.join('\n')}</body>`,
    '</html>',
    '',
  ].join('\n');
}

function slug(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
