/**
 * Human-readable views of the tenancy plan, for `coop-idc plan`. The JSON form
 * (`--json`) is the plan itself; these tables are for reviewing it in a terminal or a
 * pull request.
 */
import { formatBytes, formatCpu } from '../config/quantity';
import { formatMessage, msg, type Lang, type MessageArgs, type MessageId } from '../config/messages';
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

/** Every derived name and grant of one cooperative. */
export function formatCooperativeDetail(plan: TenancyPlan, coop: CooperativePlan): string {
  const lines = [
    `${coop.id} — ${coop.name.ko} (${coop.name.en})`,
    `  source          ${coop.source}`,
    `  KSIC            ${coop.ksic}   cost center ${coop.costCenter}   members ${coop.memberCount}   classification ${coop.classification}`,
    '',
    `Cloud (AWS) · ${coop.cell !== undefined ? `cell ${coop.cell} · ` : ''}account ${coop.account}`,
    `  KMS key alias   ${coop.cloud.keyAlias}`,
    `  raw zone        s3://${coop.cloud.buckets.raw}`,
    `  curated zone    s3://${coop.cloud.buckets.curated}`,
    `  quarantine      s3://${coop.cloud.buckets.quarantine}`,
    `  Glue database   ${coop.cloud.database}`,
    `  roles           ${coop.cloud.roles.admin}, ${coop.cloud.roles.uploader}, ${coop.cloud.roles.ingestion}`,
    '',
    'Datasets',
    table([
      ['DATASET', 'FORMAT', 'ENCODING', 'RETENTION', 'CLASS', 'COLUMNS', 'SHARED AT'],
      ...coop.datasets.map((d) => [d.name, d.format, d.encoding, `${d.retentionDays}d`, d.classification, String(d.columns.length), d.sharedAt.join(',') || '-']),
    ]).replace(/^/gm, '  '),
  ];
  const grants = plan.grants.filter((g) => g.cooperative === coop.id);
  lines.push('', 'Grants');
  if (grants.length === 0) lines.push('  (none)');
  else {
    lines.push(
      table([
        ['CONSUMER', 'DATASET', 'LEVEL', 'READS', 'EXPIRES', 'COLUMNS'],
        ...grants.map((g) => [`${g.consumer} (${g.consumerKind})`, g.dataset, g.level, `${g.database}.${g.table}`, g.expires, g.columns.join(',')]),
      ]).replace(/^/gm, '  '),
    );
  }
  lines.push('', 'IDC (Kubernetes)');
  if (!coop.idc) lines.push('  (no IDC tenancy)');
  else {
    const q = coop.idc.quota;
    lines.push(
      `  namespace       ${coop.idc.namespace}   admin group ${coop.idc.adminGroup}`,
      `  quota           cpu ${formatCpu(q.cpuMillis)}  memory ${formatBytes(q.memoryBytes)}  storage ${formatBytes(q.storageBytes)}  pods ${q.pods}  services ${q.services}  pvcs ${q.pvcs}  gpus ${gpus(q.gpus)}`,
      `  shared servers  ${coop.idc.sharedServers.join(', ') || '-'}`,
    );
    for (const m of coop.idc.models) {
      const count = m.autoscale ? `×${m.autoscale.min}-${m.autoscale.max} (autoscale at ${m.autoscale.cpuPercent}% CPU)` : `×${m.replicas}`;
      lines.push(`  model           ${m.name} ${count}  cpu ${formatCpu(m.cpuMillis)} memory ${formatBytes(m.memoryBytes)}${m.gpu ? ` gpu ${m.gpu.count}×${m.gpu.model}` : ''}  port ${m.port}`);
      lines.push(`    rollout       ${rolloutLine(m)}`);
    }
  }
  return lines.join('\n');
}

/** How an update of the model proceeds, and what the quota lacks for one without downtime. */
function rolloutLine(m: ModelPlan): string {
  if (m.rollout.headroom) return 'one extra pod, then the old one stops: no downtime';
  const lacks = `the quota lacks ${(m.rollout.missing ?? []).join(', ')} for an extra pod`;
  const min = m.autoscale?.min ?? m.replicas;
  return min === 1 ? `stops, then starts: each update takes the model down (${lacks})` : `one pod down at a time (${lacks})`;
}
