/**
 * Offboarding and removal in the plan: what a cooperative's `status` takes away.
 *
 * The plan is first built as if every cooperative were active (so the names of what it
 * shared are the names it had), then this narrows it: an offboarding cooperative keeps its
 * key, zones, catalogue and admin role (read-only), its IDC namespace with a zero quota and
 * its models at zero replicas; it loses every grant, shared and statistics table, its
 * ingestion, its shared-server subscriptions and its models' routes and data-lake egress. A
 * removed cooperative leaves the plan's tenants and is listed in `removed`. Pure.
 */
import type { PlatformConfig } from '../config/schema';
import { addDays } from '../config/lifecycle';
import { computeCapacity } from './capacity';
import type { CooperativePlan, LifecyclePlan, QuotaPlan, RemovedCooperativePlan, TenancyPlan } from './types';

/** A cooperative's lifecycle keys as its file states them. */
export interface LifecycleOf {
  readonly status: 'active' | 'offboarding' | 'removed';
  readonly since?: string;
  readonly retainUntil?: string;
}

/** A quota that admits nothing new: existing volumes keep their data, nothing else fits. */
export const ZERO_QUOTA: QuotaPlan = { cpuMillis: 0, memoryBytes: 0, storageBytes: 0, pods: 0, services: 0, pvcs: 0, gpus: {} };

/** The plan with each cooperative's lifecycle applied; the same object when every one is active. */
export function applyLifecycle(plan: TenancyPlan, lifecycleOf: (id: string) => LifecycleOf, capacity: PlatformConfig['idc']['capacity']): TenancyPlan {
  const offboarding = new Map<string, LifecycleOf>();
  const removed = new Map<string, LifecycleOf>();
  for (const c of plan.cooperatives) {
    const l = lifecycleOf(c.id);
    if (l.status === 'offboarding') offboarding.set(c.id, l);
    if (l.status === 'removed') removed.set(c.id, l);
  }
  if (offboarding.size === 0 && removed.size === 0) return plan;
  const leaving = (id: string) => offboarding.has(id) || removed.has(id);

  const cooperatives: CooperativePlan[] = [];
  const gone: RemovedCooperativePlan[] = [];
  for (const c of plan.cooperatives) {
    const r = removed.get(c.id);
    if (r) {
      gone.push({ id: c.id, source: c.source, name: c.name, ...(c.cell !== undefined ? { cell: c.cell } : {}), account: c.account, since: r.since!, retainUntil: r.retainUntil!, expiredOn: addDays(r.retainUntil!, 1) });
      continue;
    }
    const o = offboarding.get(c.id);
    cooperatives.push(o ? offboard(plan, c, o) : c);
  }
  const keptIds = new Set(cooperatives.map((c) => c.id));
  const offboardingIds = new Set(offboarding.keys());
  const tenants = [
    ...cooperatives.flatMap((c) => (c.idc ? [{ tenant: c.id, quota: c.idc.quota }] : [])),
    ...plan.platform.idc.sharedServers.map((s) => ({ tenant: `shared:${s.id}`, quota: s.quota })),
  ];
  return {
    ...plan,
    platform: {
      ...plan.platform,
      sharedZone: { ...plan.platform.sharedZone, tables: plan.platform.sharedZone.tables.filter((t) => !leaving(t.cooperative)) },
      cells: plan.platform.cells.map((cell) => {
        const members = cell.cooperatives.filter((id) => keptIds.has(id));
        // Offboarding cooperatives have no ingestion role: the cell's shared zone no longer admits them.
        const writers = new Set(cooperatives.filter((c) => c.cell === cell.id && !offboardingIds.has(c.id)).map((c) => c.cloud.roles.ingestion));
        return { ...cell, cooperatives: members, ingestionRoles: cell.ingestionRoles.filter((arn) => writers.has(arn.slice(arn.lastIndexOf('/') + 1))) };
      }),
      idc: {
        ...plan.platform.idc,
        sharedServers: plan.platform.idc.sharedServers.map((s) => ({ ...s, subscribers: s.subscribers.filter((id) => !leaving(id)) })),
      },
    },
    cooperatives,
    grants: plan.grants.filter((g) => !leaving(g.cooperative)),
    capacity: computeCapacity(capacity, tenants),
    ...(gone.length > 0 ? { removed: gone } : {}),
  };
}

function offboard(plan: TenancyPlan, c: CooperativePlan, l: LifecycleOf): CooperativePlan {
  const grants = plan.grants.filter((g) => g.cooperative === c.id);
  const prefixes = [
    ...plan.platform.sharedZone.tables.filter((t) => t.cooperative === c.id).map((t) => ({ bucket: t.bucket, prefix: `${t.name}/`, table: t.name })),
    ...grants.flatMap((g) => (g.aggregate ? [{ bucket: c.cloud.sharedBucket, prefix: `${g.aggregate.table}/`, table: g.aggregate.table }] : [])),
  ].sort((a, b) => cmp(`${a.bucket}/${a.prefix}`, `${b.bucket}/${b.prefix}`));
  const lifecycle: LifecyclePlan = {
    status: 'offboarding',
    since: l.since!,
    retainUntil: l.retainUntil!,
    expiresOn: addDays(l.retainUntil!, 1),
    revoked: grants
      .map((g) => ({ consumer: g.consumer, dataset: g.dataset, level: g.level, table: `${g.database}.${g.table}`, source: g.source }))
      .sort((a, b) => cmp(a.source, b.source)),
    sharedPrefixes: prefixes,
    scaledToZero: (c.idc?.models ?? []).map((m) => m.name).sort(),
  };
  const { idc, ...rest } = c;
  return {
    ...rest,
    // Nothing is shared any more: no shared copy is described on the curated tables.
    datasets: c.datasets.map(({ sharedColumns: _c, sharedAgreements: _a, ...d }) => ({ ...d, sharedAt: [] })),
    lifecycle,
    ...(idc
      ? {
        idc: {
          ...idc,
          quota: ZERO_QUOTA,
          // Deployments stay (scaling back is a config change), at zero replicas and unreachable.
          models: idc.models.map(({ autoscale: _s, expose: _e, dataLakeEgress: _d, ...m }) => ({ ...m, replicas: 0, rollout: { maxSurge: 0 as const, maxUnavailable: 1 as const, headroom: false } })),
          sharedServers: [],
        },
      }
      : {}),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
