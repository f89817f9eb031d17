/**
 * The offboarding stack replaces nothing stateful: deploying it over the active stack
 * updates the same key, buckets, database and tables (same logical ids), and removes what
 * offboarding takes away. Plus the plan-level pieces the end-to-end test does not isolate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { compile, type ConfigSources, type TenancyPlan } from '../../../infra';
import { lifecycleViolations, offboardingOf } from '../../../infra/report';
import { buildAwsApp } from '../../../stacks/aws/aws-app';
import { formatPlanSummary } from '../../../infra/plan/format';
import { LIFECYCLE_PLATFORM, STAYING_COOP, leavingCoop } from '../../support/lifecycle-fixture';

const OFFBOARDING = 'status: offboarding\nsince: "2026-12-01"\nretainUntil: "2027-12-01"\n';
const sources = (leaving: string | undefined): ConfigSources => ({
  platform: { displayPath: 'config/platform.yaml', relativePath: 'platform.yaml', text: LIFECYCLE_PLATFORM },
  cooperatives: [
    ...(leaving === undefined ? [] : [{ displayPath: 'config/cooperatives/leaving-coop.yaml', relativePath: 'cooperatives/leaving-coop.yaml', text: leaving }]),
    { displayPath: 'config/cooperatives/staying-coop.yaml', relativePath: 'cooperatives/staying-coop.yaml', text: STAYING_COOP },
  ],
});
const planOf = (leaving: string | undefined, today = '2026-12-05'): TenancyPlan => {
  const r = compile(sources(leaving), { today });
  expect(r.diagnostics).toEqual([]);
  return r.plan!;
};

const STATEFUL = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::S3::Bucket', 'AWS::Glue::Database', 'AWS::Glue::Table'];
function statefulIds(plan: TenancyPlan): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-offboarding-'));
  try {
    const aws = buildAwsApp(plan, { outdir: dir, builtinValidation: false, checks: false });
    const stack = aws.cooperatives.get('leaving-coop') ?? aws.offboarding.get('leaving-coop')!;
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
    return Object.entries(resources).filter(([, r]) => STATEFUL.includes(r.Type)).map(([id, r]) => `${r.Type} ${id}`).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('offboarding stack', () => {
  test('keeps the logical id of every stateful resource of the active stack (updated in place, never replaced)', () => {
    const active = statefulIds(planOf(leavingCoop()));
    expect(active.length).toBeGreaterThanOrEqual(7);
    expect(statefulIds(planOf(leavingCoop(OFFBOARDING)))).toEqual(active);
  });

  test('fails when the offboarding stack is given an active cooperative', () => {
    const { OffboardingCooperativeStack } = require('../../../stacks/aws/offboarding-cooperative-stack') as typeof import('../../../stacks/aws/offboarding-cooperative-stack');
    const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const plan = planOf(leavingCoop());
    expect(() => new OffboardingCooperativeStack(new App(), 'X', { plan, cooperative: plan.cooperatives[0] })).toThrow(/is not offboarding/);
  });
});

describe('report --since lifecycle violations', () => {
  const active = planOf(leavingCoop());
  const offboarding = planOf(leavingCoop(OFFBOARDING));
  const removed = planOf(leavingCoop('status: removed\nsince: "2026-12-01"\nretainUntil: "2027-12-01"\n'), '2027-12-02');
  const deleted = planOf(undefined);

  test('offboarding → removed → deleted is clean, step by step', () => {
    expect(lifecycleViolations(active, offboarding)).toEqual([]);
    expect(lifecycleViolations(offboarding, removed)).toEqual([]);
    expect(lifecycleViolations(removed, deleted)).toEqual([]);
  });

  test('fails when a file is deleted while active or offboarding', () => {
    expect(lifecycleViolations(active, deleted).map((v) => [v.code, v.cooperative, v.from, v.source])).toEqual([['deleted-without-offboarding', 'leaving-coop', 'active', 'cooperatives/leaving-coop.yaml']]);
    expect(lifecycleViolations(offboarding, deleted).map((v) => [v.code, v.from])).toEqual([['deleted-without-offboarding', 'offboarding']]);
  });

  test('fails when an active file turns straight to removed', () => {
    expect(lifecycleViolations(active, removed).map((v) => v.code)).toEqual(['removed-without-offboarding']);
  });
});

describe('offboarding evidence', () => {
  const plan = planOf(leavingCoop(OFFBOARDING));

  test('every step passes on the plan and a stack holding none of the revoked resources', () => {
    const [o] = offboardingOf(plan, () => ['AWS::S3::Bucket', 'AWS::KMS::Key']);
    expect(o.steps.every((s) => s.status === 'pass')).toBe(true);
    expect(o.steps[0].evidence).toContain('2 agreement(s) revoked');
  });

  test('fails the step when the synthesized stack still holds a grant or an ingestion function', () => {
    const [o] = offboardingOf(plan, () => ['AWS::LakeFormation::PrincipalPermissions', 'AWS::Lambda::Function']);
    expect(o.steps.filter((s) => s.status === 'fail').map((s) => s.step)).toEqual(['grants-revoked', 'ingestion-removed']);
  });

  test('coop-idc plan lists the leaving cooperative', () => {
    expect(formatPlanSummary(plan, 'en')).toContain('leaving-coop: offboarding since 2026-12-01; 2 agreement(s) revoked; data read-only until 2027-12-01, expires 2027-12-02; models at zero: forecaster, scorer');
    expect(formatPlanSummary(planOf(leavingCoop()), 'en')).not.toContain('Leaving');
    expect(formatPlanSummary(plan, 'ko')).toContain('leaving-coop: 2026-12-01부터 오프보딩; 협정 2개 회수; 2027-12-01까지 데이터 읽기 전용, 2027-12-02에 만료; 0으로 줄인 모델: forecaster, scorer');
  });

    test('fails the IDC step when a model is not at zero replicas', () => {
    const coop = plan.cooperatives.find((c) => c.id === 'leaving-coop')!;
    const broken: TenancyPlan = { ...plan, cooperatives: [{ ...coop, idc: { ...coop.idc!, models: coop.idc!.models.map((m) => ({ ...m, replicas: 1 })) } }] };
    expect(offboardingOf(broken).find((o) => o.id === 'leaving-coop')!.steps.find((s) => s.step === 'idc-scaled-to-zero')!.status).toBe('fail');
  });
});
