/**
 * Human-readable views of the tenancy plan, for `coop-idc plan`. The JSON form
 * (`--json`) is the plan itself; these tables are for reviewing it in a terminal or a
 * pull request.
 */
import { formatBytes, formatCpu } from '../config/quantity';
import { formatMessage, msg, type Lang, type MessageArgs, type MessageId, type MessageRef } from '../config/messages';
import { displayWidth, padEndTo } from '../display-width';
import { formatCapacityTable } from './capacity';
import type { CooperativePlan, ModelPlan, TenancyPlan } from './types';

/** Pads columns of a table of strings by display width (Korean headers line up); the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : padEndTo(c, widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** A column of the plan's tables: `plan.col.<name>` in the catalogue. */
type Column<T = MessageId> = T extends `plan.col.${infer N}` ? N : never;

/** Column headings from the catalogue, in a language. */
function headings(lang: Lang, names: readonly Column[]): string[] {
  return names.map((n) => formatMessage(lang, msg(`plan.col.${n}`)));
}

function gpus(g: Readonly<Record<string, number>>): string {
  const parts = Object.entries(g).filter(([, n]) => n > 0).map(([m, n]) => `${n}×${m}`);
  return parts.length ? parts.join(' ') : '-';
}

/** One line per cooperative, then the cells, the cooperatives leaving and the capacity table, in a language. */
export function formatPlanSummary(plan: TenancyPlan, lang: Lang): string {
  const text = (id: MessageId, args?: MessageArgs) => formatMessage(lang, msg(id, args));
  const header = headings(lang, ['cooperative', 'cell', 'account', 'ksic', 'datasets', 'grants', 'class', 'namespace', 'cpu', 'memory', 'gpus', 'models']);
  const rows = plan.cooperatives.map((c) => [
    c.id,
    c.cell ?? '-',
    c.account,
    c.ksic,
    String(c.datasets.length),
    String(plan.grants.filter((g) => g.cooperative === c.id).length),
    c.classification,
    c.idc?.namespace ?? '-',
    c.idc ? formatCpu(c.idc.quota.cpuMillis) : '-',
    c.idc ? formatBytes(c.idc.quota.memoryBytes) : '-',
    c.idc ? gpus(c.idc.quota.gpus) : '-',
    c.idc ? String(c.idc.models.length) : '-',
  ]);
  return [
    text('plan.environment', { environment: plan.platform.environment, account: plan.platform.account, region: plan.platform.region }),
    text('plan.counts', { coops: plan.cooperatives.length, cells: plan.platform.cells.length, consumers: plan.platform.consumers.length, grants: plan.grants.length, servers: plan.platform.idc.sharedServers.length }),
    '',
    table([header, ...rows]),
    '',
    ...(plan.platform.cells.length ? [text('plan.cells'), formatCellTable(plan, lang), ''] : []),
    ...formatLifecycle(plan, lang),
    text('plan.capacity'),
    formatCapacityTable(plan.capacity, lang, { top: 5 }),
  ].join('\n');
}

/** Offboarding and removed cooperatives, one line each in a language (nothing when there are none). */
export function formatLifecycle(plan: TenancyPlan, lang: Lang): string[] {
  const text = (id: MessageId, args?: MessageArgs) => `  ${formatMessage(lang, msg(id, args))}`;
  const lines = [
    ...plan.cooperatives.flatMap((c) =>
      c.lifecycle
        ? [text('plan.offboarding', { id: c.id, since: c.lifecycle.since, revoked: c.lifecycle.revoked.length, retainUntil: c.lifecycle.retainUntil, expiresOn: c.lifecycle.expiresOn, models: c.lifecycle.scaledToZero.join(', ') || '-' })]
        : [],
    ),
    ...(plan.removed ?? []).map((r) => text('plan.removed', { id: r.id, retainUntil: r.retainUntil, expiredOn: r.expiredOn })),
  ];
  return lines.length ? [formatMessage(lang, msg('plan.leaving')), ...lines, ''] : [];
}

/** One line per cell: its account, how many cooperatives it holds of its capacity. */
export function formatCellTable(plan: TenancyPlan, lang: Lang): string {
  return table([
    headings(lang, ['cell', 'account', 'cooperatives', 'capacity', 'use']),
    ...plan.platform.cells.map((c) => [c.id, c.account, String(c.cooperatives.length), String(c.capacity), `${((c.cooperatives.length / c.capacity) * 100).toFixed(0)} %`]),
  ]);
}

