import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, COOPERATIVE_LIMITS, type TenancyPlan } from '../../../infra';
import { CFN_QUOTAS, checkCfnLimits, type TemplateInput } from '../../../infra/checks/aws';
import { generateSources } from '../../../infra/testing/synthetic';
import { buildAwsApp } from '../../../stacks/aws/aws-app';
import { readTemplates } from '../../../build/aws-step';


/** The largest cooperative the schema allows, next to two ordinary ones, synthesized once. */
let largest: TemplateInput;
let templates: TemplateInput[];
let plan: TenancyPlan;
beforeAll(() => {
  const result = compile(generateSources({ n: 1, seed: 7, large: true }), { today: '2026-11-27' });
  plan = result.plan!;
  const outdir = mkdtempSync(join(tmpdir(), 'coopidc-limits-'));
  // The ingestion functions add resources to every cooperative stack: count them too.
  const code = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(code, 'index.js'), 'exports.handler = async () => undefined;\n');
  const aws = buildAwsApp(plan, { outdir, builtinValidation: false, checks: false, ingestion: { objectHandlerCodeDir: code, apiHandlerCodeDir: code, statsHandlerCodeDir: code } });
  aws.app.synth();
  templates = readTemplates(outdir, aws.cooperativeOf);
  largest = templates.find((t) => t.cooperative === 'coop-0000')!;
});

test('the largest cooperative the schema allows has the maximum of everything', () => {
  const coop = plan.cooperatives[0];
  expect(coop.datasets).toHaveLength(COOPERATIVE_LIMITS.datasets);
  expect(coop.datasets.every((d) => d.columns.length === COOPERATIVE_LIMITS.fieldsPerDataset)).toBe(true);
  expect(plan.grants.filter((g) => g.cooperative === coop.id)).toHaveLength(COOPERATIVE_LIMITS.agreements);
});

test('its stack stays under 80 % of every CloudFormation quota', () => {
  const findings = checkCfnLimits(templates);
  expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  expect(findings.filter((f) => f.stack === largest.stack).map((f) => f.rule).sort()).toEqual([
    'CfnLimits-Mappings',
    'CfnLimits-Outputs',
    'CfnLimits-Parameters',
    'CfnLimits-Resources',
    'CfnLimits-TemplateSize',
  ]);
  // Template size is the binding quota: keep a real margin, not just "under".
  expect(largest.bytes).toBeLessThan(0.8 * CFN_QUOTAS.templateBytes);
});

describe('fails when a stack nears a quota', () => {
  test('fails when a template exceeds 80 % of the size quota, naming stack, value and fix', () => {
    const grown: TemplateInput = { ...largest, bytes: 800_001 };
    const [fail] = checkCfnLimits([grown]).filter((f) => f.status === 'fail');
    expect(fail).toMatchObject({ pack: 'CfnLimits', rule: 'CfnLimits-TemplateSize', stack: largest.stack, cooperative: 'coop-0000' });
    expect(fail.message).toMatch(/800001 template bytes is 80\.0 % of CloudFormation's quota of 1000000/);
    expect(fail.fix).toMatch(/COOPERATIVE_LIMITS/);
  });

  test('fails when a stack has more than 400 resources', () => {
    const resources = Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`R${i}`, { Type: 'AWS::SQS::Queue' }]));
    const findings = checkCfnLimits([{ stack: 'CoopIdc-Platform', bytes: 1000, template: { Resources: resources } }]);
    expect(findings.filter((f) => f.status === 'fail').map((f) => f.rule)).toEqual(['CfnLimits-Resources']);
  });

  test('fails when the real largest stack is held to a tighter threshold', () => {
    // Same synthesized template, 10 % threshold: proves the check reads the real template.
    const rules = checkCfnLimits([largest], 0.1).filter((f) => f.status === 'fail').map((f) => f.rule);
    expect(rules).toContain('CfnLimits-TemplateSize');
  });

  test('fails on outputs, parameters and mappings beyond 160', () => {
    const many = Object.fromEntries(Array.from({ length: 161 }, (_, i) => [`X${i}`, {}]));
    const findings = checkCfnLimits([{ stack: 'S', bytes: 10, template: { Outputs: many, Parameters: many, Mappings: many } }]);
    expect(findings.filter((f) => f.status === 'fail').map((f) => f.rule).sort()).toEqual(['CfnLimits-Mappings', 'CfnLimits-Outputs', 'CfnLimits-Parameters']);
  });
});
