/**
 * The ingestion API per cell and the factory gateways' access (issue 14 part 3), over
 * synthesized templates of generated cooperatives in two cells.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { compile, type CheckFinding, type TenancyPlan } from '../../../infra';
import { DEFAULT_CELL_CAPACITY, generateSources } from '../../../infra/testing/synthetic';
import { buildAwsApp, gatewayTrustStackId, ingestApiStackId, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { GATEWAY_TRUST_ANCHOR_OUTPUT } from '../../../stacks/aws/gateway-trust-stack';

function handlerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({ statusCode: 202 });\n');
  return dir;
}

function synthesize(edit: (text: string) => string = (t) => t, checks = false): { plan: TenancyPlan; aws: AwsApp; findings: readonly CheckFinding[] } {
  const sources = generateSources({ n: 5, seed: 14, cellCapacity: 3 });
  const result = compile({ ...sources, platform: { ...sources.platform, text: edit(sources.platform.text) } }, { today: '2026-11-27' });
  if (!result.plan) throw new Error(JSON.stringify(result.diagnostics.slice(0, 2)));
  const dir = handlerDir();
  const aws = buildAwsApp(result.plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-api-')), builtinValidation: false, checks, ingestion: { objectHandlerCodeDir: dir, apiHandlerCodeDir: dir } });
  if (checks) return { plan: result.plan, aws, findings: synthAwsApp(aws, result.plan).findings };
  aws.app.synth();
  return { plan: result.plan, aws, findings: [] };
}

let plan: TenancyPlan;
let aws: AwsApp;
let findings: readonly CheckFinding[];
beforeAll(() => {
  ({ plan, aws, findings } = synthesize(undefined, true));
});

/** Every stack deployed to a cell's account. */
const cellStacks = (cell: string): Stack[] => [
  ...plan.cooperatives.filter((c) => c.cell === cell).map((c) => aws.cooperatives.get(c.id)!),
  aws.gatewayTrusts.get(cell)!,
  aws.ingestionApis.get(cell)!,
];
const resources = (stacks: readonly Stack[], type: string) => stacks.flatMap((s) => Object.values(Template.fromStack(s).findResources(type)) as any[]);

