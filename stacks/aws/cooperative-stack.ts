import {
  RemovalPolicy,
  Stack,
  Tags,
  aws_glue as glue,
  aws_iam as iam,
  aws_kms as kms,
  aws_lakeformation as lakeformation,
  aws_s3 as s3,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  AggregateTable,
  DataBucket,
  DatasetTable,
  IngestionFunctions,
  KEY_USE_ACTIONS,
  LakeFormationLocation,
  KMS_WRITE_ACTIONS,
  REASONS,
  S3_READ_ACTIONS,
  S3_WRITE_ACTIONS,
  TAG,
  acknowledge,
  acknowledgeAll,
  actionWildcardFindings,
  objectWildcardFinding,
  adminOnlyKeyPolicy,
  type IngestionCode,
} from '../../infra/aws';
import type { CooperativePlan, TenancyPlan, Zone } from '../../infra';
import { MANIFEST_PREFIX as MANIFEST_FOLDER } from '../../infra/shared-names';

/** Objects the ingestion handler reads back: its own manifests (see lambdas/domain/ingest.ts). */
const MANIFEST_PREFIX = `${MANIFEST_FOLDER}/*`;

/** What a cooperative stack uses from the platform stack. */
export interface PlatformResources {
  /** Key of the shared zone: the ingestion role encrypts its own datasets' objects there. */
  readonly sharedKey: kms.IKey;
  /** The HMAC key ingestion pseudonymizes with. */
  readonly pseudonymizationKey: kms.IKey;
}

/** Properties of a {@link CooperativeStack}. */
export interface CooperativeStackProps extends StackProps {
  readonly plan: TenancyPlan;
  /** The cooperative, one of `plan.cooperatives`. */
  readonly cooperative: CooperativePlan;
  readonly platform: PlatformResources;
  /**
   * The ingestion handlers. When absent the stack holds no Lambda: data lands in the raw
   * zone and stays there until the handlers are wired (see README, "Cloud tenancy (AWS)").
   * @default - no ingestion functions
   */
  readonly ingestion?: IngestionCode;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** A dataset plan without the shared copy's description (kept on the curated table only). */
function withoutSharedCopy(d: CooperativePlan['datasets'][number]): CooperativePlan['datasets'][number] {
  const { sharedColumns: _columns, sharedAgreements: _agreements, ...rest } = d;
  return rest;
}

/** Days rejected records are kept for the data steward to inspect, unless the dataset's retention is shorter. */
export const QUARANTINE_DAYS = 90;

/** Lake Formation permissions the ingestion role holds on its own tables. */
export const INGESTION_TABLE_PERMISSIONS = ['ALTER', 'DESCRIBE', 'INSERT'] as const;

/**
 * One cooperative's cloud tenancy: its own key, raw/curated/quarantine zones, a Glue
 * database with a table per dataset, its three roles, the Lake Formation grants of its
 * sharing agreements and, when wired, its ingestion functions. Nothing in it names a
 * resource of another cooperative.
 */
export class CooperativeStack extends Stack {
  readonly key: kms.Key;
  readonly buckets: Readonly<Record<Zone, s3.Bucket>>;
  readonly database: glue.CfnDatabase;
  /** Curated tables by dataset name. */
  readonly tables: ReadonlyMap<string, DatasetTable>;
  /** This cooperative's tables in the shared database, by table name. */
  readonly sharedTables: ReadonlyMap<string, DatasetTable>;
  /** Statistics tables of its aggregated agreements, by table name. */
  readonly aggregateTables: ReadonlyMap<string, AggregateTable>;
  readonly roles: { readonly admin: iam.Role; readonly uploader: iam.Role; readonly ingestion: iam.Role };
  /** Consumer grants, in plan order. */
  readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  readonly ingestion?: IngestionFunctions;

