import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckFinding } from '../../../../infra';
import { ADMISSION_RULES, checkAdmissionCoverage, KUBERNETES_PACK, type StackInput, type TerraformJson } from '../../../../infra/checks/kubernetes';
import { GUARDRAIL_POLICY } from '../../../../infra/idc/admission-policies';
import { generateSources } from '../../../../infra/testing/synthetic';
import { runIdc } from '../../../../build/idc-step';
import { compileAt } from '../../../support/config';

// Generated config, not config/: a new cooperative file never changes this test. The real
// synthesized tenancy is the fixture; each negative test breaks one thing about it.
let stacks: readonly StackInput[];
let buildFindings: readonly CheckFinding[];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idc-admission-rules-'));
  ({ stacks, findings: buildFindings } = runIdc(compileAt(generateSources({ n: 8, seed: 3 })).plan!, dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLATFORM = 'idc-platform';
const IMAGES = 'ADM-images';

/** Every namespace the stacks create, as `stack namespace-address`. */
function namespaces(input: readonly StackInput[]): string[] {
  return input.flatMap((s) => Object.keys((s.json.resource as any)?.kubernetes_namespace_v1 ?? {}).map((n) => `${s.stack} kubernetes_namespace_v1.${n}`)).sort();
}
/** The stacks with the platform stack's manifests edited; `remove` drops one from the JSON. */
function withPlatform(edit: (manifests: any[], remove: (manifest: any) => void) => void): StackInput[] {
  return stacks.map((s) => {
    if (s.stack !== PLATFORM) return s;
    const json = structuredClone(s.json) as any;
    const byManifest = new Map(Object.entries(json.resource.kubernetes_manifest).map(([k, r]: [string, any]) => [r.manifest, k]));
    edit([...byManifest.keys()], (m) => delete json.resource.kubernetes_manifest[byManifest.get(m)!]);
    return { ...s, json: json as TerraformJson };
  });
}
const binding = (ms: any[], policy: string) => ms.find((m) => m.kind === 'ValidatingAdmissionPolicyBinding' && m.spec.policyName === policy);
const policy = (ms: any[], name: string) => ms.find((m) => m.kind === 'ValidatingAdmissionPolicy' && m.metadata.name === name);
const failed = (input: readonly StackInput[], rule: string) => checkAdmissionCoverage(input).filter((f) => f.rule === rule && f.status === 'fail');
const failedNamespaces = (input: readonly StackInput[], rule: string) => failed(input, rule).map((f) => `${f.stack} ${f.resource}`).sort();

describe('admission guardrail coverage', () => {
  test('passes: every namespace of every stack is covered by each guardrail, one finding each', () => {
    const findings = checkAdmissionCoverage(stacks);
    expect(namespaces(stacks).length).toBeGreaterThan(2);
    for (const rule of ADMISSION_RULES) {
      const mine = findings.filter((f) => f.rule === rule.id);
      expect(mine.map((f) => f.status)).toEqual(mine.map(() => 'pass'));
      expect(mine.map((f) => `${f.stack} ${f.resource}`).sort()).toEqual(namespaces(stacks));
      expect(mine.every((f) => f.pack === KUBERNETES_PACK)).toBe(true);
    }
    expect(ADMISSION_RULES.map((r) => r.policy).sort()).toEqual(Object.values(GUARDRAIL_POLICY).sort());
  });

  test('the IDC build step records these findings with the other Kubernetes checks', () => {
    expect(buildFindings.filter((f) => f.rule.startsWith('ADM-'))).toEqual(checkAdmissionCoverage(stacks));
  });

  test('findings of a cooperative namespace name the cooperative; shared-server namespaces have none', () => {
    const findings = checkAdmissionCoverage(stacks).filter((f) => f.rule === IMAGES);
    const coop = stacks.find((s) => s.cooperative !== undefined)!;
    expect(findings.find((f) => f.stack === coop.stack)!.cooperative).toBe(coop.cooperative);
    expect(findings.find((f) => f.stack === PLATFORM)!.cooperative).toBeUndefined();
  });

  test('fails every namespace when the binding is missing', () => {
    const input = withPlatform((ms, remove) => remove(binding(ms, GUARDRAIL_POLICY.images)));
    expect(failedNamespaces(input, IMAGES)).toEqual(namespaces(stacks));
    expect(failed(input, IMAGES)[0].message).toMatch(/no binding of coop-idc-allowed-images with validationActions Deny selects this namespace/);
    expect(failed(input, 'ADM-host-isolation')).toEqual([]);
  });

  test('fails every namespace when the policy is missing', () => {
    const input = withPlatform((ms, remove) => remove(policy(ms, GUARDRAIL_POLICY.gpuModels)));
    expect(failedNamespaces(input, 'ADM-gpu-models')).toEqual(namespaces(stacks));
    expect(failed(input, 'ADM-gpu-models')[0].message).toMatch(/policy coop-idc-gpu-models is not rendered/);
  });

  test('fails when the binding only warns or audits', () => {
    const input = withPlatform((ms) => (binding(ms, GUARDRAIL_POLICY.images).spec.validationActions = ['Warn', 'Audit']));
    expect(failedNamespaces(input, IMAGES)).toEqual(namespaces(stacks));
  });

  test('fails only the shared-server namespaces when the binding selects cooperatives only', () => {
    const input = withPlatform((ms) => (binding(ms, GUARDRAIL_POLICY.hostIsolation).spec.matchResources.namespaceSelector.matchExpressions[0].values = ['cooperative']));
    const shared = namespaces(stacks).filter((n) => n.startsWith(`${PLATFORM} `));
    expect(shared.length).toBeGreaterThan(0);
    expect(failedNamespaces(input, 'ADM-host-isolation')).toEqual(shared);
  });

  test('fails a namespace rendered without the tenant-kind label', () => {
    const coop = stacks.find((s) => s.cooperative !== undefined)!;
    const input = stacks.map((s) => {
      if (s !== coop) return s;
      const json = structuredClone(s.json) as any;
      for (const ns of Object.values(json.resource.kubernetes_namespace_v1) as any[]) delete ns.metadata.labels['idc.kbiz.or.kr/tenant-kind'];
      return { ...s, json };
    });
    for (const rule of ADMISSION_RULES) expect(failedNamespaces(input, rule.id)).toEqual(namespaces([coop]));
  });

  test('fails when the binding has an object selector (tenants set their own pod labels)', () => {
    const input = withPlatform((ms) => (binding(ms, GUARDRAIL_POLICY.images).spec.matchResources.objectSelector = { matchLabels: { checked: 'yes' } }));
    expect(failed(input, IMAGES)[0].message).toMatch(/object selector/);
    expect(failedNamespaces(input, IMAGES)).toEqual(namespaces(stacks));
  });

  test('fails when the binding excludes a pod-carrying resource', () => {
    const input = withPlatform(
      (ms) => (binding(ms, GUARDRAIL_POLICY.images).spec.matchResources.excludeResourceRules = [{ apiGroups: ['batch'], apiVersions: ['v1'], operations: ['*'], resources: ['cronjobs'] }]),
    );
    expect(failed(input, IMAGES)[0].message).toMatch(/excludes batch\/cronjobs/);
  });

  test('fails when the policy does not match a pod-carrying resource or operation', () => {
    const noCron = withPlatform((ms) => {
      const rule = policy(ms, GUARDRAIL_POLICY.images).spec.matchConstraints.resourceRules.find((r: any) => r.apiGroups.includes('batch'));
      rule.resources = ['jobs'];
    });
    expect(failed(noCron, IMAGES)[0].message).toMatch(/does not match batch\/cronjobs on CREATE/);
    const noUpdate = withPlatform((ms) => {
      for (const r of policy(ms, GUARDRAIL_POLICY.images).spec.matchConstraints.resourceRules) r.operations = ['CREATE'];
    });
    expect(failed(noUpdate, IMAGES)[0].message).toMatch(/does not match pods on UPDATE/);
  });

  test('fails when the policy fails open', () => {
    const input = withPlatform((ms) => (policy(ms, GUARDRAIL_POLICY.images).spec.failurePolicy = 'Ignore'));
    expect(failed(input, IMAGES)[0].message).toMatch(/failurePolicy Ignore/);
  });

  test('fails when the policy has no validation', () => {
    const input = withPlatform((ms) => (policy(ms, GUARDRAIL_POLICY.images).spec.validations = []));
    expect(failed(input, IMAGES)[0].message).toMatch(/validates nothing/);
  });

  test('a binding selecting namespaces by name covers exactly those', () => {
    const [first] = namespaces(stacks).filter((n) => !n.startsWith(`${PLATFORM} `));
    const stack = stacks.find((s) => s.stack === first.split(' ')[0])!;
    const name = (Object.values((stack.json.resource as any).kubernetes_namespace_v1)[0] as any).metadata.name;
    const input = withPlatform(
      (ms) => (binding(ms, GUARDRAIL_POLICY.images).spec.matchResources.namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [name] }] }),
    );
    expect(failedNamespaces(input, IMAGES)).toEqual([first]);
  });
});