describe('one ingestion API per cell', () => {
  test('each cell has exactly one HTTP API, in its own account, after its cooperatives', () => {
    expect(plan.platform.cells.length).toBe(2);
    for (const cell of plan.platform.cells) {
      expect(resources(cellStacks(cell.id), 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
      const api = aws.ingestionApis.get(cell.id)!;
      expect([api.stackName, api.account]).toEqual([ingestApiStackId(cell.id), cell.account]);
      expect(api.dependencies.map((d) => d.stackName).sort()).toEqual(cell.cooperatives.map((c) => `CoopIdc-Coop-${c}`).sort());
    }
  });

  test('a route per cooperative (its datasets a path parameter), IAM-authorized, integrated only with its own push handler', () => {
    for (const cell of plan.platform.cells) {
      const t = Template.fromStack(aws.ingestionApis.get(cell.id)!);
      const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')) as any[];
      expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(cell.cooperatives.map((c) => `POST /v1/cooperatives/${c}/datasets/{dataset}/records`).sort());
      const integrations = t.findResources('AWS::ApiGatewayV2::Integration');
      for (const r of routes) {
        expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
        const coop = plan.cooperatives.find((c) => r.Properties.RouteKey.includes(`/cooperatives/${c.id}/`))!;
        const integration = integrations[r.Properties.Target['Fn::Join'][1][1].Ref] as any;
        expect(integration.Properties.IntegrationUri).toBe(`arn:aws:lambda:${plan.platform.region}:${cell.account}:function:${coop.cloud.pushFunction}`);
      }
      // API Gateway may invoke each function only from its own cooperative's route.
      for (const p of Object.values(t.findResources('AWS::Lambda::Permission')) as any[]) {
        const coop = plan.cooperatives.find((c) => p.Properties.FunctionName.endsWith(`:function:${c.cloud.pushFunction}`))!;
        expect(JSON.stringify(p.Properties.SourceArn)).toContain(`/v1/cooperatives/${coop.id}/datasets/`);
        expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
      }
    }
  });

  test('each uploader may invoke only its own cooperative\'s route (the policy is in its own stack: the API stack holds none)', () => {
    for (const cell of plan.platform.cells) {
      expect(resources([aws.ingestionApis.get(cell.id)!], 'AWS::IAM::Policy')).toEqual([]);
      for (const id of cell.cooperatives) {
        const coop = plan.cooperatives.find((c) => c.id === id)!;
        const stack = aws.cooperatives.get(id)!;
        const t = Template.fromStack(stack);
        const uploader = Object.keys(t.findResources('AWS::IAM::Role', { Properties: { RoleName: coop.cloud.roles.uploader } }))[0];
        const invoke = resources([stack], 'AWS::IAM::Policy')
          .flatMap((p) => (p.Properties.PolicyDocument.Statement as any[]).map((st) => ({ roles: p.Properties.Roles, st })))
          .filter(({ st }) => [st.Action].flat().includes('execute-api:Invoke'));
        expect(invoke).toHaveLength(1);
        expect(invoke[0].roles).toEqual([{ Ref: uploader }]);
        expect(invoke[0].st.Action).toBe('execute-api:Invoke');
        expect(JSON.stringify(invoke[0].st.Resource)).toMatch(new RegExp(`:\\*/\\*/POST/v1/cooperatives/${id}/datasets/\\*/records"`));
      }
    }
  });

  test('a full cell stays within CloudFormation\'s 500 resources per stack in its ingestion API stack', () => {
    // Resources grow linearly with the cooperatives of a cell: measured on the two cells of
    // different sizes, extrapolated to a full cell. (With an IAM policy per cooperative in this
    // stack, four resources each, 125 cooperatives came to 504.)
    const [a, b] = plan.platform.cells.map((c) => ({ n: c.cooperatives.length, r: Object.keys(Template.fromStack(aws.ingestionApis.get(c.id)!).toJSON().Resources).length }));
    expect(a.n).not.toBe(b.n);
    const perCooperative = (a.r - b.r) / (a.n - b.n);
    const fixed = a.r - perCooperative * a.n;
    expect(fixed + perCooperative * DEFAULT_CELL_CAPACITY).toBeLessThanOrEqual(500);
  });

  test('throttles each cooperative\'s route on its own', () => {
    const stage = resources([aws.ingestionApis.get('cell-01')!], 'AWS::ApiGatewayV2::Stage')[0];
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(plan.platform.cells[0].cooperatives.map((c) => `POST /v1/cooperatives/${c}/datasets/{dataset}/records`).sort());
  });

  test('no statement of a cell allows a * principal (only the TLS-only denies name everyone)', () => {
    const statements = (v: unknown): any[] => (Array.isArray(v) ? v.flatMap(statements) : v && typeof v === 'object' ? ('Effect' in v ? [v] : Object.values(v).flatMap(statements)) : []);
    for (const cell of plan.platform.cells) {
      const all = cellStacks(cell.id).flatMap((s) => statements(Template.fromStack(s).toJSON()));
      expect(all.length).toBeGreaterThan(10);
      const star = all.filter((x) => x.Effect === 'Allow' && /"\*"/.test(JSON.stringify(x.Principal ?? null)));
      expect(star).toEqual([]);
    }
  });

  test('reserves each function\'s concurrency from platform.yaml', () => {
    const fns = resources(cellStacks('cell-01'), 'AWS::Lambda::Function').filter((f) => f.Properties.MemorySize === 1769 || f.Properties.FunctionName !== undefined);
    expect(fns.length).toBe(2 * plan.platform.cells[0].cooperatives.length);
    for (const f of fns) expect(f.Properties.ReservedConcurrentExecutions).toBe(f.Properties.MemorySize === 1769 ? plan.platform.ingestion.concurrency.objectHandler : plan.platform.ingestion.concurrency.pushHandler);
  });

  test('cdk-nag and the KoreaLaw rules pass on every stack, with reasons', () => {
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    const api = findings.filter((f) => f.stack === ingestApiStackId('cell-01'));
    expect(api.filter((f) => f.status === 'pass').length).toBeGreaterThan(10);
    for (const a of api.filter((f) => f.status === 'acknowledged')) expect((a.reason ?? '').length).toBeGreaterThan(60);
  });
});

describe('factory gateways through IAM Roles Anywhere', () => {
  test('a trust anchor per cell, from the CA platform.yaml declares', () => {
    for (const cell of plan.platform.cells) {
      const trust = aws.gatewayTrusts.get(cell.id)!;
      expect([trust.stackName, trust.account]).toEqual([gatewayTrustStackId(cell.id), cell.account]);
      Template.fromStack(trust).resourcePropertiesCountIs('AWS::RolesAnywhere::TrustAnchor', { Name: cell.names.gatewayTrustAnchor, Enabled: true, Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: (cell.trustAnchor as { acmPcaArn: string }).acmPcaArn } } }, 1);
      expect(resources(cellStacks(cell.id), 'AWS::RolesAnywhere::TrustAnchor')).toHaveLength(1);
    }
  });

  test('a profile per cooperative naming exactly its uploader role', () => {
    for (const c of plan.cooperatives) {
      const t = Template.fromStack(aws.cooperatives.get(c.id)!);
      const uploader = Object.entries(t.findResources('AWS::IAM::Role', { Properties: { RoleName: c.cloud.roles.uploader } }))[0][0];
      t.resourcePropertiesCountIs('AWS::RolesAnywhere::Profile', { Name: c.cloud.gatewayProfile, RoleArns: [{ 'Fn::GetAtt': [uploader, 'Arn'] }] }, 1);
    }
  });

  test('the uploader role trusts exactly IAM Roles Anywhere, through its cell\'s trust anchor, for certificates naming its cooperative', () => {
    for (const c of plan.cooperatives) {
      const role = resources([aws.cooperatives.get(c.id)!], 'AWS::IAM::Role').find((r) => r.Properties.RoleName === c.cloud.roles.uploader)!;
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FactoryGatewaysOfThisCooperative',
            Effect: 'Allow',
            Principal: { Service: 'rolesanywhere.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetStackOutput': { StackName: gatewayTrustStackId(c.cell), Region: plan.platform.region, OutputName: GATEWAY_TRUST_ANCHOR_OUTPUT } } },
              StringEquals: { 'aws:PrincipalTag/x509Subject/CN': c.cloud.gatewayCommonName },
            },
          },
        ],
      });
      // A weak reference within the account (Fn::GetStackOutput), no export to lock the anchor.
      const trust = Template.fromStack(aws.gatewayTrusts.get(c.cell)!).toJSON();
      expect(JSON.stringify(trust)).not.toContain('"Export"');
      // Read by its name, so the cooperative stack comes out the same without the trust stack in its app.
      expect(trust.Outputs[GATEWAY_TRUST_ANCHOR_OUTPUT].Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TrustAnchor/), 'TrustAnchorArn'] });
    }
  });

  test('the account root is trusted by no uploader role', () => {
    for (const c of plan.cooperatives) {
      const role = resources([aws.cooperatives.get(c.id)!], 'AWS::IAM::Role').find((r) => r.Properties.RoleName === c.cloud.roles.uploader)!;
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toMatch(/:root/);
    }
  });

  test('fails closed without a declared CA: no anchor, no profile, and only the cooperative\'s admin role may act as uploader', () => {
    const bare = synthesize((t) => t.replace(/\ningestion:\n\s+trustAnchor:\n\s+acmPcaArn: \S+\n/, '\n').replace(/\n\s+trustAnchor:\n\s+acmPcaArn: \S+/g, ''));
    expect(bare.plan.platform.cells.every((c) => c.trustAnchor === undefined)).toBe(true);
    expect(bare.aws.gatewayTrusts.size).toBe(0);
    for (const c of bare.plan.cooperatives) {
      const t = Template.fromStack(bare.aws.cooperatives.get(c.id)!);
      expect(Object.keys(t.findResources('AWS::RolesAnywhere::Profile'))).toEqual([]);
      const admin = Object.entries(t.findResources('AWS::IAM::Role', { Properties: { RoleName: c.cloud.roles.admin } }))[0][0];
      const uploader = Object.values(t.findResources('AWS::IAM::Role', { Properties: { RoleName: c.cloud.roles.uploader } }))[0] as any;
      expect(uploader.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [admin, 'Arn'] } } }]);
    }
  });
});
