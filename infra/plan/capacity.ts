/**
 * IDC capacity accounting: how much of the shared cluster each tenant's quota reserves.
 *
 * Quotas are reservations, not usage: the cluster is sold out when the sum of quotas
 * reaches capacity, whatever runs. Summing per resource and per GPU model (an A100 cannot
 * stand in for an L40S) is what keeps one cooperative's onboarding from starving another.
 */
import { formatBytes, formatCpu, parseBytes, parseCpuMillis } from '../config/quantity';
import type { PlatformConfig, QuotaConfig } from '../config/schema';
import type { CapacityPlan, CapacityRow, QuotaPlan } from './types';
import { formatMessage, msg, type Lang } from '../config/messages';

/** Normalizes a validated quota block to exact integers. */
export function toQuotaPlan(q: QuotaConfig): QuotaPlan {
  return {
    cpuMillis: parseCpuMillis(q.cpu) ?? 0,
    memoryBytes: parseBytes(q.memory) ?? 0,
    storageBytes: parseBytes(q.storage) ?? 0,
    pods: q.pods,
    services: q.services,
    pvcs: q.pvcs,
    gpus: sortedRecord(q.gpus),
  };
}

/**
 * The value of a record's own key, never one inherited from Object.prototype: config keys
 * (GPU models, ids) index records, and `constructor` is a valid GPU model name.
 */
export function own<T>(r: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(r, key) ? r[key] : undefined;
}

/** A copy of a record with keys in code-point order, so JSON output is stable. */
export function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  // fromEntries defines own properties: even a key "__proto__" stays data.
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

/** A tenant's reservation on the cluster. */
export interface TenantQuota {
  /** Cooperative id, or `shared:<server>` for a shared industry server. */
  readonly tenant: string;
  readonly quota: QuotaPlan;
}

/** Sums quotas per resource and GPU model against the platform's capacity. */
export function computeCapacity(capacity: PlatformConfig['idc']['capacity'], tenants: readonly TenantQuota[]): CapacityPlan {
  const rows: CapacityRow[] = [];
  const row = (resource: string, cap: number, pick: (q: QuotaPlan) => number) => {
    const byTenant: Record<string, number> = {};
    let requested = 0;
    for (const t of [...tenants].sort((a, b) => (a.tenant < b.tenant ? -1 : 1))) {
      const v = pick(t.quota);
      if (v > 0) {
        byTenant[t.tenant] = v;
        requested += v;
      }
    }
    rows.push({ resource, capacity: cap, requested, byTenant });
  };
  row('cpu', parseCpuMillis(capacity.cpu) ?? 0, (q) => q.cpuMillis);
  row('memory', parseBytes(capacity.memory) ?? 0, (q) => q.memoryBytes);
  row('storage', parseBytes(capacity.storage) ?? 0, (q) => q.storageBytes);
  row('pods', capacity.pods, (q) => q.pods);
  const models = new Set(Object.keys(capacity.gpus));
  for (const t of tenants) for (const m of Object.keys(t.quota.gpus)) models.add(m);
  for (const model of [...models].sort()) {
    row(`gpu/${model}`, own(capacity.gpus, model) ?? 0, (q) => own(q.gpus, model) ?? 0);
  }
  return { rows };
}

/** Formats an amount of a capacity row's resource for people. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return formatCpu(amount);
  if (resource === 'memory' || resource === 'storage') return formatBytes(amount);
  return String(amount);
}

/**
 * A plain-text table of who reserves what, in a language, printed when capacity is exceeded
 * so the platform team can see at once which tenants to talk to.
 */
export function formatCapacityTable(plan: CapacityPlan, lang: Lang, opts: { onlyExceeded?: boolean; top?: number } = {}): string {
  const top = opts.top ?? 10;
  const lines: string[] = [];
  for (const r of plan.rows) {
    if (opts.onlyExceeded && r.requested <= r.capacity) continue;
    const pct = r.capacity > 0 ? ((r.requested / r.capacity) * 100).toFixed(1) : '∞';
    const exceeded = r.requested > r.capacity ? 'yes' : 'no';
    lines.push(formatMessage(lang, msg('capacity.row', { resource: r.resource.padEnd(24), requested: formatAmount(r.resource, r.requested).padStart(10), capacity: formatAmount(r.resource, r.capacity).padStart(10), pct, exceeded })));
    const tenants = Object.entries(r.byTenant).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [tenant, amount] of tenants.slice(0, top)) {
      lines.push(`    ${tenant.padEnd(40)} ${formatAmount(r.resource, amount).padStart(10)}`);
    }
    if (tenants.length > top) lines.push(`    ${formatMessage(lang, msg('capacity.more', { n: tenants.length - top }))}`);
  }
  return lines.join('\n');
}
