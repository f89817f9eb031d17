/**
 * The AWS app's layout: every stack's id, its unit of the build, what it is deployed after
 * and the part of the plan it is rendered from, without constructing anything. Apart from the
 * app (`aws-app.ts`), so that the build's main thread, which restores units and hands the
 * others to unit processes, need not load aws-cdk-lib and cdk-nag to know them.
 */
import { selectCell, selectMembers, selectPlatform, type CellPlan, type CooperativePlan, type HolderNames, type PlatformSlice, type TenancyPlan, type TrustAnchorPlan } from '../../infra';
import { AWS_PLATFORM_STACK, awsCellZoneStack, awsCooperativeStack, awsGatewayTrustStack, awsIngestApiStack, awsMonitoringStack, awsSharedCatalogStack } from '../../infra/plan/names';
import type { IngestionApiMember } from './ingestion-api-stack';

/** Stack id of the platform stack (also its CloudFormation stack name); derived in infra/plan/names.ts, which checks it is unique. */
export const PLATFORM_STACK_ID = AWS_PLATFORM_STACK;
/** Stack id of a cooperative's stack (also its CloudFormation stack name). */
export const cooperativeStackId: (coop: string) => string = awsCooperativeStack;

/** Stack id of the ingestion API of a cell (`undefined`: of the data-lake account's cooperatives); derived in infra/plan/names.ts. */
export const ingestApiStackId: (cell: string | undefined) => string = awsIngestApiStack;
/** Stack id of the gateways' trust anchor of a cell (`undefined`: of the data-lake account); derived in infra/plan/names.ts. */
export const gatewayTrustStackId: (cell: string | undefined) => string = awsGatewayTrustStack;

/** Stack id of a cell's shared zone in the data-lake account; derived in infra/plan/names.ts. */
export const cellZoneStackId: (cell: string) => string = awsCellZoneStack;
/** Stack id of the shared-table stack holding a cooperative of a cell; derived in infra/plan/names.ts. */
export const sharedCatalogStackId: (cell: string, coop: string) => string = awsSharedCatalogStack;
/** Stack id of the monitoring stack of a cell account (`undefined`: the data-lake account's); derived in infra/plan/names.ts. */
export const monitoringStackId: (cell: string | undefined) => string = awsMonitoringStack;

/** The unit of the build the platform stack belongs to (see {@link AwsStackLayout}). */
export const PLATFORM_UNIT = 'platform';

/**
 * The unit of the build a cell's stacks belong to; `undefined`: the cooperatives with no
 * cell, which live in the data-lake account.
 */
export function cellUnit(cell: string | undefined): string {
  return cell === undefined ? 'data-lake' : `cell/${cell}`;
}

/**
 * One stack of the app, in the order the app creates it, without constructing anything: its
 * id, the unit of the build it belongs to (the platform, or a cell with its shared zone and
 * shared-table stacks in the data-lake account), the stacks it is deployed after, and the
 * part of the plan it is rendered from, which is all it reads: the platform stack its own
 * slice (`selectPlatform`); a cell's shared zone the cell's slice (`selectCell`); a shared-table
 * stack and a cooperative's stack the slice narrowed to their cooperatives (`selectMembers`,
 * which leaves out the cells and their member lists); the cell's monitoring, trust-anchor and ingestion API stacks its
 * platform part alone, with the ids or the few names of its cooperatives they use. The build
 * caches each stack under the hash of its entry, so a change to one cooperative rebuilds the
 * stacks that read it and restores the rest.
 */
export type AwsStackLayout = {
  readonly id: string;
  readonly unit: string;
  /** Stack ids deployed before this one, in the order the app declares them. */
  readonly dependsOn: readonly string[];
} & (
  /** The platform reads only its slice of the plan (`selectPlatform`), so that is what it is cached under. */
  | { readonly kind: 'platform'; readonly slice: PlatformSlice }
  | ({ readonly plan: TenancyPlan } & CellStackLayout)
);

