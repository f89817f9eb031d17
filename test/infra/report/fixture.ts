/**
 * A small, hand-written build output for report tests: the real sample plan plus a fake
 * CloudFormation template, Terraform JSON and check files in the shared findings format,
 * with one failing and one acknowledged finding. Physical names are taken from the plan,
 * as the real renderers do, so stack attribution is exercised for real.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareFindings, type CheckFinding, type TenancyPlan } from '../../../infra';
import { compileAt, sampleSources } from '../../support/config';
import { OUTPUT_FORMAT, OUTPUT_MARKER } from '../../../build/output';

/** The sample plan, compiled once per test file. */
export function samplePlan(): TenancyPlan {
  return compileAt(sampleSources()).plan!;
}

const FOOD_STACK = 'CoopKoreaFood';
const PLATFORM_STACK = 'Platform';

/** A CloudFormation template with the korea-food zones, its key and a bucket policy. */
export function foodTemplate(plan: TenancyPlan): object {
  const food = plan.cooperatives.find((c) => c.id === 'korea-food')!;
  const bucket = (zone: 'raw' | 'curated' | 'quarantine', id: string) => ({
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: food.cloud.buckets[zone],
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['KeyABC123', 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: plan.platform.audit.accessLogBucket },
    },
    DeletionPolicy: 'Retain',
    Metadata: { 'aws:cdk:path': `${FOOD_STACK}/${id}/Resource` },
  });
  return {
    Resources: {
      RawBucketA1B2C3: bucket('raw', 'Raw'),
      CuratedBucketD4E5F6: bucket('curated', 'Curated'),
      QuarantineBucket778899: bucket('quarantine', 'Quarantine'),
      KeyABC123: {
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: true, Description: `data key of ${food.id}` },
        DeletionPolicy: 'Retain',
        Metadata: { 'aws:cdk:path': `${FOOD_STACK}/Key/Resource` },
      },
      KeyAlias0F0F0F: { Type: 'AWS::KMS::Alias', Properties: { AliasName: food.cloud.keyAlias, TargetKeyId: { 'Fn::GetAtt': ['KeyABC123', 'Arn'] } }, Metadata: { 'aws:cdk:path': `${FOOD_STACK}/Key/Alias/Resource` } },
    },
  };
}

/** The platform template: audit bucket (no owner cooperative). */
export function platformTemplate(plan: TenancyPlan): object {
  return {
    Resources: {
      AuditBucket1234: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: plan.platform.audit.bucket, VersioningConfiguration: { Status: 'Enabled' } },
        Metadata: { 'aws:cdk:path': `${PLATFORM_STACK}/Audit/Resource` },
      },
    },
  };
}

/** Terraform JSON for korea-food's namespace. */
export function foodTerraform(plan: TenancyPlan): object {
  const ns = plan.cooperatives.find((c) => c.id === 'korea-food')!.idc!.namespace;
  return {
    resource: {
      kubernetes_namespace_v1: { ns: { metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } },
      kubernetes_network_policy_v1: { default_deny: { metadata: { name: 'default-deny', namespace: ns }, spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] } } },
    },
  };
}

