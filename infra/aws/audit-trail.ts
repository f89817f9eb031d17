import { ArnFormat, Duration, RemovalPolicy, Stack, Tags, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { SECURE_BUCKET_BASE } from './data-bucket';
import { KEY_USE_ACTIONS, adminOnlyKeyPolicy } from './key-policy';
import { REASONS } from './reasons';
import { logGroupRetention } from './retention';
import { TAG } from './tags';

/** Properties of an {@link AuditTrail}. */
export interface AuditTrailProps {
  /** Physical name of the audit bucket, from the plan. */
  readonly bucketName: string;
  /** Days the audit trail is kept and locked (Object Lock, compliance mode). */
  readonly retentionDays: number;
  /**
   * Bucket receiving the audit bucket's own server access logs. Its objects are left out of
   * the trail's S3 data events, like the audit bucket's own: both are written by AWS services
   * on every request to the other buckets, so logging them would log the logging (recursive
   * records at a cost growing with all traffic) and records nothing a person did with data.
   */
  readonly serverAccessLogsBucket: s3.IBucket;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The account's audit trail: a multi-region CloudTrail trail of management events and S3
 * data events (every bucket but the trail's own and the access-log bucket), delivered to a dedicated bucket whose objects are write-once (Object Lock in
 * compliance mode: not even the account root can shorten retention) and to CloudWatch Logs
 * for alarms. Both are encrypted with a key used for nothing else.
 */
export class AuditTrail extends Construct {
  /** The write-once bucket of trail files. */
  readonly bucket: s3.Bucket;
  /** The key encrypting the trail, the bucket and the log group. */
  readonly key: kms.Key;
  /** The trail. */
  readonly trail: cloudtrail.Trail;
  /** The log group receiving the trail. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'Key', {
      description: 'coop-idc audit trail (CloudTrail files and log group)',
      enableKeyRotation: true,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsAuditLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }),
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...SECURE_BUCKET_BASE,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'platform/audit/',
      lifecycleRules: [
        // Locked versions cannot be removed earlier anyway; expiry only cleans up after the legal period.
        { id: 'audit-retention', expiration: Duration.days(props.retentionDays), noncurrentVersionExpiration: Duration.days(props.retentionDays) },
      ],
      removalPolicy,
    });
    Tags.of(this.bucket).add(TAG.zone, 'audit');

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logGroupRetention(props.retentionDays),
      encryptionKey: this.key,
      removalPolicy,
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    // Advanced event selectors: every management event, and every object read and write of
    // every bucket (the access records of personal data) except the log buckets' own
    // objects, which the trail and S3 log delivery write for each request to the others.
    // Basic event selectors cannot exclude a bucket, and the two kinds cannot be mixed.
    const cfn = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfn.eventSelectors = undefined;
    cfn.advancedEventSelectors = [
      { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
      {
        name: 'S3 object events except the log buckets',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', notStartsWith: [this.bucket, props.serverAccessLogsBucket].map((b) => b.arnForObjects('')) },
        ],
      },
    ];

    acknowledge(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', REASONS.replication);
    // CloudTrail's delivery role for CloudWatch Logs, generated by the Trail construct for this one log group.
    acknowledge(this.trail, 'NIST.800.53.R5-IAMNoInlinePolicy', 'The role CloudTrail uses to write to its log group is generated by the Trail construct with a policy naming only that log group; it is attached to no other principal.');
  }
}
