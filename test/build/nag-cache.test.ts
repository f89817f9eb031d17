import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aws_logs as logs, aws_s3 as s3, Validations } from 'aws-cdk-lib';
import { propsOf } from '../../infra/checks/aws';
import { expandCheckFile } from '../../infra/checks/findings';
import { ComplianceFailure, buildAwsApp, synthAwsApp, type AwsApp } from '../../stacks/aws/aws-app';
import { cachingResults, NagCache } from '../../build/nag-cache';
import { sourceFiles, sourceHash } from '../../build/source-files';
import { compileAt, sampleAwsStackCount, sampleSources } from '../support/config';

const plan = compileAt(sampleSources()).plan!;
const cacheDir = mkdtempSync(join(tmpdir(), 'coopidc-nag-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** An mtime no build gives an entry. */
const LONG_AGO = new Date(Date.UTC(2020, 0, 1));

/** Every stack (the platform's, each sample cooperative's, each cell's shared zone and shared-table shards) × 3 packs. */
const RESULTS = sampleAwsStackCount(undefined, { ingestion: false }) * 3;

interface Run {
  /** `checks/aws.json` as the build writes it. */
  readonly findings: string;
  /** aws-cdk-lib's validation report. */
  readonly report: string;
  readonly failed: boolean;
  readonly cache?: { readonly hits: number; readonly misses: number };
}

/**
 * Synthesizes the sample app into a fresh folder, with the cache or without; `change` alters
 * the app before synthesis. Built-in validation is off: the report holds the packs only.
 */
function run(options: { cache?: boolean; change?: (aws: AwsApp) => void; sources?: string } = {}): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'coopidc-nag-'));
  try {
    const nagCache = options.cache ? (options.sources !== undefined ? new NagCache(cacheDir, options.sources) : new NagCache(cacheDir)) : undefined;
    const aws = buildAwsApp(plan, { outdir, builtinValidation: false, ...(nagCache ? { decoratePacks: (Pack, passes) => cachingResults(Pack, passes, nagCache) } : {}) });
    options.change?.(aws);
    let findings;
    let failed = false;
    try {
      findings = synthAwsApp(aws, plan).findings;
    } catch (e) {
      if (!(e instanceof ComplianceFailure)) throw e;
      findings = e.findings;
      failed = true;
    }
    return {
      findings: `${JSON.stringify({ findings }, null, 2)}\n`,
      report: readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
      failed,
      ...(nagCache ? { cache: nagCache.counts } : {}),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The misconfiguration: the platform's audit log group keeps access records 30 days. */
const shortRetention = (aws: AwsApp) => {
  (aws.platform.auditTrail.logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays = 30;
};

describe('cdk-nag results cached per stack', () => {
  let reference: Run;
  let cold: Run;
  let warm: Run;
  beforeAll(() => {
    reference = run({ change: shortRetention });
    cold = run({ cache: true, change: shortRetention });
    // Dated back, as if last used long ago: the warm run's hits must mark them used.
    for (const f of readdirSync(cacheDir)) utimesSync(join(cacheDir, f), LONG_AGO, LONG_AGO);
    warm = run({ cache: true, change: shortRetention });
  }, 120_000);

  test('a hit marks its entry as used, so that pruning keeps it', () => {
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(RESULTS);
    expect(files.filter((f) => statSync(join(cacheDir, f)).mtimeMs === LONG_AGO.getTime())).toEqual([]);
  });

  test('the run holds violations, acknowledgements and passes (else equality proves little)', () => {
    expect(reference.failed).toBe(true);
    const report = JSON.parse(reference.report);
    const korea = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'KoreaLaw');
    expect(korea.violations.map((v: { ruleName: string }) => v.ruleName)).toEqual(['KoreaLaw-LogRetention']);
    expect(report.pluginReports.some((r: { suppressedViolations?: unknown[] }) => (r.suppressedViolations ?? []).length > 0)).toBe(true);
    const findings = expandCheckFile(JSON.parse(reference.findings));
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(['pass', 'acknowledged', 'fail']));
  });

  test('a cold run stores every stack and pack, and gives byte for byte the uncached findings and report', () => {
    expect(cold.cache).toEqual({ hits: 0, misses: RESULTS, rejected: 0, verified: 0 });
    expect(cold.failed).toBe(true);
    expect(cold.findings).toBe(reference.findings);
    expect(cold.report).toBe(reference.report);
  });

  test('a warm run runs no rule and gives byte for byte the same findings and report', () => {
    expect(warm.cache).toEqual({ hits: RESULTS, misses: 0, rejected: 0, verified: 0 });
    expect(warm.failed).toBe(true);
    expect(warm.findings).toBe(reference.findings);
    expect(warm.report).toBe(reference.report);
  });

  test('a changed template misses for its stack only', () => {
    // Fixed, the platform's template differs: its three packs run again, the rest replays.
    const fixed = run({ cache: true });
    expect(fixed.cache).toEqual({ hits: RESULTS - 3, misses: 3, rejected: 0, verified: 0 });
    const uncached = run();
    expect(fixed.failed).toBe(false);
    expect(fixed.findings).toBe(uncached.findings);
    expect(fixed.report).toBe(uncached.report);
  }, 60_000);

  test('a stack with an escape-hatch override is always checked', () => {
    // The template says what the override says (KMS encryption); cdk-nag's rule reads the L1
    // property (none): only running the rules gives the right answer, so the stack is not cached.
    const hidden = (aws: AwsApp) => {
      const cfn = aws.platform.auditTrail.bucket.node.defaultChild as s3.CfnBucket;
      const encryption = propsOf(cfn).BucketEncryption;
      cfn.bucketEncryption = undefined;
      cfn.addPropertyOverride('BucketEncryption', encryption);
    };
    const cached = run({ cache: true, change: hidden });
    expect(cached.cache).toEqual({ hits: RESULTS - 3, misses: 0, rejected: 0, verified: 0 });
    expect(cached.failed).toBe(true);
    expect(cached.findings).toMatch(/"rule": "NIST.800.53.R5-S3DefaultEncryptionKMS",[^}]*"status": "fail"/);
    expect(cached.findings).toBe(run({ change: hidden }).findings);
  }, 60_000);

  test('an acknowledgement, which the template does not carry, misses for its stack', () => {
    // Unqualified, cdk-nag itself drops the finding: replaying the cached violation would be wrong.
    const acknowledged = run({
      cache: true,
      change: (aws) => {
        shortRetention(aws);
        Validations.of(aws.platform.auditTrail.logGroup).acknowledge({ id: 'KoreaLaw-LogRetention', reason: 'test: dropped by cdk-nag' });
      },
    });
    expect(acknowledged.cache).toEqual({ hits: RESULTS - 3, misses: 3, rejected: 0, verified: 0 });
    expect(acknowledged.failed).toBe(false);
    expect(acknowledged.findings).not.toMatch(/"status": "fail"/);
  }, 60_000);
});

