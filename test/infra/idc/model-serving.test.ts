import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import type { QuotaPlan } from '../../../infra';
import { parse, stringify } from 'yaml';
import { CooperativeIdcStack, ModelServing, TenantNamespace } from '../../../infra/idc';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt } from '../../support/config';

const GI = 2 ** 30;
const QUOTA: QuotaPlan = { cpuMillis: 8000, memoryBytes: 32 * GI, storageBytes: 0, pods: 20, services: 10, pvcs: 0, gpus: { 'nvidia-l40s': 2 } };
const IMAGE = `registry.idc.kbiz.or.kr/coop-a/model@sha256:${'ab'.repeat(32)}`;
const BASE = { name: 'predictor', image: IMAGE, replicas: 1, port: 8080, cpuMillis: 2000, memoryBytes: 4 * GI };

function synth(build: (scope: Construct, ns: TenantNamespace) => void): Record<string, Record<string, any>> {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack, new TenantNamespace(stack, 'Ns', { name: 'coop-a', labels: {}, quota: QUOTA }));
  return JSON.parse(Testing.synth(stack)).resource;
}
const one = (r: Record<string, Record<string, any>>, type: string) => {
  const all = Object.values(r[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};

describe('ModelServing rollout', () => {
  test('renders the rollout the plan decided: one surge pod, none unavailable', () => {
    const r = synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE, gpu: { model: 'nvidia-l40s', count: 1 }, rollout: { maxSurge: 1, maxUnavailable: 0 } }));
    expect(one(r, 'kubernetes_deployment_v1').spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
  });

  test('renders stop-then-start when the plan found no room', () => {
    const r = synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE, rollout: { maxSurge: 0, maxUnavailable: 1 } }));
    expect(one(r, 'kubernetes_deployment_v1').spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '0', max_unavailable: '1' } });
  });

  test('fails when a rollout can make no progress (no surge and nothing unavailable)', () => {
    expect(() => synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE, rollout: { maxSurge: 0, maxUnavailable: 0 } as any }))).toThrow(/maxSurge and maxUnavailable cannot both be 0/);
  });
});

describe('ModelServing autoscale', () => {
  const r = synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE, replicas: 2, autoscale: { min: 2, max: 5, cpuPercent: 70 } }));

  test('renders a HorizontalPodAutoscaler (autoscaling/v2) on CPU use between min and max', () => {
    const hpa = one(r, 'kubernetes_horizontal_pod_autoscaler_v2');
    expect(hpa.metadata).toMatchObject({ name: 'predictor', namespace: 'coop-a' });
    expect(hpa.spec).toEqual({
      min_replicas: 2,
      max_replicas: 5,
      scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'predictor' },
      metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 70 } } }],
    });
  });

  test('the Deployment starts at min and leaves the count to the autoscaler after creation', () => {
    const d = one(r, 'kubernetes_deployment_v1');
    expect(d.spec.replicas).toBe('2');
    expect(d.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
  });

  test('a model without autoscale has no autoscaler and Terraform owns its replica count', () => {
    const plain = synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE }));
    expect(plain.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
    expect(one(plain, 'kubernetes_deployment_v1').lifecycle).toBeUndefined();
  });
});

describe('image pull secrets', () => {
  test('model pods and the namespace default ServiceAccount pull with the platform secrets, in order', () => {
    const r = synth((s) => {
      const namespace = new TenantNamespace(s, 'Ns2', { name: 'coop-b', labels: {}, quota: QUOTA, imagePullSecrets: ['kbiz-registry', 'kbiz-mirror'] });
      new ModelServing(s, 'M', { namespace, ...BASE, imagePullSecrets: ['kbiz-registry', 'kbiz-mirror'] });
    });
    expect(one(r, 'kubernetes_deployment_v1').spec.template.spec.image_pull_secrets).toEqual([{ name: 'kbiz-registry' }, { name: 'kbiz-mirror' }]);
    const sa = Object.values(r.kubernetes_default_service_account_v1).find((x: any) => x.metadata.namespace === 'coop-b') as any;
    expect(sa.image_pull_secret).toEqual([{ name: 'kbiz-registry' }, { name: 'kbiz-mirror' }]);
  });

  test('none by default', () => {
    const r = synth((s, namespace) => new ModelServing(s, 'M', { namespace, ...BASE }));
    expect(one(r, 'kubernetes_deployment_v1').spec.template.spec.image_pull_secrets).toBeUndefined();
    expect(one(r, 'kubernetes_default_service_account_v1').image_pull_secret).toBeUndefined();
  });
});

describe('CooperativeIdcStack renders what the plan decided', () => {
  // Generated config, not config/: a new cooperative file never changes this test.
  const sources = generateSources({ n: 12, seed: 7 });
  const target = sources.cooperatives.find((c) => /models:/.test(c.text))!;
  const doc = parse(target.text);
  doc.idc.models[0].autoscale = { min: 1, max: 2, cpuPercent: 60 };
  doc.idc.quota.gpus[doc.idc.models[0].gpu.model] = doc.idc.models[0].gpu.count * 3;
  const platform = parse(sources.platform.text);
  platform.idc.imagePullSecrets = ['kbiz-registry'];
  const plan = compileAt({
    platform: { ...sources.platform, text: stringify(platform) },
    cooperatives: sources.cooperatives.map((c) => (c === target ? { ...c, text: stringify(doc) } : c)),
  }).plan!;
  const coop = plan.cooperatives.find((c) => c.id === doc.id)!;
  const { dnsNamespace, sharedServers, imagePullSecrets } = plan.platform.idc;
  const r = JSON.parse(Testing.synth(new CooperativeIdcStack(Testing.app(), coop.idc!.namespace, { cooperative: coop, dnsNamespace, sharedServers, imagePullSecrets, statePath: 's' }))).resource;
  const model = coop.idc!.models[0];

  test('the plan gives the model room to surge (quota holds max + 1 pods of GPUs) and the Deployment uses it', () => {
    expect(model.rollout).toMatchObject({ maxSurge: 1, maxUnavailable: 0 });
    const d = Object.values(r.kubernetes_deployment_v1).find((x: any) => x.metadata.name === model.name) as any;
    expect(d.spec.strategy.rolling_update).toEqual({ max_surge: '1', max_unavailable: '0' });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.template.spec.image_pull_secrets).toEqual([{ name: 'kbiz-registry' }]);
  });

  test('the autoscaled model gets its HorizontalPodAutoscaler', () => {
    expect(Object.values(r.kubernetes_horizontal_pod_autoscaler_v2).map((h: any) => [h.metadata.name, h.spec.min_replicas, h.spec.max_replicas])).toEqual([[model.name, 1, 2]]);
  });
});
