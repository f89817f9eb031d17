import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { APP_RESOURCE_TYPES, buildAwsApp } from '../../stacks/aws/aws-app';
import { WorkerValidation } from '../../build/parallel-validation';
import { compileAt, sampleSources } from '../support/config';

// Creation stack traces name the calling line, which differs between the two apps.
const NO_TRACES = { 'aws:cdk:disable-creation-stack-traces': true };
const env = { account: '111122223333', region: 'ap-northeast-2' };

/**
 * Three stacks sharing two misconfigurations, so the report groups resources across stacks;
 * `retention` changes the middle stack's template.
 */
function populate(app: App, synthesizer?: () => ReturnType<WorkerValidation['synthesizer']>, retention = 'one week'): void {
  for (let i = 0; i < 3; i++) {
    const stack = new Stack(app, `S${i}`, { env, ...(synthesizer ? { synthesizer: synthesizer() } : {}) });
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: i === 1 ? retention : 'one week', NoSuchProperty: i } });
    if (i !== 1) new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic', properties: { TopicName: 7 } });
  }
}

/** Synthesizes and returns aws-cdk-lib's validation report (schema findings are warnings by default). */
function report(app: App): unknown {
  app.synth();
  return JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
}

describe('CloudFormation validation on a worker, stack by stack', () => {
  let inProcess: any;
  let worker: any;
  let validation: WorkerValidation;
  beforeAll(() => {
    const plain = new App({ outdir: mkdtempSync(join(tmpdir(), 'coopidc-val-a-')), stackTraces: false, context: NO_TRACES });
    populate(plain);
    inProcess = report(plain);

    validation = new WorkerValidation();
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'coopidc-val-b-')), stackTraces: false, context: NO_TRACES, builtinCloudFormationValidation: false });
    populate(app, () => validation.synthesizer());
    // Warmed for more types than the app has, as the build does (APP_RESOURCE_TYPES): rules of
    // absent types find nothing.
    validation.warm(['AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::S3::Bucket']);
    Validations.of(app).addPlugins(validation.plugin());
    try {
      worker = report(app);
    } finally {
      validation.dispose();
    }
  }, 60_000);

  test('gives exactly the report of the built-in plugin over all stacks', () => {
    // The misconfigurations are caught at all, grouped across stacks (a report without
    // violations would prove nothing).
    const f3012 = inProcess.pluginReports[0].violations.find((v: any) => v.ruleName === 'F3012');
    expect(f3012.violatingConstructs.map((c: any) => c.constructPath)).toEqual(['S0/Queue', 'S1/Queue', 'S2/Queue']);
    expect(worker).toEqual(inProcess);
    expect(JSON.stringify(worker)).toBe(JSON.stringify(inProcess));
  });

  test('validated every stack as soon as it was written', () => {
    expect(validation.validatedEarly).toBe(3);
  });
});

describe('with a cache of per-stack reports', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'coopidc-val-cache-'));
  /** Synthesizes the three stacks in a fresh folder through a cached worker; the report and the cache counts. */
  function cached(retention?: string): { report: any; cache: { hits: number; misses: number } } {
    const validation = new WorkerValidation(undefined, { cacheDir });
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'coopidc-val-c-')), stackTraces: false, context: NO_TRACES, builtinCloudFormationValidation: false });
    populate(app, () => validation.synthesizer(), retention);
    validation.warm(['AWS::SQS::Queue', 'AWS::SNS::Topic']);
    Validations.of(app).addPlugins(validation.plugin());
    try {
      return { report: report(app), cache: validation.cache };
    } finally {
      validation.dispose();
    }
  }
  function inProcess(retention?: string): unknown {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'coopidc-val-p-')), stackTraces: false, context: NO_TRACES });
    populate(app, undefined, retention);
    return report(app);
  }
  let cold: ReturnType<typeof cached>;
  let warm: ReturnType<typeof cached>;
  let changed: ReturnType<typeof cached>;
  /** Entries whose mtime the warm run refreshed. */
  let touched: number;
  const LONG_AGO = new Date(Date.UTC(2020, 0, 1));
  beforeAll(() => {
    cold = cached();
    // Dated back, as if last used long ago: the warm run's hits must mark them used.
    for (const f of readdirSync(cacheDir)) utimesSync(join(cacheDir, f), LONG_AGO, LONG_AGO);
    warm = cached();
    touched = readdirSync(cacheDir).filter((f) => statSync(join(cacheDir, f)).mtimeMs !== LONG_AGO.getTime()).length;
    changed = cached('two weeks');
  }, 120_000);

  test('a hit marks its entry as used, so that pruning keeps it', () => {
    expect(touched).toBe(3);
  });

  test('a warm run gives byte for byte the report of a cold run, from another folder', () => {
    expect(cold.cache).toEqual({ hits: 0, misses: 3, rejected: 0, verified: 0 });
    expect(warm.cache).toEqual({ hits: 3, misses: 0, rejected: 0, verified: 0 });
    expect(JSON.stringify(warm.report)).toBe(JSON.stringify(cold.report));
    expect(JSON.stringify(cold.report)).toBe(JSON.stringify(inProcess()));
  });

  test('a changed template misses the cache and is validated again', () => {
    expect(changed.cache).toEqual({ hits: 2, misses: 1, rejected: 0, verified: 0 });
    expect(JSON.stringify(changed.report)).toBe(JSON.stringify(inProcess('two weeks')));
    expect(JSON.stringify(changed.report)).toMatch(/'two weeks' is not of type 'integer'/);
  });
});

test('the types the validation worker warms for cover every resource of the app', () => {
  const aws = buildAwsApp(compileAt(sampleSources()).plan!, { outdir: mkdtempSync(join(tmpdir(), 'coopidc-types-')), builtinValidation: false, checks: false });
  const types = new Set(aws.app.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.cfnResourceType));
  expect([...types].filter((t) => !APP_RESOURCE_TYPES.includes(t))).toEqual([]);
});
