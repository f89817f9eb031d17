import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/** Rule packs coop-idc runs, by the prefix of their rule ids. */
const PACKS = ['AwsSolutions', 'NIST.800.53.R5', 'KoreaLaw'] as const;

/**
 * Acknowledges one finding of a rule pack on a construct and everything below it.
 *
 * The id is qualified with its pack (`AwsSolutions::AwsSolutions-S1`) on purpose: cdk-nag
 * then still reports the finding and aws-cdk-lib moves it to `suppressedViolations` of the
 * validation report together with this reason. An unqualified id would make cdk-nag drop
 * the finding silently, and the audit trail would lose it.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  const pack = PACKS.find((p) => rule.startsWith(`${p}-`));
  if (!pack) throw new Error(`acknowledge: "${rule}" belongs to no known pack (${PACKS.join(', ')})`);
  acknowledgeWithoutTrace(scope, `${pack}::${rule}`, reason);
}

/**
 * Acknowledges an aws-cdk-lib annotation (a warning such as
 * `@aws-cdk/aws-s3:accessLogsPolicyNotAdded`) with a reason, like a rule finding.
 */
export function acknowledgeWarning(scope: IConstruct, id: string, reason: string): void {
  acknowledgeWithoutTrace(scope, id, reason);
}

function acknowledgeWithoutTrace(scope: IConstruct, id: string, reason: string): void {
  // aws-cdk-lib records the caller's stack trace with every acknowledgement, absolute paths
  // included; an empty trace keeps the cloud assembly byte-identical across checkouts.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    Validations.of(scope).acknowledge({ id, reason });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** cdk-nag's IAM5 finding for object-level access to a bucket (or a prefix of it). */
export function objectWildcardFinding(bucket: IBucket, keyPattern = '*'): string {
  const child = bucket.node.defaultChild;
  if (child instanceof CfnElement && Stack.of(child) === Stack.of(bucket)) {
    return `AwsSolutions-IAM5[Resource::<${Stack.of(child).getLogicalId(child)}.Arn>/${keyPattern}]`;
  }
  const arn: unknown = Stack.of(bucket).resolve(bucket.arnForObjects(keyPattern));
  if (typeof arn !== 'string') throw new Error(`objectWildcardFinding: cannot name the objects of ${bucket.node.path} before deployment`);
  return `AwsSolutions-IAM5[Resource::${arn}]`;
}

/** cdk-nag's IAM5 findings for grouped actions (`s3:GetObject*`...). */
export function actionWildcardFindings(actions: readonly string[]): string[] {
  return actions.map((a) => `AwsSolutions-IAM5[Action::${a}]`);
}

/** Acknowledges several findings with one reason. */
export function acknowledgeAll(scope: IConstruct, rules: readonly string[], reason: string): void {
  for (const r of [...new Set(rules)]) acknowledge(scope, r, reason);
}
