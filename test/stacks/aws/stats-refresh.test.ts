/**
 * The statistics refresh job as the templates declare it, on self-contained configurations
 * (one account, and a cell with the data-lake account): one schedule per statistics table
 * ending on its agreement's access end, one function and least-privilege role per
 * cooperative, the data-lake side admitting exactly what the job writes, and no failed check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compile, type ConfigSources, type TenancyPlan } from '../../../infra';
import { buildAwsApp, cellZoneStackId, sharedCatalogStackId, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { agreement, sharingSources } from '../../support/sharing-fixture';

const AGGREGATE = '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh] }\n';
const AGREEMENTS =
  agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region' }) +
  agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id', extra: AGGREGATE }).replace('"2030-12-31"', '"2029-03-31"') +
  agreement({ consumer: 'ibk-bank', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id', extra: AGGREGATE }).replace('"2030-12-31"', '"2026-11-25"');

/** The same files with one cell, the cooperative placed in it. */
function inCell(sources: ConfigSources): ConfigSources {
  return {
    platform: { ...sources.platform, text: `${sources.platform.text}cells:\n  - { id: cell-01, account: "444455556666", capacity: 125 }\n` },
    cooperatives: sources.cooperatives.map((c) => ({ ...c, text: c.text.replace('ksic: C29\n', 'ksic: C29\ncell: cell-01\n') })),
  };
}

function handlerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
  return dir;
}

function build(sources: ConfigSources): { plan: TenancyPlan; aws: AwsApp } {
  const compiled = compile(sources, { today: '2026-12-01' });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const plan = compiled.plan!;
  const dir = handlerDir();
  const aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-stats-')), builtinValidation: false, ingestion: { objectHandlerCodeDir: dir, apiHandlerCodeDir: dir, statsHandlerCodeDir: dir } });
  return { plan, aws };
}

let single: { plan: TenancyPlan; aws: AwsApp };
let coop: Template;

beforeAll(() => {
  single = build(sharingSources(AGREEMENTS));
  coop = Template.fromStack(single.aws.cooperatives.get('test-coop')!);
});

const aggregates = (plan: TenancyPlan) => plan.grants.filter((g) => g.aggregate).map((g) => ({ ...g.aggregate!, accessEndsAt: g.accessEndsAt }));

describe('schedules', () => {
  test('one per statistics table, ending on its agreement\'s access end, invoking the cooperative\'s function', () => {
    const schedules = coop.findResources('AWS::Scheduler::Schedule');
    const expected = aggregates(single.plan);
    expect(Object.keys(schedules)).toHaveLength(expected.length);
    expect(expected).toHaveLength(2);
    for (const a of expected) {
      coop.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: a.refresh.schedule,
        EndDate: a.accessEndsAt,
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Seoul',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StatsRefreshFunction'), 'Arn'] },
          Input: JSON.stringify({ table: a.table, location: a.refresh.location, endsAt: a.accessEndsAt, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        }),
      });
    }
    expect(Object.values(coop.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.FunctionName === 'kbiz-test-test-coop-stats')).toHaveLength(1);
    coop.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'kbiz-test-test-coop-stats', Environment: { Variables: Match.objectLike({ STATS_WORKGROUP: 'kbiz-test-test-coop-stats', DATA_LAKE_CATALOG: '111122223333' }) } });
  });

  test('an expired agreement\'s schedule ends in the past: the Scheduler stops it with no deploy', () => {
    const bank = single.plan.grants.find((g) => g.consumer === 'ibk-bank')!;
    const schedule = Object.values(coop.findResources('AWS::Scheduler::Schedule')).find((r) => r.Properties.Name === bank.aggregate!.refresh.schedule)!;
    expect(schedule.Properties.EndDate).toBe('2026-11-25T15:00:00Z');
    expect(Date.parse(schedule.Properties.EndDate)).toBeLessThan(Date.parse('2026-12-01T00:00:00Z'));
  });

  test('the statistics table starts pointing at the empty initial run, never at the prefix holding every run', () => {
    coop.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'test_coop__readings__stats_mss', StorageDescriptor: Match.objectLike({ Location: 's3://kbiz-test-shared-zone-111122223333/test_coop__readings__stats_mss/run=initial/' }) }) });
  });

  test('the workgroup enforces its results location in the cooperative\'s curated bucket', () => {
    // The admin's own query workgroup is beside it (kbiz-test-test-coop-admin).
    const wg = Object.values(coop.findResources('AWS::Athena::WorkGroup')).find((w) => w.Properties.Name.endsWith('-stats'))!;
    expect(wg.Properties.Name).toBe('kbiz-test-test-coop-stats');
    expect(wg.Properties.WorkGroupConfiguration.EnforceWorkGroupConfiguration).toBe(true);
    expect(JSON.stringify(wg.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation)).toMatch(/CuratedZone.*\/_athena-stats\//);
  });
});