/** Findings: passes, one acknowledgement and (by default) one failure. */
export function fixtureFindings(plan: TenancyPlan, opts: { failing?: boolean } = {}): { aws: CheckFinding[]; k8s: CheckFinding[]; law: CheckFinding[] } {
  const ns = plan.cooperatives.find((c) => c.id === 'korea-food')!.idc!.namespace;
  const aws: CheckFinding[] = [
    { pack: 'AwsSolutions', rule: 'AwsSolutions-S1', controls: ['ISMS-P 2.9.4'], status: 'pass', cooperative: 'korea-food', stack: FOOD_STACK, resource: `Raw/Resource`, message: 'server access logs enabled' },
    { pack: 'AwsSolutions', rule: 'AwsSolutions-S10', controls: ['ISMS-P 2.7.1'], status: 'pass', cooperative: 'korea-food', stack: FOOD_STACK, resource: `Raw/Resource`, message: 'TLS required' },
    { pack: 'AwsSolutions', rule: 'AwsSolutions-KMS5', controls: ['ISMS-P 2.7.2'], status: 'pass', cooperative: 'korea-food', stack: FOOD_STACK, resource: `Key/Resource`, message: 'key rotation enabled' },
    {
      pack: 'AwsSolutions',
      rule: 'AwsSolutions-S1',
      controls: ['ISMS-P 2.9.4'],
      status: 'acknowledged',
      stack: PLATFORM_STACK,
      resource: `Audit/Resource`,
      message: 'the audit bucket has no server access logs',
      reason: 'The audit bucket is the log destination; logging it into itself would loop. Object-level CloudTrail data events cover it instead.',
    },
  ];
  if (opts.failing ?? true) {
    aws.push({
      pack: 'AwsSolutions',
      rule: 'AwsSolutions-S10',
      controls: ['ISMS-P 2.7.1', 'Safety measures standard art. 7'],
      status: 'fail',
      cooperative: 'korea-food',
      stack: FOOD_STACK,
      resource: `Curated/Resource`,
      message: 'The S3 Bucket or bucket policy does not require requests to use SSL',
      fix: 'set enforceSSL: true on the bucket',
    });
  }
  const k8s: CheckFinding[] = [
    { pack: 'K8sConformance', rule: 'CIS-5.3.2', controls: ['CIS Kubernetes 5.3.2', 'ISMS-P 2.6.1'], status: 'pass', cooperative: 'korea-food', stack: ns, resource: 'kubernetes_namespace_v1.ns', message: 'default-deny ingress and egress' },
  ];
  const law: CheckFinding[] = [
    { pack: 'KoreaLaw', rule: 'KR-PSEUDO-KEY', controls: ['PIPA art. 28-4', 'ISMS-P 3.2.5'], status: 'pass', stack: PLATFORM_STACK, resource: `${PLATFORM_STACK}/PseudonymizationKey/Resource`, message: 'pseudonymization key is separate' },
  ];
  return { aws: aws.sort(compareFindings), k8s: k8s.sort(compareFindings), law: law.sort(compareFindings) };
}

/** Writes a complete fake build output into `dir`. */
export function writeFixtureOutput(dir: string, plan: TenancyPlan, opts: { failing?: boolean; cloud?: boolean; idc?: boolean; checks?: boolean } = {}): void {
  const json = (file: string, v: unknown) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), `${JSON.stringify(v, null, 2)}\n`);
  };
  json('plan.json', plan);
  // As every build does: `report` writes only into a folder a build wrote.
  json(OUTPUT_MARKER, { tool: 'coop-idc', format: OUTPUT_FORMAT });
  if (opts.checks ?? true) {
    const f = fixtureFindings(plan, opts);
    json('checks/aws-solutions.json', { findings: f.aws });
    json('checks/kubernetes.json', { findings: f.k8s });
    json('checks/korea-law.json', { findings: f.law });
  }
  if (opts.cloud ?? true) {
    json(`cdk.out/${FOOD_STACK}.template.json`, foodTemplate(plan));
    json(`cdk.out/${PLATFORM_STACK}.template.json`, platformTemplate(plan));
    json('cdk.out/manifest.json', { version: '48.0.0' });
  }
  if (opts.idc ?? true) {
    const ns = plan.cooperatives.find((c) => c.id === 'korea-food')!.idc!.namespace;
    json(`cdktf.out/stacks/${ns}/cdk.tf.json`, foodTerraform(plan));
    json('cdktf.out/stacks/idc-platform/cdk.tf.json', { resource: { kubernetes_namespace_v1: { shared: { metadata: { name: 'shared-food-traceability' } } } } });
  }
}
