/**
 * `ServiceQuotas`: the AWS service quotas this design touches, evaluated per account (and
 * Region) over the synthesized templates, so that a build that would not deploy fails
 * before anyone deploys it. CloudFormation's per-template limits are `CfnLimits`; these are
 * the limits of the account the stacks land in, which no single template shows.
 *
 * Each quota carries its value, whether AWS raises it on request, and the AWS page it comes
 * from. A quota fails the check at 80 % of its value (of the raised value where
 * `platform.yaml` records an approved increase), early enough to add a cell or file the
 * increase before a deploy breaks.
 *
 * Reads only the written templates and the assembly's stack environments (no aws-cdk-lib).
 */
import type { CheckFinding } from '../findings';
import { SERVICE_QUOTAS, type RaisedQuota, type ServiceQuota } from '../../config/service-quotas';

export { SERVICE_QUOTAS, type RaisedQuota, type ServiceQuota } from '../../config/service-quotas';

/** Pack name of the findings. */
export const SERVICE_QUOTAS_PACK = 'ServiceQuotas';

/** Share of a quota at which the check fails. */
export const SERVICE_QUOTA_THRESHOLD = 0.8;

/**
 * Concurrency Lambda keeps unreserved in every account and Region: reservations may take at
 * most the quota minus this (Lambda Developer Guide, "Configuring reserved concurrency",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/** One synthesized stack, with the environment it deploys to. */
