/**
 * report.md: the audit report as Markdown, for reading in a repository browser or pasting
 * into a ticket. Same content as the HTML, without the diagrams (the data-flow edges are
 * listed as a table instead).
 */
import type { AuditReport, CooperativeReport, EvidenceItem, InventorySection } from './model';
import { CHECK_STATUS_LABEL, CONTROL_STATUS_LABEL, contextText, NO_EVIDENCE_TEXT, formatCounts, firstLocations, formatLocation, formatProperties, groupAcknowledgements, acknowledgementRuleText, attentionParts, passSummary, rulesByBase, ruleRowText } from './render-text';
import { describeCheckResultOrigin } from './provenance';
import { cooperativePagePath, PLATFORM_PAGE_PATH } from './render-html';
import { REPORT_FILES, REPORT_HTML_DIR } from './paths';

/**
 * Escapes text for a Markdown table cell or line: pipes, backslashes, HTML and line breaks,
 * so no value from config can break the table or inject markup.
 */
export function md(text: string | number): string {
  const s = String(text);
  // Most cells need none of it: one scan first (the replaces were ~0.1 s of report.md at
  // 1,000 cooperatives).
  if (!/[\\|&<>*`[\]#\n]/.test(s)) return s;
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*`[\]#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/**
 * Appends `lines` one by one: `out.push(...lines)` passes every line as an argument, and a
 * section of a large build (every failure, every acknowledgement: hundreds of thousands of
 * rows at 1,000 cooperatives) exceeds the call stack.
 */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  if (rows.length === 0) return ['_none_', ''];
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => md(c)).join(' | ')} |`), ''];
}

function evidenceRows(items: readonly EvidenceItem[]): string[] {
  return table(
    ['Status', 'Rule', 'Cooperative', 'Where', 'Properties', 'Finding', 'Reason / fix'],
    items.map((e) => [CHECK_STATUS_LABEL[e.status], `${e.pack} ${e.rule}`, e.cooperative ?? 'platform', formatLocation(e), formatProperties(e.properties), e.message, e.reason ?? e.fix ?? '']),
  );
}

/** Failures one by one; acknowledgements once per base rule and reason, with the resources they cover. */
function attentionRows(items: readonly EvidenceItem[]): string[] {
  const fails = items.filter((e) => e.status === 'fail');
  const acks = items.filter((e) => e.status === 'acknowledged');
  return [...(fails.length ? evidenceRows(fails) : []), ...(acks.length ? acknowledgementRows(acks) : [])];
}

function acknowledgementRows(items: readonly EvidenceItem[]): string[] {
  return table(
    ['Status', 'Rule', 'Reason', 'Resources', 'Where'],
    groupAcknowledgements(items).map((g) => [CHECK_STATUS_LABEL.acknowledged, acknowledgementRuleText(g), g.reason, g.items.length, firstLocations(g.items)]),
  );
}

/**
 * An inventory as one line: its resources counted by type, with a link to the HTML page that
 * lists every row and its key properties (report.json holds them too). Listing the rows here
 * made report.md 27 MB at 1,000 cooperatives, more than anyone reads as one document.
 */
function inventory(title: string, s: InventorySection, missing: string, page: string): string[] {
  if (!s.found) return [`**${title}:** ${missing}`, ''];
  const byType = new Map<string, number>();
  for (const r of s.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const types = [...byType].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([type, n]) => `${md(type)} ${n}`);
  const link = `${REPORT_HTML_DIR}/${page}`;
  return [`**${title}:** ${s.resources.length} resources in ${s.stacks.length ? s.stacks.join(', ') : 'no stack'}${types.length ? `: ${types.join(', ')}` : ''}. Each with its key properties: [${link}](${link}), and ${REPORT_FILES.json}.`, ''];
}

/** Renders report.md. */
export function renderMarkdown(r: AuditReport): string {
  const out: string[] = [];
  const s = r.summary;
  out.push(`# Audit report: ${md(r.environment.name)} (account ${md(r.environment.account)}, ${md(r.environment.region)})`, '');
  out.push(`Report date: ${r.today}. Built from plan.json${r.inputs.checkFiles.length ? `, ${r.inputs.checkFiles.map(md).join(', ')}` : ''}${r.inputs.cloudOutput ? ', cdk.out/' : ''}${r.inputs.idcOutput ? ', cdktf.out/' : ''}. The report reads these results; it does not recompute them.`, '');
  out.push(md(describeCheckResultOrigin(r.inputs.checkResults)), '');
  for (const n of r.inputs.notes) out.push(`> **Note:** ${md(n)}`, '');

  out.push('## Summary', '');
  out.push(
    ...table(
      ['Cooperatives', 'Datasets', 'Consumers', 'Agreements', `Expiring within ${r.expiryWindowDays} days`, 'Checks passed', 'Checks acknowledged', 'Checks failed'],
      [[s.cooperatives, s.datasets, s.consumers, s.agreements, s.agreementsExpiringSoon, s.checks.pass, s.checks.acknowledged, s.checks.fail]],
    ),
  );
  out.push(`Controls: ${s.controls.passed} passed, ${s.controls.acknowledged} acknowledged, ${s.controls.failed} failed, ${s.controls['no-evidence']} without evidence.`, '');

  out.push('## Controls', '');
  append(out, table(['Control', 'Title', 'Status', 'Evidence'], r.controls.map((c) => [c.id, `${c.title.ko} (${c.title.en})`, CONTROL_STATUS_LABEL[c.status], formatCounts(c.counts)])));
  for (const c of r.controls) {
    out.push(`### ${md(c.id)} ${md(c.title.ko)} (${md(c.title.en)}): ${CONTROL_STATUS_LABEL[c.status]}`, '', md(c.how), '');
    if (c.status === 'no-evidence') {
      out.push(`${NO_EVIDENCE_TEXT}${c.context ? ` ${contextText(c.context.length)}` : ''}`, '');
      continue;
    }
    const attention = c.evidence.filter((e) => e.status !== 'pass');
    if (attention.length) append(out, attentionRows(attention));
    const passes = passSummary(c);
    if (passes.length) {
      out.push('Passed:', '');
      for (const g of passes) out.push(`- ${md(g.pack)} ${md(g.rule)}: ${g.count} result${g.count === 1 ? '' : 's'}, e.g. ${g.examples.map(md).join('; ')}`);
      out.push('');
    }
  }

  out.push('## AWS accounts and cells (계정 및 셀)', '');
  append(
    out,
    table(
      ['Cell', 'Account', 'Cooperatives', 'Highest quota use', 'Check'],
      r.accounts.map((a) => {
        const q = a.quotas[0];
        return [a.cell ?? 'data lake', a.account, a.capacity !== undefined ? `${a.cooperatives.length} / ${a.capacity}` : a.cooperatives.length, q ? `${q.name.ko} (${q.name.en}) ${q.used} / ${q.limit}, ${q.percent} %` : '-', a.status === 'fail' ? CHECK_STATUS_LABEL.fail : CHECK_STATUS_LABEL.pass];
      }),
    ),
  );

  out.push('## Check packs', '');
  if (r.packs.length === 0) out.push('_no check results_', '');
  for (const p of r.packs) {
    out.push(`### ${md(p.pack)}: ${formatCounts(p.counts)}`, '');
    append(out, table(['Rule', 'Status', 'Passed', 'Acknowledged', 'Failed', 'Controls'], rulesByBase(p.rules).map((x) => [ruleRowText(x), x.status, x.counts.pass, x.counts.acknowledged, x.counts.fail, x.controls.join('; ')])));
  }

  out.push('## Failed checks', '');
  append(out, evidenceRows(r.failures));
  out.push('## Acknowledgements', '');
  append(out, r.acknowledgements.length ? acknowledgementRows(r.acknowledgements) : evidenceRows([]));

  out.push('## Data flow', '');
  append(out, table(['Cooperative', 'Dataset', 'Consumer', 'Level'], r.dataFlow.edges.map((e) => [e.cooperative, e.dataset, e.consumer, e.level])));

  out.push('## What each consumer receives', '');
  append(out, table(['Consumer', 'Cooperative', 'Dataset', 'Column', 'Level', 'Disclosure', 'Until', 'Agreement'], r.disclosureMatrix.map((c) => [c.consumer, c.cooperative, c.dataset, c.column, c.level, c.disclosure, c.expires, c.source])));

  out.push('## IDC capacity', '');
  out.push(
    ...table(
      ['Resource', 'Reserved by quotas', 'Capacity', 'Used', 'Largest tenants'],
      r.capacity.map((c) => [c.resource, c.requestedText, c.capacityText, `${c.percent}%${c.exceeded ? ' EXCEEDED' : ''}`, c.tenants.slice(0, 5).map((t) => `${t.tenant} ${t.text}`).join(', ')]),
    ),
  );

  out.push('## Offboarding (오프보딩)', '');
  if (r.offboarding.length === 0) out.push('No cooperative is offboarding or removed.', '');
  for (const o of r.offboarding) {
    out.push(`### ${md(o.id)}: ${o.status} since ${o.since}, kept until ${o.retainUntil}, ${o.status === 'removed' ? 'expired on' : 'expires on'} ${o.expiresOn}`, '');
    append(out, table(['Step', 'Status', 'Evidence'], o.steps.map((st) => [`${st.title.en} (${st.title.ko})`, st.status, st.evidence])));
  }

  out.push('## Cooperatives', '');
  for (const c of r.cooperatives) out.push(cooperativeMarkdown(r, c));

  out.push('## Platform inventory', '');
  append(out, inventory('Cloud', r.platform.cloud, 'no cloud synth output found', PLATFORM_PAGE_PATH));
  append(out, inventory('IDC', r.platform.idc, 'no IDC synth output found', PLATFORM_PAGE_PATH));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * A cooperative's section of report.md, a function of the report's part for its cell (the
 * tests hold it so, as a step towards building the report per cell). The file's blank lines
 * are evened out over the whole (renderMarkdown).
 */
export function cooperativeMarkdown(r: AuditReport, c: CooperativeReport): string {
  const out: string[] = [];
  out.push(`### ${md(c.id)}: ${md(c.name.ko)} (${md(c.name.en)})`, '');
  out.push(`KSIC ${md(c.ksic)} · ${c.memberCount} members · classification ${c.classification} · config ${md(c.source)} · checks: ${formatCounts(c.checks)}`, '');
  // Failures and this cooperative's own exceptions in full; the cell's routine ones (the
  // same on its other cooperatives, and in the Acknowledgements section) counted, as the
  // cooperative's page folds them.
  const { fails, own, routine } = attentionParts(r, c.id);
  const shown = [...fails, ...own];
  if (shown.length) {
    out.push('Findings needing attention:', '');
    append(out, attentionRows(shown));
  }
  if (routine.length) {
    const page = `${REPORT_HTML_DIR}/${cooperativePagePath(c.id)}`;
    const groups = groupAcknowledgements(routine).length;
    out.push(`Routine exceptions of this cell (셀 공통 예외): ${routine.length} acknowledgement${routine.length === 1 ? '' : 's'} in ${groups} group${groups === 1 ? '' : 's'}, the same on other cooperatives of the cell; listed on [${page}](${page}#attention) and under Acknowledgements.`, '');
  }
  append(out, inventory('Cloud inventory', c.cloud, 'no cloud synth output found', cooperativePagePath(c.id)));
  if (c.idc.tenancy) {
    const t = c.idc.tenancy;
    out.push(`**IDC tenancy:** namespace ${md(t.namespace)}; quota ${Object.entries(t.quota).map(([k, v]) => `${k} ${v}`).join(', ')}; shared servers ${t.sharedServers.length ? t.sharedServers.join(', ') : 'none'}`, '');
    append(out, table(['Model', 'Replicas', 'CPU', 'Memory', 'GPU'], t.models.map((m) => [m.name, m.replicas, m.cpu, m.memory, m.gpu])));
    append(out, inventory('IDC inventory', c.idc, 'no IDC synth output found', cooperativePagePath(c.id)));
  } else out.push('**IDC tenancy:** none (cloud only)', '');
  out.push('**Datasets**', '');
  out.push(
    ...table(
      ['Dataset', 'Classification', 'Retention (days)', 'Shared at', 'PII columns'],
      c.datasets.map((d) => [d.name, d.classification, d.retentionDays, d.sharedAt.join(', ') || '-', d.columns.filter((x) => x.pii !== 'none').map((x) => `${x.name} (${x.pii}${x.generalized ? ', generalized' : ''})`).join(', ') || '-']),
    ),
  );
  out.push('**Sharing matrix**', '');
  out.push(
    ...table(
      ['Consumer', 'Dataset', 'Level', 'Columns', 'Purpose', 'Legal basis', 'Expires', 'Agreement'],
      c.sharing.map((g) => [`${g.consumer} (${g.consumerKind})`, g.dataset, g.level, g.columns.join(', '), g.purpose, g.legalBasis, `${g.expires}${g.expiringSoon ? ` ⚠ expires in ${g.daysLeft} days` : ''}`, g.source]),
    ),
  );
  return out.join('\n');
}
