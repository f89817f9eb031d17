import { RemovalPolicy, Stack, Tags, aws_iam as iam, aws_kms as kms, aws_s3 as s3, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataBucket, ERASING_ROLE, ERASURE_KEY_ACTIONS, KEY_USE_ACTIONS, LakeFormationLocation, DEFAULT_COST_SPLIT, PLATFORM_OWNER, STATS_ROLE_TAG, STATS_SHARED_KEY_ACTIONS, STATS_WRITE_ACTIONS, TAG, adminOnlyKeyPolicy, offboardedCopyExpirations } from '../../infra/aws';
import { maxPii, type CellPlan, type TenancyPlan } from '../../infra';
import { OBJECT_TAG } from '../../infra/shared-names';

/** Properties of a {@link CellSharedZoneStack}. */
export interface CellSharedZoneStackProps extends StackProps {
  readonly plan: TenancyPlan;
  /** The cell, one of `plan.platform.cells`. */
  readonly cell: CellPlan;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Actions a cell's ingestion roles hold on the cell's shared-zone key: encrypt what they write (S3 multipart uploads decrypt data keys). */
export const CELL_SHARED_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/**
 * Actions a cell's ingestion roles hold on the cell's shared-zone bucket: write tagged objects,
 * nothing else. The writer sends single PutObject requests; an interrupted multipart upload
 * would be removed by the bucket's abort-incomplete-uploads rule (7 days). One statement, so
 * the policy names the cell's roles once (S3: 20 KB per bucket policy).
 */
export const SHARED_WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging'] as const;

/**
 * One cell's part of the shared zone, in the data-lake account: a bucket and key of its
 * own, registered with Lake Formation. Its bucket and key policies admit exactly the
 * ingestion roles of this cell's cooperatives (by the ARNs the plan derives; conditions
 * rather than principals, because the data-lake account is deployed before the cells and
 * a policy naming a role that does not exist yet is rejected). One bucket per cell keeps
 * each bucket's lifecycle rules and policy within S3's quotas at any number of cells, and
 * nothing here names another cell.
 */
export class CellSharedZoneStack extends Stack {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly location: LakeFormationLocation;

  constructor(scope: Construct, id: string, props: CellSharedZoneStackProps) {
    super(scope, id, props);
    const { plan, cell } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const ingestionRoles = { ArnEquals: { 'aws:PrincipalArn': [...cell.ingestionRoles] } };
    // Every statement below admits roles of the cell's account, narrowed by its conditions.
    const cellAccount = new iam.AccountPrincipal(cell.account);

    this.key = new kms.Key(this, 'Key', {
      description: `coop-idc shared zone of cell ${cell.id} (pseudonymized and aggregated data)`,
      enableKeyRotation: true,
      alias: cell.sharedKeyAlias,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });
    Tags.of(this.key).add(TAG.zone, 'shared');

    const tables = plan.platform.sharedZone.tables.filter((t) => t.bucket === cell.sharedBucket);
    const retention = new Map(plan.cooperatives.flatMap((c) => c.datasets.map((d) => [`${c.id}/${d.name}`, d.retentionDays] as const)));
    this.bucket = new DataBucket(this, 'Bucket', {
      bucketName: cell.sharedBucket,
      encryptionKey: this.key,
      zone: 'shared',
      serverAccessLogsBucket: s3.Bucket.fromBucketName(this, 'AccessLogBucket', plan.platform.audit.accessLogBucket),
      serverAccessLogsPrefix: `platform/shared/${cell.id}/`,
      // One rule per distinct retention, selected by the tag the ingestion writes (S3: 1,000 rules per bucket).
      taggedRetentionDays: tables.map((t) => retention.get(`${t.cooperative}/${t.dataset}`) ?? 1),
      expirations: offboardedCopyExpirations(plan.cooperatives, cell.sharedBucket),
      removalPolicy,
    }).bucket;
    this.location = new LakeFormationLocation(this, 'LakeFormation', { bucket: this.bucket });

    if (cell.ingestionRoles.length > 0) {
      // Each role writes only its own tables' prefixes: its own (cell-side) policy names them.
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'WriteByThisCellsIngestionRoles',
          principals: [cellAccount],
          actions: [...SHARED_WRITE_ACTIONS],
          resources: [this.bucket.arnForObjects('*')],
          // Only tagged with a retention: an untagged object would match no lifecycle rule and never expire.
          conditions: { ...ingestionRoles, Null: { [`s3:RequestObjectTag/${OBJECT_TAG.retentionDays}`]: 'false' } },
        }),
      );

      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'UseByThisCellsIngestionRoles',
          principals: [cellAccount],
          actions: [...CELL_SHARED_KEY_ACTIONS],
          resources: ['*'],
          conditions: ingestionRoles,
        }),
      );
    }
    if (tables.length > 0) {
      // Erasure roles of this cell's cooperatives (PIPA art. 36): they read and replace the
      // member's shared copies. By name pattern and role tag, like the statistics roles; each
      // role's own (cell-side) policy names only its cooperative's shared tables.
      const erasureRoles = { ArnLike: { 'aws:PrincipalArn': cell.erasureRolePattern }, StringEquals: { [`aws:PrincipalTag/${TAG.role}`]: ERASING_ROLE } };
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'ReadSharedCopiesByThisCellsErasureRoles', principals: [cellAccount], actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')], conditions: erasureRoles }));
      // A rewritten copy keeps its retention tag, so it still expires (the same condition as ingestion's writes).
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'ReplaceSharedCopiesByThisCellsErasureRoles',
        principals: [cellAccount],
        actions: ['s3:PutObject', 's3:PutObjectTagging'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ...erasureRoles, Null: { [`s3:RequestObjectTag/${OBJECT_TAG.retentionDays}`]: 'false' } },
      }));
      this.key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'UseByThisCellsErasureRoles', principals: [cellAccount], actions: [...ERASURE_KEY_ACTIONS], resources: ['*'], conditions: erasureRoles }));
    }
    if (plan.grants.some((g) => g.aggregate && cell.cooperatives.includes(g.cooperative))) {
      // Statistics roles of this cell's cooperatives: by name pattern and role tag, like the
      // pseudonymization key, so the policies do not grow per cooperative. Each role's own
      // (cell-side) policy names only its own statistics tables' prefixes.
      const statsRoles = { ArnLike: { 'aws:PrincipalArn': cell.statsRolePattern }, StringEquals: { [`aws:PrincipalTag/${TAG.role}`]: STATS_ROLE_TAG } };
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'WriteStatisticsByThisCellsStatsRoles', principals: [cellAccount], actions: [...STATS_WRITE_ACTIONS], resources: [this.bucket.arnForObjects('*')], conditions: statsRoles }));
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'ListStatisticsByThisCellsStatsRoles', principals: [cellAccount], actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [this.bucket.bucketArn], conditions: statsRoles }));
      this.key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'UseByThisCellsStatsRoles', principals: [cellAccount], actions: [...STATS_SHARED_KEY_ACTIONS], resources: ['*'], conditions: statsRoles }));
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'UseByLakeFormationLocation',
        principals: [new iam.ArnPrincipal(this.location.role.roleArn)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
      }),
    );
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costCenter, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costSplit, plan.platform.cost?.platform.split ?? DEFAULT_COST_SPLIT);
    Tags.of(this).add(TAG.cell, cell.id);
    Tags.of(this).add(TAG.classification, maxPii(plan.cooperatives.filter((c) => c.cell === cell.id).map((c) => c.classification)));
  }
}
