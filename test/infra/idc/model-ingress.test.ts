import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ConfigSources, TenancyPlan } from '../../../infra';
import { checkStacks, KUBERNETES_RULES, type StackInput } from '../../../infra/checks/kubernetes';
import { generateSources } from '../../../infra/testing/synthetic';
import { runIdc } from '../../../build/idc-step';
import { compileAt } from '../../support/config';

// Generated config, not config/: a new cooperative file never changes this test.
const base = generateSources({ n: 12, seed: 7 });
const target = base.cooperatives.find((c) => /models:/.test(c.text))!;
const coopId = parse(target.text).id as string;
const GATEWAY = { gateway: { name: 'kbiz-gateway', namespace: 'gateway-system' }, proxyNamespace: 'gateway-system', proxyPodLabels: { 'gateway.networking.k8s.io/gateway-name': 'kbiz-gateway' }, hostSuffix: 'models.idc.kbiz.or.kr' };
const INGRESS = { ingressClass: 'nginx', proxyNamespace: 'ingress-nginx', proxyPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' }, hostSuffix: 'models.idc.kbiz.or.kr' };
const LAKE = [{ cidr: '10.20.30.0/24', port: 443 }];

function sources(platformIdc: Record<string, unknown>, model: Record<string, unknown>): ConfigSources {
  const platform = parse(base.platform.text);
  Object.assign(platform.idc, platformIdc);
  const doc = parse(target.text);
  Object.assign(doc.idc.models[0], model);
  return { platform: { ...base.platform, text: stringify(platform) }, cooperatives: base.cooperatives.map((c) => (c === target ? { ...c, text: stringify(doc) } : c)) };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function render(s: ConfigSources): { plan: TenancyPlan; stacks: readonly StackInput[]; coop: any } {
  const plan = compileAt(s).plan!;
  const dir = mkdtempSync(join(tmpdir(), 'idc-ingress-'));
  dirs.push(dir);
  const { stacks } = runIdc(plan, dir);
  const ns = plan.cooperatives.find((c) => c.id === coopId)!.idc!.namespace;
  return { plan, stacks, coop: stacks.find((x) => x.stack === ns)!.json.resource };
}
const policies = (r: any) => Object.fromEntries(Object.values(r.kubernetes_network_policy_v1).map((p: any) => [p.metadata.name, p.spec]));

describe('a model exposed through the platform Gateway', () => {
  const { plan, stacks, coop } = render(sources({ ingress: GATEWAY }, { expose: true }));
  const model = plan.cooperatives.find((c) => c.id === coopId)!.idc!.models[0];

  test('the plan gives it a host under the platform suffix', () => {
    expect(model.expose).toEqual({ host: `${model.name}.${coopId}.models.idc.kbiz.or.kr` });
  });

  test('renders an HTTPRoute to its Service, for its host, attached to the platform Gateway', () => {
    const routes = Object.values(coop.kubernetes_manifest).map((m: any) => m.manifest);
    expect(routes).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: expect.objectContaining({ name: model.name }),
        spec: {
          parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'kbiz-gateway', namespace: 'gateway-system' }],
          hostnames: [model.expose!.host],
          rules: [{ backendRefs: [{ kind: 'Service', name: model.name, port: model.port }] }],
        },
      },
    ]);
    expect(coop.kubernetes_ingress_v1).toBeUndefined();
  });

  test('a network policy admits exactly the gateway pods, to exactly the model pods and port', () => {
    expect(policies(coop)[`allow-ingress-proxy-${model.name}`]).toEqual({
      pod_selector: { match_labels: { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/part-of': 'coop-idc' } },
      policy_types: ['Ingress'],
      ingress: [
        {
          from: [{ namespace_selector: { match_expressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['gateway-system'] }] }, pod_selector: { match_labels: GATEWAY.proxyPodLabels } }],
          ports: [{ protocol: 'TCP', port: String(model.port) }],
        },
      ],
    });
  });

  test('every conformance rule passes, tenant isolation included', () => {
    expect(checkStacks(stacks, KUBERNETES_RULES).filter((f) => f.status === 'fail')).toEqual([]);
  });

  test('tenant isolation fails when the proxy namespace is not a declared peer', () => {
    const s = stacks.find((x) => x.cooperative === coopId)!;
    const undeclared = { ...s, allowedPeers: { [Object.keys(s.allowedPeers!)[0]]: [] } };
    const failed = checkStacks([undeclared], KUBERNETES_RULES).filter((f) => f.status === 'fail' && f.rule === 'MTB-PL1-CC-TI-2');
    expect(failed.map((f) => f.message).join('\n')).toMatch(/ingress from namespace "gateway-system", not a declared peer/);
  });
});

