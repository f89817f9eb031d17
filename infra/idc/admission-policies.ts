/**
 * The IDC admission guardrails as Kubernetes objects: ValidatingAdmissionPolicy (CEL,
 * `admissionregistration.k8s.io/v1`, GA since Kubernetes 1.30) and their bindings. Plain
 * data with no cdktf import, so the renderer (admission-guardrails.ts), the conformance
 * checks and the tests read the same definitions.
 *
 * CEL is kept to what both Kubernetes and the evaluator the tests use (@bufbuild/cel)
 * support: `has`, `all`, `exists`, `in`, `startsWith`, `matches` (RE2 in both), the ternary
 * and list concatenation. No optional fields (`.?`), no string extension functions.
 */
import { GPU_MODEL_LABEL, GPU_RESOURCE, LABELS, MANAGED_BY, PART_OF } from './labels';

/** Namespace label prefix naming a GPU model the namespace may schedule onto (`<prefix><model>: "true"`). */
export const GPU_ALLOWED_LABEL_PREFIX = 'gpu-model.idc.kbiz.or.kr/';

/**
 * Namespace labels allowing the GPU models a quota grants (count above 0). Namespaces are
 * cluster-scoped and tenants have no cluster RBAC, so a tenant cannot grant itself a model;
 * a params ConfigMap in its own namespace it could edit (the tenant-admin Role writes ConfigMaps).
 */
export function gpuAllowedLabels(gpus: Readonly<Record<string, number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const model of Object.keys(gpus).sort()) if (gpus[model] > 0) out[`${GPU_ALLOWED_LABEL_PREFIX}${model}`] = 'true';
  return out;
}

/** Values of `idc.kbiz.or.kr/tenant-kind` the guardrails bind to: every namespace coop-idc renders. */
export const TENANT_KINDS: readonly string[] = ['cooperative', 'shared-server'];

/** A resource that carries a pod spec, by API group and plural. */
export interface PodResource {
  readonly apiGroup: string;
  readonly resource: string;
}

/**
 * Every resource a tenant could run a pod through. The ephemeral-containers subresource is
 * listed because `kubectl debug` adds containers to a running pod through it.
 */
export const POD_RESOURCES: readonly PodResource[] = [
  { apiGroup: '', resource: 'pods' },
  { apiGroup: '', resource: 'pods/ephemeralcontainers' },
  { apiGroup: '', resource: 'replicationcontrollers' },
  { apiGroup: 'apps', resource: 'daemonsets' },
  { apiGroup: 'apps', resource: 'deployments' },
  { apiGroup: 'apps', resource: 'replicasets' },
  { apiGroup: 'apps', resource: 'statefulsets' },
  { apiGroup: 'batch', resource: 'cronjobs' },
  { apiGroup: 'batch', resource: 'jobs' },
];

/** Operations that put a pod spec into the cluster. */
export const ADMITTED_OPERATIONS: readonly string[] = ['CREATE', 'UPDATE'];

