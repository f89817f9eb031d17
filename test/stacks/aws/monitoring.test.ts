/**
 * Monitoring as code, on generated configurations (never config/): every cooperative with
 * ingestion has each alarm with actions, a cooperative without datasets has no dataset alarm,
 * topics are encrypted with their own keys, one dashboard per account holding cooperatives.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parse, stringify } from 'yaml';
import type { ConfigSources, CooperativePlan, TenancyPlan } from '../../../infra';
import { INGESTION_METRICS } from '../../../infra/shared-names';
import { generateSources } from '../../../infra/testing/synthetic';
import { awsStackLayout, buildAwsApp, monitoringStackId, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { awsStackCount, compileAt } from '../../support/config';

function handlerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
  return dir;
}

/** Generated sources: the first cooperative loses its datasets (and agreements), the second's first dataset declares expectedEvery. */
function sources(cellCapacity: number): ConfigSources {
  const base = generateSources({ n: 4, seed: 23, cellCapacity });
  const cooperatives = base.cooperatives.map((c, i) => {
    const doc = parse(c.text);
    if (i === 0) {
      doc.datasets = [];
      doc.sharing = [];
    }
    if (i === 1) {
      doc.datasets[0].expectedEvery = '2d';
      doc.datasets[0].monitoring = { quarantineRatio: 0.25 };
    }
    return { ...c, text: stringify(doc) };
  });
  return { ...base, cooperatives };
}

function build(cellCapacity: number): { plan: TenancyPlan; aws: AwsApp; failed: number } {
  const plan = compileAt(sources(cellCapacity)).plan!;
  const dir = handlerDir();
  const aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-cdk-')), builtinValidation: false, ingestion: { objectHandlerCodeDir: dir, apiHandlerCodeDir: dir } });
  const findings = synthAwsApp(aws, plan).findings;
  return { plan, aws, failed: findings.filter((f) => f.status === 'fail').length };
}

const FUNCTION_ALARMS = ['object-errors', 'object-throttles', 'object-duration', 'api-errors', 'api-throttles', 'api-duration', 'dead-letters'];
const alarmsOf = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
const suffixes = (c: CooperativePlan, t: Template) => alarmsOf(t).map((a) => (a.AlarmName as string).slice(c.monitoring.alarmPrefix.length + 1)).sort();

