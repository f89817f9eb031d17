import type { ModelPlan, QuotaPlan } from '../../../infra';
import { formatCooperativeDetail } from '../../../infra/plan/format';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt } from '../../support/config';
import { planRollouts, type RolloutModel } from '../../../infra/plan/rollout';

const GI = 2 ** 30;
const A100 = 'nvidia-a100-80gb';
const quota = (over: Partial<QuotaPlan> = {}): QuotaPlan => ({ cpuMillis: 16000, memoryBytes: 64 * GI, storageBytes: 0, pods: 10, services: 5, pvcs: 0, gpus: {}, ...over });
const model = (over: Partial<RolloutModel> = {}): RolloutModel => ({ name: 'm', maxReplicas: 1, cpuMillis: 4000, memoryBytes: 16 * GI, ...over });

describe('planRollouts', () => {
  test('surges one pod and keeps every replica serving when the quota has room for it', () => {
    expect(planRollouts(quota(), [model()]).get('m')).toEqual({ maxSurge: 1, maxUnavailable: 0, headroom: true });
  });

  test('a one-replica GPU model surges when the quota grants a spare GPU of its model', () => {
    const r = planRollouts(quota({ gpus: { [A100]: 2 } }), [model({ gpu: { model: A100, count: 1 } })]);
    expect(r.get('m')).toEqual({ maxSurge: 1, maxUnavailable: 0, headroom: true });
  });

  test('fails over to stop-then-start, and says what is missing, when the quota has no spare GPU of the model', () => {
    const r = planRollouts(quota({ gpus: { [A100]: 1, 'nvidia-l40s': 4 } }), [model({ gpu: { model: A100, count: 1 } })]);
    expect(r.get('m')).toEqual({ maxSurge: 0, maxUnavailable: 1, headroom: false, missing: [`1 ${A100} GPU`] });
  });

  test('counts every model at its maximum replicas (autoscaling) before looking for room', () => {
    const models = [model({ name: 'a', maxReplicas: 3 }), model({ name: 'b', maxReplicas: 1 })];
    // 4 pods × 4 CPU = 16 CPU: the quota is full, no model may surge.
    const r = planRollouts(quota(), models);
    expect(r.get('a')).toMatchObject({ maxSurge: 0, maxUnavailable: 1, missing: ['4 CPU', '16Gi memory'] });
    expect(r.get('b')).toMatchObject({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('needs room in the pod count too', () => {
    expect(planRollouts(quota({ pods: 1 }), [model()]).get('m')).toMatchObject({ maxSurge: 0, missing: ['1 pod'] });
  });

  test('judges each model by its own size: a small one may surge where a large one cannot', () => {
    const r = planRollouts(quota({ cpuMillis: 10000 }), [model({ name: 'large', cpuMillis: 6000, memoryBytes: GI }), model({ name: 'small', cpuMillis: 1000, memoryBytes: GI })]);
    expect(r.get('large')).toMatchObject({ maxSurge: 0, maxUnavailable: 1 });
    expect(r.get('small')).toMatchObject({ maxSurge: 1, maxUnavailable: 0 });
  });
});

describe('plan text', () => {
  // Generated config, not config/, with the models of one cooperative replaced.
  const plan = compileAt(generateSources({ n: 12, seed: 7 })).plan!;
  const real = plan.cooperatives.find((c) => c.idc)!;
  const text = (models: ModelPlan[], lang: 'ko' | 'en' = 'en') => formatCooperativeDetail(plan, { ...real, idc: { ...real.idc!, models } }, lang);
  const base = { name: 'm', image: 'x', replicas: 1, port: 8080, cpuMillis: 1000, memoryBytes: GI };

  test('says when every update takes a one-replica model down, and what the quota lacks', () => {
    expect(text([{ ...base, rollout: { maxSurge: 0, maxUnavailable: 1, headroom: false, missing: ['1 nvidia-l40s GPU'] } }])).toContain(
      'rollout       stops, then starts: each update takes the model down (the quota lacks 1 nvidia-l40s GPU for an extra pod)',
    );
  });

  test('says an update has no downtime when the model surges, and shows autoscale bounds', () => {
    const t = text([{ ...base, autoscale: { min: 2, max: 4, cpuPercent: 70 }, rollout: { maxSurge: 1, maxUnavailable: 0, headroom: true } }]);
    expect(t).toContain('m ×2-4 (autoscale at 70% CPU)');
    expect(t).toContain('rollout       one extra pod, then the old one stops: no downtime');
  });

  test('says the same in Korean', () => {
    const t = text([{ ...base, autoscale: { min: 2, max: 4, cpuPercent: 70 }, rollout: { maxSurge: 1, maxUnavailable: 0, headroom: true } }], 'ko');
    expect(t).toContain('m ×2-4 (CPU 70%에서 자동 확장)');
    expect(t).toContain('    업데이트      파드를 하나 더 띄운 뒤 이전 파드를 멈춥니다: 중단 없음');
    expect(t).not.toMatch(/rollout|autoscale at|Datasets|Grants/);
  });
});
