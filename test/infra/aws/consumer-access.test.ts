/**
 * What a consumer role can reach, evaluated: the role's policies (inline and managed, as
 * synthesized) go through a small IAM evaluator, and a table counts as reachable when IAM
 * allows reading it and Lake Formation grants it (both must allow). The consumer must reach
 * exactly its granted tables, each until its own agreement ends, whether IAM names the
 * tables or leaves the table scope to Lake Formation, and its policies must stay under
 * IAM's size quotas.
 */
import { App, Stack, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConsumerAccess, MAX_CONSUMER_MANAGED_POLICIES, NAMED_TABLES_PER_DATABASE } from '../../../infra/aws';
import { policySize, SERVICE_QUOTA_THRESHOLD } from '../../../infra/checks/aws';
import type { ConsumerPlan, GrantPlan } from '../../../infra/plan/types';
import { evaluate, resolveArns, type PolicyDocument } from '../../support/iam-policy';

const DATA_LAKE = '111122223333';
const CELL = '222200000000';
const REGION = 'ap-northeast-2';
const SHARED_DB = 'kbiz_test_shared';
const CONSUMER: ConsumerPlan = { id: 'kiet', name: 'Research institute', kind: 'research', role: 'kbiz-test-consumer-kiet', workgroup: 'kbiz-test-kiet', scanLimitBytes: 10 * 1024 ** 3 };

/** A grant with only what ConsumerAccess reads filled in meaningfully. */
function grant(catalog: string, database: string, table: string, accessEndsAt: string): GrantPlan {
  return {
    consumer: CONSUMER.id, consumerKind: 'research', cooperative: table.split('__')[0], dataset: table, level: 'pseudonymized', columns: [], disclosures: [],
    purpose: 'test', legalBasis: 'test', expires: accessEndsAt.slice(0, 10), accessEndsAt, database, catalog, table, grantedColumns: [], source: 'test',
  };
}

interface Built {
  readonly policies: PolicyDocument[];
  readonly sizes: { inline: number; managed: number[] };
  readonly template: Template;
}

