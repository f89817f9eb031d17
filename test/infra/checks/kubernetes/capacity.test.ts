import { checkCapacity, CAPACITY_RULE } from '../../../../infra/checks/kubernetes';
import type { CapacityPlan } from '../../../../infra';
import { compileAt, sampleSources } from '../../../support/config';

describe('Capacity-quota-sum', () => {
  test('passes every row of the sample plan, one finding per resource and GPU model', () => {
    const plan = compileAt(sampleSources()).plan!;
    const findings = checkCapacity(plan.capacity, 'idc-platform');
    expect(findings.map((f) => f.resource)).toEqual(plan.capacity.rows.map((r) => `capacity/${r.resource}`).sort());
    expect(findings.every((f) => f.status === 'pass' && f.rule === CAPACITY_RULE)).toBe(true);
    expect(findings.map((f) => f.resource)).toContain('capacity/gpu/nvidia-l40s');
  });

  test('fails when the quotas of one GPU model exceed its nodes, naming the largest tenants', () => {
    const capacity: CapacityPlan = {
      rows: [
        { resource: 'gpu/nvidia-a100-80gb', capacity: 4, requested: 6, byTenant: { 'coop-a': 4, 'coop-b': 2 } },
        { resource: 'gpu/nvidia-l40s', capacity: 32, requested: 2, byTenant: { 'coop-a': 2 } },
        { resource: 'memory', capacity: 2 ** 40, requested: 2 ** 41, byTenant: { 'coop-a': 2 ** 41 } },
      ],
    };
    const findings = checkCapacity(capacity, 'idc-platform');
    const failed = findings.filter((f) => f.status === 'fail');
    expect(failed.map((f) => f.resource)).toEqual(['capacity/gpu/nvidia-a100-80gb', 'capacity/memory']);
    expect(failed[0].message).toBe('sum of quotas exceeds the cluster: 6 reserved of 4; largest: coop-a 4, coop-b 2');
    expect(failed[1].message).toMatch(/2Ti reserved of 1Ti/);
    expect(failed[0].fix).toMatch(/lower tenant quotas/);
  });
});
