import { aws_iam as iam, aws_lakeformation as lakeformation, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll, actionWildcardFindings, objectWildcardFinding } from './acknowledge';
import { REASONS, S3_READ_ACTIONS } from './reasons';

/** Properties of a {@link LakeFormationLocation}. */
export interface LakeFormationLocationProps {
  /** The bucket whose objects Lake Formation vends credentials for. */
  readonly bucket: s3.IBucket;
}

/**
 * Registers a bucket with Lake Formation under a role that reads only that bucket (and
 * decrypts only with its key). Consumers then read through Lake Formation's column-level
 * grants and never hold S3 or KMS permissions themselves.
 */
export class LakeFormationLocation extends Construct {
  /** The role Lake Formation assumes to read the bucket. */
  readonly role: iam.Role;
  /** The registration. */
  readonly resource: lakeformation.CfnResource;

  constructor(scope: Construct, id: string, props: LakeFormationLocationProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      description: 'Lake Formation reads this bucket on behalf of granted principals',
    });
    props.bucket.grantRead(this.role);
    this.resource = new lakeformation.CfnResource(this, 'Resource', {
      resourceArn: props.bucket.bucketArn,
      useServiceLinkedRole: false,
      roleArn: this.role.roleArn,
    });
    acknowledge(this.role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(this.role, actionWildcardFindings(S3_READ_ACTIONS), REASONS.s3WildcardActions);
    acknowledgeAll(this.role, [objectWildcardFinding(props.bucket)], REASONS.objectWildcard);
  }
}
