/**
 * The monthly chargeback estimate: KBIZ's rate card (`cost:` of platform.yaml) applied to
 * the tenancy plan, per cooperative, in whole won.
 *
 * Every line of the rate card is first priced over the whole plan (one rounding per line),
 * then that total is split over the tenants in proportion to what each reserves or declares
 * (`largestRemainder`), so the per-cooperative amounts plus the unallocated remainder equal
 * the rate card applied to the whole plan, to the won. Pure: no clock, no I/O.
 */
import type { CooperativePlan, CostRatesPlan, TenancyPlan } from '../plan/types';
import { largestRemainder, roundHalfUp, type Claim } from './allocate';

/** The parts of a cooperative's estimate, in the order of tables and CSV columns. */
export const COST_COMPONENTS = ['idcCpu', 'idcMemory', 'idcStorage', 'idcGpu', 'cloudKms', 'cloudStorage', 'cloudRequests', 'sharedServers', 'platform'] as const;
/** One part of a cooperative's estimate. */
export type CostComponent = (typeof COST_COMPONENTS)[number];

/** Korean and English names of the components, for tables and the report. */
export const COMPONENT_LABELS: Readonly<Record<CostComponent, { readonly ko: string; readonly en: string }>> = {
  idcCpu: { ko: 'IDC vCPU', en: 'IDC vCPU' },
  idcMemory: { ko: 'IDC 메모리', en: 'IDC memory' },
  idcStorage: { ko: 'IDC 스토리지', en: 'IDC storage' },
  idcGpu: { ko: 'IDC GPU', en: 'IDC GPU' },
  cloudKms: { ko: 'KMS 키', en: 'KMS keys' },
  cloudStorage: { ko: '클라우드 저장', en: 'cloud storage' },
  cloudRequests: { ko: '요청', en: 'requests' },
  sharedServers: { ko: '공동 서버 분담', en: 'shared servers' },
  platform: { ko: '플랫폼 분담', en: 'platform share' },
};

/** Days of a month in the steady-state stored volume (retentionDays / 30 = retention months). */
export const DAYS_PER_MONTH = 30n;
const MILLI = 1000n;
const GIB = 2n ** 30n;
const TB = 10n ** 12n;
const MILLION = 1_000_000n;

/** A line of the rate card priced over the whole plan. */
export interface CostLine {
  /** `idc.cpu`, `idc.memory`, `idc.storage`, `idc.gpu/<model>`, `cloud.kms`, `cloud.storage`, `cloud.requests`, `platform.fixed/<item>`. */
  readonly id: string;
  /** Total quantity in the line's unit, as text (exact: "12.5 vCPU"). */
  readonly quantity: string;
  /** KRW per unit per month. */
  readonly rate: number;
  /** Whole won over the whole plan. */
  readonly amount: number;
}

/** One cooperative's monthly estimate. */
export interface CooperativeCost {
  readonly id: string;
  readonly name: { readonly ko: string; readonly en: string };
  /** Whole won per component. */
  readonly amounts: Readonly<Record<CostComponent, number>>;
  readonly total: number;
  /** Steady-state stored volume, GB, rounded to a whole GB for display (the split uses the exact value). */
  readonly storedGb: number;
}

/** What no cooperative is charged, and why. */
export interface Unallocated {
  readonly reason: { readonly ko: string; readonly en: string };
  readonly amount: number;
}

/** The estimate of one month. */
export interface CostEstimate {
  /** YYYY-MM: the month the estimate is for (rates are monthly; the month only labels it). */
  readonly month: string;
  readonly currency: 'KRW';
  readonly split: CostRatesPlan['platform']['split'];
  /** The rate card applied to the whole plan, line by line. */
  readonly lines: readonly CostLine[];
  /** Sorted by id. */
  readonly cooperatives: readonly CooperativeCost[];
  readonly unallocated: readonly Unallocated[];
  /** Σ lines = Σ cooperatives' totals + Σ unallocated. */
  readonly total: number;
}

/** Thrown when the plan declares no rate card or one the plan needs is missing. */
export class CostRatesMissing extends Error {}

/**
 * KMS keys the platform owns: the shared-zone key, the audit-trail key and the
 * pseudonymization key in the data-lake account, and one shared-zone key per cell
 * (infra/aws/shared-zone.ts, audit-trail.ts, pseudonymization-key.ts,
 * stacks/aws/cell-shared-zone-stack.ts). Each cooperative has one key of its own.
 */
export function platformKmsKeys(plan: TenancyPlan): number {
  return 3 + plan.platform.cells.length;
}

