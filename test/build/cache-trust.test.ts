/**
 * The build cache is not trusted as it is: an entry that was edited, truncated, swapped or
 * damaged is a miss (the real result comes back), and `--verify-cache` recomputes every
 * replayed result, which also catches an edit whose author recomputed the checksum.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aws_logs as logs, CfnResource } from 'aws-cdk-lib';
import type { CheckFinding } from '../../infra';
import { ComplianceFailure, buildAwsApp, synthAwsApp, type AwsApp } from '../../stacks/aws/aws-app';
import { createAwsStep } from '../../build/aws-step';
import { cachingResults, NagCache } from '../../build/nag-cache';
import { WorkerValidation } from '../../build/parallel-validation';
import { sealEntry } from '../../build/build-cache';
import { formatMessage } from '../../infra/config/messages';
import { selectCooperative } from '../../infra';
import { awsStackCount, compileAt, sampleSources, TODAY } from '../support/config';

// The platform and one cooperative: the misconfigurations are the platform's, and fewer
// stacks keep the many syntheses here short.
const full = compileAt(sampleSources()).plan!;
const plan = selectCooperative(full, full.cooperatives[0].id)!;
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  roots.push(d);
  return d;
}

interface Run {
  readonly failed: boolean;
  readonly fails: readonly CheckFinding[];
  readonly app: AwsApp;
  readonly validation?: WorkerValidation;
  readonly nag?: NagCache;
}

/** One synthesis of the sample app with `change` applied, through the caches in `cache`. */
function run(cache: string, change: (aws: AwsApp) => void, options: { nag?: boolean; verify?: boolean } = {}): Run {
  const outdir = tmp('coopidc-trust-out-');
  const nag = options.nag ?? false;
  const validation = new WorkerValidation(undefined, { cacheDir: join(cache, 'cfn-validate'), verify: options.verify ?? false });
  const nagCache = nag ? new NagCache(join(cache, 'cdk-nag'), undefined, options.verify ?? false) : undefined;
  const aws = buildAwsApp(plan, {
    outdir,
    builtinValidation: true,
    validation,
    checks: nag,
    ...(nagCache ? { decoratePacks: (Pack, passes) => cachingResults(Pack, passes, nagCache) } : {}),
  });
  change(aws);
  const caches = { validation, ...(nagCache ? { nag: nagCache } : {}) };
  try {
    synthAwsApp(aws, plan);
    return { failed: false, fails: [], app: aws, ...caches };
  } catch (e) {
    if (!(e instanceof ComplianceFailure)) throw e;
    return { failed: true, fails: e.findings.filter((f) => f.status === 'fail'), app: aws, ...caches };
  }
}

/**
 * The misconfiguration only CloudFormation validation sees: a property the resource type
 * does not have (cdk-nag does not read it, and a stack with an override is never taken from
 * the cdk-nag cache).
 */
const unknownProperty = (aws: AwsApp) => {
  (aws.platform.auditTrail.logGroup.node.defaultChild as CfnResource).addPropertyOverride('NoSuchProperty', 1);
};

/** The cache entries of `folder` whose JSON text matches `pattern`. */
function entriesMatching(folder: string, pattern: RegExp): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(folder, f))
    .filter((f) => pattern.test(readFileSync(f, 'utf8')));
}

/** Rewrites an entry's JSON through `edit`, keeping its recorded checksum (a naive edit). */
function edit(file: string, change: (entry: any) => void): void {
  const entry = JSON.parse(readFileSync(file, 'utf8'));
  change(entry);
  writeFileSync(file, JSON.stringify(entry));
}

/** Rewrites an entry's content and seals it again: an edit by someone who knows the format. */
function forge(file: string, change: (content: any) => void): void {
  const entry = JSON.parse(readFileSync(file, 'utf8'));
  change(entry.content);
  writeFileSync(file, JSON.stringify(sealEntry(entry.kind, entry.key, entry.content)));
}

/** A copy of a cache filled by one cold run, its result, and the entry holding the violation. */
function copyOf(pristine: { cache: string; cold: Run }, folder: string, pattern: RegExp): { cache: string; cold: Run; file: string } {
  const cache = tmp('coopidc-trust-copy-');
  cpSync(pristine.cache, cache, { recursive: true });
  const files = entriesMatching(join(cache, folder), pattern);
  expect(files).toHaveLength(1);
  return { cache, cold: pristine.cold, file: files[0] };
}