export interface QuotaStackInput {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  /** Cooperative owning the stack; undefined for platform stacks. */
  readonly cooperative?: string;
  readonly template: { readonly Resources?: Readonly<Record<string, CfnResource>> };
  /**
   * Bytes of each file asset by its hash (the `S3Key` of a function's code is `<hash>.zip`),
   * for the code storage quota. @default - code storage not counted
   */
  readonly assetBytes?: ReadonlyMap<string, number>;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** What one quota holder (an account, an account and Region, or a resource) uses. */
interface Usage {
  readonly key: string;
  readonly account: string;
  /** Stack of a per-resource quota, else the account (and Region). */
  readonly stack: string;
  readonly resource: string;
  readonly cooperative?: string;
  readonly count: number;
  /** Count per contributing stack, for account-level quotas. */
  readonly byStack: ReadonlyMap<string, number>;
}

/** Options of {@link checkServiceQuotas}. */
export interface ServiceQuotaOptions {
  /** Approved increases. @default - none */
  readonly raised?: readonly RaisedQuota[];
  /** @default SERVICE_QUOTA_THRESHOLD */
  readonly threshold?: number;
  /** The model. @default SERVICE_QUOTAS */
  readonly quotas?: readonly ServiceQuota[];
}

/**
 * What one stack adds to each quota, measured from its template alone ({@link quotaFiguresOf}):
 * the account-level quotas sum it over an account's stacks, the per-resource ones list it. A
 * build keeps it with each stack it caches, so that a stack restored from the cache is not
 * parsed again for the check.
 */
export interface StackQuotaFigures {
  /** Account-level quotas: quota id → what this stack counts toward its account (or account and Region). */
  readonly counts: Readonly<Record<string, number>>;
  /** Per-resource quotas: quota id → each holder's logical id and count, in template order. */
  readonly holders: Readonly<Record<string, readonly (readonly [string, number])[]>>;
  /** Functions without reserved concurrency (Lambda keeps room for each to run). */
  readonly unreservedFunctions: number;
  /** The code asset of each function (its `S3Key` without `.zip`), for the code-storage quota. */
  readonly codeAssets: readonly string[];
}

/** One stack's figures with where it deploys: what {@link checkServiceQuotaFigures} reads. */
export interface QuotaFiguresInput extends Omit<QuotaStackInput, 'template'> {
  readonly figures: StackQuotaFigures;
}

/**
 * One pass or fail per quota and holder: per account (and Region) for counts, per resource
 * for sizes. A failure names the account, the quota, the count, the limit and the stacks
 * that use most of it.
 */
export function checkServiceQuotas(stacks: readonly QuotaStackInput[], options: ServiceQuotaOptions = {}): CheckFinding[] {
  return checkServiceQuotaFigures(
    stacks.map(({ template, ...where }) => ({ ...where, figures: quotaFiguresOf(template) })),
    options,
  );
}

/** {@link checkServiceQuotas} from each stack's figures ({@link quotaFiguresOf}). */
export function checkServiceQuotaFigures(stacks: readonly QuotaFiguresInput[], options: ServiceQuotaOptions = {}): CheckFinding[] {
  const threshold = options.threshold ?? SERVICE_QUOTA_THRESHOLD;
  const raised = new Map((options.raised ?? []).map((r) => [`${r.quota}\u0000${r.account}`, r]));
  const out: CheckFinding[] = [];
  for (const quota of options.quotas ?? SERVICE_QUOTAS) {
    for (const use of measure(quota, stacks)) {
      const increase = quota.adjustable ? raised.get(`${quota.id}\u0000${use.account}`) : undefined;
      const value = increase?.value ?? quota.value;
      const limit = Math.floor(value * threshold);
      const pct = ((use.count / value) * 100).toFixed(1);
      const of = `${quota.service} quota "${quota.name}" of ${fmt(value)}${increase ? ` (raised: ${increase.case})` : ''} in account ${use.account}`;
      const base = {
        pack: SERVICE_QUOTAS_PACK,
        rule: `SQ-${quota.id}`,
        controls: [],
        stack: use.stack,
        resource: use.resource,
        ...(use.cooperative !== undefined ? { cooperative: use.cooperative } : {}),
      };
      if (use.count > limit) {
        out.push({
          ...base,
          status: 'fail',
          message: `${fmt(use.count)} ${quota.unit} is ${pct} % of the ${of}; the build allows at most ${fmt(limit)} (${threshold * 100} %)${topStacks(use)} [${quota.source}]`,
          fix: `${quota.fix}${quota.adjustable ? '' : ' (AWS does not raise this quota.)'}`,
        });
      } else {
        out.push({ ...base, status: 'pass', message: `${fmt(use.count)} ${quota.unit}, ${pct} % of the ${of} (fails above ${threshold * 100} %)` });
      }
    }
  }
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function topStacks(use: Usage): string {
  if (use.byStack.size <= 1) return '';
  const top = [...use.byStack].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  return `; used by ${fmt(use.byStack.size)} stacks, most by ${top.map(([s, n]) => `${s} (${fmt(n)})`).join(', ')}`;
}

/** How each quota is measured in one template. */
type Measure =
  /** Summed over an account's (or an account and Region's) stacks: a count per resource, and per stack. */
  | { readonly scope: 'account' | 'region'; readonly count: (r: CfnResource) => number; readonly perStack?: number }
  /** One holder per resource (or role, or API) of a stack. */
  | { readonly holders: (entries: readonly Entry[], all: StackResources) => [string, number][] };

type StackResources = Readonly<Record<string, CfnResource>> | undefined;
/** A template's resource: its logical id and body. */
type Entry = readonly [string, CfnResource];

const isType = (...types: string[]) => (r: CfnResource) => (types.includes(r.Type) ? 1 : 0);
const reserved = (r: CfnResource) => (r.Type === 'AWS::Lambda::Function' ? num(r.Properties?.ReservedConcurrentExecutions) : undefined);

/**
 * Every quota the check knows, by id. Code storage is not here: it is the size of each
 * function's asset, known only beside the assembly (`codeAssets`).
 */
const MEASURES: Readonly<Record<string, Measure>> = {
  'iam-roles': { scope: 'account', count: isType('AWS::IAM::Role') },
  'iam-managed-policies': { scope: 'account', count: isType('AWS::IAM::ManagedPolicy') },
  's3-buckets': { scope: 'account', count: isType('AWS::S3::Bucket') },
  'apigateway-regional-apis': { scope: 'region', count: isType('AWS::ApiGatewayV2::Api', 'AWS::ApiGateway::RestApi') },
  // A function with reserved concurrency takes that much from the pool; every other function
  // must be able to run at least once at the same time as the rest (the unreserved minimum
  // is added per account and Region, below).
  'lambda-concurrency': { scope: 'region', count: (r) => (r.Type === 'AWS::Lambda::Function' ? Math.max(1, reserved(r) ?? 1) : 0) },
  'cloudformation-stacks': { scope: 'region', count: () => 0, perStack: 1 },
  'kms-keys': { scope: 'region', count: isType('AWS::KMS::Key') },
  'glue-databases': { scope: 'region', count: isType('AWS::Glue::Database') },
  'glue-tables': { scope: 'region', count: isType('AWS::Glue::Table') },
  'scheduler-schedules': { scope: 'region', count: isType('AWS::Scheduler::Schedule') },
  'athena-workgroups': { scope: 'region', count: isType('AWS::Athena::WorkGroup') },
  'sns-topics': { scope: 'region', count: isType('AWS::SNS::Topic') },
  'cloudwatch-alarm-actions': { holders: perResource((r) => (r.Type === 'AWS::CloudWatch::Alarm' ? Math.max(...['AlarmActions', 'OKActions', 'InsufficientDataActions'].map((k) => arr(r.Properties?.[k]).length)) : undefined)) },
  'iam-managed-policy-size': { holders: perResource((r, all) => (r.Type === 'AWS::IAM::ManagedPolicy' ? policySize(r.Properties?.PolicyDocument, all) : undefined)) },
  'iam-trust-policy-size': { holders: perResource((r, all) => (r.Type === 'AWS::IAM::Role' ? policySize(r.Properties?.AssumeRolePolicyDocument, all) : undefined)) },
  's3-lifecycle-rules': { holders: perResource((r) => (r.Type === 'AWS::S3::Bucket' ? arr((r.Properties?.LifecycleConfiguration as { Rules?: unknown } | undefined)?.Rules).length : undefined)) },
  's3-bucket-policy-size': { holders: perResource((r, all) => (r.Type === 'AWS::S3::BucketPolicy' ? policySize(r.Properties?.PolicyDocument, all) : undefined)) },
  'kms-key-policy-size': { holders: perResource((r, all) => (r.Type === 'AWS::KMS::Key' ? policySize(r.Properties?.KeyPolicy, all) : undefined)) },
  'iam-inline-policy-size': {
    holders: perRole((role, policies, _managed, all) => policies.reduce<number>((sum, p) => sum + policySize(p, all), 0) + arr(role.Properties?.Policies).reduce<number>((sum, p) => sum + policySize((p as { PolicyDocument?: unknown }).PolicyDocument, all), 0)),
  },
  'iam-managed-policies-per-role': { holders: perRole((role, _inline, managed) => arr(role.Properties?.ManagedPolicyArns).length + managed) },
  'apigateway-http-routes': { holders: perApi },
};

const CODE_STORAGE = 'lambda-code-storage';

/** What one template adds to each quota the check knows (see {@link StackQuotaFigures}). */
export function quotaFiguresOf(template: QuotaStackInput['template']): StackQuotaFigures {
  const all = template.Resources;
  // Listed once for every quota: listing a large template again per quota was most of the check's time.
  const entries: readonly Entry[] = all === undefined ? [] : Object.entries(all);
  const list = entries.map(([, r]) => r);
  const counts: Record<string, number> = {};
  const holders: Record<string, [string, number][]> = {};
  for (const [id, m] of Object.entries(MEASURES)) {
    if ('holders' in m) {
      const found = m.holders(entries, all);
      if (found.length) holders[id] = found;
    } else {
      let n = m.perStack ?? 0;
      for (const r of list) n += m.count(r);
      if (n) counts[id] = n;
    }
  }
  const functions = list.filter((r) => r.Type === 'AWS::Lambda::Function');
  const codeAssets = functions.flatMap((r) => {
    const key = (r.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
    return typeof key === 'string' ? [key.replace(/\.zip$/, '')] : [];
  });
  return { counts, holders, unreservedFunctions: functions.filter((r) => reserved(r) === undefined).length, codeAssets };
}

/** Counts of one quota per holder. */
function measure(quota: ServiceQuota, stacks: readonly QuotaFiguresInput[]): Usage[] {
  if (quota.id === CODE_STORAGE) return perAccount(stacks, 'region', (s) => s.figures.codeAssets.reduce((n, a) => n + (s.assetBytes?.get(a) ?? 0), 0));
  const m = MEASURES[quota.id];
  if (m === undefined) throw new Error(`service quota ${quota.id} has no measure`);
  if ('holders' in m) {
    const out: Usage[] = [];
    for (const s of stacks) {
      for (const [id, count] of s.figures.holders[quota.id] ?? []) {
        out.push({ key: `${s.stack}/${id}`, account: s.account, stack: s.stack, resource: id, count, byStack: new Map(), ...(s.cooperative !== undefined ? { cooperative: s.cooperative } : {}) });
      }
    }
    return out;
  }
  const usages = perAccount(stacks, m.scope, (s) => s.figures.counts[quota.id] ?? 0);
  if (quota.id !== 'lambda-concurrency') return usages;
  // Lambda keeps at least UNRESERVED_CONCURRENCY_MINIMUM unreserved for the functions without a reservation.
  return usages.map((u) => {
    const unreserved = stacks.filter((s) => `${s.account}/${s.region}` === u.key).reduce((n, s) => n + s.figures.unreservedFunctions, 0);
    const floor = Math.max(0, UNRESERVED_CONCURRENCY_MINIMUM - unreserved);
    return floor > 0 ? { ...u, count: u.count + floor } : u;
  });
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Sums each stack's figure over the stacks of each account (or account and Region). */
function perAccount(stacks: readonly QuotaFiguresInput[], scope: 'account' | 'region', count: (s: QuotaFiguresInput) => number): Usage[] {
  const holders = new Map<string, { account: string; byStack: Map<string, number>; count: number }>();
  for (const s of stacks) {
    const key = scope === 'account' ? s.account : `${s.account}/${s.region}`;
    let h = holders.get(key);
    if (!h) holders.set(key, (h = { account: s.account, byStack: new Map(), count: 0 }));
    const n = count(s);
    if (n > 0) h.byStack.set(s.stack, n);
    h.count += n;
  }
  return [...holders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, h]) => ({ key, account: h.account, stack: `account ${key}`, resource: key, count: h.count, byStack: h.byStack }));
}

/** One holder per resource of interest: its logical id and count, in template order. */
function perResource(count: (r: CfnResource, all: StackResources) => number | undefined): (entries: readonly Entry[], all: StackResources) => [string, number][] {
  return (entries, all) => {
    const out: [string, number][] = [];
    for (const [id, r] of entries) {
      const n = count(r, all);
      if (n !== undefined) out.push([id, n]);
    }
    return out;
  };
}

/**
 * One holder per role of a stack: its inline policies (`AWS::IAM::Policy` naming it by
 * `Ref`, and the role's own `Policies`) and the managed policies attached to it.
 */
function perRole(count: (role: CfnResource, inline: unknown[], managed: number, all: StackResources) => number): (entries: readonly Entry[], all: StackResources) => [string, number][] {
  return (entries, all) => {
    const inline = new Map<string, unknown[]>();
    const managed = new Map<string, number>();
    for (const [, r] of entries) {
      if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
      for (const ref of arr(r.Properties?.Roles)) {
        const role = (ref as { Ref?: unknown }).Ref;
        if (typeof role !== 'string') continue;
        if (r.Type === 'AWS::IAM::Policy') inline.set(role, [...(inline.get(role) ?? []), r.Properties?.PolicyDocument]);
        else managed.set(role, (managed.get(role) ?? 0) + 1);
      }
    }
    return entries.filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id, r]) => [id, count(r, inline.get(id) ?? [], managed.get(id) ?? 0, all)]);
  };
}

