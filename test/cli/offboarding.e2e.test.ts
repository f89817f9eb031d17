/**
 * One cooperative taken from active → offboarding → removed over three commits of a
 * temporary git repository, with the real build at each revision: the plan, the
 * synthesized CloudFormation and Terraform, the audit report and `report --since` checked at
 * each step. And a file deleted without offboarding: `report --since` fails with an error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { TenancyPlan } from '../../infra';
import { parseReportJson, type AuditReport } from '../../infra/report';
import { awsCellZoneStack, awsCooperativeStack, awsSharedCatalogStack } from '../../infra/plan/names';
import { LIFECYCLE_PLATFORM, STAYING_COOP, leavingCoop } from '../support/lifecycle-fixture';

jest.setTimeout(600_000);

const root = realpathSync(mkdtempSync(join(tmpdir(), 'coop-idc-offboarding-')));
const repo = join(root, 'repo');
const cache = join(root, 'cache');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const LEAVING = join(repo, 'config', 'cooperatives', 'leaving-coop.yaml');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(argv: string[], today: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: repo, today, env: { LANG: "en_US.UTF-8", COOP_IDC_CACHE_DIR: cache }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function commit(leaving: string | undefined, message: string): void {
  if (leaving === undefined) unlinkSync(LEAVING);
  else writeFileSync(LEAVING, leaving);
  git('add', '-A', 'config');
  git('commit', '-q', '-m', message);
}

const read = <T>(...p: string[]): T => JSON.parse(readFileSync(join(repo, 'out', ...p), 'utf8')) as T;
type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
const template = (stack: string) => read<Template>('cdk.out', `${stack}.template.json`);
const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);
const rulesOf = (t: Template, bucketName: string) => {
  const b = ofType(t, 'AWS::S3::Bucket').find((r) => r.Properties?.BucketName === bucketName);
  if (!b) throw new Error(`no bucket ${bucketName}`);
  return (b.Properties!.LifecycleConfiguration as { Rules: { Id: string; Prefix?: string; ExpirationDate?: string }[] }).Rules;
};
const terraform = (ns: string) => readFileSync(join(repo, 'out', 'cdktf.out', 'stacks', ns, 'cdk.tf.json'), 'utf8');

async function build(today: string): Promise<{ plan: TenancyPlan; report: AuditReport }> {
  const r = await cli(['build', '--quiet'], today);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
  return { plan: read<TenancyPlan>('plan.json'), report: parseReportJson(readFileSync(join(repo, 'out', 'report.json'), 'utf8')) };
}

beforeAll(() => {
  mkdirSync(join(repo, 'config', 'cooperatives'), { recursive: true });
  git('init', '-q');
  writeFileSync(join(repo, 'config', 'platform.yaml'), LIFECYCLE_PLATFORM);
  writeFileSync(join(repo, 'config', 'cooperatives', 'staying-coop.yaml'), STAYING_COOP);
});

const COOP_STACK = awsCooperativeStack('leaving-coop');
const SHARD = awsSharedCatalogStack('cell-01', 'leaving-coop');

test('revision 1, active: grants, ingestion and models as usual', async () => {
  commit(leavingCoop(), 'active');
  const { plan, report } = await build('2026-12-05');
  const coop = plan.cooperatives.find((c) => c.id === 'leaving-coop')!;
  expect(coop.lifecycle).toBeUndefined();
  expect(plan.grants.filter((g) => g.cooperative === 'leaving-coop').map((g) => g.level).sort()).toEqual(['aggregated', 'pseudonymized']);
  const t = template(COOP_STACK);
  expect(ofType(t, 'AWS::Lambda::Function').length).toBeGreaterThan(0);
  expect(ofType(t, 'AWS::IAM::Role').map((r) => r.Properties!.RoleName)).toContain(coop.cloud.roles.uploader);
  expect(JSON.stringify(template(SHARD))).toContain('leaving_coop__readings');
  expect(report.offboarding).toEqual([]);
  expect(report.controls.find((c) => c.id === 'PIPA art. 21')!.status).toBe('passed');
});

test('a file deleted while active: report --since is an error, not "access lost"', async () => {
  unlinkSync(LEAVING);
  try {
    const r = await cli(['report', '--since', 'HEAD'], '2026-12-05');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/leaving-coop\.yaml:1:1 error deleted-without-offboarding /m);
    // The diagnostic in the run's language only, naming the ref compared.
    expect(r.err).toContain('error deleted-without-offboarding the file of leaving-coop was deleted while active: deleting a file deletes no stack, so nothing was revoked and its data never expires (at HEAD) (restore the file');
    expect(r.err).not.toMatch(/[가-힣]/);
    const ko = await cli(['report', '--since', 'HEAD', '--lang', 'ko'], '2026-12-05');
    expect(ko.err).toContain('error deleted-without-offboarding leaving-coop의 협동조합 파일이 active 상태에서 삭제되었습니다: 권한·수집 함수·데이터는 회수되지 않고 그대로 남습니다 (HEAD 시점) (파일을 되살리고');
    expect(ko.err).not.toMatch(/deleting a file/);
    expect(r.out).toContain('### Errors: cooperatives that left without offboarding (1)');
    expect(r.out).toContain('file deleted: NOT revoked in AWS');
  } finally {
    git('checkout', '--', 'config/cooperatives/leaving-coop.yaml');
  }
});

test('revision 2, offboarding: no grants, no ingestion, zones expire after retainUntil, IDC at zero', async () => {
  commit(leavingCoop('status: offboarding\nsince: "2026-12-01"\nretainUntil: "2027-12-01"\n'), 'offboarding');
  const { plan, report } = await build('2026-12-05');
  const coop = plan.cooperatives.find((c) => c.id === 'leaving-coop')!;
  expect(coop.lifecycle).toMatchObject({ status: 'offboarding', since: '2026-12-01', retainUntil: '2027-12-01', expiresOn: '2027-12-02', scaledToZero: ['forecaster', 'scorer'] });
  expect(coop.lifecycle!.revoked.map((r) => `${r.consumer}/${r.level}`)).toEqual(['kiet/pseudonymized', 'mss/aggregated']);
  expect(plan.grants.filter((g) => g.cooperative === 'leaving-coop')).toEqual([]);
  expect(plan.platform.sharedZone.tables.map((t) => t.cooperative)).toEqual(['staying-coop']);
  expect(plan.platform.cells[0].ingestionRoles.join()).not.toContain('leaving-coop');

  // Its stack: same name, no function, no uploader or ingestion role, no grant; every zone expires on the day after retainUntil.
  const t = template(COOP_STACK);
  for (const type of ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Api', 'AWS::SQS::Queue', 'Custom::S3BucketNotifications', 'AWS::LakeFormation::PrincipalPermissions']) expect(ofType(t, type)).toEqual([]);
  expect(ofType(t, 'AWS::IAM::Role').map((r) => r.Properties!.RoleName)).toEqual(expect.arrayContaining([coop.cloud.roles.admin]));
  expect(ofType(t, 'AWS::IAM::Role').map((r) => r.Properties!.RoleName)).not.toEqual(expect.arrayContaining([coop.cloud.roles.uploader]));
  expect(ofType(t, 'AWS::IAM::Role').map((r) => r.Properties!.RoleName)).not.toEqual(expect.arrayContaining([coop.cloud.roles.ingestion]));
  for (const bucket of Object.values(coop.cloud.buckets)) {
    const rule = rulesOf(t, bucket).find((r) => r.Id === 'offboarding-retain-until')!;
    expect(rule.ExpirationDate).toMatch(/^2027-12-02T00:00:00/);
    expect(rule.Prefix).toBeUndefined();
  }
  // The admin reads and writes nothing.
  expect(JSON.stringify(ofType(t, 'AWS::IAM::Policy'))).not.toMatch(/s3:PutObject|s3:DeleteObject/);
  // Shared zone: its copies expire from since; its shard holds no table or grant of it.
  const zone = rulesOf(template(awsCellZoneStack('cell-01')), plan.platform.cells[0].sharedBucket);
  expect(zone.filter((r) => r.Id.startsWith('offboarded-')).map((r) => [r.Id, r.Prefix, r.ExpirationDate!.slice(0, 10)])).toEqual([
    ['offboarded-leaving_coop__readings', 'leaving_coop__readings/', '2026-12-01'],
    ['offboarded-leaving_coop__readings__stats_mss', 'leaving_coop__readings__stats_mss/', '2026-12-01'],
  ]);
  expect(JSON.stringify(template(SHARD))).not.toContain('leaving_coop');

  // IDC: namespace kept, quota zero, Deployments at zero replicas, no autoscaler.
  const tf = JSON.parse(terraform(coop.idc!.namespace));
  expect(Object.keys(tf.resource.kubernetes_namespace_v1 ?? {})).toHaveLength(1);
  const deployments = Object.values(tf.resource.kubernetes_deployment_v1) as { spec: { replicas: string }[] | { replicas: string } }[];
  expect(deployments.map((d) => (Array.isArray(d.spec) ? d.spec[0] : d.spec).replicas)).toEqual(['0', '0']);
  expect(tf.resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
  const quota = JSON.stringify(tf.resource.kubernetes_resource_quota_v1);
  expect(quota).toContain('"pods":"0"');
  expect(quota).toContain('"requests.cpu":"0"');

  // Report: every step passes, cross-checked against the stack; PIPA art. 21 cites them.
  expect(report.offboarding.map((o) => [o.id, o.status, o.expiresOn])).toEqual([['leaving-coop', 'offboarding', '2027-12-02']]);
  expect(report.offboarding[0].steps.map((s) => [s.step, s.status])).toEqual([
    ['grants-revoked', 'pass'],
    ['ingestion-removed', 'pass'],
    ['data-read-only', 'pass'],
    ['shared-copies-expired', 'pass'],
    ['idc-scaled-to-zero', 'pass'],
  ]);
  expect(report.offboarding[0].steps[1].evidence).toContain('its stack holds no function');
  const art21 = report.controls.find((c) => c.id === 'PIPA art. 21')!;
  expect(art21.status).toBe('passed');
  expect(art21.evidence.map((e) => e.rule)).toContain('offboarding-grants-revoked');
  const html = readFileSync(join(repo, 'out', 'report', 'index.html'), 'utf8');
  expect(html).toContain('id="offboarding-leaving-coop"');

  const since = await cli(['report', '--since', 'HEAD~1'], '2026-12-05');
  expect(since.code).toBe(0);
  expect(since.out).toContain('(revoked: cooperative offboarding)');
});

test('revision 3, removed (after retainUntil): nothing rendered, the report still knows it; then the file may go', async () => {
  const today = '2027-12-02';
  commit(leavingCoop('status: removed\nsince: "2026-12-01"\nretainUntil: "2027-12-01"\n'), 'removed');
  const { plan, report } = await build(today);
  expect(plan.cooperatives.map((c) => c.id)).toEqual(['staying-coop']);
  expect(plan.removed).toEqual([expect.objectContaining({ id: 'leaving-coop', retainUntil: '2027-12-01', expiredOn: '2027-12-02' })]);
  expect(existsSync(join(repo, 'out', 'cdk.out', `${COOP_STACK}.template.json`))).toBe(false);
  expect(existsSync(join(repo, 'out', 'cdktf.out', 'stacks', 'coop-leaving-coop'))).toBe(false);
  expect(JSON.stringify(template(awsCellZoneStack('cell-01')))).not.toContain('leaving_coop');
  expect(report.offboarding.map((o) => [o.id, o.status])).toEqual([['leaving-coop', 'removed']]);
  expect((await cli(['report', '--since', 'HEAD~1'], today)).code).toBe(0);

  // Deleting the removed file is the clean exit.
  unlinkSync(LEAVING);
  const r = await cli(['report', '--since', 'HEAD'], today);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
});