describe('a cached CloudFormation validation report', () => {
  let pristine: { cache: string; cold: Run };
  beforeAll(() => {
    const cache = tmp('coopidc-trust-cache-');
    pristine = { cache, cold: run(cache, unknownProperty) };
  }, 120_000);
  const failingValidationEntry = () => copyOf(pristine, 'cfn-validate', /NoSuchProperty/);

  test('fails when a failing report is edited to success: the edit is a miss and the failure comes back', () => {
    const { cache, cold, file } = failingValidationEntry();
    expect(cold.failed).toBe(true);
    expect(cold.fails.map((f) => `${f.stack}/${f.resource}`)).toEqual(['CoopIdc-Platform/AuditTrail/LogGroup/Resource']);
    edit(file, (e) => {
      e.content.report = { success: true, violations: [] };
    });
    const warm = run(cache, unknownProperty);
    expect(warm.failed).toBe(true);
    expect(warm.fails).toEqual(cold.fails);
    expect(warm.validation!.cache).toMatchObject({ rejected: 1 });
    // Computed again and rewritten: the next run hits it.
    const again = run(cache, unknownProperty);
    expect(again.validation!.cache).toMatchObject({ rejected: 0, misses: 0 });
    expect(again.fails).toEqual(cold.fails);
  }, 120_000);

  /** Swaps the file with the violation and another entry's file: each then names another key. */
  const swap = (file: string) => {
    const folder = join(file, '..');
    const other = readdirSync(folder).map((f) => join(folder, f)).find((f) => f !== file)!;
    const [a, b] = [readFileSync(file), readFileSync(other)];
    writeFileSync(file, b);
    writeFileSync(other, a);
  };

  test.each([
    ['truncated', (f: string) => truncateSync(f, 40), 1],
    ['its recorded key is changed', (f: string) => edit(f, (e) => (e.key.stack = 'CoopIdc-Other')), 1],
    ['its checksum is changed', (f: string) => edit(f, (e) => (e.checksum = '0'.repeat(64))), 1],
    ['it is not JSON', (f: string) => writeFileSync(f, 'not json'), 1],
    ['two entries swap files (both are misses)', swap, 2],
  ])('fails when %s: a miss, and the failure comes back', (_what, damage, rejected) => {
    const { cache, cold, file } = failingValidationEntry();
    damage(file);
    const warm = run(cache, unknownProperty);
    expect(warm.fails).toEqual(cold.fails);
    expect(warm.validation!.cache).toMatchObject({ rejected });
  }, 120_000);

  test('fails under --verify-cache when a forged entry carries a consistent checksum', () => {
    const { cache, cold, file } = failingValidationEntry();
    forge(file, (c) => (c.report = { success: true, violations: [] }));
    // Sealed again, the entry passes the checksum: only recomputing shows the lie.
    const trusting = run(cache, unknownProperty);
    expect(trusting.validation!.cache).toMatchObject({ rejected: 0 });
    expect(trusting.failed).toBe(false);
    forge(file, (c) => (c.report = { success: true, violations: [] }));
    const verified = run(cache, unknownProperty, { verify: true });
    expect(verified.fails).toEqual(cold.fails);
    expect(verified.validation!.mismatches.map((m) => ({ ...m, check: formatMessage('en', m.check), difference: formatMessage('en', m.difference) }))).toEqual([
      expect.objectContaining({ stack: 'CoopIdc-Platform', check: 'CloudFormation validation', difference: expect.stringMatching(/^cached: no violation; recomputed: 1 violation \([A-Z]\d+ on AuditTrailLogGroup[0-9A-F]{8}\)$/) }),
    ]);
    expect(formatMessage('ko', verified.validation!.mismatches[0].difference)).toMatch(/^캐시: 위반 없음; 다시 계산: 위반 1개 \(AuditTrailLogGroup[0-9A-F]{8}의 [A-Z]\d+\)$/);
  }, 120_000);
});

