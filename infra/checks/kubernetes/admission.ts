/**
 * Admission guardrail coverage: every namespace the stacks create is held by each guardrail
 * policy (images, GPU models, host isolation) through a binding that denies. Policies are
 * cluster-scoped and rendered in the platform stack while namespaces live in cooperative
 * stacks, so this check reads all stacks at once, like the capacity check.
 *
 * It checks what the API server would select, from the Terraform JSON alone: the policy's
 * match constraints and failure policy, each binding's actions, namespace selector (with the
 * `kubernetes.io/metadata.name` label the API server adds), object selector and exclusions.
 */
import { ADMITTED_OPERATIONS, GUARDRAIL_POLICY, POD_RESOURCES } from '../../idc/admission-policies';
import { NAMESPACE_NAME_LABEL } from '../../idc/labels';
import { compareFindings, type CheckFinding } from '../findings';
import { KUBERNETES_PACK, namespacesOf } from './rule';
import { block, blocks, resourcesOf, stringMap, type StackInput, type TfObject } from './terraform-json';

/** A guardrail whose coverage is checked, one finding per namespace. */
export interface AdmissionRule {
  readonly id: string;
  /** Name of the ValidatingAdmissionPolicy. */
  readonly policy: string;
  readonly controls: readonly string[];
  readonly description: string;
  readonly fix: string;
}

const FIX = 'render the guardrails with the platform stack (AdmissionGuardrails) and keep every tenant namespace labelled idc.kbiz.or.kr/tenant-kind';

/** The guardrails and the controls they implement. */
export const ADMISSION_RULES: readonly AdmissionRule[] = [
  {
    id: 'ADM-gpu-models',
    policy: GUARDRAIL_POLICY.gpuModels,
    controls: ['ISMS-P 2.9.2 (performance and fault management: GPU capacity per model)', 'MTB-PL1-CC-FNS-1 (fairness across tenants)'],
    description: 'Pods requesting GPUs must select a GPU model the namespace is granted; enforced at admission in every tenant namespace.',
    fix: FIX,
  },
  {
    id: 'ADM-host-isolation',
    policy: GUARDRAIL_POLICY.hostIsolation,
    controls: ['ISMS-P 2.10.2 (cloud security: tenant isolation on shared hosts)', 'MTB-PL1-BC-CPI-5', 'MTB-PL1-BC-HI-1', 'MTB-PL1-BC-HI-3'],
    description: 'No privileged container, host network/PID/IPC, hostPath volume or host port; enforced at admission in every tenant namespace.',
    fix: FIX,
  },
  {
    id: 'ADM-images',
    policy: GUARDRAIL_POLICY.images,
    controls: ['ISMS-P 2.10.9 (malware control: images only from the platform registries)', 'ISMS-P 2.9.1 (change management: images pinned by digest)', 'CIS Kubernetes 5.5.1'],
    description: 'Images only from the platform’s allowed registries and only by digest; enforced at admission in every tenant namespace.',
    fix: FIX,
  },
];

type Manifest = { readonly kind?: unknown; readonly metadata?: TfObject; readonly spec?: TfObject };

/** Every `kubernetes_manifest` object of the stacks. */
function manifestsOf(stacks: readonly StackInput[]): Manifest[] {
  return stacks.flatMap((s) =>
    resourcesOf(s.json)
      .filter((r) => r.type === 'kubernetes_manifest')
      .map((r) => block(r.body.manifest) as Manifest),
  );
}

/** Whether a Kubernetes label selector selects `labels`; an absent or empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = block(selector);
  for (const [k, v] of Object.entries(stringMap(sel.matchLabels))) if (labels[k] !== v) return false;
  for (const e of blocks(sel.matchExpressions)) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const ok =
      e.operator === 'In' ? has && values.includes(labels[key])
      : e.operator === 'NotIn' ? !has || !values.includes(labels[key])
      : e.operator === 'Exists' ? has
      : e.operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}

const isEmptySelector = (s: unknown) => s === undefined || Object.keys(block(s)).length === 0;
const anyOf = (list: unknown, value: string) => Array.isArray(list) && (list.includes(value) || list.includes('*'));
const label = (r: { apiGroup: string; resource: string }) => (r.apiGroup ? `${r.apiGroup}/${r.resource}` : r.resource);

/** Whether a list of admission resource rules names `resource` of `apiGroup` for `operation`. */
function rulesMatch(rules: unknown, r: { apiGroup: string; resource: string }, operation: string): boolean {
  return blocks(rules).some((x) => anyOf(x.apiGroups, r.apiGroup) && anyOf(x.resources, r.resource) && anyOf(x.operations, operation));
}

