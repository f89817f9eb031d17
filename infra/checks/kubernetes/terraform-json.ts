/**
 * A reader for synthesized Terraform JSON of the Kubernetes provider, independent of the
 * tool that wrote it (CDKTF here; hand-written `.tf.json` works too). Nested blocks appear
 * either as one object or as a list of objects in Terraform JSON; {@link blocks} hides the
 * difference so the rules read the same either way.
 */

/** An object in Terraform JSON. */
export type TfObject = { readonly [key: string]: unknown };

/** The parts of a Terraform JSON configuration the rules read. */
export interface TerraformJson {
  readonly resource?: { readonly [type: string]: { readonly [name: string]: TfObject } };
  readonly [key: string]: unknown;
}

/** One stack handed to the rules. */
export interface StackInput {
  /** Stack name, as in `<cdktf.out>/stacks/<name>`. */
  readonly stack: string;
  /** Cooperative owning the stack; absent for the platform stack. */
  readonly cooperative?: string;
  readonly json: TerraformJson;
  /**
   * Per namespace of the stack, the other namespaces its network policies may name as
   * peers (cluster DNS, subscribed shared servers, or a shared server's subscribers).
   * Anything else is another tenant.
   * @default - none: a namespace may only name itself
   */
  readonly allowedPeers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Per namespace of the stack, the address blocks (`ip_block.cidr`, without `except`) its
   * network policies may name: the platform's data-lake endpoints, where a model declares it.
   * @default - none: any ip_block is unbounded
   */
  readonly allowedCidrs?: Readonly<Record<string, readonly string[]>>;
}

/** One resource of a stack. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** Terraform address, `type.name`. */
  readonly address: string;
  readonly body: TfObject;
}

/** Resources in address order, so findings come out in the same order every run. */
export function resourcesOf(json: TerraformJson): TfResource[] {
  const out: TfResource[] = [];
  for (const type of Object.keys(json.resource ?? {}).sort()) {
    const byName = json.resource![type];
    for (const name of Object.keys(byName).sort()) out.push({ type, name, address: `${type}.${name}`, body: byName[name] });
  }
  return out;
}

/** Provider resource type without the `_v1`/`_v2` version suffix: `kubernetes_deployment`. */
export function baseType(type: string): string {
  return type.replace(/_v\d+$/, '');
}

/** A nested block as a list, whether Terraform JSON wrote it as an object or a list. */
export function blocks(value: unknown): TfObject[] {
  if (Array.isArray(value)) return value.filter((v): v is TfObject => typeof v === 'object' && v !== null);
  if (typeof value === 'object' && value !== null) return [value as TfObject];
  return [];
}

/** The first block of a nested block, or an empty object. */
export function block(value: unknown): TfObject {
  return blocks(value)[0] ?? {};
}

/** A string-to-string map attribute (labels, selectors, quota hard limits). */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of blocks(value)) for (const [k, v] of Object.entries(b)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

/** A list-of-strings attribute. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** True for a Terraform expression (`${...}`): its value is only known at apply time. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** `metadata.namespace` of a resource. */
export function namespaceOf(r: TfResource): string | undefined {
  const ns = block(r.body.metadata).namespace;
  return typeof ns === 'string' ? ns : undefined;
}

/** `metadata.name` of a resource. */
export function nameOf(r: TfResource): string | undefined {
  const n = block(r.body.metadata).name;
  return typeof n === 'string' ? n : undefined;
}

/** Resource types that are not namespaced (everything else with metadata is). */
export const CLUSTER_SCOPED = new Set([
  'kubernetes_namespace',
  'kubernetes_cluster_role',
  'kubernetes_cluster_role_binding',
  'kubernetes_persistent_volume',
  'kubernetes_storage_class',
  'kubernetes_priority_class',
  'kubernetes_csi_driver',
  'kubernetes_runtime_class',
  'kubernetes_ingress_class',
  'kubernetes_api_service',
  'kubernetes_certificate_signing_request',
  'kubernetes_mutating_webhook_configuration',
  'kubernetes_validating_webhook_configuration',
  'kubernetes_node_taint',
  'kubernetes_labels',
  'kubernetes_annotations',
  'kubernetes_manifest',
]);

/** Where the pod template sits in each workload type. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod: ['spec'],
  kubernetes_deployment: ['spec', 'template', 'spec'],
  kubernetes_stateful_set: ['spec', 'template', 'spec'],
  kubernetes_daemon_set: ['spec', 'template', 'spec'],
  kubernetes_daemonset: ['spec', 'template', 'spec'],
  kubernetes_replication_controller: ['spec', 'template', 'spec'],
  kubernetes_job: ['spec', 'template', 'spec'],
  kubernetes_cron_job: ['spec', 'job_template', 'spec', 'template', 'spec'],
};

/** True for resources that run pods. */
export function isWorkload(r: TfResource): boolean {
  return baseType(r.type) in POD_SPEC_PATHS;
}

/** The pod spec of a workload resource (empty object when absent). */
export function podSpecOf(r: TfResource): TfObject {
  let cur: TfObject = r.body;
  for (const key of POD_SPEC_PATHS[baseType(r.type)] ?? []) cur = block(cur[key]);
  return cur;
}

/** A container of a pod spec, with its kind for messages. */
export interface ContainerRef {
  readonly kind: 'container' | 'init_container' | 'ephemeral_container';
  readonly name: string;
  readonly body: TfObject;
}

/** Every container of a pod spec, init containers included: the rules hold for all. */
export function containersOf(pod: TfObject): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const kind of ['init_container', 'container', 'ephemeral_container'] as const) {
    for (const c of blocks(pod[kind])) out.push({ kind, name: typeof c.name === 'string' ? c.name : '?', body: c });
  }
  return out;
}
