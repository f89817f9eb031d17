import { RemovalPolicy, Stack, Tags, aws_lakeformation as lakeformation, aws_s3 as s3, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  AccessLogBucket,
  AuditTrail,
  ConsumerAccess,
  DataBucket,
  DEFAULT_COST_SPLIT,
  PLATFORM_OWNER,
  PseudonymizationKey,
  SharedZone,
  TAG,
  offboardedCopyExpirations,
} from '../../infra/aws';
import { Names, type PlatformSlice } from '../../infra';

/** Properties of the {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** What it reads of the plan (`selectPlatform`): the build caches the stack under its hash. */
  readonly slice: PlatformSlice;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Days Athena query results are kept: results may hold personal data and are re-runnable. */
export const ATHENA_RESULTS_DAYS = 30;

/**
 * What every cooperative shares, deployed once: the audit trail and access-log store, the
 * pseudonymization key, the shared zone of pseudonymized and aggregated data with its
 * Glue tables, Lake Formation settings, and one role and Athena workgroup per consumer.
 */
export class PlatformStack extends Stack {
  /** Receives server access logs of every bucket. */
  readonly accessLogBucket: s3.Bucket;
  readonly auditTrail: AuditTrail;
  readonly pseudonymizationKey: PseudonymizationKey;
  readonly sharedZone: SharedZone;
  readonly athenaResultsBucket: s3.Bucket;
  /** Consumer access by consumer id. */
  readonly consumers: ReadonlyMap<string, ConsumerAccess>;
  readonly dataLakeSettings: lakeformation.CfnDataLakeSettings;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { slice } = props;
    const p = slice.platform;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', {
      bucketName: p.audit.accessLogBucket,
      retentionDays: p.audit.logRetentionDays,
      removalPolicy,
    }).bucket;
    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      bucketName: p.audit.bucket,
      retentionDays: p.audit.logRetentionDays,
      serverAccessLogsBucket: this.accessLogBucket,
      removalPolicy,
    });
    const ingestionRoles = (account: string) => `arn:${this.partition}:iam::${account}:role/${new Names({ env: p.environment, account, region: p.region }).coopRole('*', 'ingestion')}`;
    this.pseudonymizationKey = new PseudonymizationKey(this, 'PseudonymizationKey', {
      aliasName: p.pseudonymizationKeyAlias,
      cells: p.cells.map((c) => ({ account: c.account, ingestionRoles: ingestionRoles(c.account) })),
      removalPolicy,
    });

    // Shared tables live in the cooperative stacks; the platform only needs their retention here.
    // Tables of cooperatives in cells live in their cell's shared bucket (CellSharedZoneStack):
    // the slice holds only the data-lake account's.
    this.sharedZone = new SharedZone(this, 'SharedZone', {
      plan: p.sharedZone,
      datasets: new Map(Object.entries(slice.datasets)),
      serverAccessLogsBucket: this.accessLogBucket,
      expirations: offboardedCopyExpirations(slice.offboarding, p.sharedZone.bucket),
      removalPolicy,
    });

    this.athenaResultsBucket = new DataBucket(this, 'AthenaResults', {
      bucketName: p.athenaResultsBucket,
      encryptionKey: this.sharedZone.key,
      zone: 'athena-results',
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'platform/athena-results/',
      // Every result expires alike: one rule for the bucket, not one per consumer.
      retention: [{ prefix: '', days: ATHENA_RESULTS_DAYS }],
      noncurrentVersionDays: 1,
      removalPolicy,
    }).bucket;

    const consumers = new Map<string, ConsumerAccess>();
    for (const c of p.consumers) {
      // The consumer id is the stable key of its role and workgroup: ids never change once onboarded.
      consumers.set(
        c.id,
        new ConsumerAccess(this, `Consumer-${c.id}`, {
          consumer: c,
          grants: slice.grants.filter((g) => g.consumer === c.id),
          resultsBucket: this.athenaResultsBucket,
          resultsKey: this.sharedZone.key,
        }),
      );
    }
    this.consumers = consumers;

    this.dataLakeSettings = new lakeformation.CfnDataLakeSettings(this, 'DataLakeSettings', {
      admins: p.lakeFormationAdmins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      // No IAMAllowedPrincipals defaults: every table is governed by explicit Lake Formation grants.
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      // Version 3: grants to IAM principals of other accounts (cells) are shared through AWS RAM.
      parameters: { CROSS_ACCOUNT_VERSION: 3 },
    });

    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costCenter, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costSplit, p.cost?.platform.split ?? DEFAULT_COST_SPLIT);
    Tags.of(this).add(TAG.classification, slice.classification);
  }
}