/** The stacks of the layout rendered from a cell's slice of the plan. */
type CellStackLayout =
  | { readonly kind: 'cell-zone'; readonly cell: CellPlan }
  /** `cell`: the cell's id only (the cell lists its members: a newcomer would reach every shard). */
  | { readonly kind: 'shared-catalog'; readonly cell: string; readonly cooperatives: readonly CooperativePlan[] }
  /** `trustStack`: the stack of its account's gateway trust anchor, whose output its uploader role trusts. */
  | { readonly kind: 'cooperative'; readonly cooperative: CooperativePlan; readonly trustStack?: string }
  /** `cooperatives`: the ids of the account's cooperatives, for its dashboard. */
  | { readonly kind: 'monitoring'; readonly cell?: CellPlan; readonly cooperatives: readonly string[] }
  /** The gateways' trust anchor of a cell (or of the data-lake account's cooperatives), before its cooperatives. */
  | { readonly kind: 'gateway-trust'; readonly cell?: string; readonly account: string; readonly names: HolderNames; readonly trustAnchor: TrustAnchorPlan }
  /** The one ingestion API of a cell (or of the data-lake account's cooperatives), after its cooperatives. */
  | { readonly kind: 'ingestion-api'; readonly cell?: string; readonly account: string; readonly names: HolderNames; readonly cooperatives: readonly IngestionApiMember[] };

/** Options of {@link awsStackLayout}. */
export interface AwsStackLayoutOptions {
  /**
   * The app holds the ingestion functions, so each cell gets its ingestion API stack.
   * @default false
   */
  readonly ingestion?: boolean;
}

/**
 * Every stack of the app in creation order: the platform, each cell's shared zone and
 * shared-table stacks, then every cooperative in plan order. The app is composed from this
 * list, and the build uses it to cache, restore and reassemble the app unit by unit.
 */
