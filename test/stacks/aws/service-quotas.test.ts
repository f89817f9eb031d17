/**
 * The service-quota model over real synthesized templates: generated cooperatives stay under
 * every quota; the same cooperative stacks copied into one account until it holds 1,000
 * fail with the API Gateway and IAM findings; and every quota of the model is shown to fail
 * on templates built to exceed it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../../infra';
import { checkServiceQuotas, policySize, SERVICE_QUOTAS, type QuotaStackInput } from '../../../infra/checks/aws';
import { DEFAULT_CELL_CAPACITY, generateSources } from '../../../infra/testing/synthetic';
import { buildAwsApp } from '../../../stacks/aws/aws-app';
import { readQuotaInputs, readTemplates } from '../../../build/aws-step';

let stacks: QuotaStackInput[];
beforeAll(() => {
  // One account (no cells): the scaling tests below copy these stacks into accounts themselves.
  const plan = compile(generateSources({ n: 3, seed: 11, cellCapacity: 0 }), { today: '2026-11-27' }).plan!;
  const outdir = mkdtempSync(join(tmpdir(), 'coopidc-quotas-'));
  const code = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
  const aws = buildAwsApp(plan, { outdir, builtinValidation: false, checks: false, ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code, statsHandlerCodeDir: code, eraseHandlerCodeDir: code } });
  aws.app.synth();
  stacks = readQuotaInputs(outdir, readTemplates(outdir, aws.cooperativeOf));
});

const failures = (findings: ReturnType<typeof checkServiceQuotas>) => findings.filter((f) => f.status === 'fail');

/** The account's ingestion API stack with one route per cooperative for `n` cooperatives (as {@link IngestionApi} gives them). */
function withRoutes(stack: QuotaStackInput, n: number): QuotaStackInput {
  const resources = stack.template.Resources ?? {};
  const api = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api')![0];
  const routes = Object.fromEntries(Array.from({ length: n }, (_, i) => [`Route${i}`, { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: api } } }]));
  return { ...stack, template: { Resources: { ...Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type !== 'AWS::ApiGatewayV2::Route')), ...routes } } };
}
/** A copy of a cooperative stack as it was before the cells: with an HTTP API of its own. */
const withOwnApi = (s: QuotaStackInput): QuotaStackInput => ({ ...s, template: { Resources: { ...(s.template.Resources ?? {}), OwnApi: { Type: 'AWS::ApiGatewayV2::Api' } } } });

describe('defaults', () => {
  test('every stack carries the account and Region of the assembly manifest', () => {
    expect(stacks.map((s) => `${s.account}/${s.region}`)).toEqual(stacks.map(() => '111122223333/ap-northeast-2'));
    expect(stacks.map((s) => s.stack)).toContain('CoopIdc-Platform');
  });

  test('a few generated cooperatives use every quota below 80 %, each quota with something to count evaluated', () => {
    const findings = checkServiceQuotas(stacks);
    expect(failures(findings)).toEqual([]);
    // The design creates no customer managed policy, so that size quota has nothing to measure here.
    const measured = SERVICE_QUOTAS.filter((q) => q.id !== 'iam-managed-policy-size').map((q) => `SQ-${q.id}`);
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(measured));
  });

  test('an account-level finding names the account and counts every stack in it', () => {
    const roles = checkServiceQuotas(stacks).find((f) => f.rule === 'SQ-iam-roles')!;
    const count = stacks.reduce((n, s) => n + Object.values(s.template.Resources ?? {}).filter((r) => r.Type === 'AWS::IAM::Role').length, 0);
    expect(roles).toMatchObject({ pack: 'ServiceQuotas', stack: 'account 111122223333', status: 'pass' });
    expect(roles.message).toMatch(new RegExp(`^${count} roles, `));
  });
});