describe('what the cache key covers', () => {
  test('the rules, the constructs and the pack set-up: every source under infra/, stacks/ and build/', () => {
    const files = sourceFiles(join(__dirname, '..', '..'));
    for (const f of ['infra/checks/aws/rules/log-retention.ts', 'infra/checks/aws/korea-law-checks.ts', 'infra/checks/aws/outcomes.ts', 'infra/aws/data-bucket.ts', 'stacks/aws/aws-app.ts', 'build/nag-cache.ts']) {
      expect(files).toContain(f);
    }
    expect(sourceHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a changed rule source misses every stack', () => {
    // The store holds every stack's results under the real sources' hash.
    const changed = run({ cache: true, sources: 'edited rules' });
    expect(changed.cache).toEqual({ hits: 0, misses: RESULTS, rejected: 0, verified: 0 });
  }, 60_000);
});

test('without a cache the packs run as before and nothing is stored', () => {
  const entries = () => (statSync(cacheDir, { throwIfNoEntry: false }) ? readdirSync(cacheDir, { recursive: true }).length : 0);
  const before = entries();
  const uncached = run({ cache: false });
  expect(uncached.cache).toBeUndefined();
  expect(entries()).toBe(before);
  expect(uncached.findings).toBe(run({ cache: true }).findings);
});
