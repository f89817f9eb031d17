/**
 * Sharing as the templates enforce it, on a self-contained configuration: an aggregated
 * consumer is granted only its statistics table, every table permission ends on the
 * agreement's date, and the catalog declares the compression the writer uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compile, type TenancyPlan } from '../../../infra';
import { buildAwsApp, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { agreement, sharingSources } from '../../support/sharing-fixture';

const AGREEMENTS =
  agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region' }) +
  agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id',
    extra: '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh] }\n' }).replace('"2030-12-31"', '"2029-03-31"');

let plan: TenancyPlan;
let aws: AwsApp;
let coop: Template;
let platform: Template;

beforeAll(() => {
  const compiled = compile(sharingSources(AGREEMENTS), { today: '2026-12-01' });
  expect(compiled.diagnostics).toEqual([]);
  plan = compiled.plan!;
  aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-disclosure-')), builtinValidation: false });
  coop = Template.fromStack(aws.cooperatives.get('test-coop')!);
  platform = Template.fromStack(aws.platform);
});

/** Every Lake Formation grant to a consumer role whose ARN ends with `-consumer-<id>`. */
function grantsTo(consumer: string): { DatabaseName: string; Name: string; ColumnNames: string[] }[] {
  return Object.values(coop.findResources('AWS::LakeFormation::PrincipalPermissions'))
    .filter((r) => JSON.stringify(r.Properties.Principal).includes(`-consumer-${consumer}`))
    .map((r) => r.Properties.Resource.TableWithColumns);
}

describe('aggregated consumers', () => {
  test('are granted the statistics table only, never a row-level table', () => {
    const rowLevel = new Set([...plan.platform.sharedZone.tables.map((t) => t.name), ...plan.cooperatives[0].datasets.map((d) => d.table)]);
    const grants = grantsTo('mss');
    expect(grants).toEqual([{ CatalogId: Match.anyValue(), DatabaseName: plan.platform.sharedZone.database, Name: 'test_coop__readings__stats_mss', ColumnNames: ['period', 'machine_id', 'count', 'sum_energy_kwh'] }].map((g) => expect.objectContaining({ ...g, CatalogId: expect.anything() })));
    expect(grants.filter((g) => rowLevel.has(g.Name))).toEqual([]);
  });

  test('the statistics table holds the plan\'s columns and SQL, as GZIP Parquet', () => {
    coop.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: plan.platform.sharedZone.database,
      TableInput: Match.objectLike({
        Name: 'test_coop__readings__stats_mss',
        Parameters: Match.objectLike({ 'parquet.compression': 'GZIP', 'coopidc:sql': Match.stringLikeRegexp('HAVING count\\(DISTINCT "member_company_id"\\) >= 5') }),
        StorageDescriptor: Match.objectLike({ Columns: [{ Name: 'period', Type: 'date' }, { Name: 'machine_id', Type: 'string' }, { Name: 'count', Type: 'bigint' }, { Name: 'sum_energy_kwh', Type: 'double' }] }),
      }),
    });
  });

  test('the pseudonymized consumer is granted the shared copy\'s disclosed columns', () => {
    expect(grantsTo('kiet')).toEqual([expect.objectContaining({ Name: 'test_coop__readings', ColumnNames: ['factory_region', 'machine_id', 'measured_at', 'member_company_id'] })]);
  });
});

describe('expiry at run time', () => {
  /** The consumer role's policy statements. */
  const statements = (consumer: string) => {
    const policies = Object.values(platform.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(`Consumer${consumer}`));
    return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
  };

  test('every permission on a granted table ends on its agreement\'s date (DateLessThan aws:CurrentTime)', () => {
    const mss = statements('mss');
    const table = mss.filter((s) => [s.Action].flat().includes('glue:GetTable'));
    expect(table).toHaveLength(1);
    expect(JSON.stringify(table[0].Resource)).toContain('table/kbiz_test_shared/test_coop__readings__stats_mss');
    expect(table[0].Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2029-03-31T15:00:00Z' } });
    const lf = mss.find((s) => s.Sid === 'LakeFormationCredentials')!;
    expect(lf.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2029-03-31T15:00:00Z' } });
    expect(mss.find((s) => s.Sid === 'DescribeAgreedDatabases')!.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2029-03-31T15:00:00Z' } });
  });

  test('each consumer\'s statements carry its own agreement\'s end', () => {
    const kiet = statements('kiet').filter((s) => [s.Action].flat().includes('glue:GetTable'));
    expect(kiet.map((s) => s.Condition)).toEqual([{ DateLessThan: { 'aws:CurrentTime': '2030-12-31T15:00:00Z' } }]);
  });

  test('no glue or Lake Formation permission of a consumer is left without an end', () => {
    for (const consumer of ['kiet', 'mss']) {
      const open = statements(consumer).filter((s) => [s.Action].flat().some((a) => a.startsWith('glue:') || a.startsWith('lakeformation:')) && !s.Condition);
      expect(open).toEqual([]);
    }
  });
});

describe('Glue tables', () => {
  test('declare the compression the ingestion writes (GZIP), curated and shared alike', () => {
    const tables = Object.values(coop.findResources('AWS::Glue::Table'));
    expect(tables.length).toBe(3);
    expect(tables.map((t) => t.Properties.TableInput.Parameters['parquet.compression'])).toEqual(['GZIP', 'GZIP', 'GZIP']);
  });
});

describe('compliance', () => {
  test('the stacks pass every check', () => {
    const { findings } = synthAwsApp(aws, plan);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    // cdk-nag looked at the consumer roles with their conditions.
    expect(findings.some((f) => f.status === 'pass' && f.resource.includes('Consumer-mss'))).toBe(true);
  });
});