describe('cells from the config', () => {
  /** Stacks of a generated config whose cooperatives sit in cells of `cellCapacity`. */
  function synthCells(n: number, cellCapacity: number): QuotaStackInput[] {
    const plan = compile(generateSources({ n, seed: 11, cellCapacity }), { today: '2026-11-27' }).plan!;
    const outdir = mkdtempSync(join(tmpdir(), 'coopidc-quotas-cells-'));
    const code = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
    const aws = buildAwsApp(plan, { outdir, builtinValidation: false, checks: false, ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code, statsHandlerCodeDir: code, eraseHandlerCodeDir: code } });
    aws.app.synth();
    return readQuotaInputs(outdir, readTemplates(outdir, aws.cooperativeOf));
  }

  test('cooperative stacks count in their cell\'s account, the data lake in its own', () => {
    const cells = synthCells(4, 2);
    const byAccount = (account: string) => cells.filter((s) => s.account === account).map((s) => s.cooperative ?? s.stack).sort();
    // Each cell account also holds its monitoring stack, its gateways' trust anchor and its ingestion API.
    expect(byAccount('222200000000')).toEqual(['CoopIdc-Cell-cell-01-gateways', 'CoopIdc-Cell-cell-01-ingest', 'CoopIdc-Monitoring-cell-01', 'coop-0000', 'coop-0002']);
    expect(byAccount('222200000001')).toEqual(['CoopIdc-Cell-cell-02-gateways', 'CoopIdc-Cell-cell-02-ingest', 'CoopIdc-Monitoring-cell-02', 'coop-0001', 'coop-0003']);
    expect(byAccount('111122223333')).toEqual(expect.arrayContaining(['CoopIdc-Platform', 'CoopIdc-DataLake-cell-01', 'CoopIdc-DataLake-cell-02']));
    expect(failures(checkServiceQuotas(cells))).toEqual([]);
  });

  /**
   * A cell filled to `capacity` with copies of its largest cooperative stack (most roles, then
   * most concurrency: one with every function the build makes, statistics included), its
   * ingestion API given a route for each, and the rest of its account as synthesized.
   */
  function fullCell(capacity: number): QuotaStackInput[] {
    const cells = synthCells(6, 3).filter((s) => s.account === '222200000000');
    const count = (s: QuotaStackInput, type: string) => Object.values(s.template.Resources ?? {}).filter((r) => r.Type === type).length;
    const coops = cells.filter((s) => s.cooperative !== undefined);
    const worst = [...coops].sort((a, b) => count(b, 'AWS::IAM::Role') - count(a, 'AWS::IAM::Role') || count(b, 'AWS::Lambda::Function') - count(a, 'AWS::Lambda::Function'))[0];
    // The worst case holds the erasure and statistics functions, so nothing the build makes per cooperative is left out.
    expect(Object.values(worst.template.Resources ?? {}).some((r) => r.Type === 'AWS::Scheduler::Schedule')).toBe(true);
    const roleTags = Object.values(worst.template.Resources ?? {}).filter((r) => r.Type === 'AWS::IAM::Role').flatMap((r) => ((r.Properties?.Tags ?? []) as { Key: string; Value: string }[]).filter((t) => t.Key === 'coopidc:role').map((t) => t.Value));
    expect(roleTags).toEqual(expect.arrayContaining(['erasure', 'stats']));
    const shared = cells.filter((s) => s.cooperative === undefined).map((s) => (s.stack === 'CoopIdc-Cell-cell-01-ingest' ? withRoutes(s, capacity) : s));
    return [...shared, ...Array.from({ length: capacity }, (_, i) => ({ ...worst, stack: `CoopIdc-Coop-copy-${i}`, cooperative: `copy-${i}` }))];
  }

  test('a cell filled to the generator\'s capacity with its largest cooperative stays under 80 % of every quota', () => {
    expect(failures(checkServiceQuotas(fullCell(DEFAULT_CELL_CAPACITY)))).toEqual([]);
  });

  test('a cell of 125 such cooperatives fails on IAM roles and Lambda concurrency (why the capacity is lower)', () => {
    const failed = failures(checkServiceQuotas(fullCell(125)));
    expect(failed.map((f) => f.rule).sort()).toEqual(['SQ-iam-roles', 'SQ-lambda-concurrency']);
  });

  test('fails with the API routes, IAM and Lambda concurrency findings when a platform has one cell of capacity 1,000 holding 1,000 cooperatives', () => {
    // The config's single cell (account 222200000000), its cooperative stacks copied until it
    // holds 1,000, its one ingestion API given a route for each.
    const cells = synthCells(3, 1000);
    const coops = cells.filter((s) => s.cooperative !== undefined);
    expect(new Set(coops.map((s) => s.account))).toEqual(new Set(['222200000000']));
    const shared = cells.filter((s) => s.cooperative === undefined).map((s) => (s.stack === 'CoopIdc-Cell-cell-01-ingest' ? withRoutes(s, 1000) : s));
    const full = [...shared, ...Array.from({ length: 1000 }, (_, i) => ({ ...coops[i % coops.length], stack: `CoopIdc-Coop-copy-${i}`, cooperative: `copy-${i}` }))];
    const failed = failures(checkServiceQuotas(full));
    // One API per cell: the Regional APIs quota holds; its routes (one per cooperative) do not.
    expect(failed.filter((f) => f.rule === 'SQ-apigateway-regional-apis')).toEqual([]);
    expect(failed.filter((f) => f.rule === 'SQ-apigateway-http-routes').map((f) => f.stack)).toEqual(['CoopIdc-Cell-cell-01-ingest']);
    expect(failed.filter((f) => f.rule === 'SQ-lambda-concurrency').map((f) => f.stack)).toEqual(['account 222200000000/ap-northeast-2']);
    expect(failed.filter((f) => f.rule === 'SQ-iam-roles').map((f) => f.stack)).toEqual(['account 222200000000']);
    // The data-lake account holds no cooperative stack and stays under every quota.
    expect(failed.filter((f) => f.stack.includes('111122223333'))).toEqual([]);
  });
});

