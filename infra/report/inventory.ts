/**
 * Inventory from synthesized output: what will actually be deployed, read from the
 * CloudFormation templates (CDK) and the Terraform JSON (CDKTF), never from the constructs.
 * Pure functions of parsed JSON; reading files is read.ts's job.
 */
import type { TenancyPlan } from '../plan/types';

/** Where a resource is deployed. */
export type InventoryKind = 'cloud' | 'idc';

/** One deployed resource with the properties an auditor asks about first. */
export interface InventoryItem {
  readonly kind: InventoryKind;
  readonly stack: string;
  /** CloudFormation `AWS::S3::Bucket` or Terraform `kubernetes_namespace_v1`. */
  readonly type: string;
  /** CloudFormation logical id or Terraform resource name. */
  readonly logicalId: string;
  /**
   * What check findings call the resource: the CDK construct path (`aws:cdk:path`) or the
   * Terraform address (`type.name`), so evidence can point at the inventory row.
   */
  readonly address: string;
  /** Key properties, rendered as short strings, sorted by label. */
  readonly properties: Readonly<Record<string, string>>;
}

/** The resources of one synthesized stack. */
export interface StackInventory {
  readonly kind: InventoryKind;
  readonly stack: string;
  /** File relative to the output folder, e.g. `cdk.out/X.template.json`. */
  readonly file: string;
  /** Sorted by type, then logical id. */
  readonly resources: readonly InventoryItem[];
  /** Every string value in the file, for attributing the stack to a cooperative. */
  readonly strings: readonly string[];
}

type Json = unknown;
type Paths = readonly (readonly [label: string, path: string])[];

const SSE = 'BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault';

/** Key properties per CloudFormation type: [label, dotted path]. */
const CFN_KEYS: Readonly<Record<string, Paths>> = {
  'AWS::S3::Bucket': [
    ['BucketName', 'BucketName'],
    ['Encryption', `${SSE}.SSEAlgorithm`],
    ['KMS key', `${SSE}.KMSMasterKeyID`],
    ['Versioning', 'VersioningConfiguration.Status'],
    ['Public access block', 'PublicAccessBlockConfiguration'],
    ['Access logs to', 'LoggingConfiguration.DestinationBucketName'],
    ['Object lock', 'ObjectLockEnabled'],
  ],
  'AWS::S3::BucketPolicy': [['Bucket', 'Bucket']],
  'AWS::KMS::Key': [
    ['Rotation', 'EnableKeyRotation'],
    ['Key spec', 'KeySpec'],
    ['Description', 'Description'],
    ['Pending window (days)', 'PendingWindowInDays'],
  ],
  'AWS::KMS::Alias': [
    ['Alias', 'AliasName'],
    ['Target key', 'TargetKeyId'],
  ],
  'AWS::IAM::Role': [
    ['RoleName', 'RoleName'],
    ['Permissions boundary', 'PermissionsBoundary'],
    ['Max session (s)', 'MaxSessionDuration'],
  ],
  'AWS::IAM::Policy': [
    ['PolicyName', 'PolicyName'],
    ['Roles', 'Roles'],
  ],
  'AWS::Glue::Database': [['Name', 'DatabaseInput.Name']],
  'AWS::Glue::Table': [
    ['Database', 'DatabaseName'],
    ['Name', 'TableInput.Name'],
    ['Location', 'TableInput.StorageDescriptor.Location'],
  ],
  'AWS::Athena::WorkGroup': [
    ['Name', 'Name'],
    ['Scan limit (bytes)', 'WorkGroupConfiguration.BytesScannedCutoffPerQuery'],
    ['Enforced', 'WorkGroupConfiguration.EnforceWorkGroupConfiguration'],
    ['Result encryption', 'WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.EncryptionOption'],
  ],
  'AWS::LakeFormation::PrincipalPermissions': [
    ['Principal', 'Principal.DataLakePrincipalIdentifier'],
    ['Permissions', 'Permissions'],
    ['Resource', 'Resource'],
  ],
  'AWS::LakeFormation::Permissions': [
    ['Principal', 'DataLakePrincipal.DataLakePrincipalIdentifier'],
    ['Permissions', 'Permissions'],
    ['Resource', 'Resource'],
  ],
  'AWS::LakeFormation::DataCellsFilter': [
    ['Database', 'DatabaseName'],
    ['Table', 'TableName'],
    ['Columns', 'ColumnNames'],
  ],
  'AWS::Lambda::Function': [
    ['Runtime', 'Runtime'],
    ['Memory (MB)', 'MemorySize'],
    ['Timeout (s)', 'Timeout'],
  ],
  'AWS::Logs::LogGroup': [
    ['Name', 'LogGroupName'],
    ['Retention (days)', 'RetentionInDays'],
    ['KMS key', 'KmsKeyId'],
  ],
  'AWS::CloudTrail::Trail': [
    ['Logging', 'IsLogging'],
    ['Log file validation', 'EnableLogFileValidation'],
    ['KMS key', 'KMSKeyId'],
    ['Bucket', 'S3BucketName'],
  ],
  'AWS::SQS::Queue': [
    ['KMS key', 'KmsMasterKeyId'],
    ['SQS-managed SSE', 'SqsManagedSseEnabled'],
  ],
};

