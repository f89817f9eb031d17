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
