import { Stack, type CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { TAG } from '../../../aws/tags';
import { propsOf, tagsOf, type KoreaLawRule } from '../rule';

/** Zones of buckets that hold access records. */
export const LOG_ZONES: readonly string[] = ['audit', 'access-logs'];

/** The least retention the law allows, whatever the plan says: one year. */
export const MINIMUM_LOG_RETENTION_DAYS = 365;

/**
 * Access records are kept at least one year, two where personal data of 50,000+ people,
 * unique identifiers or sensitive data are processed (safety-measures standard art. 8(1)).
 * Applies to CloudWatch log groups and to log buckets (`coopidc:zone` audit/access-logs):
 * no expiry earlier than the required period, and the audit bucket's Object Lock retention
 * at least as long.
 */
export function logRetention(requiredDays: number): KoreaLawRule {
  const required = Math.max(requiredDays, MINIMUM_LOG_RETENTION_DAYS);
  return {
    id: 'LogRetention',
    info: `Access records are kept fewer than the ${required} days the safety-measures standard art. 8 requires.`,
    explanation:
      'The safety-measures standard for personal information (art. 8(1)) requires access records to be kept for at least one year, and two years where large-scale, unique-identifier or sensitive data is processed; shorter retention destroys audit evidence.',
    controls: ['Safety-measures standard art. 8', 'ISMS-P 2.9.4'],
    fix: `Keep the records at least ${required} days: set RetentionInDays (log group), lifecycle expiration and Object Lock default retention (log bucket) to ${required} or more; audit.logRetentionDays in config/platform.yaml drives them.`,
    rule(node: CfnResource) {
      if (node.cfnResourceType === 'AWS::Logs::LogGroup') {
        const days = Stack.of(node).resolve(propsOf(node).RetentionInDays);
        return typeof days === 'number' && days >= required ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
      }
      if (node.cfnResourceType !== 'AWS::S3::Bucket' || !LOG_ZONES.includes(tagsOf(node)[TAG.zone] ?? '')) return NagRuleCompliance.NOT_APPLICABLE;
      const p = propsOf(node);
      for (const r of p.LifecycleConfiguration?.Rules ?? []) {
        if (r.Status === 'Disabled') continue;
        if (typeof r.ExpirationInDays === 'number' && r.ExpirationInDays < required) return NagRuleCompliance.NON_COMPLIANT;
        if (r.ExpirationDate !== undefined) return NagRuleCompliance.NON_COMPLIANT;
      }
      const retention = p.ObjectLockConfiguration?.Rule?.DefaultRetention;
      if (retention) {
        const days = retention.Days ?? (retention.Years !== undefined ? retention.Years * 365 : 0);
        if (days < required) return NagRuleCompliance.NON_COMPLIANT;
      }
      return NagRuleCompliance.COMPLIANT;
    },
  };
}
