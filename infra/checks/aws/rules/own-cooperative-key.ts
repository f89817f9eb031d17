import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { TAG } from '../../../aws/tags';
import { propsOf, referencedResource, tagsOf, type KoreaLawRule } from '../rule';

/** Zones that hold cooperative data (not logs). */
export const DATA_ZONES: readonly string[] = ['raw', 'curated', 'quarantine', 'shared', 'athena-results'];

/**
 * Every data bucket is encrypted with a customer-managed key of its own tenant: not the AWS
 * managed `aws/s3` key (whose policy any principal of the account with S3 access satisfies),
 * not a key named by a literal ARN that cannot be verified, not another cooperative's key.
 */
export const OwnCooperativeKey: KoreaLawRule = {
  id: 'OwnCooperativeKey',
  info: "The data bucket is not encrypted with its own cooperative's customer-managed KMS key.",
  explanation:
    'Personal data must be encrypted (PIPA art. 29, safety-measures standard art. 7) under keys whose use each tenant controls, so that one cooperative\'s key policy cannot open another\'s data and revoking a key revokes exactly one tenant.',
  controls: ['PIPA art. 29', 'Safety-measures standard art. 7', 'ISMS-P 2.7.1'],
  fix: "Create the bucket with DataBucket and pass the stack's own kms.Key (encryption: KMS, encryptionKey: key), tagged with the same coopidc:cooperative.",
  rule(node: CfnResource) {
    if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    const tags = tagsOf(node);
    if (!DATA_ZONES.includes(tags[TAG.zone] ?? '')) return NagRuleCompliance.NOT_APPLICABLE;
    const rules: any[] = propsOf(node).BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
    const sse = rules[0]?.ServerSideEncryptionByDefault;
    if (!sse || !['aws:kms', 'aws:kms:dsse'].includes(sse.SSEAlgorithm) || sse.KMSMasterKeyID === undefined) return NagRuleCompliance.NON_COMPLIANT;
    const key = referencedResource(node, sse.KMSMasterKeyID);
    if (!key || key.cfnResourceType !== 'AWS::KMS::Key') return NagRuleCompliance.NON_COMPLIANT;
    return tagsOf(key)[TAG.cooperative] !== undefined && tagsOf(key)[TAG.cooperative] === tags[TAG.cooperative]
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