describe('the statistics role', () => {
  const statements = () => {
    const policies = Object.values(coop.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes('StatsRefreshRole'));
    return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
  };

  test('is trusted by Lambda, and by the Scheduler only from its own account', () => {
    coop.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'kbiz-test-test-coop-stats',
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } }),
        Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }),
      ]) },
      Tags: Match.arrayWith([{ Key: 'coopidc:role', Value: 'stats' }]),
    });
  });

  test('holds no wildcard action and no wildcard resource beyond its own prefixes', () => {
    const all = statements();
    for (const s of all) {
      const actions = [s.Action].flat();
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      const resources = [s.Resource].flat().map((r) => JSON.stringify(r));
      if (s.Sid === 'LakeFormationCredentials') {
        expect(actions).toEqual(['lakeformation:GetDataAccess']);
        continue;
      }
      expect(resources).not.toContain('"*"');
      for (const r of resources.filter((x) => x.includes('*'))) {
        // Objects under a named prefix, or data-lake keys pinned by alias.
        expect(r).toMatch(/\/(readings|_athena-stats|test_coop__readings__stats_[a-z_]+)\/\*"|:key\/\*"/);
      }
    }
    const athena = all.find((s) => s.Sid === 'QueryInOwnWorkgroup')!;
    expect([athena.Action].flat().sort()).toEqual(['athena:GetQueryExecution', 'athena:StartQueryExecution']);
    expect(JSON.stringify(athena.Resource)).toContain('workgroup/kbiz-test-test-coop-stats');
    const writes = all.find((s) => s.Sid === 'WriteOwnStatistics')!;
    expect([writes.Resource].flat().map((r) => JSON.stringify(r)).sort()).toEqual(aggregates(single.plan).map((a) => expect.stringContaining(`/${a.table}/*`)));
    const kms = all.find((s) => s.Sid === 'EncryptOwnStatistics')!;
    expect(kms.Condition).toEqual({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/kbiz/test/platform'] } });
  });

  test('reads the source table and repoints only its own statistics tables (Lake Formation)', () => {
    coop.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', { Permissions: ['SELECT', 'DESCRIBE'], Resource: { Table: Match.objectLike({ Name: 'readings' }) } });
    for (const a of aggregates(single.plan)) {
      coop.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', { Permissions: ['ALTER', 'DESCRIBE'], Resource: { Table: Match.objectLike({ Name: a.table }) } });
    }
  });
});

describe('in a cell', () => {
  let cell: { plan: TenancyPlan; aws: AwsApp };
  beforeAll(() => {
    cell = build(inCell(sharingSources(AGREEMENTS)));
  });

  test('the schedule lives with the cooperative in its cell; the data-lake account grants the role ALTER on its tables', () => {
    const c = Template.fromStack(cell.aws.cooperatives.get('test-coop')!);
    c.resourceCountIs('AWS::Scheduler::Schedule', 2);
    const catalog = Template.fromStack(cell.aws.sharedCatalogs.get(sharedCatalogStackId('cell-01', 'test-coop'))!);
    catalog.resourceCountIs('AWS::Scheduler::Schedule', 0);
    for (const a of aggregates(cell.plan)) {
      catalog.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Principal: { DataLakePrincipalIdentifier: Match.stringLikeRegexp(':iam::444455556666:role/kbiz-test-test-coop-stats$') },
        Permissions: ['ALTER', 'DESCRIBE'],
        Resource: { Table: Match.objectLike({ Name: a.table }) },
      });
    }
  });

  test('the cell\'s shared bucket and key admit the cell\'s statistics roles by pattern and role tag', () => {
    const zone = Template.fromStack(cell.aws.cellZones.get('cell-01') ?? cell.aws.app.node.findChild(cellZoneStackId('cell-01')) as never);
    const conditions = { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:role/kbiz-test-*-stats' }, StringEquals: { 'aws:PrincipalTag/coopidc:role': 'stats' } };
    zone.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'WriteStatisticsByThisCellsStatsRoles', Condition: conditions })]) } });
    zone.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'UseByThisCellsStatsRoles', Condition: conditions })]) } });
  });

  test('the stacks pass every check', () => {
    const { findings } = synthAwsApp(cell.aws, cell.plan);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(findings.some((f) => f.status === 'pass' && f.resource.includes('StatsRefresh'))).toBe(true);
  });
});

describe('compliance, one account', () => {
  test('the stacks pass every check', () => {
    const { findings } = synthAwsApp(single.aws, single.plan);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  });
});
