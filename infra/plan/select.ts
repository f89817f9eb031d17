/**
 * A plan narrowed to one cooperative, for `coop-idc build --coop <id>`: fast feedback on an
 * onboarding pull request without rendering 900 other tenants.
 *
 * The platform part stays (the cooperative's stacks reference the shared zone, the
 * consumers and the shared servers), narrowed to what concerns this cooperative: its
 * shared-zone tables and, as subscriber of a shared server, only itself (the others are
 * not rendered, so nothing may reference them), and of the cells only its own (whole: its
 * shared zone admits every ingestion role of the cell). `capacity` stays whole: whether one
 * tenant fits is only meaningful against everyone's reservations.
 */
import type { TenancyPlan } from './types';

/** The plan with only `id`'s cooperative, its cell, its grants and its shared-zone tables; undefined if unknown. */
export function selectCooperative(plan: TenancyPlan, id: string): TenancyPlan | undefined {
  const coop = plan.cooperatives.find((c) => c.id === id);
  if (!coop) return undefined;
  return {
    ...plan,
    platform: {
      ...plan.platform,
      sharedZone: { ...plan.platform.sharedZone, tables: plan.platform.sharedZone.tables.filter((t) => t.cooperative === id) },
      cells: plan.platform.cells.filter((c) => c.id === coop.cell),
      idc: {
        ...plan.platform.idc,
        sharedServers: plan.platform.idc.sharedServers.map((s) => ({ ...s, subscribers: s.subscribers.filter((c) => c === id) })),
      },
    },
    cooperatives: [coop],
    grants: plan.grants.filter((g) => g.cooperative === id),
  };
}

/**
 * The plan as the AWS stacks of one cell read it (`cell` undefined: the cooperatives with no
 * cell, in the data-lake account): the cell's cooperatives, their grants and shared-zone
 * tables, the cell itself, and the platform part they reference. The build caches a cell's
 * stacks under the hash of this slice and renders them from it, so what is hashed is, by
 * construction, everything they read. The IDC capacity is the cluster's, not the cell's, and
 * no AWS stack reads it: it is left empty, so that a quota change elsewhere leaves the cell
 * as it is. Shared servers keep only the cell's subscribers, as {@link selectCooperative} does.
 */
export function selectCell(plan: TenancyPlan, cell: string | undefined): TenancyPlan {
  const coops = plan.cooperatives.filter((c) => c.cell === cell);
  const ids = new Set(coops.map((c) => c.id));
  return {
    ...plan,
    platform: {
      ...plan.platform,
      sharedZone: { ...plan.platform.sharedZone, tables: plan.platform.sharedZone.tables.filter((t) => ids.has(t.cooperative)) },
      cells: plan.platform.cells.filter((c) => c.id === cell),
      idc: {
        ...plan.platform.idc,
        sharedServers: plan.platform.idc.sharedServers.map((s) => ({ ...s, subscribers: s.subscribers.filter((c) => ids.has(c)) })),
      },
    },
    cooperatives: coops,
    grants: plan.grants.filter((g) => ids.has(g.cooperative)),
    capacity: { rows: [] },
  };
}
