import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { TAG } from '../../../aws/tags';
import { propsOf, referencedResource, tagsOf, type KoreaLawRule } from '../rule';

/**
 * The audit trail cannot be altered: the bucket a CloudTrail trail writes to (and any
 * bucket tagged `coopidc:zone=audit`) has Object Lock on with a default retention in
 * COMPLIANCE mode, which no principal, root included, can shorten or bypass.
 */
export const AuditObjectLock: KoreaLawRule = {
  id: 'AuditObjectLock',
  info: 'The audit trail bucket does not have Object Lock in compliance mode.',
  explanation:
    'Access records must be protected against forgery, alteration and deletion (safety-measures standard art. 8(2)); S3 Object Lock in compliance mode makes each log file write-once for the retention period.',
  controls: ['Safety-measures standard art. 8(2)', 'ISMS-P 2.9.4'],
  fix: 'Write the trail to the AuditTrail construct\'s bucket, or set objectLockEnabled: true and objectLockDefaultRetention: ObjectLockRetention.compliance(...) on the trail\'s bucket in the same stack.',
  rule(node: CfnResource) {
    let bucket: CfnResource | undefined;
    if (node.cfnResourceType === 'AWS::CloudTrail::Trail') {
      bucket = referencedResource(node, propsOf(node).S3BucketName);
      if (!bucket || bucket.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NON_COMPLIANT;
    } else if (node.cfnResourceType === 'AWS::S3::Bucket' && tagsOf(node)[TAG.zone] === 'audit') {
      bucket = node;
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const p = propsOf(bucket);
    const lock = p.ObjectLockConfiguration;
    return p.ObjectLockEnabled === true && lock?.ObjectLockEnabled === 'Enabled' && lock?.Rule?.DefaultRetention?.Mode === 'COMPLIANCE'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
