import { Duration, RemovalPolicy, Stack, Tags, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { SECURE_BUCKET_BASE } from './data-bucket';
import { REASONS } from './reasons';
import { TAG } from './tags';

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** Physical name from the plan: every cooperative stack addresses it by name. */
  readonly bucketName: string;
  /** Days server access logs are kept: they are access records under the safety-measures standard art. 8. */
  readonly retentionDays: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The bucket that receives S3 server access logs of every data bucket of the account.
 *
 * S3 log delivery writes only to buckets encrypted with SSE-S3, so this bucket cannot use a
 * customer-managed key; it holds request metadata, never object contents. Its policy admits
 * log delivery from buckets of this account only, so cooperative stacks need not edit it.
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...SECURE_BUCKET_BASE,
      lifecycleRules: [
        { id: 'access-record-retention', expiration: Duration.days(props.retentionDays), noncurrentVersionExpiration: Duration.days(1) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogDeliveryFromThisAccount',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    Tags.of(this.bucket).add(TAG.zone, 'access-logs');
    const why = {
      replication: REASONS.replication,
      logging: 'This bucket is the destination of server access logs; logging it into itself would loop. Changes to its policy and configuration are CloudTrail management events; its objects are left out of the trail\'s S3 data events, which would otherwise record S3 log delivery writing each access record (recursive, paid per event).',
      kms: 'S3 server access log delivery supports only SSE-S3 destination buckets (AWS S3 user guide, "Enabling Amazon S3 server access logging"); the bucket holds request metadata, not object contents.',
    };
    acknowledge(this.bucket, 'AwsSolutions-S1', why.logging);
    acknowledge(this.bucket, 'NIST.800.53.R5-S3BucketLoggingEnabled', why.logging);
    acknowledge(this.bucket, 'NIST.800.53.R5-S3DefaultEncryptionKMS', why.kms);
    acknowledge(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', why.replication);
  }
}