describe('in cells', () => {
  let plan: TenancyPlan;
  let aws: AwsApp;
  let failed: number;
  beforeAll(() => ({ plan, aws, failed } = build(2)));
  const template = (c: CooperativePlan) => Template.fromStack(aws.cooperatives.get(c.id)!);

  test('passes every check without a new acknowledgement', () => {
    expect(failed).toBe(0);
  });
  test('every cooperative has each function alarm, and each dataset its quarantine alarm (no data where declared)', () => {
    for (const c of plan.cooperatives) {
      const expected = [
        ...FUNCTION_ALARMS,
        ...c.monitoring.datasets.flatMap((d) => [`${d.dataset}-quarantine`, ...(d.expectedEverySeconds !== undefined ? [`${d.dataset}-no-data`] : [])]),
      ].sort();
      expect(suffixes(c, template(c))).toEqual(expected);
    }
  });
  test('a cooperative without datasets has no dataset alarm, only alarms of the functions it has', () => {
    const empty = plan.cooperatives.find((c) => c.datasets.length === 0)!;
    expect(suffixes(empty, template(empty))).toEqual([...FUNCTION_ALARMS].sort());
    // Each of them watches a function or the queue of its own stack.
    for (const a of alarmsOf(template(empty))) expect(JSON.stringify(a.Dimensions)).toMatch(/"(Ref":|Fn::GetAtt":\[)"Ingestion/);
  });
  test('no alarm without actions: each notifies the cooperative\'s topic and the platform topic, on ALARM and on OK', () => {
    for (const c of plan.cooperatives) {
      const t = template(c);
      const [topicId] = Object.keys(t.findResources('AWS::SNS::Topic'));
      const platformTopic = `:sns:${plan.platform.region}:${c.account}:${plan.platform.monitoring.platformAlarmTopic}`;
      for (const a of alarmsOf(t)) {
        expect(a.ActionsEnabled ?? true).toBe(true);
        for (const actions of [a.AlarmActions, a.OKActions]) {
          expect(actions).toHaveLength(2);
          expect(actions).toContainEqual({ Ref: topicId });
          expect(JSON.stringify(actions)).toContain(platformTopic);
        }
      }
    }
  });
  test('the cooperative topic is encrypted with its own key, TLS-only, and its key admits CloudWatch for that topic only', () => {
    const c = plan.cooperatives[1];
    const t = template(c);
    const [keyId] = Object.keys(t.findResources('AWS::KMS::Key'));
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: c.monitoring.alarmTopic, KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Sid: 'PublishByAlarmsOfThisAccount', Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': c.account } }) }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsPublishToAlarmTopic',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
  test('thresholds: duration near the timeout, quarantine share per dataset, silence in one-day periods beyond a day', () => {
    const c = plan.cooperatives[1];
    const alarms = new Map(alarmsOf(template(c)).map((a) => [(a.AlarmName as string).slice(c.monitoring.alarmPrefix.length + 1), a]));
    expect(alarms.get('object-duration')).toMatchObject({ MetricName: 'Duration', Statistic: 'Maximum', Threshold: 900000 * 0.8, ComparisonOperator: 'GreaterThanThreshold' });
    const d = c.monitoring.datasets[0];
    expect(d.quarantineRatio).toBe(0.25);
    expect(alarms.get(`${d.dataset}-quarantine`)).toMatchObject({ Threshold: 0.25, TreatMissingData: 'notBreaching' });
    expect(alarms.get(`${d.dataset}-no-data`)).toMatchObject({
      EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
      Namespace: INGESTION_METRICS.namespace, MetricName: INGESTION_METRICS.rowsIn, Statistic: 'SampleCount', Period: 86400,
      Dimensions: [{ Name: 'Cooperative', Value: c.id }, { Name: 'Dataset', Value: d.dataset }],
    });
  });
  test('one monitoring stack per cell, in the cell account: the platform topic under its own key, and a dashboard', () => {
    expect([...aws.monitoring.keys()].sort()).toEqual(plan.platform.cells.map((c) => monitoringStackId(c.id)).sort());
    for (const cell of plan.platform.cells) {
      const m = aws.monitoring.get(monitoringStackId(cell.id))!;
      expect(m.account).toBe(cell.account);
      const t = Template.fromStack(m);
      t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const [keyId] = Object.keys(t.findResources('AWS::KMS::Key'));
      t.hasResourceProperties('AWS::SNS::Topic', { TopicName: plan.platform.monitoring.platformAlarmTopic, KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    }
  });
  test('each cooperative stack is deployed after its account\'s monitoring stack', () => {
    for (const c of plan.cooperatives) {
      expect(aws.cooperatives.get(c.id)!.dependencies.map((s) => s.stackName)).toContain(monitoringStackId(c.cell));
    }
  });
  test('the stack count follows the formula', () => {
    expect(awsStackLayout(plan, { ingestion: true })).toHaveLength(awsStackCount(plan));
  });
});

describe('without cells', () => {
  test('the data-lake account gets one monitoring stack for its cooperatives', () => {
    const { plan, aws, failed } = build(0);
    expect(failed).toBe(0);
    expect([...aws.monitoring.keys()]).toEqual([monitoringStackId(undefined)]);
    expect(aws.monitoring.get(monitoringStackId(undefined))!.account).toBe(plan.platform.account);
    expect(awsStackLayout(plan, { ingestion: true })).toHaveLength(awsStackCount(plan));
  });
});
