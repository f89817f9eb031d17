import { RemovalPolicy, Stack, Tags, aws_glue as glue, aws_iam as iam, aws_kms as kms, aws_s3 as s3, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  DataBucket,
  DatasetTable,
  KEY_USE_ACTIONS,
  LakeFormationLocation,
  REASONS,
  S3_READ_ACTIONS,
  TAG,
  acknowledge,
  acknowledgeAll,
  actionWildcardFindings,
  objectWildcardFinding,
  adminOnlyKeyPolicy,
} from '../../infra/aws';
import type { CooperativePlan, TenancyPlan, Zone } from '../../infra';
import { QUARANTINE_DAYS } from './cooperative-stack';

/** Properties of an {@link OffboardingCooperativeStack}. */
export interface OffboardingCooperativeStackProps extends StackProps {
  readonly plan: TenancyPlan;
  /** The cooperative, one of `plan.cooperatives`, with `lifecycle` set. */
  readonly cooperative: CooperativePlan;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An offboarding cooperative's cloud tenancy, deployed as an update of its
 * {@link CooperativeStack} (same stack name, same construct ids for every stateful
 * resource, so the key, zones and catalogue are updated in place, never replaced): its key,
 * its three zones, each expiring entirely on `lifecycle.expiresOn`, its Glue database and
 * tables, and its admin role, which may only read. Everything else of the active stack is
 * gone by omission, and CloudFormation deletes it on deploy: the uploader and ingestion
 * roles, the ingestion functions with their endpoint, queue and bucket notifications, the
 * Lake Formation grants to consumers and to the ingestion role, and its shared and
 * statistics tables.
 */
export class OffboardingCooperativeStack extends Stack {
  readonly key: kms.Key;
  readonly buckets: Readonly<Record<Zone, s3.Bucket>>;
  readonly database: glue.CfnDatabase;
  readonly roles: { readonly admin: iam.Role };

  constructor(scope: Construct, id: string, props: OffboardingCooperativeStackProps) {
    super(scope, id, props);
    const { plan, cooperative: coop } = props;
    const lifecycle = coop.lifecycle;
    if (!lifecycle) throw new Error(`${coop.id} is not offboarding: it is rendered by CooperativeStack`);
    const cloud = coop.cloud;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logs = s3.Bucket.fromBucketName(this, 'AccessLogBucket', plan.platform.audit.accessLogBucket);

    this.key = new kms.Key(this, 'Key', {
      description: `coop-idc data key of ${coop.id}`,
      enableKeyRotation: true,
      alias: cloud.keyAlias,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });
    // The per-dataset rules stay (nothing is kept past its own retention); on expiresOn every object goes.
    const zone = (z: Zone, cid: string, days: (d: CooperativePlan['datasets'][number]) => number) =>
      new DataBucket(this, cid, {
        bucketName: cloud.buckets[z],
        encryptionKey: this.key,
        zone: z,
        serverAccessLogsBucket: logs,
        serverAccessLogsPrefix: `${coop.id}/${z}/`,
        retention: coop.datasets.map((d) => ({ prefix: `${d.name}/`, days: days(d) })),
        expirations: [{ id: 'offboarding-retain-until', date: lifecycle.expiresOn }],
        removalPolicy,
      }).bucket;
    this.buckets = {
      raw: zone('raw', 'RawZone', (d) => d.retentionDays),
      curated: zone('curated', 'CuratedZone', (d) => d.retentionDays),
      quarantine: zone('quarantine', 'QuarantineZone', (d) => Math.min(d.retentionDays, QUARANTINE_DAYS)),
    };

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: cloud.database, description: `coop-idc curated data of ${coop.id} (offboarding since ${lifecycle.since}, kept until ${lifecycle.retainUntil})` },
    });
    for (const d of coop.datasets) {
      new DatasetTable(this, `Table-${d.name}`, {
        databaseName: cloud.database,
        tableName: d.table,
        location: `s3://${cloud.buckets.curated}/${d.name}/`,
        dataset: d,
      }).table.addResourceDependency(this.database);
    }
    const lakeFormation = new LakeFormationLocation(this, 'LakeFormation', { bucket: this.buckets.curated });

    const admin = new iam.Role(this, 'AdminRole', {
      roleName: cloud.roles.admin,
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Administrator of ${coop.id}'s data while offboarding: reads every zone until ${lifecycle.retainUntil}, writes nothing`,
    });
    Tags.of(admin).add(TAG.role, 'admin');
    this.roles = { admin };
    for (const b of Object.values(this.buckets)) b.grantRead(admin);

    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'UseByThisCooperativeOnly',
        principals: [admin, lakeFormation.role].map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
      }),
    );

    acknowledge(admin, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(admin, actionWildcardFindings(S3_READ_ACTIONS), REASONS.s3WildcardActions);
    acknowledgeAll(admin, Object.values(this.buckets).map((x) => objectWildcardFinding(x)), REASONS.objectWildcard);

    Tags.of(this).add(TAG.cooperative, coop.id);
    Tags.of(this).add(TAG.costCenter, coop.costCenter);
    Tags.of(this).add(TAG.classification, coop.classification);
    Tags.of(this).add(TAG.lifecycle, 'offboarding');
  }
}
