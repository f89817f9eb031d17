import { parse, stringify } from 'yaml';
import type { ConfigSources } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt, positionOf } from '../../support/config';

// Generated sources, not config/: adding a cooperative file must never change this test.
const base = generateSources({ n: 12, seed: 7 });
const target = base.cooperatives.find((c) => /models:/.test(c.text))!;
const id = /id: (\S+)/.exec(target.text)![1];

/** The sources with the first model of the target cooperative edited (and its quota, when given). */
function withModel(edit: (model: any, idc: any) => void): { sources: ConfigSources; text: string } {
  const doc = parse(target.text);
  edit(doc.idc.models[0], doc.idc);
  const text = stringify(doc);
  return { sources: { ...base, cooperatives: base.cooperatives.map((c) => (c === target ? { ...c, text } : c)) }, text };
}
const modelPlan = (sources: ConfigSources) => compileAt(sources).plan!.cooperatives.find((c) => c.id === id)!.idc!.models[0];

describe('model autoscale', () => {
  test('the plan starts at min replicas and carries the autoscale bounds', () => {
    const { sources } = withModel((m, idc) => {
      m.autoscale = { min: 1, max: 2, cpuPercent: 70 };
      idc.quota.gpus[m.gpu.model] = 4 * m.gpu.count;
    });
    const m = modelPlan(sources);
    expect(m.replicas).toBe(1);
    expect(m.autoscale).toEqual({ min: 1, max: 2, cpuPercent: 70 });
  });

  test('a model without autoscale has none in the plan', () => {
    expect(modelPlan(base).autoscale).toBeUndefined();
  });

  test('fails when min is greater than max, at min', () => {
    const { sources, text } = withModel((m) => (m.autoscale = { min: 3, max: 2, cpuPercent: 70 }));
    const result = compileAt(sources);
    expect(result.plan).toBeUndefined();
    const [d] = result.diagnostics.filter((x) => x.code === 'invalid-autoscale');
    expect(d).toMatchObject({ file: target.displayPath, ...positionOf(text, '3', 'min: 3') });
    expect(d.message).toMatch(/최소.*최대|min 3.*max 2/);
  });

  test('fails when the quota cannot hold the model at max replicas', () => {
    const { sources } = withModel((m, idc) => {
      idc.quota.gpus[m.gpu.model] = m.gpu.count * m.replicas;
      m.autoscale = { min: 1, max: m.replicas + 1, cpuPercent: 70 };
    });
    const found = compileAt(sources).diagnostics.filter((x) => x.code === 'model-exceeds-quota');
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/GPU/)]);
  });

  test.each([[{ min: 0, max: 2, cpuPercent: 70 }], [{ min: 1, max: 2, cpuPercent: 0 }], [{ min: 1, max: 2 }]])('fails on a malformed autoscale block %j', (autoscale) => {
    const { sources } = withModel((m) => (m.autoscale = autoscale));
    expect(compileAt(sources).plan).toBeUndefined();
  });
});

describe('model rollout in the plan', () => {
  test('a model whose quota has room for one more pod surges', () => {
    const { sources } = withModel((m, idc) => (idc.quota.gpus[m.gpu.model] = m.gpu.count * (m.replicas + 1)));
    expect(modelPlan(sources).rollout).toEqual({ maxSurge: 1, maxUnavailable: 0, headroom: true });
  });

  test('a one-replica GPU model whose quota holds exactly its GPUs stops before it starts, and the plan says why', () => {
    const { sources } = withModel((m, idc) => {
      m.replicas = 1;
      idc.quota.gpus[m.gpu.model] = m.gpu.count;
    });
    const m = modelPlan(sources);
    expect(m.rollout).toEqual({ maxSurge: 0, maxUnavailable: 1, headroom: false, missing: [`${m.gpu!.count} ${m.gpu!.model} GPU${m.gpu!.count === 1 ? '' : 's'}`] });
  });
});