  constructor(scope: Construct, id: string, props: CooperativeStackProps) {
    super(scope, id, props);
    const { plan, cooperative: coop } = props;
    const cloud = coop.cloud;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Platform buckets are addressed by their plan names (the names are the interface), so a
    // cooperative stack never holds a deploy-time reference to a platform bucket.
    const logs = s3.Bucket.fromBucketName(this, 'AccessLogBucket', plan.platform.audit.accessLogBucket);
    const sharedBucket = s3.Bucket.fromBucketName(this, 'SharedBucket', plan.platform.sharedZone.bucket);

    this.key = new kms.Key(this, 'Key', {
      description: `coop-idc data key of ${coop.id}`,
      enableKeyRotation: true,
      alias: cloud.keyAlias,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });

    const zone = (z: Zone, cid: string, retention: { prefix: string; days: number }[]) =>
      new DataBucket(this, cid, {
        bucketName: cloud.buckets[z],
        encryptionKey: this.key,
        zone: z,
        serverAccessLogsBucket: logs,
        serverAccessLogsPrefix: `${coop.id}/${z}/`,
        retention,
        removalPolicy,
      }).bucket;
    const perDataset = (days: (d: CooperativePlan['datasets'][number]) => number) => coop.datasets.map((d) => ({ prefix: `${d.name}/`, days: days(d) }));
    this.buckets = {
      raw: zone('raw', 'RawZone', perDataset((d) => d.retentionDays)),
      curated: zone('curated', 'CuratedZone', perDataset((d) => d.retentionDays)),
      quarantine: zone('quarantine', 'QuarantineZone', perDataset((d) => Math.min(d.retentionDays, QUARANTINE_DAYS))),
    };

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: cloud.database, description: `coop-idc curated data of ${coop.id}` },
    });
    const tables = new Map<string, DatasetTable>();
    for (const d of coop.datasets) {
      // Dataset names are stable keys (renaming a dataset is a new dataset), so they may name constructs.
      const t = new DatasetTable(this, `Table-${d.name}`, {
        databaseName: cloud.database,
        tableName: d.table,
        location: `s3://${cloud.buckets.curated}/${d.name}/`,
        dataset: d,
      });
      t.table.addResourceDependency(this.database);
      tables.set(d.name, t);
    }
    this.tables = tables;
    // This cooperative's tables in the shared database (the platform stack owns the database).
    const sharedTables = plan.platform.sharedZone.tables.filter((t) => t.cooperative === coop.id);
    const shared = new Map<string, DatasetTable>();
    for (const t of sharedTables) {
      const dataset = coop.datasets.find((d) => d.name === t.dataset);
      if (!dataset) throw new Error(`shared table ${t.name}: ${coop.id} has no dataset "${t.dataset}"`);
      shared.set(
        t.name,
        new DatasetTable(this, `SharedTable-${t.dataset}`, {
          databaseName: plan.platform.sharedZone.database,
          tableName: t.name,
          location: `s3://${plan.platform.sharedZone.bucket}/${t.name}/`,
          // The ingestion reads the dataset plan from the curated table only; the shared copy's
          // columns are this table's columns.
          dataset: withoutSharedCopy(dataset),
          columns: t.columns,
        }),
      );
    }
    this.sharedTables = shared;
    // Statistics tables of aggregated agreements (never row-level data), in the shared database.
    const aggregates = new Map<string, AggregateTable>();
    for (const g of plan.grants) {
      if (g.cooperative !== coop.id || !g.aggregate) continue;
      aggregates.set(g.aggregate.table, new AggregateTable(this, `AggregateTable-${g.dataset}-${g.consumer}`, {
        databaseName: plan.platform.sharedZone.database,
        aggregate: g.aggregate,
        location: `s3://${plan.platform.sharedZone.bucket}/${g.aggregate.table}/`,
      }));
    }
    this.aggregateTables = aggregates;
    const lakeFormation = new LakeFormationLocation(this, 'LakeFormation', { bucket: this.buckets.curated });

    const roles = {
      admin: new iam.Role(this, 'AdminRole', {
        roleName: cloud.roles.admin,
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Administrator of ${coop.id}'s data: reads every zone, re-processes quarantine`,
      }),
      uploader: new iam.Role(this, 'UploaderRole', {
        roleName: cloud.roles.uploader,
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Uploads ${coop.id}'s files to the raw zone (write only)`,
      }),
      ingestion: new iam.Role(this, 'IngestionRole', {
        roleName: cloud.roles.ingestion,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Validates, curates and pseudonymizes ${coop.id}'s data`,
      }),
    };
    this.roles = roles;
    for (const [name, role] of Object.entries(roles)) Tags.of(role).add(TAG.role, name);

    // Admin: read everything of its own, manage the quarantine.
    for (const z of ['raw', 'curated'] as const) this.buckets[z].grantRead(roles.admin);
    this.buckets.quarantine.grantReadWrite(roles.admin);
    // Uploader: write the raw zone, nothing else.
    this.buckets.raw.grantPut(roles.uploader);
    // Ingestion: read raw, write curated and quarantine, write its own datasets in the shared zone.
    this.buckets.raw.grantRead(roles.ingestion);
    this.buckets.curated.grantPut(roles.ingestion);
    // A replayed event looks its manifest up and changes nothing: read the manifests only,
    // with exact actions (ListBucket turns a missing manifest into 404 rather than 403).
    roles.ingestion.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.buckets.curated.arnForObjects(MANIFEST_PREFIX)] }));
    roles.ingestion.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.buckets.curated.bucketArn] }));
    this.buckets.quarantine.grantPut(roles.ingestion);
    for (const t of sharedTables) sharedBucket.grantPut(roles.ingestion, `${t.name}/*`);
    if (sharedTables.length > 0) props.platform.sharedKey.grant(roles.ingestion, 'kms:Decrypt', 'kms:GenerateDataKey');
    props.platform.pseudonymizationKey.grant(roles.ingestion, 'kms:GenerateMac');
    const tableArn = (db: string, table: string) => this.formatArn({ service: 'glue', resource: 'table', resourceName: `${db}/${table}` });
    const ownTables: { db: string; table: string; local?: DatasetTable }[] = [
      ...coop.datasets.map((d) => ({ db: cloud.database, table: d.table, local: tables.get(d.name) })),
      ...sharedTables.map((t) => ({ db: plan.platform.sharedZone.database, table: t.name, local: shared.get(t.name) })),
    ];
    roles.ingestion.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RegisterPartitionsOfOwnTables',
        actions: ['glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:GetTable'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'catalog' }),
          ...[...new Set(ownTables.map((t) => t.db))].map((db) => this.formatArn({ service: 'glue', resource: 'database', resourceName: db })),
          ...ownTables.map((t) => tableArn(t.db, t.table)),
        ],
      }),
    );

    // Key policy: only this cooperative's principals use its key (IAM grants alone are not enough).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'UseByThisCooperativeOnly',
        principals: [roles.admin, roles.uploader, roles.ingestion, lakeFormation.role].map((r) => new iam.ArnPrincipal(r.roleArn)),
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
      }),
    );

    // Lake Formation: consumer grants limited to the agreed columns; ingestion on its own tables.
    const consumerRole = new Map(plan.platform.consumers.map((c) => [c.id, c.role]));
    const principal = (roleName: string) => this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
    this.grants = plan.grants
      .filter((g) => g.cooperative === coop.id)
      .map((g) => {
        const roleName = consumerRole.get(g.consumer);
        if (!roleName) throw new Error(`grant ${g.source}: consumer "${g.consumer}" is not in the plan`);
        const grant = new lakeformation.CfnPrincipalPermissions(this, `Grant-${g.consumer}-${g.dataset}-${g.level}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: principal(roleName) },
          resource: { tableWithColumns: { catalogId: this.account, databaseName: g.database, name: g.table, columnNames: [...g.grantedColumns] } },
          permissions: ['SELECT'],
          permissionsWithGrantOption: [],
        });
        const local = g.database === cloud.database ? tables.get(g.dataset) : shared.get(g.table) ?? aggregates.get(g.table);
        if (local) grant.addResourceDependency(local.table);
        return grant;
      });
    for (const t of ownTables) {
      const grant = new lakeformation.CfnPrincipalPermissions(this, `IngestionGrant-${t.db}-${t.table}`, {
        catalog: this.account,
        principal: { dataLakePrincipalIdentifier: roles.ingestion.roleArn },
        resource: { table: { catalogId: this.account, databaseName: t.db, name: t.table } },
        permissions: [...INGESTION_TABLE_PERMISSIONS],
        permissionsWithGrantOption: [],
      });
      if (t.local) grant.addResourceDependency(t.local.table);
    }

    if (props.ingestion) {
      this.ingestion = new IngestionFunctions(this, 'Ingestion', {
        ...props.ingestion,
        cooperativeId: coop.id,
        datasets: coop.datasets.map((d) => d.name),
        rawBucket: this.buckets.raw,
        curatedBucket: this.buckets.curated,
        quarantineBucket: this.buckets.quarantine,
        sharedBucket,
        glueDatabase: cloud.database,
        sharedDatabase: plan.platform.sharedZone.database,
        pseudonymizationKey: props.platform.pseudonymizationKey,
        key: this.key,
        ingestionRole: roles.ingestion,
        uploaders: [roles.uploader],
        logRetentionDays: plan.platform.audit.logRetentionDays,
        removalPolicy,
      });
    }

    for (const role of Object.values(roles)) acknowledge(role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    const b = this.buckets;
    acknowledgeAll(roles.admin, [...actionWildcardFindings([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS, 's3:DeleteObject*'])], REASONS.s3WildcardActions);
    acknowledgeAll(roles.admin, actionWildcardFindings(KMS_WRITE_ACTIONS), REASONS.kmsWildcardActions);
    acknowledgeAll(roles.admin, [b.raw, b.curated, b.quarantine].map((x) => objectWildcardFinding(x)), REASONS.objectWildcard);
    acknowledgeAll(roles.uploader, actionWildcardFindings(S3_WRITE_ACTIONS), REASONS.s3WildcardActions);
    acknowledgeAll(roles.uploader, actionWildcardFindings(KMS_WRITE_ACTIONS), REASONS.kmsWildcardActions);
    acknowledgeAll(roles.uploader, [objectWildcardFinding(b.raw)], REASONS.objectWildcard);
    acknowledgeAll(roles.ingestion, actionWildcardFindings([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS]), REASONS.s3WildcardActions);
    acknowledgeAll(roles.ingestion, actionWildcardFindings(KMS_WRITE_ACTIONS), REASONS.kmsWildcardActions);
    acknowledgeAll(roles.ingestion, [objectWildcardFinding(b.curated, MANIFEST_PREFIX)], REASONS.objectWildcard);
    acknowledgeAll(
      roles.ingestion,
      [...[b.raw, b.curated, b.quarantine].map((x) => objectWildcardFinding(x)), ...sharedTables.map((t) => objectWildcardFinding(sharedBucket, `${t.name}/*`))],
      REASONS.objectWildcard,
    );

    Tags.of(this).add(TAG.cooperative, coop.id);
    Tags.of(this).add(TAG.costCenter, coop.costCenter);
    Tags.of(this).add(TAG.classification, coop.classification);
  }
}
