import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { propsOf, type KoreaLawRule } from '../rule';

/**
 * Concrete actions that read or write data. A policy action "grants data" when its pattern
 * covers one of them (`s3:*`, `s3:Get*`, `kms:*` do; `s3:PutBucketNotification` and
 * `lakeformation:GetDataAccess`, whose use is decided by Lake Formation grants, do not).
 */
export const DATA_ACTIONS: readonly string[] = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateMac',
  'kms:ReEncryptFrom',
  'glue:GetTable',
  'glue:GetPartitions',
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'athena:StartQueryExecution',
  'athena:GetQueryResults',
  'lakeformation:GrantPermissions',
];

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM wildcard match (`*`, `?`), case-insensitive as IAM compares actions. */
function covers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

// A build asks about the same few hundred action strings for every policy of every stack.
const grantsDataByAction = new Map<string, boolean>();

/** Whether the action pattern covers one of {@link DATA_ACTIONS}. */
function grantsData(action: string): boolean {
  let known = grantsDataByAction.get(action);
  if (known === undefined) grantsDataByAction.set(action, (known = DATA_ACTIONS.some((d) => covers(action, d))));
  return known;
}

/** A resource that stands for every resource of its kind: `*`, `arn:aws:s3:::*`, `arn:aws:kms:*:*:key/*`... */
function isWildcardResource(r: unknown): boolean {
  if (r === '*') return true;
  if (typeof r !== 'string') return false;
  const parts = r.split(':');
  const resource = parts.slice(5).join(':');
  if (parts[0] !== 'arn') return false;
  // S3 ARNs are bucket/key: `*` or `*/...` is every bucket, `name/*` is objects of one bucket.
  if (parts[2] === 's3') return resource.startsWith('*');
  // Elsewhere `<type>/*` (key/*, table/*, workgroup/*) is every resource of the type.
  return resource === '*' || /^[a-z-]+\/\*$/.test(resource);
}

/** Names of the statements (sid or index) that allow data actions on every resource. */
export function wildcardDataStatements(document: any): string[] {
  const out: string[] = [];
  asList(document?.Statement).forEach((s: any, i) => {
    if (s?.Effect !== 'Allow') return;
    const actions = asList(s.Action).filter((a): a is string => typeof a === 'string');
    if (!actions.some(grantsData)) return;
    if (s.NotResource !== undefined || asList(s.Resource).some(isWildcardResource)) out.push(s.Sid ?? `Statement[${i}]`);
  });
  return out;
}

/**
 * No identity or bucket policy allows a data action on `*` (or on every bucket, key or
 * table): a wildcard grant reaches every cooperative's data, present and future, and breaks
 * the tenant separation the access-control duties of PIPA art. 29 rely on. Key policies are
 * exempt: there `*` means the key itself.
 */
export const NoWildcardDataResource: KoreaLawRule = {
  id: 'NoWildcardDataResource',
  info: 'A policy statement allows a data action (S3 objects, KMS, Glue, Athena) on all resources.',
  explanation:
    'Access to personal data must be limited to what each role needs (PIPA art. 29, safety-measures standard art. 5); a `*` resource on data actions reaches every cooperative\'s data, including tenants onboarded later.',
  controls: ['PIPA art. 29', 'Safety-measures standard art. 5', 'ISMS-P 2.5.1'],
  fix: 'Grant through the resource\'s grant* methods (bucket.grantRead, key.grant...) or name the exact ARNs; never use Resource "*" or NotResource with data actions.',
  rule(node: CfnResource) {
    // The type decides applicability; resolving the properties (the costly part) is only
    // worth it for policy-bearing resources, a fraction of every stack.
    let documents: unknown[];
    switch (node.cfnResourceType) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::S3::BucketPolicy':
        documents = [propsOf(node).PolicyDocument];
        break;
      case 'AWS::IAM::Role':
        documents = asList(propsOf(node).Policies).map((x: any) => x?.PolicyDocument);
        break;
      default:
        return NagRuleCompliance.NOT_APPLICABLE;
    }
    const bad = documents.flatMap(wildcardDataStatements);
    return bad.length === 0 ? NagRuleCompliance.COMPLIANT : bad;
  },
};
