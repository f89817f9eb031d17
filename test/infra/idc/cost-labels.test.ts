/**
 * Every IDC namespace carries the labels OpenCost and Kubecost allocate by (`team`,
 * `department`), so a cooperative's IDC actuals can be read beside `coop-idc cost`.
 */
import { Testing } from 'cdktf';
import { compile, type TenancyPlan } from '../../../infra';
import { COST_LABELS, CooperativeIdcStack, PlatformIdcStack } from '../../../infra/idc';
import { generateSources } from '../../../infra/testing/synthetic';

const plan: TenancyPlan = compile(generateSources({ n: 8, seed: 5, cost: { split: 'evenly' } }), { today: '2026-11-27' }).plan!;

/** metadata.labels of every namespace a synthesized stack holds. */
function namespaceLabels(text: string): Record<string, string>[] {
  const resources = JSON.parse(text).resource as Record<string, Record<string, { metadata: { labels?: Record<string, string> } }>>;
  return Object.values(resources.kubernetes_namespace_v1 ?? {}).map((ns) => ns.metadata.labels ?? {});
}

describe('cost-allocation labels', () => {
  test('each cooperative namespace is labelled with its cooperative as team and its cost center as department', () => {
    const withIdc = plan.cooperatives.filter((c) => c.idc);
    expect(withIdc.length).toBeGreaterThan(2);
    for (const coop of withIdc) {
      const stack = new CooperativeIdcStack(Testing.app(), `coop-${coop.id}`, { cooperative: coop, dnsNamespace: 'kube-system', sharedServers: plan.platform.idc.sharedServers, statePath: 'x.tfstate' });
      const labels = namespaceLabels(Testing.synth(stack));
      expect(labels).toHaveLength(1);
      expect(labels[0]).toMatchObject({ [COST_LABELS.team]: coop.id, [COST_LABELS.department]: coop.costCenter });
    }
  });

  test('each shared-server namespace is labelled shared-<id>, department platform', () => {
    const labels = namespaceLabels(Testing.synth(new PlatformIdcStack(Testing.app(), 'idc-platform', { plan, statePath: 'p.tfstate' })));
    const servers = plan.platform.idc.sharedServers;
    expect(servers.length).toBeGreaterThan(0);
    for (const s of servers) expect(labels).toContainEqual(expect.objectContaining({ [COST_LABELS.team]: `shared-${s.id}`, [COST_LABELS.department]: 'platform' }));
  });

  test('label values are valid Kubernetes label values', () => {
    const value = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    for (const c of plan.cooperatives) expect(c.id.length <= 63 && value.test(c.id) && value.test(c.costCenter)).toBe(true);
    for (const s of plan.platform.idc.sharedServers) expect(value.test(`shared-${s.id}`) && `shared-${s.id}`.length <= 63).toBe(true);
  });
});