/** Every derived name and grant of one cooperative, in a language. */
export function formatCooperativeDetail(plan: TenancyPlan, coop: CooperativePlan, lang: Lang): string {
  const text = (id: MessageId, args?: MessageArgs) => formatMessage(lang, msg(id, args));
  // A labelled line: the label padded to 16 columns, as `KMS key alias   alias/…` (a longer label still gets a space).
  const field = (label: MessageId, value: string, indent = '  ', width = 16) => `${indent}${padEndTo(text(label), width - 1)} ${value}`;
  const lines = [
    `${coop.id} — ${coop.name.ko} (${coop.name.en})`,
    field('plan.detail.source', coop.source),
    field('plan.detail.ksic', text('plan.detail.ksic-line', { ksic: coop.ksic, costCenter: coop.costCenter, members: coop.memberCount, classification: coop.classification })),
    '',
    text('plan.detail.cloud', { cell: coop.cell ?? 'none', account: coop.account }),
    field('plan.detail.key', coop.cloud.keyAlias),
    field('plan.detail.raw', `s3://${coop.cloud.buckets.raw}`),
    field('plan.detail.curated', `s3://${coop.cloud.buckets.curated}`),
    field('plan.detail.quarantine', `s3://${coop.cloud.buckets.quarantine}`),
    field('plan.detail.database', coop.cloud.database),
    field('plan.detail.roles', `${coop.cloud.roles.admin}, ${coop.cloud.roles.uploader}, ${coop.cloud.roles.ingestion}`),
    '',
    text('plan.detail.datasets'),
    table([
      headings(lang, ['dataset', 'format', 'encoding', 'retention', 'class', 'columns', 'shared-at']),
      ...coop.datasets.map((d) => [d.name, d.format, d.encoding, `${d.retentionDays}d`, d.classification, String(d.columns.length), d.sharedAt.join(',') || '-']),
    ]).replace(/^/gm, '  '),
  ];
  const grants = plan.grants.filter((g) => g.cooperative === coop.id);
  lines.push('', text('plan.detail.grants'));
  if (grants.length === 0) lines.push(`  ${text('plan.detail.no-grants')}`);
  else {
    lines.push(
      table([
        headings(lang, ['consumer', 'dataset', 'level', 'reads', 'expires', 'columns']),
        ...grants.map((g) => [`${g.consumer} (${g.consumerKind})`, g.dataset, g.level, `${g.database}.${g.table}`, g.expires, g.columns.join(',')]),
      ]).replace(/^/gm, '  '),
    );
  }
  lines.push('', text('plan.detail.idc'));
  if (!coop.idc) lines.push(`  ${text('plan.detail.no-idc')}`);
  else {
    const q = coop.idc.quota;
    lines.push(
      field('plan.detail.namespace', text('plan.detail.namespace-line', { namespace: coop.idc.namespace, group: coop.idc.adminGroup })),
      field('plan.detail.quota', `cpu ${formatCpu(q.cpuMillis)}  memory ${formatBytes(q.memoryBytes)}  storage ${formatBytes(q.storageBytes)}  pods ${q.pods}  services ${q.services}  pvcs ${q.pvcs}  gpus ${gpus(q.gpus)}`),
      field('plan.detail.shared-servers', coop.idc.sharedServers.join(', ') || '-'),
    );
    for (const m of coop.idc.models) {
      const count = m.autoscale ? text('plan.detail.autoscale', { min: m.autoscale.min, max: m.autoscale.max, cpu: m.autoscale.cpuPercent }) : `×${m.replicas}`;
      lines.push(field('plan.detail.model', `${m.name} ${count}  cpu ${formatCpu(m.cpuMillis)} memory ${formatBytes(m.memoryBytes)}${m.gpu ? ` gpu ${m.gpu.count}×${m.gpu.model}` : ''}  port ${m.port}`));
      lines.push(field('plan.detail.rollout', formatMessage(lang, rolloutLine(m)), '    ', 14));
    }
  }
  return lines.join('\n');
}

/** How an update of the model proceeds, and what the quota lacks for one without downtime. */
function rolloutLine(m: ModelPlan): MessageRef {
  if (m.rollout.headroom) return msg('plan.rollout.headroom');
  const lacks = msg('plan.rollout.lacks', { missing: (m.rollout.missing ?? []).join(', ') });
  return msg((m.autoscale?.min ?? m.replicas) === 1 ? 'plan.rollout.stops' : 'plan.rollout.one-down', { lacks });
}