/** The misconfiguration: the platform's audit log group keeps access records 30 days. */
const shortRetention = (aws: AwsApp) => {
  (aws.platform.auditTrail.logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays = 30;
};

describe('cached cdk-nag results', () => {
  let pristine: { cache: string; cold: Run };
  beforeAll(() => {
    const cache = tmp('coopidc-trust-nag-');
    pristine = { cache, cold: run(cache, shortRetention, { nag: true }) };
  }, 120_000);
  const failingNagEntry = () => copyOf(pristine, 'cdk-nag', /"ruleName":"KoreaLaw-LogRetention"/);

  test('fails when a violation is flipped to compliant: a miss, and the failure comes back', () => {
    const { cache, cold, file } = failingNagEntry();
    expect(cold.fails.map((f) => f.rule)).toEqual(['KoreaLaw-LogRetention']);
    edit(file, (e) => (e.content.violations = []));
    const warm = run(cache, shortRetention, { nag: true });
    expect(warm.fails).toEqual(cold.fails);
    expect(warm.nag!.counts).toMatchObject({ rejected: 1 });
  }, 120_000);

  test('fails under --verify-cache when a forged entry carries a consistent checksum, naming stack, pack and difference', () => {
    const { cache, cold, file } = failingNagEntry();
    forge(file, (c) => (c.violations = []));
    const verified = run(cache, shortRetention, { nag: true, verify: true });
    expect(verified.fails).toEqual(cold.fails);
    expect(verified.nag!.counts).toMatchObject({ rejected: 0 });
    expect(verified.nag!.mismatches.map((m) => ({ ...m, check: formatMessage('en', m.check), difference: formatMessage('en', m.difference) }))).toEqual([
      { stack: 'CoopIdc-Platform', check: 'cdk-nag KoreaLaw', difference: 'cached: no violation; recomputed: 1 violation (KoreaLaw-LogRetention on CoopIdc-Platform/AuditTrail/LogGroup/Resource)' },
    ]);
  }, 120_000);
});

describe('the AWS build step', () => {
  test('says once, in one line, how many entries it rejected and where, and counts computed and replayed results', async () => {
    const cache = tmp('coopidc-trust-step-');
    const step = createAwsStep();
    const build = async () => {
      const lines: string[] = [];
      const counted: unknown[] = [];
      await step.run({ plan, outDir: tmp('coopidc-trust-step-out-'), configDir: 'config', today: TODAY, env: {}, lang: 'en', log: (l) => lines.push(l), cacheDir: cache, countCheckResults: (c) => void counted.push(c) });
      return { cacheLines: lines.filter((l) => l.startsWith('cache:')), counted };
    };
    // One result per stack (the platform's, the cooperative's, its cell's shared zone and
    // shared-table stack) and check: CloudFormation validation and three cdk-nag packs.
    const results = awsStackCount(plan, { ingestion: false }) * 4;
    const cold = await build();
    expect(cold).toEqual({ cacheLines: [], counted: [{ computed: results, replayed: 0, verified: 0, rejected: 0 }] });
    // Whole units (aws-units/) and cooperative stacks (aws-stacks/) would be restored before
    // any check result is read: without them, every stack is built again and reads its entries.
    rmSync(join(cache, 'aws-units'), { recursive: true });
    rmSync(join(cache, 'aws-stacks'), { recursive: true });
    truncateSync(join(cache, 'cfn-validate', readdirSync(join(cache, 'cfn-validate')).sort()[0]), 10);
    // An entry with passes, so that emptying them is an edit (which entry sorts first depends on the code's hash).
    const withPasses = readdirSync(join(cache, 'cdk-nag')).sort().find((f) => JSON.parse(readFileSync(join(cache, 'cdk-nag', f), 'utf8')).content.passes.length > 0)!;
    edit(join(cache, 'cdk-nag', withPasses), (e) => (e.content.passes = []));
    const warm = await build();
    expect(warm).toEqual({
      cacheLines: [`cache: rejected 2 damaged or edited entries (1 in ${join(cache, 'cfn-validate')}, 1 in ${join(cache, 'cdk-nag')}): checksum or recorded key did not match; computed again and rewritten`],
      counted: [{ computed: 2, replayed: results - 2, verified: 0, rejected: 2 }],
    });
  }, 180_000);
});
