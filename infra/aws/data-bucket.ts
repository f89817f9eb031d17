import { Duration, RemovalPolicy, Tags, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWarning } from './acknowledge';
import { REASONS } from './reasons';
import { OBJECT_TAG } from '../shared-names';
import { TAG } from './tags';

/** Expiry of one key prefix of a bucket. */
export interface PrefixRetention {
  /** Key prefix, e.g. `spindle_telemetry/`; `''` expires every object of the bucket. */
  readonly prefix: string;
  /** Days after which current object versions expire. */
  readonly days: number;
}

/** Expiry of a bucket (or one key prefix of it) on a calendar date, e.g. at the end of an offboarding. */
export interface DateExpiration {
  /** Lifecycle rule id, stable: part of the bucket's reviewed configuration. */
  readonly id: string;
  /**
   * Key prefix, e.g. `coop__dataset/`.
   * @default - every object of the bucket
   */
  readonly prefix?: string;
  /** YYYY-MM-DD: current versions expire from 00:00 UTC of this day (S3 lifecycle dates are midnight UTC). */
  readonly date: string;
}

/** Properties of a {@link DataBucket}. */
export interface DataBucketProps {
  /** Physical name: bucket names are the interface uploaders and auditors address. Taken from the plan. */
  readonly bucketName: string;
  /** Customer-managed key that encrypts every object. Never `aws/s3`. */
  readonly encryptionKey: kms.IKey;
  /** What this bucket holds, written as the `coopidc:zone` tag. */
  readonly zone: string;
  /** Bucket that receives the server access logs of this bucket. */
  readonly serverAccessLogsBucket: s3.IBucket;
  /** Prefix of this bucket's logs in the log bucket. */
  readonly serverAccessLogsPrefix: string;
  /**
   * Per-prefix expiry of current object versions.
   * @default - objects never expire
   */
  readonly retention?: readonly PrefixRetention[];
  /**
   * Expiry of the whole bucket or of prefixes on a date; expired objects' delete markers
   * are then removed too, so nothing of them is left once the noncurrent versions expire.
   * @default - none
   */
  readonly expirations?: readonly DateExpiration[];
  /**
   * Expiry by the object's `coopidc:retention-days` tag (`OBJECT_TAG.retentionDays`), which
   * the writer sets: one rule per distinct number of days, however many tables share them.
   * @default - no tag-selected expiry
   */
  readonly taggedRetentionDays?: readonly number[];
  /**
   * Days a superseded object version is kept before it expires, for recovery from mistakes.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Why the imported log bucket's policy is not edited from here; read by auditors in the check report. */
const LOG_POLICY_REASON =
  'The shared access-log bucket is owned by the platform stack; its bucket policy admits S3 log delivery from every bucket of this account under the cooperative prefix, so no per-bucket statement is needed.';

/**
 * What every bucket of the platform has, whatever it holds: TLS 1.2+ only, public access
 * blocked, ACLs disabled (bucket owner enforced), versioned. Encryption, logging and lifecycle
 * differ per bucket and are set beside it.
 */
export const SECURE_BUCKET_BASE = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
} as const satisfies s3.BucketProps;

/**
 * A bucket that holds cooperative or shared data: encrypted with a customer-managed key
 * (bucket key on, to keep KMS request costs flat), TLS 1.2+ only, public access blocked,
 * ACLs disabled (bucket owner enforced), versioned, access-logged and retained when the
 * stack is deleted.
 */
export class DataBucket extends Construct {
  /** The bucket. */
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionDays ?? 30;
    const lifecycleRules: s3.LifecycleRule[] = [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(noncurrentDays) },
      ...(props.retention ?? []).map((r) =>
        r.prefix === '' ? { id: 'expire-all', expiration: Duration.days(r.days) } : { id: `expire-${r.prefix.replace(/\/$/, '')}`, prefix: r.prefix, expiration: Duration.days(r.days) }),
      ...[...new Set(props.taggedRetentionDays ?? [])].sort((a, b) => a - b).map((days) => ({
        id: `expire-tagged-${days}d`,
        tagFilters: { [OBJECT_TAG.retentionDays]: String(days) },
        expiration: Duration.days(days),
      })),
      ...(props.expirations ?? []).map((e) => ({ id: e.id, ...(e.prefix !== undefined ? { prefix: e.prefix } : {}), expirationDate: new Date(`${e.date}T00:00:00Z`) })),
      // S3 forbids a delete-marker action beside a date in one rule: its own rule.
      ...(props.expirations?.length ? [{ id: 'expired-delete-markers', expiredObjectDeleteMarker: true }] : []),
    ];
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      ...SECURE_BUCKET_BASE,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
      lifecycleRules,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Tags.of(this.bucket).add(TAG.zone, props.zone);
    acknowledgeWarning(this.bucket, '@aws-cdk/aws-s3:accessLogsPolicyNotAdded', LOG_POLICY_REASON);
    acknowledge(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', REASONS.replication);
  }
}
