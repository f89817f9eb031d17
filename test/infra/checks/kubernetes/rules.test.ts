import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  checkStacks,
  KUBERNETES_PACK,
  KUBERNETES_RULES,
  resourcesOf,
  type KubernetesRule,
  type StackInput,
  type TerraformJson,
} from '../../../../infra/checks/kubernetes';
import { runIdc } from '../../../../build/idc-step';
import { compileAt, sampleSources } from '../../../support/config';

// A real synthesized tenancy is the fixture: every rule must pass on it, and each
// negative test below breaks one property of it and shows the rule catches exactly that.
let stacks: readonly StackInput[];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idc-rules-'));
  stacks = runIdc(compileAt(sampleSources()).plan!, dir).stacks;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MACHINERY = 'coop-korea-machinery';
const PLATFORM = 'idc-platform';

/** A deep copy of one stack's input whose JSON `edit` may change freely. */
function mutated(stackName: string, edit: (json: any) => void): StackInput {
  const s = stacks.find((x) => x.stack === stackName)!;
  const json = structuredClone(s.json) as any;
  edit(json);
  return { ...s, json: json as TerraformJson };
}
/** The one resource of a type in a stack's JSON (the first, by address). */
function first(json: any, type: string, where: (b: any) => boolean = () => true): { name: string; body: any } {
  const name = Object.keys(json.resource[type]).sort().find((n) => where(json.resource[type][n]))!;
  if (!name) throw new Error(`no ${type} in fixture`);
  return { name, body: json.resource[type][name] };
}
const deployment = (j: any) => first(j, 'kubernetes_deployment_v1').body;
const podSpec = (j: any) => deployment(j).spec.template.spec;
const container = (j: any) => podSpec(j).container[0];
const role = (j: any) => first(j, 'kubernetes_role_v1').body;
const policy = (j: any, name: string) => first(j, 'kubernetes_network_policy_v1', (b) => b.metadata.name === name).body;

function failures(rule: KubernetesRule, input: StackInput) {
  return checkStacks([input], [rule]).filter((f) => f.status === 'fail');
}
const ruleById = (id: string) => {
  const r = KUBERNETES_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

describe('baseline', () => {
  test('every rule passes on the rendered sample tenancy and checks at least one resource', () => {
    const findings = checkStacks(stacks, KUBERNETES_RULES);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    for (const rule of KUBERNETES_RULES) expect(findings.some((f) => f.rule === rule.id && f.status === 'pass')).toBe(true);
  });

  test('findings name pack, controls, cooperative and stack; platform findings have no cooperative', () => {
    const findings = checkStacks(stacks, KUBERNETES_RULES);
    const coop = findings.find((f) => f.stack === MACHINERY)!;
    expect(coop).toMatchObject({ pack: KUBERNETES_PACK, cooperative: 'korea-machinery' });
    expect(coop.controls.length).toBeGreaterThan(0);
    expect(findings.find((f) => f.stack === PLATFORM)!.cooperative).toBeUndefined();
  });

  test('rule ids are unique and every rule names its controls and a fix', () => {
    const ids = KUBERNETES_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of KUBERNETES_RULES) {
      expect(r.controls.length).toBeGreaterThan(0);
      expect(r.fix.length).toBeGreaterThan(10);
    }
  });
});