describe('at the scale of one account holding 1,000 cooperatives', () => {
  /**
   * The generated cooperative stacks, copied under new names until `n` are in the account, each
   * with an HTTP API of its own as before the cells: the check must catch that layout.
   */
  function scaled(n: number, account = '111122223333'): QuotaStackInput[] {
    const coops = stacks.filter((s) => s.cooperative !== undefined);
    const platform = stacks.filter((s) => s.cooperative === undefined).map((s) => ({ ...s, account }));
    return [...platform, ...Array.from({ length: n }, (_, i) => withOwnApi({ ...coops[i % coops.length], stack: `CoopIdc-Coop-copy-${i}`, cooperative: `copy-${i}`, account }))];
  }

  test('fails with the API Gateway and IAM findings, naming the account, counts and stacks', () => {
    const failed = failures(checkServiceQuotas(scaled(1000)));
    const rules = new Set(failed.map((f) => f.rule));
    expect(rules.has('SQ-apigateway-regional-apis')).toBe(true);
    expect(rules.has('SQ-iam-roles')).toBe(true);
    expect(rules.has('SQ-lambda-concurrency')).toBe(true);
    const api = failed.find((f) => f.rule === 'SQ-apigateway-regional-apis')!;
    expect(api.stack).toBe('account 111122223333/ap-northeast-2');
    expect(api.message).toMatch(/^1,001 APIs is 166\.8 % of the API Gateway quota "Regional APIs per Region \(all API types\)" of 600 in account 111122223333; the build allows at most 480 \(80 %\); used by 1,001 stacks, most by CoopIdc-Coop-copy-0 \(1\)/);
    expect(api.fix).toMatch(/AWS does not raise this quota/);
  });

  test('split over two accounts, the API quota holds in each', () => {
    const split = [...scaled(400, '111122223333'), ...scaled(400, '444455556666').filter((s) => s.cooperative !== undefined)];
    const api = checkServiceQuotas(split).filter((f) => f.rule === 'SQ-apigateway-regional-apis');
    expect(api.map((f) => [f.stack, f.status])).toEqual([
      ['account 111122223333/ap-northeast-2', 'pass'],
      ['account 444455556666/ap-northeast-2', 'pass'],
    ]);
  });

  test('a recorded increase of an adjustable quota moves its limit, for that account only', () => {
    const big = scaled(200);
    expect(failures(checkServiceQuotas(big)).map((f) => f.rule)).toContain('SQ-iam-roles');
    const raised = checkServiceQuotas(big, { raised: [{ quota: 'iam-roles', account: '111122223333', value: 5000, case: 'case 1234567890' }] });
    const roles = raised.find((f) => f.rule === 'SQ-iam-roles')!;
    expect(roles.status).toBe('pass');
    expect(roles.message).toMatch(/of 5,000 \(raised: case 1234567890\) in account 111122223333/);
    const elsewhere = checkServiceQuotas(big, { raised: [{ quota: 'iam-roles', account: '999999999999', value: 5000, case: 'x' }] });
    expect(elsewhere.find((f) => f.rule === 'SQ-iam-roles')!.status).toBe('fail');
  });

  test('an increase recorded for a quota AWS does not raise changes nothing', () => {
    const findings = checkServiceQuotas(scaled(1000), { raised: [{ quota: 'apigateway-regional-apis', account: '111122223333', value: 5000, case: 'x' }] });
    expect(findings.find((f) => f.rule === 'SQ-apigateway-regional-apis')!.status).toBe('fail');
  });
});