function build(grants: readonly GrantPlan[]): Built {
  const app = new App({ builtinCloudFormationValidation: false } as ConstructorParameters<typeof App>[0]);
  const stack = new Stack(app, 'Test', { env: { account: DATA_LAKE, region: REGION } });
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Results', { bucketName: 'kbiz-test-athena-results', encryptionKey: key });
  const access = new ConsumerAccess(stack, 'Consumer', { consumer: CONSUMER, grants, resultsBucket: bucket, resultsKey: key });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const roleId = stack.getLogicalId(access.role.node.defaultChild as never);
  const values: Record<string, string> = {
    [stack.getLogicalId(bucket.node.defaultChild as never) + '.Arn']: 'arn:aws:s3:::kbiz-test-athena-results',
    [stack.getLogicalId(key.node.defaultChild as never) + '.Arn']: `arn:aws:kms:${REGION}:${DATA_LAKE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  };
  const inline = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
  const attached = new Set((resources[roleId].Properties.ManagedPolicyArns ?? []).map((a: { Ref: string }) => a.Ref));
  const managed = Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && (attached.has(id) || JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }])))
    .map(([, r]) => r);
  const docs = [...inline, ...managed].map((r) => r.Properties.PolicyDocument);
  return {
    policies: docs.map((d) => resolveArns(d, values) as PolicyDocument),
    sizes: { inline: inline.reduce((s, r) => s + policySize(r.Properties.PolicyDocument, resources), 0), managed: managed.map((r) => policySize(r.Properties.PolicyDocument, resources)) },
    template,
  };
}

const tableArn = (catalog: string, db: string, table: string) => `arn:aws:glue:${REGION}:${catalog}:table/${db}/${table}`;

/** Tables the consumer reaches at `at`: IAM allows GetTable, GetPartitions and the database, and Lake Formation grants the table. */
function reachable(b: Built, grants: readonly GrantPlan[], candidates: readonly [string, string, string][], at: string): string[] {
  const lf = new Set(grants.map((g) => `${g.catalog}/${g.database}/${g.table}`));
  const allows = (action: string, resource: string) => evaluate(b.policies, { action, resource, context: { 'aws:CurrentTime': at } }) === 'allow';
  return [...new Map(candidates.map((c) => [c.join('/'), c])).values()]
    .filter(([c, d, t]) =>
      allows('glue:GetTable', tableArn(c, d, t)) && allows('glue:GetPartitions', tableArn(c, d, t)) &&
      allows('glue:GetDatabase', `arn:aws:glue:${REGION}:${c}:database/${d}`) && allows('lakeformation:GetDataAccess', '*') &&
      lf.has(`${c}/${d}/${t}`))
    .map(([c, d, t]) => `${c}/${d}/${t}`);
}

/** What the consumer must reach at `at`: its granted tables whose (latest) agreement has not ended. */
function expected(grants: readonly GrantPlan[], at: string): string[] {
  const end = new Map<string, string>();
  for (const g of grants) {
    const k = `${g.catalog}/${g.database}/${g.table}`;
    if ((end.get(k) ?? '') < g.accessEndsAt) end.set(k, g.accessEndsAt);
  }
  return [...end].filter(([, e]) => Date.parse(at) < Date.parse(e)).map(([k]) => k);
}

const ENDS = ['2027-03-31T15:00:00Z', '2028-06-30T15:00:00Z', '2030-12-31T15:00:00Z'];
const MOMENTS = ['2026-12-01T00:00:00Z', '2027-03-31T14:59:59Z', '2027-03-31T15:00:00Z', '2028-01-01T00:00:00Z', '2028-06-30T15:00:00Z', '2030-12-31T14:59:59Z', '2030-12-31T15:00:00Z'];

function check(grants: readonly GrantPlan[], candidates: [string, string, string][]): Built {
  const b = build(grants);
  const sorted = (xs: string[]) => [...xs].sort();
  for (const at of MOMENTS) expect({ at, reach: sorted(reachable(b, grants, candidates, at)) }).toEqual({ at, reach: sorted(expected(grants, at).filter((k) => candidates.some((c) => c.join('/') === k))) });
  return b;
}

describe('consumer access, evaluated', () => {
  test('a few tables are named in IAM: the consumer reaches exactly them, each until its own end', () => {
    const grants = [
      grant(DATA_LAKE, SHARED_DB, 'coop_a__readings', ENDS[0]),
      grant(DATA_LAKE, SHARED_DB, 'coop_b__readings', ENDS[1]),
      grant(DATA_LAKE, SHARED_DB, 'coop_b__readings', ENDS[0]), // two agreements: the later end wins
      grant(DATA_LAKE, SHARED_DB, 'coop_c__readings__stats_kiet', ENDS[2]),
      grant(CELL, 'kbiz_test_coop_d', 'readings', ENDS[1]), // raw level, in the cell's catalog
    ];
    const candidates: [string, string, string][] = [
      ...grants.map((g) => [g.catalog, g.database, g.table] as [string, string, string]),
      [DATA_LAKE, SHARED_DB, 'coop_z__readings'],
      [CELL, 'kbiz_test_coop_d', 'other'],
      [CELL, 'kbiz_test_coop_e', 'readings'],
    ];
    const b = check(grants, candidates);
    // IAM is a second fence here: a table without a grant is not even allowed by IAM.
    expect(evaluate(b.policies, { action: 'glue:GetTable', resource: tableArn(DATA_LAKE, SHARED_DB, 'coop_z__readings'), context: { 'aws:CurrentTime': MOMENTS[0] } })).toBe('implicit-deny');
    expect(JSON.stringify(b.policies)).not.toContain(`${SHARED_DB}/*`);
  });

  test(`more than ${NAMED_TABLES_PER_DATABASE} tables of one database: Lake Formation carries the table scope, explicit Deny ends each earlier agreement`, () => {
    const grants = Array.from({ length: 45 }, (_, i) => grant(DATA_LAKE, SHARED_DB, `coop_${String(i).padStart(3, '0')}__readings`, ENDS[i % 3]));
    const candidates: [string, string, string][] = [...grants.map((g) => [g.catalog, g.database, g.table] as [string, string, string]), [DATA_LAKE, SHARED_DB, 'coop_zzz__readings']];
    const b = check(grants, candidates);
    expect(JSON.stringify(b.policies)).toContain(`table/${SHARED_DB}/*`);
    // After its end, a table of the wildcard database is denied explicitly, not merely not allowed.
    expect(evaluate(b.policies, { action: 'glue:GetTable', resource: tableArn(DATA_LAKE, SHARED_DB, 'coop_000__readings'), context: { 'aws:CurrentTime': ENDS[0] } })).toBe('explicit-deny');
    expect(b.sizes.inline).toBeLessThan(10240 * SERVICE_QUOTA_THRESHOLD);
    // The Deny statements are what ends those tables: without them the evaluation differs.
    const withoutDeny = { ...b, policies: b.policies.map((p) => ({ Statement: p.Statement.filter((s) => s.Effect !== 'Deny') })) };
    expect(reachable(withoutDeny, grants, candidates, ENDS[0])).toContain(`${DATA_LAKE}/${SHARED_DB}/coop_000__readings`);
  });

  test('many databases overflow into managed policies of this role, each under its size quota, and reach stays exact', () => {
    const grants = Array.from({ length: 60 }, (_, i) => grant(CELL, `kbiz_test_coop_${String(i).padStart(3, '0')}`, 'readings', new Date(Date.parse('2027-01-01T15:00:00Z') + i * 86400000).toISOString().replace('.000', '')));
    const b = check(grants, grants.map((g) => [g.catalog, g.database, g.table]));
    expect(b.sizes.managed.length).toBeGreaterThan(0);
    // Every managed policy is one of ours, attached by the role: CDK moved nothing into overflow policies.
    expect(Object.values(b.template.findResources('AWS::IAM::ManagedPolicy')).filter((r) => r.Properties.Roles !== undefined)).toEqual([]);
    expect(b.sizes.managed.length).toBeLessThanOrEqual(MAX_CONSUMER_MANAGED_POLICIES);
    expect(b.sizes.inline).toBeLessThan(10240 * SERVICE_QUOTA_THRESHOLD);
    for (const s of b.sizes.managed) expect(s).toBeLessThan(6144 * SERVICE_QUOTA_THRESHOLD);
  });

  test('fails when the agreements need more managed policies than a role may carry', () => {
    const grants = Array.from({ length: 600 }, (_, i) => grant(CELL, `kbiz_test_coop_${String(i).padStart(3, '0')}`, 'readings', new Date(Date.parse('2027-01-01T15:00:00Z') + i * 86400000).toISOString().replace('.000', '')));
    expect(() => build(grants)).toThrow(/managed policies of table permissions, more than the 8 a role may carry/);
  });

  test('a consumer without agreements holds no Glue or Lake Formation permission', () => {
    const b = build([]);
    expect(JSON.stringify(b.policies)).not.toMatch(/glue:|lakeformation:/);
  });
});

describe('Athena results', () => {
  const b = build([grant(DATA_LAKE, SHARED_DB, 'coop_a__readings', ENDS[2])]);
  const at = { 'aws:CurrentTime': MOMENTS[0] };
  const bucket = 'arn:aws:s3:::kbiz-test-athena-results';

  test('the consumer lists only its own prefix', () => {
    expect(evaluate(b.policies, { action: 's3:ListBucket', resource: bucket, context: { ...at, 's3:prefix': 'kiet/' } })).toBe('allow');
    expect(evaluate(b.policies, { action: 's3:ListBucket', resource: bucket, context: { ...at, 's3:prefix': 'kiet/2026/x.csv' } })).toBe('allow');
    expect(evaluate(b.policies, { action: 's3:ListBucket', resource: bucket, context: { ...at, 's3:prefix': 'mss/' } })).toBe('implicit-deny');
    expect(evaluate(b.policies, { action: 's3:ListBucket', resource: bucket, context: { ...at, 's3:prefix': '' } })).toBe('implicit-deny');
    expect(evaluate(b.policies, { action: 's3:ListBucket', resource: bucket, context: { ...at, 's3:prefix': 'kietx/' } })).toBe('implicit-deny');
  });

  test('the consumer reads and writes only its own results', () => {
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      expect(evaluate(b.policies, { action, resource: `${bucket}/kiet/q1.csv`, context: at })).toBe('allow');
      expect(evaluate(b.policies, { action, resource: `${bucket}/mss/q1.csv`, context: at })).toBe('implicit-deny');
    }
  });

  test('no S3 statement of the role is unconditioned on the bucket itself except GetBucketLocation', () => {
    const onBucket = b.policies.flatMap((p) => p.Statement).filter((s) => [s.Resource].flat().includes(bucket));
    expect(onBucket.map((s) => [s.Action, s.Condition ? 'conditioned' : 'open'])).toEqual([['s3:GetBucketLocation', 'open'], ['s3:ListBucket', 'conditioned']]);
  });
});
