/**
 * The report's accounts section: every AWS account the platform deploys to (the data-lake
 * account and each cell), the cooperatives it holds against the cell's capacity, and its
 * account-level service-quota use as the ServiceQuotas check measured it. It reads that
 * check's findings (count from the message, limit from the quota model and the plan's
 * approved increases); it never measures the templates itself.
 */
import { compareFindings, type CheckFinding, type CheckStatus, type PassGroup } from '../checks/findings';
import { SERVICE_QUOTAS } from '../config/service-quotas';
import type { TenancyPlan } from '../plan/types';

/** Use of one account-level quota in one account (or account and Region). */
export interface QuotaUse {
  /** The check's rule, `SQ-<quota id>`. */
  readonly rule: string;
  readonly name: { readonly ko: string; readonly en: string };
  readonly used: number;
  /** The quota's value for this account (the raised value where AWS approved an increase). */
  readonly limit: number;
  /** used / limit, one decimal, as the check computed it. */
  readonly percent: string;
  readonly status: CheckStatus;
}

/** One AWS account of the platform. */
export interface AccountReport {
  readonly account: string;
  readonly kind: 'data-lake' | 'cell';
  /** Cell id; absent for the data-lake account. */
  readonly cell?: string;
  /** Cooperatives whose cloud tenancy deploys here, sorted. */
  readonly cooperatives: readonly string[];
  /** Most cooperatives the cell may hold; absent for the data-lake account. */
  readonly capacity?: number;
  /** Account-level quotas, highest use first. */
  readonly quotas: readonly QuotaUse[];
  /** `fail` when any quota of the account fails the check, else `pass`. */
  readonly status: 'pass' | 'fail';
}

const QUOTA_PACK = 'ServiceQuotas';
const QUOTAS = new Map(SERVICE_QUOTAS.map((q) => [`SQ-${q.id}`, q]));

/**
 * The accounts section of the report, data-lake account first, then cells by id, from the
 * check findings and the pass groups of the check files (see `ReportInputs`).
 */
export function accountsOf(plan: TenancyPlan, findings: readonly CheckFinding[], passes: readonly Pick<PassGroup, 'pack' | 'rule' | 'controls' | 'stack' | 'message' | 'resources'>[] = []): AccountReport[] {
  const raised = new Map(plan.platform.raisedQuotas.map((r) => [`SQ-${r.quota}\u0000${r.account}`, r.value]));
  const accountLevel = (f: { readonly pack: string; readonly rule: string }) => f.pack === QUOTA_PACK && QUOTAS.has(f.rule) && QUOTAS.get(f.rule)!.scope !== 'resource';
  // One by one and in findings order, as the order of equal uses below depends on it.
  const results = findings.filter(accountLevel);
  for (const g of passes) {
    if (!accountLevel(g)) continue;
    for (const resource of g.resources) results.push({ pack: g.pack, rule: g.rule, controls: g.controls, status: 'pass', stack: g.stack, resource, message: g.message });
  }
  const byAccount = new Map<string, QuotaUse[]>();
  for (const f of results.sort(compareFindings)) {
    const quota = QUOTAS.get(f.rule)!;
    // Account-level holders are `<account>` or `<account>/<region>` (see checkServiceQuotas).
    const account = f.resource.split('/')[0];
    const used = Number(/^([\d,]+)/.exec(f.message)?.[1]?.replace(/,/g, '') ?? NaN);
    if (!Number.isFinite(used)) continue;
    const limit = raised.get(`${f.rule}\u0000${account}`) ?? quota.value;
    const list = byAccount.get(account) ?? [];
    list.push({ rule: f.rule, name: { ko: quota.nameKo, en: quota.name }, used, limit, percent: ((used / limit) * 100).toFixed(1), status: f.status });
    byAccount.set(account, list);
  }
  const entry = (account: string, kind: AccountReport['kind'], cooperatives: readonly string[], cell?: { id: string; capacity: number }): AccountReport => {
    const quotas = (byAccount.get(account) ?? []).sort((a, b) => b.used / b.limit - a.used / a.limit || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    return {
      account,
      kind,
      ...(cell ? { cell: cell.id } : {}),
      cooperatives: [...cooperatives].sort(),
      ...(cell ? { capacity: cell.capacity } : {}),
      quotas,
      status: quotas.some((q) => q.status === 'fail') ? 'fail' : 'pass',
    };
  };
  const lake = plan.cooperatives.filter((c) => c.account === plan.platform.account).map((c) => c.id);
  return [
    entry(plan.platform.account, 'data-lake', lake),
    ...[...plan.platform.cells].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => entry(c.account, 'cell', c.cooperatives, { id: c.id, capacity: c.capacity })),
  ];
}
