import { RemovalPolicy, Stack, Tags, aws_glue as glue, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DatasetPlan, PlatformPlan } from '../plan/types';
import { DataBucket, type DateExpiration } from './data-bucket';
import { LakeFormationLocation } from './lake-formation-location';
import { TAG } from './tags';

/** Properties of a {@link SharedZone}. */
export interface SharedZoneProps {
  /** The shared-zone part of the plan (bucket, database, key alias, tables). */
  readonly plan: PlatformPlan['sharedZone'];
  /** Dataset plans by `<cooperative>/<dataset>`, for each shared table's schema and retention. */
  readonly datasets: ReadonlyMap<string, DatasetPlan>;
  /** Bucket receiving server access logs. */
  readonly serverAccessLogsBucket: s3.IBucket;
  /**
   * Prefixes expired on a date: copies of offboarding cooperatives (`offboardedCopyExpirations`).
   * @default - none
   */
  readonly expirations?: readonly DateExpiration[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The zone of pseudonymized and aggregated data that consumers read: one bucket under a
 * platform key and one Glue database, registered with Lake Formation. The tables
 * (`s3://<bucket>/<coop>__<dataset>/`) belong to each cooperative's stack: kept here they
 * would grow this stack past CloudFormation's 500-resource limit at a few hundred tenants.
 */
export class SharedZone extends Construct {
  /** Key of the shared zone (and of Athena results). */
  readonly key: kms.Key;
  /** The shared bucket. */
  readonly bucket: s3.Bucket;
  /** The shared Glue database. */
  readonly database: glue.CfnDatabase;
  /** The Lake Formation registration of the bucket. */
  readonly location: LakeFormationLocation;

  constructor(scope: Construct, id: string, props: SharedZoneProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: 'coop-idc shared zone (pseudonymized and aggregated data, Athena results)',
      enableKeyRotation: true,
      alias: props.plan.keyAlias,
      removalPolicy,
    });
    Tags.of(this.key).add(TAG.zone, 'shared');

    const datasetOf = (coop: string, dataset: string): DatasetPlan => {
      const d = props.datasets.get(`${coop}/${dataset}`);
      if (!d) throw new Error(`shared table of ${coop}/${dataset}: the plan has no such dataset`);
      return d;
    };
    this.bucket = new DataBucket(this, 'Bucket', {
      bucketName: props.plan.bucket,
      encryptionKey: this.key,
      zone: 'shared',
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'platform/shared/',
      // One rule per distinct retention, selected by the tag the ingestion writes (S3: 1,000 rules per bucket).
      taggedRetentionDays: props.plan.tables.map((t) => datasetOf(t.cooperative, t.dataset).retentionDays),
      ...(props.expirations?.length ? { expirations: props.expirations } : {}),
      removalPolicy,
    }).bucket;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: props.plan.database, description: 'coop-idc shared zone: pseudonymized and aggregated cooperative data' },
    });
    this.location = new LakeFormationLocation(this, 'LakeFormation', { bucket: this.bucket });
  }
}