/** Routes per HTTP API of a stack (routes name their API by `Ref`). */
function perApi(entries: readonly Entry[]): [string, number][] {
  const routes = new Map<string, number>();
  for (const [, r] of entries) {
    if (r.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const api = (r.Properties?.ApiId as { Ref?: unknown } | undefined)?.Ref;
    if (typeof api === 'string') routes.set(api, (routes.get(api) ?? 0) + 1);
  }
  return entries.filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api').map(([id]) => [id, routes.get(id) ?? 0]);
}

/**
 * Upper bounds of what CloudFormation substitutes for a reference, by resource type, so a
 * policy's size is measured as deployed, not as the shorter or longer intrinsic JSON. Names
 * are bounded by each service's name limit, ARNs by their fixed parts plus that limit.
 */
const REF_LENGTH: Readonly<Record<string, number>> = {
  'AWS::S3::Bucket': 63,
  'AWS::IAM::Role': 64,
  'AWS::KMS::Key': 36,
  'AWS::SQS::Queue': 128,
  'AWS::Lambda::Function': 64,
  'AWS::Glue::Database': 255,
  'AWS::Glue::Table': 255,
};
const ARN_LENGTH: Readonly<Record<string, number>> = {
  'AWS::S3::Bucket': 13 + 63,
  'AWS::IAM::Role': 31 + 64,
  'AWS::KMS::Key': 44 + 36,
  'AWS::SQS::Queue': 42 + 80,
  'AWS::Lambda::Function': 57 + 64,
};
const PSEUDO_LENGTH: Readonly<Record<string, number>> = {
  'AWS::AccountId': 12,
  'AWS::Region': 14,
  'AWS::Partition': 10,
  'AWS::URLSuffix': 16,
  'AWS::StackName': 128,
  'AWS::StackId': 128,
};
/** For a reference to a type not listed: the IAM limit of an ARN in a policy is larger; this keeps estimates near real ARNs. */
const DEFAULT_REFERENCE = 128;

type Resources = Readonly<Record<string, CfnResource>> | undefined;

/**
 * Characters of a policy document as IAM counts them: the JSON without white space, with
 * every intrinsic function replaced by the longest value it can resolve to (references typed
 * by `resources`, the stack's own).
 */
export function policySize(doc: unknown, resources?: Resources): number {
  if (doc === undefined || doc === null) return 0;
  return sizeOf(doc, resources);
}

function sizeOf(v: unknown, res: Resources): number {
  if (typeof v === 'string') return JSON.stringify(v).length;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).length;
  if (v === null) return 4;
  if (Array.isArray(v)) return 2 + Math.max(0, v.length - 1) + v.reduce<number>((s, x) => s + sizeOf(x, res), 0);
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 1) {
      const intrinsic = intrinsicLength(entries[0][0], entries[0][1], res);
      if (intrinsic !== undefined) return intrinsic + 2;
    }
    return 2 + Math.max(0, entries.length - 1) + entries.reduce((s, [k, x]) => s + JSON.stringify(k).length + 1 + sizeOf(x, res), 0);
  }
  return 0;
}

