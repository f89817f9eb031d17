/** Rules of the rate card (`cost:` of platform.yaml): each fails when broken, at the line. */
import { compile, type ConfigSources } from '../../../infra';
import { COST_TODAY, costSources } from '../../support/cost';
import { positionOf, korean } from '../../support/config';

function edit(sources: ConfigSources, file: 'platform' | 'coop-a' | 'coop-b', from: string | RegExp, to: string): ConfigSources {
  const change = (text: string) => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
    return next;
  };
  if (file === 'platform') return { ...sources, platform: { ...sources.platform, text: change(sources.platform.text) } };
  return { ...sources, cooperatives: sources.cooperatives.map((c) => (c.relativePath === `cooperatives/${file}.yaml` ? { ...c, text: change(c.text) } : c)) };
}

const diagnosticsOf = (sources: ConfigSources, code: string) => compile(sources, { today: COST_TODAY }).diagnostics.filter((d) => d.code === code);

describe('rate card rules', () => {
  test('the fixture passes every rule', () => {
    expect(compile(costSources(), { today: COST_TODAY }).diagnostics).toEqual([]);
  });

  test('fails when a GPU model a cooperative reserves has no rate, at the reservation', () => {
    const sources = edit(costSources(), 'platform', 'gpuMonth: { gpu-a: 50000 }', 'gpuMonth: {}');
    const result = compile(sources, { today: COST_TODAY });
    expect(result.plan).toBeUndefined();
    const [d] = result.diagnostics.filter((x) => x.code === 'cost-rate-missing');
    const text = sources.cooperatives[0].text;
    expect(d).toMatchObject({ file: 'cooperatives/coop-a.yaml', severity: 'error', ...positionOf(text, 'gpu-a', 'gpus') });
    expect(korean(d).message).toMatch(/^협동조합 coop-a: GPU 모델 "gpu-a"을\(를\) 예약하지만/);
    expect(d.message).toMatch(/^cooperative coop-a reserves GPU model "gpu-a"/);
    expect(d.hint).toMatch(/cost\.idc\.gpuMonth/);
  });

  test('fails when a shared server reserves a GPU model without a rate, at the server', () => {
    let sources = edit(costSources(), 'platform', 'quota: { cpu: "2", memory: 4Gi, storage: 1Ti, pods: 10 }', 'quota: { cpu: "2", memory: 4Gi, storage: 1Ti, pods: 10, gpus: { gpu-b: 1 } }');
    sources = edit(sources, 'platform', 'gpus: { gpu-a: 4 }', 'gpus: { gpu-a: 4, gpu-b: 1 }');
    const [d] = diagnosticsOf(sources, 'cost-rate-missing');
    expect(d).toMatchObject({ file: 'platform.yaml', ...positionOf(sources.platform.text, 'gpu-b', 'quota') });
    expect(d.message).toMatch(/shared server s1/);
  });

  test('fails when a rate names a GPU model the cluster does not have', () => {
    const sources = edit(costSources(), 'platform', 'gpuMonth: { gpu-a: 50000 }', 'gpuMonth: { gpu-a: 50000, gpu-x: 1 }');
    const [d] = diagnosticsOf(sources, 'unknown-gpu-model');
    expect(d).toMatchObject({ file: 'platform.yaml', severity: 'error', ...positionOf(sources.platform.text, 'gpu-x') });
  });

  test('fails when a fixed cost item is declared twice', () => {
    const sources = edit(costSources(), 'platform', '[{ item: ops, krw: 1000 }]', '[{ item: ops, krw: 1000 }, { item: ops, krw: 5 }]');
    const [d] = diagnosticsOf(sources, 'duplicate-id');
    expect(d.message).toMatch(/fixed cost item "ops" is declared twice/);
  });

  test('warns when the platform is split by stored volume and no dataset declares one', () => {
    let sources = edit(costSources({ split: 'byStoredVolume' }), 'coop-a', 'expectedGbPerMonth: 10', 'expectedGbPerMonth: 0');
    sources = edit(sources, 'coop-b', 'expectedGbPerMonth: 20', 'expectedGbPerMonth: 0');
    const result = compile(sources, { today: COST_TODAY });
    expect(result.plan).toBeDefined();
    expect(result.diagnostics.filter((d) => d.code === 'cost-split-empty')).toMatchObject([{ severity: 'warning', file: 'platform.yaml' }]);
  });

  test('fails when a rate is not whole won or the split is unknown (schema)', () => {
    const fractional = edit(costSources(), 'platform', 'kmsKeyMonth: 1000', 'kmsKeyMonth: 10.5');
    expect(compile(fractional, { today: COST_TODAY }).plan).toBeUndefined();
    const unknown = edit(costSources(), 'platform', 'split: evenly', 'split: byRevenue');
    const result = compile(unknown, { today: COST_TODAY });
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/byMembers/);
  });

  test('without a cost block no rate-card rule runs', () => {
    const sources = edit(costSources(), 'platform', /cost:[\s\S]*$/, '');
    expect(compile(sources, { today: COST_TODAY }).diagnostics).toEqual([]);
  });
});
