/**
 * Capacity: the sum of every tenant's quota fits the cluster, per resource and per GPU
 * model. Quotas are reservations, so this holds whatever actually runs; an A100 cannot
 * stand in for an L40S, hence one row per model.
 */
import { formatAmount } from '../../plan/capacity';
import type { CapacityPlan } from '../../plan/types';
import { compareFindings, type CheckFinding } from '../findings';

/** The pack under which capacity findings are recorded. */
export const CAPACITY_PACK = 'Capacity';
/** The rule id. */
export const CAPACITY_RULE = 'Capacity-quota-sum';
/** Controls the capacity rule implements. */
export const CAPACITY_CONTROLS: readonly string[] = ['ISMS-P 2.9.2 (performance and fault management: capacity)', 'MTB-PL1-CC-FNS-1 (fairness across tenants)'];

/**
 * One finding per capacity row (cpu, memory, storage, pods, gpu/<model>).
 * @param stack the stack the cluster-wide finding is filed under (the platform stack)
 */
export function checkCapacity(capacity: CapacityPlan, stack: string): CheckFinding[] {
  return capacity.rows
    .map((row): CheckFinding => {
      const resource = `capacity/${row.resource}`;
      const amounts = `${formatAmount(row.resource, row.requested)} reserved of ${formatAmount(row.resource, row.capacity)}`;
      if (row.requested <= row.capacity) {
        return { pack: CAPACITY_PACK, rule: CAPACITY_RULE, controls: CAPACITY_CONTROLS, status: 'pass', stack, resource, message: `sum of quotas fits: ${amounts}` };
      }
      const top = Object.entries(row.byTenant)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([t, v]) => `${t} ${formatAmount(row.resource, v)}`)
        .join(', ');
      return {
        pack: CAPACITY_PACK,
        rule: CAPACITY_RULE,
        controls: CAPACITY_CONTROLS,
        status: 'fail',
        stack,
        resource,
        message: `sum of quotas exceeds the cluster: ${amounts}; largest: ${top}`,
        fix: `lower tenant quotas for ${row.resource} or raise platform idc.capacity after adding nodes`,
      };
    })
    .sort(compareFindings);
}