function typeOf(logicalId: unknown, res: Resources): string | undefined {
  return typeof logicalId === 'string' && res && Object.hasOwn(res, logicalId) ? res[logicalId].Type : undefined;
}

/** Length of a resolved intrinsic's string value (without quotes), or undefined if `key` is no intrinsic. */
function intrinsicLength(key: string, arg: unknown, res: Resources): number | undefined {
  switch (key) {
    case 'Ref': {
      if (typeof arg === 'string' && Object.hasOwn(PSEUDO_LENGTH, arg)) return PSEUDO_LENGTH[arg];
      const type = typeOf(arg, res);
      return (type !== undefined ? REF_LENGTH[type] : undefined) ?? DEFAULT_REFERENCE;
    }
    case 'Fn::GetAtt': {
      const [id, attr] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
      const type = typeOf(id, res);
      return (attr === 'Arn' && type !== undefined ? ARN_LENGTH[type] : undefined) ?? DEFAULT_REFERENCE;
    }
    case 'Fn::Join': {
      const [sep, parts] = Array.isArray(arg) ? arg : [];
      const list = arr(parts);
      return Math.max(0, list.length - 1) * String(sep ?? '').length + list.reduce<number>((s, p) => s + valueLength(p, res), 0);
    }
    case 'Fn::Sub': {
      const template = Array.isArray(arg) ? arg[0] : arg;
      if (typeof template !== 'string') return DEFAULT_REFERENCE;
      return template.replace(/\$\{([^}]+)\}/g, (_m, name: string) => 'x'.repeat(Object.hasOwn(PSEUDO_LENGTH, name) ? PSEUDO_LENGTH[name] : DEFAULT_REFERENCE)).length;
    }
    case 'Fn::ImportValue':
    case 'Fn::Select':
    case 'Fn::If':
    case 'Fn::FindInMap':
    case 'Fn::Base64':
    case 'Fn::GetAZs':
    case 'Fn::Split':
      return DEFAULT_REFERENCE;
    default:
      return undefined;
  }
}

/** Length of a value inside `Fn::Join`: a literal string's characters or a resolved reference. */
function valueLength(v: unknown, res: Resources): number {
  if (typeof v === 'string') return JSON.stringify(v).length - 2;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 1) return intrinsicLength(entries[0][0], entries[0][1], res) ?? DEFAULT_REFERENCE;
  }
  return DEFAULT_REFERENCE;
}