/** rule id → stack, mutation, and what the failure message must say. */
const NEGATIVE: readonly [string, string, (j: any) => void, RegExp][] = [
  ['PSS-restricted-enforce', MACHINERY, (j) => delete first(j, 'kubernetes_namespace_v1').body.metadata.labels['pod-security.kubernetes.io/enforce'], /not restricted/],
  ['PSS-restricted-run-as-non-root', MACHINERY, (j) => { delete podSpec(j).security_context.run_as_non_root; delete container(j).security_context.run_as_non_root; }, /run_as_non_root/],
  ['PSS-restricted-privilege-escalation', MACHINERY, (j) => (container(j).security_context.allow_privilege_escalation = true), /allow_privilege_escalation/],
  ['PSS-restricted-capabilities', MACHINERY, (j) => (container(j).security_context.capabilities = { drop: ['NET_RAW'] }), /drop does not contain ALL/],
  ['PSS-restricted-seccomp', MACHINERY, (j) => { container(j).security_context.seccomp_profile = { type: 'Unconfined' }; }, /Unconfined/],
  ['PSS-restricted-volume-types', MACHINERY, (j) => podSpec(j).volume.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }), /type nfs/],
  ['CIS-5.7.3', MACHINERY, (j) => (container(j).security_context.read_only_root_filesystem = false), /read_only_root_filesystem/],
  ['CIS-5.1.3', MACHINERY, (j) => (role(j).rule[0].verbs = ['*']), /verbs contains a wildcard/],
  ['CIS-5.1.5', MACHINERY, (j) => (first(j, 'kubernetes_default_service_account_v1').body.automount_service_account_token = true), /automounts its token/],
  ['CIS-5.1.6', MACHINERY, (j) => delete podSpec(j).automount_service_account_token, /automounts/],
  ['CIS-5.3.2', MACHINERY, (j) => (policy(j, 'default-deny').spec.policy_types = ['Ingress']), /no default-deny Egress/],
  ['CIS-5.7.4', MACHINERY, (j) => delete first(j, 'kubernetes_service_v1').body.metadata.namespace, /lands in "default"/],
  ['CIS-5.5.1', MACHINERY, (j) => (container(j).image = 'registry.idc.kbiz.or.kr/machinery/spindle-predictor:latest'), /not pinned by digest/],
  ['MTB-PL1-CC-CPI-1', MACHINERY, (j) => (first(j, 'kubernetes_role_binding_v1').body.role_ref.kind = 'ClusterRole'), /binds a ClusterRole/],
  ['MTB-PL1-CC-TI-1', MACHINERY, (j) => role(j).rule.push({ api_groups: [''], resources: ['resourcequotas'], verbs: ['patch'] }), /grants patch on resourcequotas/],
  ['MTB-PL1-CC-TI-2', MACHINERY, (j) => (policy(j, 'allow-egress-machinery-common-data').spec.egress[0].to[0].namespace_selector.match_labels['kubernetes.io/metadata.name'] = 'coop-korea-food'), /namespace "coop-korea-food", not a declared peer/],
  ['MTB-PL1-CC-FNS-1', MACHINERY, (j) => delete first(j, 'kubernetes_resource_quota_v1').body.spec.hard['requests.nvidia.com/gpu'], /does not set requests.nvidia.com\/gpu/],
  ['MTB-PL1-CC-FNS-2', MACHINERY, (j) => delete j.resource.kubernetes_limit_range_v1, /no Container LimitRange/],
  ['MTB-PL1-BC-HI-1-hostpath', MACHINERY, (j) => podSpec(j).volume.push({ name: 'host', host_path: { path: '/var/run' } }), /is a host_path/],
  ['MTB-PL1-BC-HI-1-nodeport', MACHINERY, (j) => (first(j, 'kubernetes_service_v1').body.spec.type = 'NodePort'), /type is NodePort/],
  ['MTB-PL1-BC-HI-3', MACHINERY, (j) => (podSpec(j).host_network = true), /host_network/],
  ['MTB-PL1-BC-HI-4', MACHINERY, (j) => (podSpec(j).host_pid = true), /host_pid/],
  ['MTB-PL1-BC-HI-5', MACHINERY, (j) => (podSpec(j).host_ipc = true), /host_ipc/],
  ['MTB-PL1-BC-CPI-5', MACHINERY, (j) => (container(j).security_context.privileged = true), /privileged is true/],
  ['MTB-PL1-BC-CPI-3', MACHINERY, (j) => (container(j).security_context.capabilities.add = ['NET_BIND_SERVICE']), /adds NET_BIND_SERVICE/],
  ['MTB-PL1-CC-DI-1', MACHINERY, (j) => (container(j).image_pull_policy = 'IfNotPresent'), /IfNotPresent/],
];