describe('a model exposed through the platform ingress class', () => {
  const { plan, coop } = render(sources({ ingress: INGRESS }, { expose: true }));
  const model = plan.cooperatives.find((c) => c.id === coopId)!.idc!.models[0];

  test('renders an Ingress of the class for its host to its Service', () => {
    const [ing] = Object.values(coop.kubernetes_ingress_v1) as any[];
    expect(ing.spec).toEqual({
      ingress_class_name: 'nginx',
      rule: [{ host: model.expose!.host, http: { path: [{ path: '/', path_type: 'Prefix', backend: { service: { name: model.name, port: { number: model.port } } } }] } }],
    });
    expect(coop.kubernetes_manifest).toBeUndefined();
    expect(policies(coop)[`allow-ingress-proxy-${model.name}`].ingress[0].from[0].pod_selector.match_labels).toEqual(INGRESS.proxyPodLabels);
  });
});

describe('data-lake egress', () => {
  const { plan, stacks, coop } = render(sources({ dataLakeEndpoints: LAKE }, { dataLakeEgress: true }));
  const model = plan.cooperatives.find((c) => c.id === coopId)!.idc!.models[0];

  test('the model (only) may call the data-lake endpoints on their port', () => {
    expect(policies(coop)[`allow-egress-data-lake-${model.name}`]).toEqual({
      pod_selector: { match_labels: { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/part-of': 'coop-idc' } },
      policy_types: ['Egress'],
      egress: [{ to: [{ ip_block: { cidr: '10.20.30.0/24' } }], ports: [{ protocol: 'TCP', port: '443' }] }],
    });
  });

  test('conformance passes on the declared block and fails on any other', () => {
    expect(checkStacks(stacks, KUBERNETES_RULES).filter((f) => f.status === 'fail')).toEqual([]);
    const s = stacks.find((x) => x.cooperative === coopId)!;
    const json = structuredClone(s.json) as any;
    const p = Object.values(json.resource.kubernetes_network_policy_v1).find((x: any) => x.metadata.name.startsWith('allow-egress-data-lake')) as any;
    p.spec.egress[0].to[0].ip_block.cidr = '0.0.0.0/0';
    const failed = checkStacks([{ ...s, json }], KUBERNETES_RULES).filter((f) => f.status === 'fail');
    expect(failed.map((f) => [f.rule, f.message])).toEqual([['MTB-PL1-CC-TI-2', expect.stringMatching(/ip_block peer 0\.0\.0\.0\/0 that is not a declared endpoint/)]]);
  });

  test('a model without dataLakeEgress gets no such policy', () => {
    const others = plan.cooperatives.find((c) => c.id === coopId)!.idc!.models.slice(1);
    for (const m of others) expect(policies(coop)[`allow-egress-data-lake-${m.name}`]).toBeUndefined();
    expect(Object.keys(policies(coop)).filter((n) => n.startsWith('allow-egress-data-lake'))).toEqual([`allow-egress-data-lake-${model.name}`]);
  });
});

describe('config rules', () => {
  const codes = (s: ConfigSources) => compileAt(s).diagnostics.map((d) => [d.code, d.file]);

  test('fails when a model is exposed but the platform enables no ingress', () => {
    expect(codes(sources({}, { expose: true }))).toEqual([['ingress-not-enabled', target.displayPath]]);
  });

  test('fails when a model asks for data-lake egress but the platform declares no endpoint', () => {
    expect(codes(sources({}, { dataLakeEgress: true }))).toEqual([['data-lake-not-enabled', target.displayPath]]);
  });

  test.each([
    ['both', { ...GATEWAY, ingressClass: 'nginx' }],
    ['neither', { proxyNamespace: 'x', proxyPodLabels: { a: 'b' }, hostSuffix: 'models.example.kr' }],
  ])('fails when idc.ingress names %s of gateway and ingressClass', (_, ingress) => {
    expect(codes(sources({ ingress }, {}))).toEqual([['invalid-ingress', base.platform.displayPath]]);
  });
});