/** One CEL validation of a policy. */
export interface Validation {
  readonly expression: string;
  /** Shown to whoever applied the object: Korean first, then English. */
  readonly message: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

/** One named CEL variable of a policy (`variables.<name>`). */
export interface Variable {
  readonly name: string;
  readonly expression: string;
}

/** What a guardrail is, before it becomes Kubernetes objects. */
export interface GuardrailDefinition {
  /** Policy and binding name. */
  readonly name: string;
  readonly variables: readonly Variable[];
  readonly validations: readonly Validation[];
}

/** Names of the guardrail policies, for the checks and the report. */
export const GUARDRAIL_POLICY = {
  images: 'coop-idc-allowed-images',
  gpuModels: 'coop-idc-gpu-models',
  hostIsolation: 'coop-idc-host-isolation',
} as const;

/**
 * The pod spec wherever the kind keeps it, and every container of it (init and ephemeral
 * included: each runs an image on the node). `object` is dynamically typed in admission
 * CEL, so the untaken branches are never evaluated for another kind.
 */
const POD_VARIABLES: readonly Variable[] = [
  {
    name: 'podSpec',
    expression: "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
  {
    name: 'containers',
    expression:
      'variables.podSpec.containers' +
      ' + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])' +
      ' + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
  },
];

/** A CEL string literal; the inputs are schema-checked names, this only guards the quoting. */
function celString(s: string): string {
  if (/['\\\n]|\$\{|%\{/.test(s)) throw new Error(`cannot embed ${JSON.stringify(s)} in a CEL expression`);
  return `'${s}'`;
}

/** Digest reference as the config schema requires it. */
const DIGEST_RE2 = '^[^@]+@sha256:[a-f0-9]{64}$';

/** The three guardrails, for a platform allowing `allowedRegistries`. */
export function guardrailDefinitions(allowedRegistries: readonly string[]): GuardrailDefinition[] {
  if (allowedRegistries.length === 0) throw new Error('the image guardrail needs at least one allowed registry');
  const prefixes = `[${allowedRegistries.map((r) => celString(`${r}/`)).join(', ')}]`;
  const gpu = celString(GPU_RESOURCE);
  const modelLabel = celString(GPU_MODEL_LABEL);
  return [
    {
      name: GUARDRAIL_POLICY.images,
      variables: POD_VARIABLES,
      validations: [
        {
          expression: `variables.containers.all(c, ${prefixes}.exists(r, c.image.startsWith(r)))`,
          message: `이미지는 허용된 레지스트리(${allowedRegistries.join(', ')})에서만 가져올 수 있습니다 / images must come from an allowed registry (${allowedRegistries.join(', ')})`,
          reason: 'Forbidden',
        },
        {
          expression: `variables.containers.all(c, c.image.matches(${celString(DIGEST_RE2)}))`,
          message: '이미지는 다이제스트(@sha256:...)로 지정해야 합니다 / images must be pinned by digest (repository@sha256:<64 hex digits>)',
          reason: 'Forbidden',
        },
      ],
    },
    {
      name: GUARDRAIL_POLICY.gpuModels,
      variables: [
        ...POD_VARIABLES,
        {
          name: 'requestsGpu',
          expression: `variables.containers.exists(c, has(c.resources) && ((has(c.resources.limits) && ${gpu} in c.resources.limits) || (has(c.resources.requests) && ${gpu} in c.resources.requests)))`,
        },
      ],
      validations: [
        {
          // The node selector pins the pod to one model (nodes carry one value); the namespace label says the model is granted.
          expression:
            `!variables.requestsGpu || (has(variables.podSpec.nodeSelector) && ${modelLabel} in variables.podSpec.nodeSelector` +
            ` && has(namespaceObject.metadata.labels) && (${celString(GPU_ALLOWED_LABEL_PREFIX)} + variables.podSpec.nodeSelector[${modelLabel}]) in namespaceObject.metadata.labels` +
            ` && namespaceObject.metadata.labels[${celString(GPU_ALLOWED_LABEL_PREFIX)} + variables.podSpec.nodeSelector[${modelLabel}]] == 'true')`,
          message: `GPU를 요청하는 파드는 네임스페이스에 허용된 GPU 모델을 nodeSelector ${GPU_MODEL_LABEL} 로 지정해야 합니다 / a pod requesting GPUs must select a GPU model its namespace is granted with nodeSelector ${GPU_MODEL_LABEL}`,
          reason: 'Forbidden',
        },
        {
          // The NVIDIA runtime hands every GPU of the node to a container setting this variable, request or not.
          expression: "variables.containers.all(c, !has(c.env) || c.env.all(e, e.name != 'NVIDIA_VISIBLE_DEVICES'))",
          message: 'NVIDIA_VISIBLE_DEVICES 는 설정할 수 없습니다: GPU는 resources 로 요청하세요 / containers may not set NVIDIA_VISIBLE_DEVICES: request GPUs through resources',
          reason: 'Forbidden',
        },
      ],
    },
    {
      name: GUARDRAIL_POLICY.hostIsolation,
      variables: POD_VARIABLES,
      validations: [
        {
          expression: variablesNone(['hostNetwork', 'hostPID', 'hostIPC']),
          message: '호스트 네임스페이스(hostNetwork, hostPID, hostIPC)는 사용할 수 없습니다 / pods may not share the host network, PID or IPC namespace',
          reason: 'Forbidden',
        },
        {
          expression: 'variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)',
          message: '특권(privileged) 컨테이너는 실행할 수 없습니다 / privileged containers are not allowed',
          reason: 'Forbidden',
        },
        {
          expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
          message: '호스트 경로(hostPath) 볼륨은 사용할 수 없습니다 / hostPath volumes are not allowed',
          reason: 'Forbidden',
        },
        {
          expression: 'variables.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0))',
          message: '호스트 포트(hostPort)는 사용할 수 없습니다 / host ports are not allowed',
          reason: 'Forbidden',
        },
      ],
    },
  ];
}

/** `!(has(spec.f) && spec.f)` for each boolean pod-spec field. */
function variablesNone(fields: readonly string[]): string {
  return fields.map((f) => `!(has(variables.podSpec.${f}) && variables.podSpec.${f})`).join(' && ');
}

/** A Kubernetes object as plain JSON. */
export type KubernetesObject = { readonly apiVersion: string; readonly kind: string; readonly metadata: { readonly name: string; readonly labels?: Record<string, string> }; readonly spec: Record<string, unknown> };

const API_VERSION = 'admissionregistration.k8s.io/v1';

/** The ValidatingAdmissionPolicy of a guardrail: fails closed, on every pod-carrying resource. */
export function policyObject(def: GuardrailDefinition): KubernetesObject {
  const groups = [...new Set(POD_RESOURCES.map((r) => r.apiGroup))];
  return {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: def.name, labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY } },
    spec: {
      // An API server that cannot evaluate the policy refuses the pod rather than admitting it unchecked.
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: groups.map((g) => ({
          apiGroups: [g],
          apiVersions: ['v1'],
          operations: [...ADMITTED_OPERATIONS],
          resources: POD_RESOURCES.filter((r) => r.apiGroup === g).map((r) => r.resource),
        })),
      },
      variables: def.variables.map((v) => ({ ...v })),
      validations: def.validations.map((v) => ({ ...v })),
    },
  };
}

/**
 * The binding of a guardrail to every tenant namespace, selected by the tenant-kind label
 * coop-idc sets on each namespace it renders (so a new cooperative is covered without a
 * change to the platform stack). `Audit` as well as `Deny`, so denials reach the audit log.
 */
export function bindingObject(def: GuardrailDefinition): KubernetesObject {
  return {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: def.name, labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY } },
    spec: {
      policyName: def.name,
      validationActions: ['Deny', 'Audit'],
      matchResources: {
        namespaceSelector: { matchExpressions: [{ key: LABELS.tenantKind, operator: 'In', values: [...TENANT_KINDS] }] },
      },
    },
  };
}