describe('every quota fails on templates built to exceed it', () => {
  const ACCOUNT = '111122223333';
  const stack = (name: string, resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>, extra: Partial<QuotaStackInput> = {}): QuotaStackInput => ({
    stack: name,
    account: ACCOUNT,
    region: 'ap-northeast-2',
    template: { Resources: resources },
    ...extra,
  });
  const many = (n: number, type: string, props?: Record<string, unknown>) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: type, ...(props ? { Properties: props } : {}) }]));
  const statement = (i: number) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/prefix-${'x'.repeat(40)}/*` });
  const doc = (n: number) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, (_, i) => statement(i)) });

  const cases: Record<string, QuotaStackInput[]> = {
    'iam-roles': [stack('S', many(801, 'AWS::IAM::Role'))],
    'iam-managed-policies': [stack('S', many(1201, 'AWS::IAM::ManagedPolicy'))],
    'iam-inline-policy-size': [stack('S', { Role: { Type: 'AWS::IAM::Role' }, P1: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: doc(50) } }, P2: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: doc(50) } } })],
    'iam-managed-policy-size': [stack('S', { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc(60) } } })],
    'iam-trust-policy-size': [stack('S', { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: doc(20) } } })],
    'iam-managed-policies-per-role': [stack('S', { Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: Array.from({ length: 9 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`) } } })],
    'apigateway-regional-apis': [stack('A', many(300, 'AWS::ApiGatewayV2::Api')), stack('B', many(181, 'AWS::ApiGateway::RestApi'))],
    'apigateway-http-routes': [stack('S', { Api: { Type: 'AWS::ApiGatewayV2::Api' }, ...many(241, 'AWS::ApiGatewayV2::Route', { ApiId: { Ref: 'Api' } }) })],
    'lambda-concurrency': [stack('S', { F: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 750 } }, ...many(51, 'AWS::Lambda::Function') })],
    'lambda-code-storage': [stack('S', many(61, 'AWS::Lambda::Function', { Code: { S3Key: 'abc.zip' } }), { assetBytes: new Map([['abc', 1_000_000_000]]) })],
    'cloudformation-stacks': Array.from({ length: 1601 }, (_, i) => stack(`S${i}`, {})),
    's3-buckets': [stack('S', many(8001, 'AWS::S3::Bucket'))],
    's3-lifecycle-rules': [stack('S', { B: { Type: 'AWS::S3::Bucket', Properties: { LifecycleConfiguration: { Rules: Array.from({ length: 801 }, (_, i) => ({ Id: `r${i}`, Status: 'Enabled' })) } } } })],
    's3-bucket-policy-size': [stack('S', { P: { Type: 'AWS::S3::BucketPolicy', Properties: { PolicyDocument: doc(200) } } })],
    'kms-key-policy-size': [stack('S', { K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: doc(300) } } })],
    'kms-keys': [stack('S', many(80_001, 'AWS::KMS::Key'))],
    'glue-databases': [stack('S', many(8001, 'AWS::Glue::Database'))],
    'glue-tables': [stack('S', many(800_001, 'AWS::Glue::Table'))],
    'athena-workgroups': [stack('S', many(801, 'AWS::Athena::WorkGroup'))],
    'sns-topics': [stack('S', many(80_001, 'AWS::SNS::Topic'))],
    'cloudwatch-alarm-actions': [stack('S', { A: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: Array.from({ length: 5 }, (_, i) => `arn:aws:sns:ap-northeast-2:111122223333:t${i}`), OKActions: [] } } })],
    'scheduler-schedules': [stack('S', many(800_001, 'AWS::Scheduler::Schedule'))],
  };

  test('the cases cover exactly the quotas of the model', () => {
    expect(Object.keys(cases).sort()).toEqual(SERVICE_QUOTAS.map((q) => q.id).sort());
  });

  test.each(Object.keys(cases))('fails when %s is exceeded (and only that quota fails)', (id) => {
    const failed = failures(checkServiceQuotas(cases[id]));
    expect([...new Set(failed.map((f) => f.rule))]).toEqual([`SQ-${id}`]);
    expect(failed[0].message).toMatch(/% of the .* in account 111122223333; the build allows at most/);
    expect(failed[0].message).toContain(SERVICE_QUOTAS.find((q) => q.id === id)!.source);
  });
});

describe('policy size as IAM counts it', () => {
  test('is the JSON without white space', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }] };
    expect(policySize(doc)).toBe(JSON.stringify(doc).length);
  });

  test('counts a reference as the longest value it resolves to, by the referenced type', () => {
    const resources = { B: { Type: 'AWS::S3::Bucket' }, R: { Type: 'AWS::IAM::Role' } };
    expect(policySize({ Ref: 'AWS::AccountId' })).toBe(JSON.stringify('111122223333').length);
    expect(policySize({ 'Fn::GetAtt': ['B', 'Arn'] }, resources)).toBe(2 + 'arn:aws:s3:::'.length + 63);
    expect(policySize({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['R', 'Arn'] }, '/x']] }, resources)).toBe(2 + 31 + 64 + 2);
    expect(policySize({ 'Fn::Sub': 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*' })).toBe(2 + 'arn:aws:kms:'.length + 14 + 1 + 12 + ':key/*'.length);
  });
});

describe('raised quotas in platform.yaml', () => {
  const withRaised = (block: string) => {
    const sources = generateSources({ n: 1, seed: 3 });
    return { ...sources, platform: { ...sources.platform, text: `${sources.platform.text.trimEnd()}\nserviceQuotas:\n  raised:\n${block}` } };
  };
  const lineOf = (text: string, snippet: string) => text.slice(0, text.indexOf(snippet)).split('\n').length;

  test('an approved increase reaches the plan', () => {
    const result = compile(withRaised('    - { quota: iam-roles, account: "111122223333", value: 5000, case: "case 1234567890" }\n'), { today: '2026-11-27' });
    expect(result.plan?.platform.raisedQuotas).toEqual([{ quota: 'iam-roles', account: '111122223333', value: 5000, case: 'case 1234567890' }]);
  });

  test('fails when the quota is one AWS does not raise, at its line', () => {
    const sources = withRaised('    - { quota: apigateway-regional-apis, account: "111122223333", value: 900, case: "x" }\n');
    const result = compile(sources, { today: '2026-11-27' });
    expect(result.plan).toBeUndefined();
    const d = result.diagnostics.find((x) => x.severity === 'error')!;
    expect(d.line).toBe(lineOf(sources.platform.text, 'quota: apigateway'));
    expect(d.message).toMatch(/iam-roles/);
  });

  test('fails when the value is not above the default', () => {
    const result = compile(withRaised('    - { quota: iam-roles, account: "111122223333", value: 1000, case: "x" }\n'), { today: '2026-11-27' });
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/must exceed the default value/);
  });

  test('fails when one quota is raised twice for one account', () => {
    const result = compile(
      withRaised('    - { quota: iam-roles, account: "111122223333", value: 5000, case: "a" }\n    - { quota: iam-roles, account: "111122223333", value: 6000, case: "b" }\n'),
      { today: '2026-11-27' },
    );
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/quota iam-roles is raised twice for account 111122223333/);
  });
});