/** Key properties per Terraform Kubernetes type (version suffix removed). */
const TF_KEYS: Readonly<Record<string, Paths>> = {
  kubernetes_namespace: [
    ['Name', 'metadata.name'],
    ['Pod security (enforce)', 'metadata.labels.pod-security\\.kubernetes\\.io/enforce'],
  ],
  kubernetes_resource_quota: [
    ['Namespace', 'metadata.namespace'],
    ['Hard limits', 'spec.hard'],
  ],
  kubernetes_limit_range: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
  ],
  kubernetes_network_policy: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
    ['Policy types', 'spec.policy_types'],
  ],
  kubernetes_deployment: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
    ['Replicas', 'spec.replicas'],
    ['Image', 'spec.template.spec.container.image'],
    ['Non-root', 'spec.template.spec.security_context.run_as_non_root'],
  ],
  kubernetes_service: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
    ['Type', 'spec.type'],
  ],
  kubernetes_role: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
  ],
  kubernetes_role_binding: [
    ['Namespace', 'metadata.namespace'],
    ['Name', 'metadata.name'],
    ['Subjects', 'subject'],
  ],
};

const NAME_FALLBACK: Paths = [
  ['Name', 'Name'],
  ['Name', 'metadata.name'],
  ['Namespace', 'metadata.namespace'],
];

/** Values longer than this are cut: the inventory is an index, the files hold the whole. */
const MAX_VALUE = 160;

/** Inventory of a CloudFormation template. */
export function inventoryOfTemplate(stack: string, file: string, template: Json): StackInventory {
  const resources = obj(obj(template).Resources);
  const items: InventoryItem[] = Object.keys(resources).map((logicalId) => {
    const r = obj(resources[logicalId]);
    const type = typeof r.Type === 'string' ? r.Type : 'unknown';
    const props = obj(r.Properties);
    const properties = pick(props, CFN_KEYS[type] ?? NAME_FALLBACK);
    if (typeof r.DeletionPolicy === 'string') properties.DeletionPolicy = r.DeletionPolicy;
    const path = obj(r.Metadata)['aws:cdk:path'];
    // Findings name a construct by its path inside the stack (`RawZone/Resource/Resource`).
    const address = typeof path === 'string' ? (path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path) : logicalId;
    return { kind: 'cloud', stack, type, logicalId, address, properties: sortKeys(properties) };
  });
  return { kind: 'cloud', stack, file, resources: items.sort(compareItems), strings: stringsOf(template) };
}