/**
 * A dataset's steady-state stored volume in GB × days/30 units (exact integers):
 * expectedGbPerMonth × min(retentionDays, maxStoredMonths × 30). Divided by 30 it is GB:
 * data arriving at g GB a month and kept R days settles at g × R / 30 GB stored.
 */
export function storedGbDays(plan: TenancyPlan, coop: CooperativePlan): bigint {
  const cap = BigInt(plan.platform.cost?.cloud.maxStoredMonths ?? 120) * DAYS_PER_MONTH;
  let sum = 0n;
  for (const d of coop.datasets) {
    const days = BigInt(d.retentionDays);
    sum += BigInt(d.expectedGbPerMonth ?? 0) * (days < cap ? days : cap);
  }
  return sum;
}

/** Requests per month a cooperative declares over its datasets. */
export function requestsOf(coop: CooperativePlan): bigint {
  return coop.datasets.reduce((s, d) => s + BigInt(d.expectedRequestsPerMonth ?? 0), 0n);
}

const PLATFORM = '\u0000platform';
const SHARED = (id: string) => `\u0000shared:${id}`;

/** Options of {@link estimateCost}. */
export interface EstimateOptions {
  /** YYYY-MM. */
  readonly month: string;
}

/** The monthly estimate of every cooperative of the plan. Throws {@link CostRatesMissing} without a rate card. */
export function estimateCost(plan: TenancyPlan, options: EstimateOptions): CostEstimate {
  const rates = plan.platform.cost;
  if (!rates) throw new CostRatesMissing('platform.yaml declares no cost: block (rate card)');
  const coops = plan.cooperatives;
  const amounts = new Map<string, Record<CostComponent, bigint>>(coops.map((c) => [c.id, Object.fromEntries(COST_COMPONENTS.map((k) => [k, 0n])) as Record<CostComponent, bigint>]));
  const lines: CostLine[] = [];
  const serverCost = new Map<string, bigint>(plan.platform.idc.sharedServers.map((s) => [s.id, 0n]));
  let platformPool = 0n;

  /** Prices one line over the whole plan and credits each tenant its share. */
  const line = (id: string, component: CostComponent, rate: number, unit: bigint, claims: Claim[], quantity: (sum: bigint) => string) => {
    const sum = claims.reduce((s, c) => s + c.weight, 0n);
    const total = roundHalfUp(BigInt(rate) * sum, unit);
    lines.push({ id, quantity: quantity(sum), rate, amount: toNumber(total) });
    const shares = largestRemainder(total, claims);
    if (!shares) return;
    for (const [key, share] of shares) {
      if (key === PLATFORM) platformPool += share;
      else if (key.startsWith('\u0000shared:')) {
        const server = key.slice('\u0000shared:'.length);
        serverCost.set(server, serverCost.get(server)! + share);
      } else amounts.get(key)![component] += share;
    }
  };

  // IDC: what each namespace reserves (its quota), cooperatives and shared servers alike.
  const idcTenants = [
    ...coops.flatMap((c) => (c.idc ? [{ key: c.id, quota: c.idc.quota }] : [])),
    ...plan.platform.idc.sharedServers.map((s) => ({ key: SHARED(s.id), quota: s.quota })),
  ];
  line('idc.cpu', 'idcCpu', rates.idc.vcpuMonth, MILLI, idcTenants.map((t) => ({ key: t.key, weight: BigInt(t.quota.cpuMillis) })), (s) => `${decimal(s, MILLI)} vCPU`);
  line('idc.memory', 'idcMemory', rates.idc.memoryGibMonth, GIB, idcTenants.map((t) => ({ key: t.key, weight: BigInt(t.quota.memoryBytes) })), (s) => `${decimal(s, GIB)} GiB`);
  line('idc.storage', 'idcStorage', rates.idc.storageTbMonth, TB, idcTenants.map((t) => ({ key: t.key, weight: BigInt(t.quota.storageBytes) })), (s) => `${decimal(s, TB)} TB`);
  const gpuModels = [...new Set(idcTenants.flatMap((t) => Object.keys(t.quota.gpus).filter((m) => (t.quota.gpus[m] ?? 0) > 0)))].sort();
  for (const model of gpuModels) {
    const rate = Object.prototype.hasOwnProperty.call(rates.idc.gpuMonth, model) ? rates.idc.gpuMonth[model] : undefined;
    if (rate === undefined) throw new CostRatesMissing(`no rate for GPU model ${model} (cost.idc.gpuMonth)`);
    line(`idc.gpu/${model}`, 'idcGpu', rate, 1n, idcTenants.map((t) => ({ key: t.key, weight: BigInt(t.quota.gpus[model] ?? 0) })), (s) => `${s} GPU`);
  }

  // Cloud: one key per cooperative plus the platform's; storage and requests as declared.
  line('cloud.kms', 'cloudKms', rates.cloud.kmsKeyMonth, 1n, [...coops.map((c) => ({ key: c.id, weight: 1n })), { key: PLATFORM, weight: BigInt(platformKmsKeys(plan)) }], (s) => `${s} keys`);
  const stored = new Map(coops.map((c) => [c.id, storedGbDays(plan, c)]));
  line('cloud.storage', 'cloudStorage', rates.cloud.storageGbMonth, DAYS_PER_MONTH, coops.map((c) => ({ key: c.id, weight: stored.get(c.id)! })), (s) => `${decimal(s, DAYS_PER_MONTH)} GB-month`);
  line('cloud.requests', 'cloudRequests', rates.cloud.millionRequests, MILLION, coops.map((c) => ({ key: c.id, weight: requestsOf(c) })), (s) => `${decimal(s, MILLION)} M requests`);
  for (const f of rates.platform.fixedMonthly) {
    lines.push({ id: `platform.fixed/${f.item}`, quantity: '1 month', rate: f.krw, amount: f.krw });
    platformPool += BigInt(f.krw);
  }

  const unallocated: { reason: { ko: string; en: string }; amount: bigint }[] = [];
  // Shared servers: each server's cost split evenly among its subscribers.
  for (const s of plan.platform.idc.sharedServers) {
    const cost = serverCost.get(s.id)!;
    const shares = largestRemainder(cost, s.subscribers.map((id) => ({ key: id, weight: 1n })));
    if (shares) for (const [id, share] of shares) amounts.get(id)!.sharedServers += share;
    else if (cost > 0n) unallocated.push({ reason: { ko: `공동 서버 ${s.id}: 구독 협동조합 없음`, en: `shared server ${s.id}: no subscribers` }, amount: cost });
  }
  // The platform's own keys and fixed costs, by the declared rule.
  const weightOf = (c: CooperativePlan): bigint => (rates.platform.split === 'evenly' ? 1n : rates.platform.split === 'byMembers' ? BigInt(c.memberCount) : stored.get(c.id)!);
  const platformShares = largestRemainder(platformPool, coops.map((c) => ({ key: c.id, weight: weightOf(c) })));
  if (platformShares) for (const [id, share] of platformShares) amounts.get(id)!.platform += share;
  else if (platformPool > 0n) unallocated.push({ reason: { ko: `플랫폼 비용: 배분 기준(${rates.platform.split})의 합이 0`, en: `platform costs: nothing to split by (${rates.platform.split} is zero for every cooperative)` }, amount: platformPool });

  const cooperatives: CooperativeCost[] = coops.map((c) => {
    const a = amounts.get(c.id)!;
    const total = COST_COMPONENTS.reduce((s, k) => s + a[k], 0n);
    return {
      id: c.id,
      name: { ko: c.name.ko, en: c.name.en },
      amounts: Object.fromEntries(COST_COMPONENTS.map((k) => [k, toNumber(a[k])])) as Record<CostComponent, number>,
      total: toNumber(total),
      storedGb: toNumber(roundHalfUp(stored.get(c.id)!, DAYS_PER_MONTH)),
    };
  });
  const total = lines.reduce((s, l) => s + BigInt(l.amount), 0n);
  return {
    month: options.month,
    currency: 'KRW',
    split: rates.platform.split,
    lines,
    cooperatives,
    unallocated: unallocated.map((u) => ({ reason: u.reason, amount: toNumber(u.amount) })),
    total: toNumber(total),
  };
}

/** A whole-won amount as a JS number, refused beyond 2^53 (never reached by the schema's limits). */
function toNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${n} won exceeds the safe integer range`);
  return Number(n);
}

/** n / unit as an exact decimal (at most 9 places; units here are 10^k, 2^30 or 30). */
function decimal(n: bigint, unit: bigint): string {
  const whole = n / unit;
  let rest = n % unit;
  if (rest === 0n) return String(whole);
  let digits = '';
  for (let i = 0; i < 3 && rest !== 0n; i++) {
    rest *= 10n;
    digits += String(rest / unit);
    rest %= unit;
  }
  return `${whole}.${digits}${rest !== 0n ? '…' : ''}`;
}
