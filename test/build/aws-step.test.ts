import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aws_logs as logs } from 'aws-cdk-lib';
import { expandCheckFile, formatFailure, type CheckFinding } from '../../infra';
import { ComplianceFailure, buildAwsApp, synthAwsApp } from '../../stacks/aws/aws-app';
import { awsStep } from '../../build/aws-step';
import { runStepOnWorker } from '../../build/step-worker';
import { compileAt, sampleAwsStackCount, sampleSources } from '../support/config';
import { readTree } from '../support/files';

const plan = compileAt(sampleSources()).plan!;


const inProcess = { outDir: mkdtempSync(join(tmpdir(), 'coopidc-build-')), lines: [] as string[] };
beforeAll(() => awsStep.run({ plan, outDir: inProcess.outDir, configDir: 'config', today: '2026-11-27', env: {}, lang: 'en', log: (l) => inProcess.lines.push(l) }));

test('the build step synthesizes with CloudFormation validation on and writes every finding', () => {
  const { outDir, lines } = inProcess;
  expect(existsSync(join(outDir, 'cdk.out', 'CoopIdc-Platform.template.json'))).toBe(true);
  const findings: CheckFinding[] = expandCheckFile(JSON.parse(readFileSync(join(outDir, 'checks', 'aws.json'), 'utf8')));
  expect(new Set(findings.map((f) => f.pack))).toEqual(new Set(['AwsSolutions', 'NIST.800.53.R5', 'KoreaLaw']));
  expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  // A stack per sample cooperative, the platform's, each cell's shared zone and shared-table shards.
  expect(lines.join('\n')).toMatch(new RegExp(`aws: ${sampleAwsStackCount()} stacks → cdk\\.out; checks \\d+ passed, \\d+ acknowledged, 0 failed`));
});

test('on a worker thread (as for a large plan), the step writes the same files byte for byte and logs the same lines', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'coopidc-build-worker-'));
  const lines: string[] = [];
  await runStepOnWorker(require.resolve('../../build/aws-step'), 'awsStepInProcess', { plan, outDir, configDir: 'config', today: '2026-11-27', env: {}, lang: 'en', log: (l) => lines.push(l) });
  const a = readTree(inProcess.outDir, 'latin1');
  const b = readTree(outDir, 'latin1');
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const f of Object.keys(a)) expect({ f, content: b[f] }).toEqual({ f, content: a[f] });
  expect(lines).toEqual(inProcess.lines);
});

describe('when a check fails', () => {
  let failure: ComplianceFailure;
  beforeAll(() => {
    const aws = buildAwsApp(plan, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-fail-')), builtinValidation: false });
    // The misconfiguration: the audit log group keeps access records 30 days.
    (aws.platform.auditTrail.logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays = 30;
    try {
      synthAwsApp(aws, plan);
    } catch (e) {
      if (e instanceof ComplianceFailure) failure = e;
      else throw e;
    }
  });
  test('fails synthesis with the findings, not a stack trace', () => {
    expect(failure).toBeInstanceOf(ComplianceFailure);
  });
  test('names rule, resource, controls and fix of each failure', () => {
    const fails = failure.findings.filter((f) => f.status === 'fail');
    expect(fails).toEqual([
      expect.objectContaining({
        pack: 'KoreaLaw',
        rule: 'KoreaLaw-LogRetention',
        stack: 'CoopIdc-Platform',
        resource: 'AuditTrail/LogGroup/Resource',
        controls: ['Safety-measures standard art. 8', 'ISMS-P 2.9.4'],
      }),
    ]);
    expect(formatFailure(fails[0])).toMatch(/^KoreaLaw KoreaLaw-LogRetention platform CoopIdc-Platform\/AuditTrail\/LogGroup\/Resource: .* \(fix: Keep the records at least 731 days/);
  });
  test('still reports passes and acknowledgements', () => {
    expect(failure.findings.some((f) => f.status === 'pass')).toBe(true);
    expect(failure.findings.some((f) => f.status === 'acknowledged')).toBe(true);
  });
});
