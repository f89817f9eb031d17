/**
 * The erasure function as synthesized in a cooperative stack: its trigger, its own role
 * (nothing beyond the cooperative's dataset prefixes, shared tables, manifests, requests and
 * records; no delete), and a clean compliance run (cdk-nag and the KoreaLaw rules).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compile, type CheckFinding, type ConfigSources, type TenancyPlan } from '../../../infra';
import { buildAwsApp, cellZoneStackId, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { agreement, sharingSources } from '../../support/sharing-fixture';

let plan: TenancyPlan;
let aws: AwsApp;
let findings: readonly CheckFinding[];
let stack: Template;

function handlerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
  return dir;
}

function build(erase: boolean, of: TenancyPlan = plan): AwsApp {
  const dir = handlerDir();
  return buildAwsApp(of, {
    outdir: mkdtempSync(join(tmpdir(), 'coopidc-cdk-')),
    builtinValidation: false,
    ingestion: { objectHandlerCodeDir: dir, apiHandlerCodeDir: dir, ...(erase ? { eraseHandlerCodeDir: dir } : {}) },
  });
}

const SOURCES = sharingSources(
  agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, energy_kwh' }) +
  agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, member_company_id',
    extra: '    aggregate: { grain: month, measures: [count, sum energy_kwh] }\n' }),
);

function planOf(sources: ConfigSources): TenancyPlan {
  const compiled = compile(sources, { today: '2026-12-01' });
  expect(compiled.diagnostics).toEqual([]);
  return compiled.plan!;
}

beforeAll(() => {
  plan = planOf(SOURCES);
  aws = build(true);
  findings = synthAwsApp(aws, plan).findings;
  stack = Template.fromStack(aws.cooperatives.get('test-coop')!);
});

const erasureRole = () => {
  const roles = stack.findResources('AWS::IAM::Role', { Properties: { Tags: Match.arrayWith([{ Key: 'coopidc:role', Value: 'erasure' }]) } });
  expect(Object.keys(roles)).toHaveLength(1);
  return Object.keys(roles)[0];
};
const statementsOf = (roleId: string) => Object.values(stack.findResources('AWS::IAM::Policy'))
  .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown }[]);

describe('trigger', () => {
  test('erasure requests (.json under _erasure/requests/ of the curated bucket) invoke the function', () => {
    const curated = Object.keys(stack.findResources('AWS::S3::Bucket', { Properties: { BucketName: plan.cooperatives[0].cloud.buckets.curated } }))[0];
    const n = Object.values(stack.findResources('Custom::S3BucketNotifications')).find((r) => JSON.stringify(r.Properties.BucketName) === JSON.stringify({ Ref: curated }));
    expect(n?.Properties.NotificationConfiguration.LambdaFunctionConfigurations).toEqual([expect.objectContaining({
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: expect.arrayContaining([{ Name: 'prefix', Value: '_erasure/requests/' }, { Name: 'suffix', Value: '.json' }]) } },
    })]);
  });
  test('passes the contract environment, the aggregate tables included', () => {
    const table = plan.grants.find((g) => g.aggregate)!.aggregate!.table;
    stack.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COOP_ID: 'test-coop', CURATED_BUCKET: Match.anyValue(), SHARED_BUCKET: plan.cooperatives[0].cloud.sharedBucket, PSEUDONYMIZATION_KEY_ARN: Match.anyValue(), AGGREGATE_TABLES: JSON.stringify([{ table, dataset: 'readings' }]) }) },
    });
  });
  test('is absent when its handler is not wired, and then the stack has one role fewer', () => {
    const without = Template.fromStack(build(false).cooperatives.get('test-coop')!);
    expect(Object.keys(without.findResources('AWS::IAM::Role')).length).toBe(Object.keys(stack.findResources('AWS::IAM::Role')).length - 1);
  });
});

describe('role', () => {
  test('is its own, tagged erasure, and may delete nothing', () => {
    const s = statementsOf(erasureRole());
    const actions = s.flatMap((x) => [x.Action].flat());
    expect(actions.some((a) => /Delete|\*$/.test(a))).toBe(false);
    expect(new Set(actions)).toEqual(new Set(['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging', 's3:ListBucket', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateMac', 'glue:GetTable', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage']));
  });
  test('reaches objects only under its dataset prefixes, shared tables, manifests, requests and records', () => {
    const s = statementsOf(erasureRole());
    const objectResources = s.filter((x) => [x.Action].flat().some((a) => a === 's3:GetObject' || a === 's3:PutObject')).flatMap((x) => [x.Resource].flat());
    const allowed = ['/readings/*', `/${plan.platform.sharedZone.tables[0].name}/*`, '/_manifests/*', '/_erasure/requests/*', '/_erasure/records/*'];
    const suffixes = objectResources.map((r) => allowed.find((a) => JSON.stringify(r).endsWith(`${a}"]]}`) || JSON.stringify(r).endsWith(`${a}"`)) ?? JSON.stringify(r));
    expect(new Set(suffixes)).toEqual(new Set(allowed));
    const writes = s.filter((x) => [x.Action].flat().includes('s3:PutObject')).flatMap((x) => [x.Resource].flat()).map((r) => JSON.stringify(r));
    expect(writes.some((w) => w.includes('_manifests') || w.includes('_erasure/requests'))).toBe(false);
  });
  test('the pseudonymization key admits it by its role tag', () => {
    const platform = Template.fromStack(aws.platform);
    platform.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:GenerateMac', Condition: { StringEquals: { 'aws:PrincipalTag/coopidc:role': ['ingestion', 'erasure'] } } })]) },
    });
  });
});

describe('compliance', () => {
  test('no failed check; every acknowledgement on the erasure function has a reason', () => {
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    const acks = findings.filter((f) => f.status === 'acknowledged' && /Erasure/.test(f.resource));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect((a.reason ?? '').length).toBeGreaterThan(60);
  });
});

describe('in a cell: the shared copies live in the data-lake account', () => {
  const CELL_ACCOUNT = '444455556666';
  let cell: { plan: TenancyPlan; aws: AwsApp; findings: readonly CheckFinding[] };
  beforeAll(() => {
    const cellPlan = planOf({
      platform: { ...SOURCES.platform, text: `${SOURCES.platform.text}cells:\n  - { id: cell-01, account: "${CELL_ACCOUNT}", capacity: 125 }\n` },
      cooperatives: SOURCES.cooperatives.map((c) => ({ ...c, text: c.text.replace('ksic: C29\n', 'ksic: C29\ncell: cell-01\n') })),
    });
    const app = build(true, cellPlan);
    cell = { plan: cellPlan, aws: app, findings: synthAwsApp(app, cellPlan).findings };
  });
  /** IAM's ArnLike: `*` matches any run of characters. */
  const arnLike = (pattern: string, arn: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`).test(arn);

  test('the role carries the name the cell\'s pattern admits, and only erasure roles match that pattern', () => {
    const c = cell.plan.cooperatives[0];
    const pattern = cell.plan.platform.cells[0].erasureRolePattern;
    Template.fromStack(cell.aws.cooperatives.get('test-coop')!).hasResourceProperties('AWS::IAM::Role', {
      RoleName: c.cloud.erasureRole,
      Tags: Match.arrayWith([{ Key: 'coopidc:role', Value: 'erasure' }]),
    });
    expect(arnLike(pattern, `arn:aws:iam::${CELL_ACCOUNT}:role/${c.cloud.erasureRole}`)).toBe(true);
    for (const other of Object.values(c.cloud.roles)) expect(arnLike(pattern, `arn:aws:iam::${CELL_ACCOUNT}:role/${other}`)).toBe(false);
    expect(arnLike(pattern, `arn:aws:iam::111122223333:role/${c.cloud.erasureRole}`)).toBe(false);
  });

  test('the cell\'s shared bucket and key admit the cell\'s erasure roles by pattern and role tag; replacements keep the retention tag', () => {
    const zone = Template.fromStack(cell.aws.app.node.findChild(cellZoneStackId('cell-01')) as never);
    const conditions = { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CELL_ACCOUNT}:role/kbiz-test-*-erasure` }, StringEquals: { 'aws:PrincipalTag/coopidc:role': 'erasure' } };
    const stmt = (sid: string, condition: object) => Match.objectLike({ Sid: sid, Effect: 'Allow', Condition: condition });
    zone.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([stmt('ReadSharedCopiesByThisCellsErasureRoles', conditions)]) } });
    zone.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([stmt('ReplaceSharedCopiesByThisCellsErasureRoles', { ...conditions, Null: { 's3:RequestObjectTag/coopidc:retention-days': 'false' } })]) },
    });
    zone.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'UseByThisCellsErasureRoles', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: conditions })]) } });
  });

  test('no failed check in the cell layout', () => {
    expect(cell.findings.filter((f) => f.status === 'fail')).toEqual([]);
  });
});