/** Inventory of a CDKTF stack's `cdk.tf.json`. */
export function inventoryOfTerraform(stack: string, file: string, json: Json): StackInventory {
  const byType = obj(obj(json).resource);
  const items: InventoryItem[] = [];
  for (const type of Object.keys(byType)) {
    const named = obj(byType[type]);
    for (const name of Object.keys(named)) {
      const body = obj(named[name]);
      const base = type.replace(/_v\d+$/, '');
      items.push({ kind: 'idc', stack, type, logicalId: name, address: `${type}.${name}`, properties: sortKeys(pick(body, TF_KEYS[base] ?? NAME_FALLBACK)) });
    }
  }
  return { kind: 'idc', stack, file, resources: items.sort(compareItems), strings: stringsOf(json) };
}

/**
 * The cooperative a stack belongs to: the single cooperative whose derived names (buckets,
 * database, roles, key alias, namespace) appear in it. A stack naming several cooperatives
 * (or none) is a platform stack. Names come from the plan, never re-derived.
 */
export function attributeStack(stack: StackInventory, plan: TenancyPlan): string | undefined {
  const owner = nameIndex(plan);
  const found = new Set<string>();
  for (const s of stack.strings) {
    const whole = owner.get(s);
    if (whole) found.add(whole);
    for (const token of s.split(/[^A-Za-z0-9._-]+/)) {
      const o = token && owner.get(token);
      if (o) found.add(o);
    }
    if (found.size > 1) return undefined;
  }
  return found.size === 1 ? [...found][0] : undefined;
}

const indexCache = new WeakMap<TenancyPlan, Map<string, string>>();
function nameIndex(plan: TenancyPlan): Map<string, string> {
  let m = indexCache.get(plan);
  if (!m) {
    m = new Map();
    for (const c of plan.cooperatives) {
      const names = [...Object.values(c.cloud.buckets), c.cloud.database, c.cloud.keyAlias, ...Object.values(c.cloud.roles), ...(c.idc ? [c.idc.namespace, c.idc.adminGroup] : [])];
      for (const n of names) m.set(n, c.id);
    }
    indexCache.set(plan, m);
  }
  return m;
}

function compareItems(a: InventoryItem, b: InventoryItem): number {
  return cmp(a.type, b.type) || cmp(a.logicalId, b.logicalId);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function obj(v: Json): Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : {};
}

function sortKeys(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

/** Follows a dotted path (`\.` escapes a dot); single-element arrays (Terraform blocks) are stepped through. */
function at(value: Json, path: string): Json {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
  let v = value;
  for (const k of keys) {
    while (Array.isArray(v) && !/^\d+$/.test(k)) v = v[0];
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, Json>)[k];
  }
  return v;
}

function pick(body: Json, paths: Paths): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, path] of paths) {
    if (out[label] !== undefined) continue;
    const v = at(body, path);
    if (v !== undefined) out[label] = render(v);
  }
  return out;
}

/** Short text for a property value; CloudFormation intrinsics are shown the way people write them. */
export function render(v: Json): string {
  const text = renderFull(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function renderFull(v: Json): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return v.length === 1 ? renderFull(v[0]) : `[${v.map(renderFull).join(', ')}]`;
  const o = v as Record<string, Json>;
  const keys = Object.keys(o).sort();
  if (keys.length === 1 && keys[0] === 'Ref') return `Ref ${renderFull(o.Ref)}`;
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(o['Fn::GetAtt'])) return (o['Fn::GetAtt'] as Json[]).map(renderFull).join('.');
  if (keys.length === 1 && keys[0].startsWith('Fn::')) return `${keys[0].slice(4)}(${renderFull(o[keys[0]])})`;
  return keys.map((k) => `${k}=${renderFull(o[k])}`).join(', ');
}

function stringsOf(v: Json): string[] {
  const out = new Set<string>();
  const walk = (x: Json): void => {
    if (typeof x === 'string') out.add(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) walk((x as Record<string, Json>)[k]);
  };
  walk(v);
  return [...out].sort();
}
