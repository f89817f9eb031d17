import { App, Stack, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3, type CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { AuditObjectLock, KoreaLawChecks, NoWildcardDataResource, OwnCooperativeKey, logRetention } from '../../../../infra/checks/aws';

const tag = (cooperative: string, zone?: string) => [{ key: 'coopidc:cooperative', value: cooperative }, ...(zone ? [{ key: 'coopidc:zone', value: zone }] : [])];

function stack(): Stack {
  return new Stack(new App(), 'T', { env: { account: '111122223333', region: 'ap-northeast-2' } });
}
function key(s: Stack, id: string, cooperative: string): kms.CfnKey {
  return new kms.CfnKey(s, id, { keyPolicy: {}, tags: tag(cooperative) });
}
function bucket(s: Stack, id: string, props: Partial<s3.CfnBucketProps> = {}): s3.CfnBucket {
  return new s3.CfnBucket(s, id, props);
}
const kmsBy = (k: kms.CfnKey | string) => ({
  serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: typeof k === 'string' ? k : k.attrArn } }],
});

describe('KoreaLaw-OwnCooperativeKey', () => {
  test('passes a data bucket encrypted with its own cooperative key', () => {
    const s = stack();
    const b = bucket(s, 'B', { bucketEncryption: kmsBy(key(s, 'K', 'a')), tags: tag('a', 'raw') });
    expect(OwnCooperativeKey.rule(b)).toBe(NagRuleCompliance.COMPLIANT);
  });
  test("fails when a data bucket uses another cooperative's key", () => {
    const s = stack();
    const b = bucket(s, 'B', { bucketEncryption: kmsBy(key(s, 'K', 'b')), tags: tag('a', 'curated') });
    expect(OwnCooperativeKey.rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a data bucket uses the AWS managed key (no key id)', () => {
    const s = stack();
    const b = bucket(s, 'B', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] },
      tags: tag('a', 'raw'),
    });
    expect(OwnCooperativeKey.rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a data bucket names a key by literal alias or ARN', () => {
    const s = stack();
    const b = bucket(s, 'B', { bucketEncryption: kmsBy('alias/aws/s3'), tags: tag('a', 'raw') });
    expect(OwnCooperativeKey.rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a data bucket uses SSE-S3', () => {
    const s = stack();
    const b = bucket(s, 'B', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
      tags: tag('a', 'quarantine'),
    });
    expect(OwnCooperativeKey.rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('does not apply to log buckets', () => {
    const s = stack();
    expect(OwnCooperativeKey.rule(bucket(s, 'B', { tags: tag('platform', 'access-logs') }))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});

describe('KoreaLaw-LogRetention', () => {
  const rule = logRetention(731).rule;
  test('passes a log group kept 731 days', () => {
    expect(rule(new logs.CfnLogGroup(stack(), 'L', { retentionInDays: 731 }))).toBe(NagRuleCompliance.COMPLIANT);
  });
  test('fails when a log group is kept only one year where two are required', () => {
    expect(rule(new logs.CfnLogGroup(stack(), 'L', { retentionInDays: 365 }))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a log group sets no retention (the period cannot be verified)', () => {
    expect(rule(new logs.CfnLogGroup(stack(), 'L', {}))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('never accepts less than one year, whatever the plan says', () => {
    expect(logRetention(30).rule(new logs.CfnLogGroup(stack(), 'L', { retentionInDays: 90 }))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a log bucket expires records early', () => {
    const b = bucket(stack(), 'B', { tags: tag('platform', 'access-logs'), lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 400 }] } });
    expect(rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when the audit bucket locks records for less than required', () => {
    const b = bucket(stack(), 'B', {
      tags: tag('platform', 'audit'),
      objectLockEnabled: true,
      objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'COMPLIANCE', days: 365 } } },
    });
    expect(rule(b)).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('passes a log bucket kept long enough', () => {
    const b = bucket(stack(), 'B', { tags: tag('platform', 'access-logs'), lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 731 }] } });
    expect(rule(b)).toBe(NagRuleCompliance.COMPLIANT);
  });
});

describe('KoreaLaw-AuditObjectLock', () => {
  const locked = { objectLockEnabled: true, objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'COMPLIANCE', days: 731 } } } };
  function trail(bucketProps: Partial<s3.CfnBucketProps>): CfnResource {
    const s = stack();
    const b = bucket(s, 'B', bucketProps);
    return new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: b.ref });
  }
  test('passes a trail writing to a bucket locked in compliance mode', () => {
    expect(AuditObjectLock.rule(trail(locked))).toBe(NagRuleCompliance.COMPLIANT);
  });
  test('fails when the trail bucket has no Object Lock', () => {
    expect(AuditObjectLock.rule(trail({}))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when the lock is in governance mode (bypassable)', () => {
    const governance = { ...locked, objectLockConfiguration: { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'GOVERNANCE', days: 731 } } } };
    expect(AuditObjectLock.rule(trail(governance))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when the trail writes to a bucket outside the stack (cannot be verified)', () => {
    expect(AuditObjectLock.rule(new cloudtrail.CfnTrail(stack(), 'T', { isLogging: true, s3BucketName: 'somebody-elses-bucket' }))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
  test('fails when a bucket tagged audit has no lock', () => {
    expect(AuditObjectLock.rule(bucket(stack(), 'B', { tags: tag('platform', 'audit') }))).toBe(NagRuleCompliance.NON_COMPLIANT);
  });
});

describe('KoreaLaw-NoWildcardDataResource', () => {
  const policy = (statement: object) => new iam.CfnPolicy(stack(), 'P', { policyName: 'p', roles: ['r'], policyDocument: { Version: '2012-10-17', Statement: [statement] } });
  test('passes data actions on named resources', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }))).toBe(NagRuleCompliance.COMPLIANT);
  });
  test('fails when s3 object actions are allowed on *', () => {
    expect(NoWildcardDataResource.rule(policy({ Sid: 'Bad', Effect: 'Allow', Action: ['s3:Get*'], Resource: '*' }))).toEqual(['Bad']);
  });
  test('fails when kms:* is allowed on every key', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:ap-northeast-2:111122223333:key/*' }))).toEqual(['Statement[0]']);
  });
  test('fails when every bucket is named', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*' }))).toEqual(['Statement[0]']);
  });
  test('fails on Allow with NotResource', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Allow', Action: 'glue:GetTable', NotResource: 'arn:aws:glue:*:*:catalog' }))).toEqual(['Statement[0]']);
  });
  test('fails inside role inline policies', () => {
    const role = new iam.CfnRole(stack(), 'R', {
      assumeRolePolicyDocument: {},
      policies: [{ policyName: 'x', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    });
    expect(NoWildcardDataResource.rule(role)).toEqual(['Statement[0]']);
  });
  test('accepts non-data actions on * (credential vending, notifications)', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Allow', Action: ['lakeformation:GetDataAccess', 's3:PutBucketNotification'], Resource: '*' }))).toBe(NagRuleCompliance.COMPLIANT);
  });
  test('ignores Deny statements', () => {
    expect(NoWildcardDataResource.rule(policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }))).toBe(NagRuleCompliance.COMPLIANT);
  });
});

describe('KoreaLawChecks pack', () => {
  test('reports each failing rule with the KoreaLaw id and the construct path', () => {
    const s = stack();
    new logs.CfnLogGroup(s, 'Short', { retentionInDays: 30 });
    new s3.CfnBucket(s, 'Raw', { tags: tag('a', 'raw') });
    const report = new KoreaLawChecks(undefined, { requiredLogRetentionDays: 365 }).validateScope(s);
    expect(report.success).toBe(false);
    const byRule = Object.fromEntries(report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]));
    expect(byRule).toEqual({ 'KoreaLaw-LogRetention': ['T/Short'], 'KoreaLaw-OwnCooperativeKey': ['T/Raw'] });
  });
});