/** Problems of the policy itself, the same for every namespace. */
function policyProblems(policy: Manifest | undefined, name: string): string[] {
  if (!policy) return [`policy ${name} is not rendered`];
  const spec = block(policy.spec);
  const problems: string[] = [];
  const failure = spec.failurePolicy ?? 'Fail';
  if (failure !== 'Fail') problems.push(`policy ${name} has failurePolicy ${String(failure)}: an API server that cannot evaluate it admits the pod`);
  if (blocks(spec.validations).length === 0) problems.push(`policy ${name} validates nothing`);
  const match = block(spec.matchConstraints);
  if (!isEmptySelector(match.objectSelector)) problems.push(`policy ${name} has an object selector: tenants set their own pod labels`);
  for (const r of POD_RESOURCES) {
    for (const op of ADMITTED_OPERATIONS) if (!rulesMatch(match.resourceRules, r, op)) problems.push(`policy ${name} does not match ${label(r)} on ${op}`);
    if (rulesMatch(match.excludeResourceRules, r, 'CREATE')) problems.push(`policy ${name} excludes ${label(r)}`);
  }
  return problems;
}

/** Why a binding does not hold a namespace, or undefined when it does. */
function bindingGap(binding: Manifest, labels: Readonly<Record<string, string>>): string | undefined {
  const spec = block(binding.spec);
  const name = String(block(binding.metadata).name ?? spec.policyName);
  if (!Array.isArray(spec.validationActions) || !spec.validationActions.includes('Deny')) return `binding ${name} does not deny`;
  const match = block(spec.matchResources);
  if (!isEmptySelector(match.objectSelector)) return `binding ${name} has an object selector: tenants set their own pod labels`;
  if (!selectorMatches(match.namespaceSelector, labels)) return `binding ${name} does not select this namespace`;
  for (const r of POD_RESOURCES) {
    if (match.resourceRules !== undefined && !rulesMatch(match.resourceRules, r, 'CREATE')) return `binding ${name} does not match ${label(r)}`;
    if (rulesMatch(match.excludeResourceRules, r, 'CREATE')) return `binding ${name} excludes ${label(r)}`;
  }
  return undefined;
}

/** One finding per guardrail and namespace of the stacks: pass when a denying binding of a sound policy selects it. */
export function checkAdmissionCoverage(stacks: readonly StackInput[]): CheckFinding[] {
  const manifests = manifestsOf(stacks);
  const findings: CheckFinding[] = [];
  for (const rule of ADMISSION_RULES) {
    const policy = manifests.find((m) => m.kind === 'ValidatingAdmissionPolicy' && block(m.metadata).name === rule.policy);
    const common = policyProblems(policy, rule.policy);
    const bindings = manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding' && block(m.spec).policyName === rule.policy);
    for (const stack of stacks) {
      for (const ns of namespacesOf(stack)) {
        const labels = { ...stringMap(block(ns.resource.body.metadata).labels), [NAMESPACE_NAME_LABEL]: ns.name };
        const problems = [...common];
        const policyNamespaces = block(policy?.spec).matchConstraints;
        if (policy && !selectorMatches(block(policyNamespaces).namespaceSelector, labels)) problems.push(`policy ${rule.policy} does not select this namespace`);
        const gaps = bindings.map((b) => bindingGap(b, labels));
        if (!gaps.includes(undefined)) {
          problems.push(`no binding of ${rule.policy} with validationActions Deny selects this namespace${gaps.length ? ` (${gaps.join('; ')})` : ''}`);
        }
        const failed = problems.length > 0;
        findings.push({
          pack: KUBERNETES_PACK,
          rule: rule.id,
          controls: rule.controls,
          status: failed ? 'fail' : 'pass',
          ...(stack.cooperative !== undefined ? { cooperative: stack.cooperative } : {}),
          stack: stack.stack,
          resource: ns.resource.address,
          message: failed ? problems.join('; ') : `admission policy ${rule.policy} denies violations in namespace ${ns.name}`,
          ...(failed ? { fix: rule.fix } : {}),
        });
      }
    }
  }
  return findings.sort(compareFindings);
}