export function awsStackLayout(plan: TenancyPlan, options: AwsStackLayoutOptions = {}): AwsStackLayout[] {
  const layout: AwsStackLayout[] = [{ kind: 'platform', id: PLATFORM_STACK_ID, unit: PLATFORM_UNIT, dependsOn: [], slice: selectPlatform(plan) }];
  const slices = new Map<string | undefined, TenancyPlan>();
  const sliceOf = (cell: string | undefined) => {
    let s = slices.get(cell);
    if (!s) slices.set(cell, (s = selectCell(plan, cell)));
    return s;
  };
  // The platform part of a cell's slice without any cooperative: what the stacks that read no
  // cooperative's plan are rendered from.
  const bare = new Map<string | undefined, TenancyPlan>();
  const bareOf = (cell: string | undefined) => {
    let s = bare.get(cell);
    if (!s) bare.set(cell, (s = selectMembers(sliceOf(cell), new Set())));
    return s;
  };
  const before = new Map<string, string[]>();
  for (const cell of plan.platform.cells) {
    const slice = sliceOf(cell.id);
    const unit = cellUnit(cell.id);
    const zone = cellZoneStackId(cell.id);
    layout.push({ kind: 'cell-zone', id: zone, unit, dependsOn: [PLATFORM_STACK_ID], plan: slice, cell });
    const shards = new Map<string, CooperativePlan[]>();
    // An offboarding cooperative whose copies were in the data lake keeps its shard in the app:
    // a shard left out would never be updated, and its tables and grants would stay live.
    const inDataLakeCatalog = (c: CooperativePlan) => slice.platform.sharedZone.tables.some((t) => t.cooperative === c.id) || slice.grants.some((g) => g.cooperative === c.id && g.catalog === slice.platform.account) || (c.lifecycle?.sharedPrefixes.length ?? 0) > 0;
    for (const coop of slice.cooperatives.filter(inDataLakeCatalog)) {
      const id = sharedCatalogStackId(cell.id, coop.id);
      shards.set(id, [...(shards.get(id) ?? []), coop]);
    }
    for (const [id, coops] of [...shards].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      layout.push({ kind: 'shared-catalog', id, unit, dependsOn: [zone], plan: selectMembers(slice, new Set(coops.map((c) => c.id))), cell: cell.id, cooperatives: coops });
      for (const c of coops) before.set(c.id, [zone, id]);
    }
    // In the cell account: its alarm topic and dashboard, deployed before its cooperatives.
    layout.push({ kind: 'monitoring', id: monitoringStackId(cell.id), unit, dependsOn: [], plan: bareOf(cell.id), cell, cooperatives: slice.cooperatives.map((c) => c.id) });
  }
  if (plan.cooperatives.some((c) => c.cell === undefined)) {
    layout.push({ kind: 'monitoring', id: monitoringStackId(undefined), unit: cellUnit(undefined), dependsOn: [], plan: bareOf(undefined), cooperatives: sliceOf(undefined).cooperatives.map((c) => c.id) });
  }
  // Per account holding cooperatives (a cell, or the data lake for those without one).
  const cellById = new Map(plan.platform.cells.map((c) => [c.id, c]));
  const holderOf = (cell: string | undefined) => {
    const c = cell !== undefined ? cellById.get(cell) : undefined;
    const source = cell !== undefined ? c : plan.platform.ingestion;
    if (!source) throw new Error(`cooperative placed in undeclared cell ${cell}`);
    return { names: source.names, trustAnchor: source.trustAnchor, account: c?.account ?? plan.platform.account };
  };
  const trusted = new Set<string | undefined>();
  const holders = new Map<string | undefined, string[]>();
  for (const coop of plan.cooperatives) {
    const holder = holderOf(coop.cell);
    const unit = cellUnit(coop.cell);
    const trust = holder.trustAnchor ? gatewayTrustStackId(coop.cell) : undefined;
    if (holder.trustAnchor && !trusted.has(coop.cell)) {
      trusted.add(coop.cell);
      layout.push({ kind: 'gateway-trust', id: trust!, unit, dependsOn: [], plan: bareOf(coop.cell), ...(coop.cell !== undefined ? { cell: coop.cell } : {}), account: holder.account, names: holder.names, trustAnchor: holder.trustAnchor });
    }
    // Deployment order only (no references): the data lake first, then the cells; the
    // account's monitoring stack (the platform alarm topic the alarms notify) first; the
    // gateways' trust anchor is referenced (same account).
    const dependsOn = [PLATFORM_STACK_ID, ...(before.get(coop.id) ?? (coop.cell !== undefined ? [cellZoneStackId(coop.cell)] : [])), monitoringStackId(coop.cell), ...(trust ? [trust] : [])];
    const id = cooperativeStackId(coop.id);
    // Its own slice of its cell's: what it reads and nothing else (the build keys it by this).
    layout.push({ kind: 'cooperative', id, unit, dependsOn, plan: selectMembers(sliceOf(coop.cell), new Set([coop.id])), cooperative: coop, ...(trust ? { trustStack: trust } : {}) });
    // An offboarding cooperative has no ingestion: no route on its account's API.
    if (!coop.lifecycle) holders.set(coop.cell, [...(holders.get(coop.cell) ?? []), id]);
  }
  if (options.ingestion) {
    for (const [cell, stacks] of holders) {
      const holder = holderOf(cell);
      const slice = sliceOf(cell);
      const routes = slice.cooperatives.map((c) => ({ id: c.id, account: c.account, cloud: { pushFunction: c.cloud.pushFunction, roles: { uploader: c.cloud.roles.uploader } } }));
      layout.push({ kind: 'ingestion-api', id: ingestApiStackId(cell), unit: cellUnit(cell), dependsOn: stacks, plan: bareOf(cell), ...(cell !== undefined ? { cell } : {}), account: holder.account, names: holder.names, cooperatives: routes });
    }
  }
  return layout;
}
