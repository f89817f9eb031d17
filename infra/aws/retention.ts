import { aws_logs as logs } from 'aws-cdk-lib';

/** Retention periods CloudWatch Logs accepts, ascending (CloudFormation `RetentionInDays`). */
const LOG_GROUP_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * The shortest CloudWatch Logs retention that keeps records at least `days` days: the
 * service only accepts fixed periods, and rounding down would break the legal minimum.
 */
export function logGroupRetention(days: number): logs.RetentionDays {
  const found = LOG_GROUP_DAYS.find((d) => d >= days);
  if (found === undefined) throw new Error(`no CloudWatch Logs retention period holds ${days} days (longest is 3653)`);
  return found as logs.RetentionDays;
}
