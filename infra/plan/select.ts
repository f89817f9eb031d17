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
import { maxPii } from './build';
import type { PiiClass } from '../config/schema';
import type { CellPlan, CooperativePlan, DatasetPlan, GrantPlan, PlatformPlan, TenancyPlan } from './types';

/** The plan with only `id`'s cooperative, its cell, its grants and its shared-zone tables; undefined if unknown. */
export function selectCooperative(plan: TenancyPlan, id: string): TenancyPlan | undefined {
  const coop = plan.cooperatives.find((c) => c.id === id);
  if (!coop) return undefined;
  const members = selectMembers(plan, new Set([id]));
  return { ...members, platform: { ...members.platform, cells: plan.platform.cells.filter((c) => c.id === coop.cell) } };
}

/**
 * The plan narrowed to the cooperatives `ids`: theirs of the cooperatives, the grants and the
 * shared-zone tables, and as subscribers of the shared servers; no cell (a cell lists its
 * members, so a newcomer would reach every stack rendered from it: the stacks that read their
 * cell take it from their layout entry); the rest of the platform part as it is. With no id,
 * the platform part alone: what a stack of a cell that reads no cooperative's plan is
 * rendered from, so that no cooperative's change reaches it.
 */
export function selectMembers(plan: TenancyPlan, ids: ReadonlySet<string>): TenancyPlan {
  return {
    ...plan,
    platform: {
      ...plan.platform,
      sharedZone: { ...plan.platform.sharedZone, tables: plan.platform.sharedZone.tables.filter((t) => ids.has(t.cooperative)) },
      cells: [],
      idc: {
        ...plan.platform.idc,
        sharedServers: plan.platform.idc.sharedServers.map((s) => ({ ...s, subscribers: s.subscribers.filter((c) => ids.has(c)) })),
      },
    },
    cooperatives: plan.cooperatives.filter((c) => ids.has(c.id)),
    grants: plan.grants.filter((g) => ids.has(g.cooperative)),
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
  const members = selectMembers(plan, new Set(plan.cooperatives.filter((c) => c.cell === cell).map((c) => c.id)));
  return { ...members, platform: { ...members.platform, cells: plan.platform.cells.filter((c) => c.id === cell) }, capacity: { rows: [] } };
}

/**
 * What the platform stack reads of the plan, and nothing else: the build caches that stack
 * under the hash of this slice, so a change to a cooperative in a cell (a retention, a new
 * dataset, a new member) leaves it as it is unless the change reaches what the platform
 * deploys: a grant to a consumer, a table in the data-lake account's shared bucket, an
 * offboarded copy there, or the highest PII class.
 */
export interface PlatformSlice {
  /** The platform part without the IDC, its shared-zone tables narrowed to the data-lake account's shared bucket and its cells to their accounts. */
  readonly platform: Omit<PlatformPlan, 'idc' | 'cells'> & { readonly cells: readonly Pick<CellPlan, 'id' | 'account'>[] };
  /** The grants to the platform's consumers (their roles and workgroups are the platform's). */
  readonly grants: readonly GrantPlan[];
  /** The datasets of those shared-zone tables, by `<cooperative>/<dataset>`, in plan order. */
  readonly datasets: Readonly<Record<string, DatasetPlan>>;
  /** Offboarding cooperatives with copies in the data-lake account's shared bucket (`offboardedCopyExpirations`). */
  readonly offboarding: readonly Pick<CooperativePlan, 'id' | 'lifecycle'>[];
  /** The highest PII class of any cooperative: the platform's audit trail and shared zone hold data of all of them. */
  readonly classification: PiiClass;
}

/** The {@link PlatformSlice} of `plan`. */
export function selectPlatform(plan: TenancyPlan): PlatformSlice {
  const { idc: _idc, cells, ...platform } = plan.platform;
  const bucket = platform.sharedZone.bucket;
  const tables = platform.sharedZone.tables.filter((t) => t.bucket === bucket);
  const wanted = new Set(tables.map((t) => `${t.cooperative}/${t.dataset}`));
  const consumers = new Set(platform.consumers.map((c) => c.id));
  const datasets: Record<string, DatasetPlan> = {};
  for (const c of plan.cooperatives) for (const d of c.datasets) if (wanted.has(`${c.id}/${d.name}`)) datasets[`${c.id}/${d.name}`] = d;
  return {
    platform: { ...platform, sharedZone: { ...platform.sharedZone, tables }, cells: cells.map((c) => ({ id: c.id, account: c.account })) },
    grants: plan.grants.filter((g) => consumers.has(g.consumer)),
    datasets,
    offboarding: plan.cooperatives.filter((c) => c.lifecycle?.sharedPrefixes.some((p) => p.bucket === bucket)).map((c) => ({ id: c.id, lifecycle: c.lifecycle })),
    classification: maxPii(plan.cooperatives.map((c) => c.classification)),
  };
}