describe('negative tests: each rule fails on the misconfiguration it exists for', () => {
  test('every rule has a negative test', () => {
    expect(NEGATIVE.map(([id]) => id).sort()).toEqual(KUBERNETES_RULES.map((r) => r.id).sort());
  });

  test.each(NEGATIVE)('%s fails', (id, stackName, edit, message) => {
    const fails = failures(ruleById(id), mutated(stackName, edit));
    expect(fails.length).toBeGreaterThan(0);
    expect(fails[0].message).toMatch(message);
    expect(fails[0].fix).toBe(ruleById(id).fix);
    expect(fails[0].cooperative).toBe('korea-machinery');
  });
});

describe('edge cases', () => {
  test('PSS-restricted-capabilities still allows adding NET_BIND_SERVICE (MTB-PL1-BC-CPI-3 does not)', () => {
    const input = mutated(MACHINERY, (j) => (container(j).security_context.capabilities.add = ['NET_BIND_SERVICE']));
    expect(failures(ruleById('PSS-restricted-capabilities'), input)).toEqual([]);
    expect(failures(ruleById('PSS-restricted-capabilities'), mutated(MACHINERY, (j) => (container(j).security_context.capabilities.add = ['SYS_ADMIN'])))[0].message).toMatch(/adds SYS_ADMIN/);
  });

  test('PSS-restricted-run-as-non-root fails on UID 0 even with runAsNonRoot', () => {
    expect(failures(ruleById('PSS-restricted-run-as-non-root'), mutated(MACHINERY, (j) => (podSpec(j).security_context.run_as_user = '0')))[0].message).toMatch(/run_as_user is 0/);
  });

  test('CIS-5.1.5 fails when a namespace leaves its default ServiceAccount unmanaged', () => {
    expect(failures(ruleById('CIS-5.1.5'), mutated(MACHINERY, (j) => delete j.resource.kubernetes_default_service_account_v1))[0].message).toMatch(/unmanaged/);
  });

  test('CIS-5.3.2 fails when there are no network policies at all', () => {
    expect(failures(ruleById('CIS-5.3.2'), mutated(MACHINERY, (j) => delete j.resource.kubernetes_network_policy_v1)).map((f) => f.message)).toEqual([
      'namespace "coop-korea-machinery" has no default-deny Ingress policy; namespace "coop-korea-machinery" has no default-deny Egress policy',
    ]);
  });

  test('CIS-5.7.4 fails for resources in kube-system', () => {
    expect(failures(ruleById('CIS-5.7.4'), mutated(MACHINERY, (j) => (first(j, 'kubernetes_role_v1').body.metadata.namespace = 'kube-system')))[0].message).toMatch(/kube-system/);
  });

  test('MTB-PL1-CC-CPI-1 fails on any ClusterRoleBinding', () => {
    const input = mutated(MACHINERY, (j) => {
      j.resource.kubernetes_cluster_role_binding_v1 = { admin: { metadata: { name: 'x' }, role_ref: { kind: 'ClusterRole', name: 'cluster-admin' }, subject: [] } };
    });
    expect(failures(ruleById('MTB-PL1-CC-CPI-1'), input).map((f) => f.resource)).toContain('kubernetes_cluster_role_binding_v1.admin');
  });

  test.each([
    ['an ip_block', (p: any) => (p.egress[0].to = [{ ip_block: { cidr: '0.0.0.0/0' } }]), /ip_block/],
    ['an empty namespace selector', (p: any) => (p.egress[0].to = [{ namespace_selector: {} }]), /every namespace/],
    ['a selector on a forgeable label', (p: any) => (p.egress[0].to = [{ namespace_selector: { match_labels: { team: 'x' } } }]), /a label tenants can set/],
    ['a NotIn expression', (p: any) => (p.egress[0].to = [{ namespace_selector: { match_expressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] } }]), /NotIn/],
  ])('MTB-PL1-CC-TI-2 fails on %s', (_name, edit, message) => {
    const input = mutated(MACHINERY, (j) => edit(policy(j, 'allow-egress-machinery-common-data').spec));
    expect(failures(ruleById('MTB-PL1-CC-TI-2'), input)[0].message).toMatch(message);
  });

  test('MTB-PL1-CC-TI-2 fails on a shared server admitting a non-subscriber', () => {
    const input = mutated(PLATFORM, (j) => {
      const p = first(j, 'kubernetes_network_policy_v1', (b) => b.metadata.name === 'allow-ingress-subscribers' && b.metadata.namespace === 'shared-food-traceability').body;
      p.spec.ingress[0].from[0].namespace_selector.match_expressions[0].values.push('coop-korea-textile');
    });
    expect(failures(ruleById('MTB-PL1-CC-TI-2'), input)[0].message).toMatch(/ingress from namespace "coop-korea-textile", not a declared peer/);
  });

  test('MTB-PL1-CC-TI-2 fails on a RoleBinding to another namespace’s ServiceAccount and on a resource in another namespace', () => {
    const input = mutated(MACHINERY, (j) => {
      first(j, 'kubernetes_role_binding_v1').body.subject.push({ kind: 'ServiceAccount', name: 'default', namespace: 'coop-korea-food' });
      first(j, 'kubernetes_resource_quota_v1').body.metadata.namespace = 'coop-korea-food';
    });
    const messages = failures(ruleById('MTB-PL1-CC-TI-2'), input).map((f) => f.message).join('\n');
    expect(messages).toMatch(/binds ServiceAccount coop-korea-food\/default/);
    expect(messages).toMatch(/placed in namespace "coop-korea-food"/);
  });

  test('blocks written as single objects or as lists read the same', () => {
    const asList = mutated(MACHINERY, (j) => {
      const d = deployment(j);
      d.spec = [{ ...d.spec, template: [{ ...d.spec.template, spec: [{ ...d.spec.template.spec, host_pid: true }] }] }];
    });
    expect(failures(ruleById('MTB-PL1-BC-HI-4'), asList)).toHaveLength(1);
  });

  test('findings are sorted and stable', () => {
    const a = checkStacks(stacks, KUBERNETES_RULES);
    const b = checkStacks([...stacks].reverse(), [...KUBERNETES_RULES].reverse());
    expect(b).toEqual(a);
  });

  test('resourcesOf lists resources in address order', () => {
    const addresses = resourcesOf(stacks.find((s) => s.stack === MACHINERY)!.json).map((r) => r.address);
    expect(addresses).toEqual([...addresses].sort());
  });
});

describe('independence from cdktf', () => {
  // The checks must keep working if the CDKTF renderer is replaced: no module they load,
  // directly or through relative imports, may import cdktf or the provider bindings.
  test('no module reachable from infra/checks/kubernetes imports cdktf', () => {
    const root = resolve(__dirname, '../../../../infra/checks/kubernetes');
    const seen = new Set<string>();
    const queue = [...readdirSync(root).filter((f) => f.endsWith('.ts')).map((f) => join(root, f)), ...readdirSync(join(root, 'rules')).map((f) => join(root, 'rules', f))];
    const offenders: string[] = [];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) {
        const spec = m[1];
        if (/^(cdktf|@cdktf\/)/.test(spec)) offenders.push(`${file}: ${spec}`);
        if (spec.startsWith('.')) {
          const base = resolve(dirname(file), spec);
          for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
            try {
              readFileSync(candidate);
              queue.push(candidate);
              break;
            } catch {
              // not this candidate
            }
          }
        }
      }
    }
    expect(offenders).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });
});
