import {
  RemovalPolicy,
  Stack,
  Tags,
  aws_glue as glue,
  aws_iam as iam,
  aws_kms as kms,
  aws_lakeformation as lakeformation,
  aws_s3 as s3,
  aws_sns as sns,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  ADMIN_RESULTS_PREFIX,
  AggregateTable,
  AlarmTopic,
  CooperativeQuery,
  DataBucket,
  DatasetTable,
  ErasureFunction,
  IngestionAlarms,
  GatewayProfile,
  IngestionFunctions,
  pushInvokeStatement,
  KEY_USE_ACTIONS,
  LakeFormationLocation,
  KMS_WRITE_ACTIONS,
  REASONS,
  S3_READ_ACTIONS,
  S3_WRITE_ACTIONS,
  STATS_RESULTS_DAYS,
  STATS_RESULTS_PREFIX,
  StatsRefresh,
  TAG,
  acknowledge,
  acknowledgeAll,
  actionWildcardFindings,
  objectWildcardFinding,
  adminOnlyKeyPolicy,
  gatewayTrustPolicy,
  type IngestionCode,
} from '../../infra/aws';
import type { CooperativePlan, TenancyPlan, Zone } from '../../infra';
import { MANIFEST_PREFIX as MANIFEST_FOLDER, OBJECT_TAG } from '../../infra/shared-names';
import { ATHENA_RESULTS_DAYS } from './platform-stack';

/** Objects the ingestion handler reads back: its own manifests (see lambdas/domain/ingest.ts). */
const MANIFEST_PREFIX = `${MANIFEST_FOLDER}/*`;

/** Properties of a {@link CooperativeStack}. */
export interface CooperativeStackProps extends StackProps {
  readonly plan: TenancyPlan;
  /** The cooperative, one of `plan.cooperatives`. */
  readonly cooperative: CooperativePlan;
  /**
   * The ingestion handlers. When absent the stack holds no Lambda: data lands in the raw
   * zone and stays there until the handlers are wired (see README, "Cloud tenancy (AWS)").
   * @default - no ingestion functions
   */
  readonly ingestion?: IngestionCode;
  /**
   * ARN of the cell's IAM Roles Anywhere trust anchor (its gateway stack, same account):
   * the uploader role then trusts exactly that anchor and its cooperative's certificates,
   * and the stack holds the cooperative's Roles Anywhere profile.
   * @default - no gateway access: the uploader role trusts only the cooperative's admin role
   */
  readonly gatewayTrustAnchorArn?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** A dataset plan without the shared copy's description (kept on the curated table only). */
export function withoutSharedCopy(d: CooperativePlan['datasets'][number]): CooperativePlan['datasets'][number] {
  const { sharedColumns: _columns, sharedAgreements: _agreements, ...rest } = d;
  return rest;
}

/** Days rejected records are kept for the data steward to inspect, unless the dataset's retention is shorter. */
export const QUARANTINE_DAYS = 90;

/** Lake Formation permissions the ingestion role holds on its own tables. */
export const INGESTION_TABLE_PERMISSIONS = ['ALTER', 'DESCRIBE', 'INSERT'] as const;

/** Lake Formation permissions the statistics role holds on its statistics tables: read and repoint them. */
export const STATS_TABLE_PERMISSIONS = ['ALTER', 'DESCRIBE'] as const;

/** What the ingestion role does with the shared-zone key: encrypt the objects it writes there. */
export const SHARED_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;
/** What the ingestion role writes in the shared zone: objects of its own tables, tagged with their retention, nothing else. */
export const SHARED_WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging'] as const;

/**
 * One cooperative's cloud tenancy: its own key, raw/curated/quarantine zones, a Glue
 * database with a table per dataset, its three roles, the Lake Formation grants of its
 * sharing agreements and, when wired, its ingestion functions. Nothing in it names a
 * resource of another cooperative.
 *
 * It deploys to the cooperative's account (its cell's, or the data-lake account when no
 * cells are declared) and references data-lake resources only by the names the plan
 * derives, never by deploy-time tokens: CDK forbids references across environments, and
 * an export would chain the cell's deployments to the data-lake account's stacks.
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
  /** The erasure function (PIPA art. 36), when its handler is wired. */
  readonly erasure?: ErasureFunction;
  /** Its alarm topic, with the ingestion. */
  readonly alarmTopic?: AlarmTopic;
  /** Its ingestion's alarms, with the ingestion. */
  readonly alarms?: IngestionAlarms;
  /** The admin's Athena workgroup and Lake Formation grants on its own tables. */
  readonly query: CooperativeQuery;
  /** The refresh job of its statistics tables, when it has aggregated agreements and the handlers are wired. */
  readonly statsRefresh?: StatsRefresh;

  constructor(scope: Construct, id: string, props: CooperativeStackProps) {
    super(scope, id, props);
    const { plan, cooperative: coop } = props;
    const cloud = coop.cloud;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Platform buckets are addressed by their plan names (the names are the interface), so a
    // cooperative stack never holds a deploy-time reference to a platform bucket.
    const logs = s3.Bucket.fromBucketName(this, 'AccessLogBucket', plan.platform.audit.accessLogBucket);
    const sharedBucket = s3.Bucket.fromBucketName(this, 'SharedBucket', cloud.sharedBucket);
    const dataLake = plan.platform.account;
    // Shared tables live in the data-lake account's catalog; in a cell, its data-lake stacks create them.
    const inDataLake = this.account === dataLake;
    const ownAggregates = plan.grants.filter((g) => g.cooperative === coop.id).flatMap((g) => (g.aggregate ? [g.aggregate] : []));

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
      curated: zone('curated', 'CuratedZone', [...perDataset((d) => d.retentionDays), { prefix: ADMIN_RESULTS_PREFIX, days: ATHENA_RESULTS_DAYS }, ...(ownAggregates.length > 0 ? [{ prefix: STATS_RESULTS_PREFIX, days: STATS_RESULTS_DAYS }] : [])]),
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
    for (const t of inDataLake ? sharedTables : []) {
      const dataset = coop.datasets.find((d) => d.name === t.dataset);
      if (!dataset) throw new Error(`shared table ${t.name}: ${coop.id} has no dataset "${t.dataset}"`);
      shared.set(
        t.name,
        new DatasetTable(this, `SharedTable-${t.dataset}`, {
          databaseName: plan.platform.sharedZone.database,
          tableName: t.name,
          location: `s3://${t.bucket}/${t.name}/`,
          // The ingestion reads the dataset plan from the curated table only; the shared copy's
          // columns are this table's columns.
          dataset: withoutSharedCopy(dataset),
          columns: t.columns,
        }),
      );
    }
    this.sharedTables = shared;
    // Statistics tables of aggregated agreements (never row-level data), in the shared database;
    // in a cell, its data-lake stacks create them.
    const aggregates = new Map<string, AggregateTable>();
    for (const g of inDataLake ? plan.grants : []) {
      if (g.cooperative !== coop.id || !g.aggregate) continue;
      aggregates.set(g.aggregate.table, new AggregateTable(this, `AggregateTable-${g.dataset}-${g.consumer}`, {
        databaseName: plan.platform.sharedZone.database,
        aggregate: g.aggregate,
        location: `s3://${cloud.sharedBucket}/${g.aggregate.table}/`,
      }));
    }
    this.aggregateTables = aggregates;
    const lakeFormation = new LakeFormationLocation(this, 'LakeFormation', { bucket: this.buckets.curated });

    const admin = new iam.Role(this, 'AdminRole', {
      roleName: cloud.roles.admin,
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Administrator of ${coop.id}'s data: reads every zone, re-processes quarantine`,
    });
    // Factory gateways live outside AWS: never the account root, never long-lived keys. With
    // the cell's trust anchor, IAM Roles Anywhere sessions of the cooperative's certificates
    // only; without one, nobody but the cooperative's admin role.
    const gateways = props.gatewayTrustAnchorArn;
    const uploader = new iam.Role(this, 'UploaderRole', {
      roleName: cloud.roles.uploader,
      assumedBy: gateways !== undefined ? new iam.ServicePrincipal('rolesanywhere.amazonaws.com') : new iam.ArnPrincipal(admin.roleArn),
      description: `Uploads ${coop.id}'s files to the raw zone (write only)`,
    });
    if (gateways !== undefined) {
      // The exact policy (three actions, two conditions) rather than CDK's AssumeRole-only principal.
      (uploader.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = gatewayTrustPolicy(gateways, cloud.gatewayCommonName);
      new GatewayProfile(this, 'GatewayProfile', { name: cloud.gatewayProfile, role: uploader });
    }
    const roles = {
      admin,
      uploader,
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
    if (sharedTables.length > 0) {
      // Each table's objects only with its dataset's retention tag, which selects the shared
      // zone's lifecycle rule: a wrong or missing tag is refused, never kept forever.
      const byDays = new Map<number, string[]>();
      for (const t of sharedTables) {
        const days = coop.datasets.find((d) => d.name === t.dataset)?.retentionDays;
        if (days === undefined) throw new Error(`shared table ${t.name}: ${coop.id} has no dataset "${t.dataset}"`);
        byDays.set(days, [...(byDays.get(days) ?? []), t.name]);
      }
      for (const [days, names] of [...byDays].sort(([a], [b]) => a - b)) {
        roles.ingestion.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: `WriteOwnSharedTables${days}d`,
            actions: [...SHARED_WRITE_ACTIONS],
            resources: names.map((n) => sharedBucket.arnForObjects(`${n}/*`)),
            conditions: {
              StringEquals: { [`s3:RequestObjectTag/${OBJECT_TAG.retentionDays}`]: String(days) },
              'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [OBJECT_TAG.retentionDays] },
            },
          }),
        );
      }
    }
    // Data-lake keys are named by alias, not by a key ARN token: the key id is not known
    // before the data-lake account is deployed, and its alias is the plan's interface.
    const dataLakeKey = (alias: string) => ({
      resources: [this.formatArn({ service: 'kms', account: dataLake, resource: 'key', resourceName: '*' })],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias] } },
    });
    if (sharedTables.length > 0) {
      roles.ingestion.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'EncryptOwnSharedTables', actions: [...SHARED_KEY_ACTIONS], ...dataLakeKey(cloud.sharedKeyAlias) }));
    }
    roles.ingestion.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Pseudonymize', actions: ['kms:GenerateMac'], ...dataLakeKey(plan.platform.pseudonymizationKeyAlias) }));
    const glueArn = (account: string, resource: string, resourceName?: string) =>
      this.formatArn({ service: 'glue', account, resource, ...(resourceName !== undefined ? { resourceName } : {}) });
    const ownTables: { db: string; table: string; catalog: string; local?: DatasetTable }[] = [
      ...coop.datasets.map((d) => ({ db: cloud.database, table: d.table, catalog: this.account, local: tables.get(d.name) })),
      ...sharedTables.map((t) => ({ db: plan.platform.sharedZone.database, table: t.name, catalog: dataLake, local: shared.get(t.name) })),
    ];
    const catalogs = [...new Set(ownTables.map((t) => t.catalog))].sort();
    // A cooperative without datasets has no table: a statement without resources fails synthesis.
    if (ownTables.length > 0) roles.ingestion.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RegisterPartitionsOfOwnTables',
        actions: ['glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:GetTable'],
        resources: [
          ...catalogs.map((c) => glueArn(c, 'catalog')),
          ...[...new Set(ownTables.map((t) => `${t.catalog}\u0000${t.db}`))].map((k) => glueArn(k.split('\u0000')[0], 'database', k.split('\u0000')[1])),
          ...ownTables.map((t) => glueArn(t.catalog, 'table', `${t.db}/${t.table}`)),
        ],
      }),
    );

    // The admin queries its own tables through Athena, in its own account (docs/design/cells.md).
    this.query = new CooperativeQuery(this, 'AdminQuery', {
      workgroupName: cloud.roles.admin,
      role: roles.admin,
      database: cloud.database,
      resultsBucket: this.buckets.curated,
      resultsKey: this.key,
    });

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
    const principal = (roleName: string) => this.formatArn({ service: 'iam', region: '', account: dataLake, resource: 'role', resourceName: roleName });
    // Grants on this account's catalog: raw-level ones (cross-account grants to the consumer's
    // role in the data-lake account), and every one when this is the data-lake account.
    this.grants = plan.grants
      .filter((g) => g.cooperative === coop.id && g.catalog === this.account)
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
    for (const t of ownTables.filter((x) => x.catalog === this.account)) {
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
      // Its gateways push through its cell's ingestion API: the route of this cooperative only.
      const invoke = pushInvokeStatement(coop.id, this);
      roles.uploader.addToPrincipalPolicy(invoke);
      // cdk-nag names the resource as synthesized: a literal partition where the Region has one.
      const invokeArn: unknown = this.resolve(invoke.resources[0]);
      acknowledge(
        roles.uploader,
        `AwsSolutions-IAM5[Resource::${typeof invokeArn === 'string' ? invokeArn : `arn:<AWS::Partition>:execute-api:${this.region}:${this.account}:*/*/POST/v1/cooperatives/${coop.id}/datasets/*/records`}]`,
        'The uploader may push to every dataset of its own cooperative\'s route on its account\'s ingestion API, whose id exists only after deployment ({dataset} is a path parameter; the handler rejects datasets the cooperative does not declare). The cooperative is pinned by the path.',
      );
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
        pseudonymizationKeyArn: this.formatArn({ service: 'kms', account: dataLake, resource: 'alias', resourceName: plan.platform.pseudonymizationKeyAlias.replace(/^alias\//, '') }),
        key: this.key,
        ingestionRole: roles.ingestion,
        uploaders: [roles.uploader],
        pushFunctionName: cloud.pushFunction,
        reservedConcurrency: plan.platform.ingestion.concurrency,
        logRetentionDays: plan.platform.audit.logRetentionDays,
        removalPolicy,
      });
      if (props.ingestion.eraseHandlerCodeDir) {
        const ownGlue = ownTables.filter((t) => t.catalog === this.account && t.db === cloud.database);
        this.erasure = new ErasureFunction(this, 'Erasure', {
          cooperativeId: coop.id,
          roleName: cloud.erasureRole,
          codeDir: props.ingestion.eraseHandlerCodeDir,
          curatedBucket: this.buckets.curated,
          datasets: coop.datasets.map((d) => d.name),
          sharedBucket,
          sharedTables: sharedTables.map((t) => t.name),
          aggregateTables: plan.grants.flatMap((g) => (g.cooperative === coop.id && g.aggregate ? [{ table: g.aggregate.table, dataset: g.dataset }] : [])),
          glueDatabase: cloud.database,
          glueResources: [glueArn(this.account, 'catalog'), glueArn(this.account, 'database', cloud.database), ...ownGlue.map((t) => glueArn(t.catalog, 'table', `${t.db}/${t.table}`))],
          pseudonymizationKeyArn: this.formatArn({ service: 'kms', account: dataLake, resource: 'alias', resourceName: plan.platform.pseudonymizationKeyAlias.replace(/^alias\//, '') }),
          dataLakeKeys: { resources: [this.formatArn({ service: 'kms', account: dataLake, resource: 'key', resourceName: '*' })], pseudonymizationAlias: plan.platform.pseudonymizationKeyAlias, sharedKeyAlias: cloud.sharedKeyAlias },
          key: this.key,
          deadLetterQueue: this.ingestion.deadLetterQueue,
          logRetentionDays: plan.platform.audit.logRetentionDays,
          removalPolicy,
        });
      }
      // Alarms exist only with what they watch: no functions, no alarms (none could fire).
      this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { topicName: coop.monitoring.alarmTopic, key: this.key, alarmNamePattern: `${coop.monitoring.alarmPrefix}-*` });
      // The account's platform topic (its monitoring stack, deployed first), by the name the plan derives.
      const platformTopic = sns.Topic.fromTopicArn(this, 'PlatformAlarmTopic', this.formatArn({ service: 'sns', resource: plan.platform.monitoring.platformAlarmTopic }));
      this.alarms = new IngestionAlarms(this, 'Alarms', {
        cooperativeId: coop.id,
        objectHandler: this.ingestion.objectHandler,
        apiHandler: this.ingestion.apiHandler,
        deadLetterQueue: this.ingestion.deadLetterQueue,
        monitoring: coop.monitoring,
        thresholds: plan.platform.monitoring,
        topics: [this.alarmTopic.topic, platformTopic],
      });
    }

    if (props.ingestion?.statsHandlerCodeDir && ownAggregates.length > 0) {
      this.statsRefresh = new StatsRefresh(this, 'StatsRefresh', {
        cooperativeId: coop.id,
        codeDir: props.ingestion.statsHandlerCodeDir,
        aggregates: ownAggregates,
        curatedBucket: this.buckets.curated,
        key: this.key,
        sharedBucket,
        sharedKeyAlias: cloud.sharedKeyAlias,
        dataLakeAccount: dataLake,
        sharedDatabase: plan.platform.sharedZone.database,
        logRetentionDays: plan.platform.audit.logRetentionDays,
        removalPolicy,
      });
      const statsRole = this.statsRefresh.role;
      // Lake Formation: SELECT on the source tables here; on the statistics tables, ALTER and
      // DESCRIBE (granted by whichever stack holds them: this one in the data-lake account,
      // the cell's shared-table stack otherwise).
      for (const source of [...new Set(ownAggregates.map((a) => a.source.table))].sort()) {
        const local = tables.get(source);
        const grant = new lakeformation.CfnPrincipalPermissions(this, `StatsSourceGrant-${source}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: statsRole.roleArn },
          resource: { table: { catalogId: this.account, databaseName: cloud.database, name: source } },
          permissions: ['SELECT', 'DESCRIBE'],
          permissionsWithGrantOption: [],
        });
        if (local) grant.addResourceDependency(local.table);
      }
      for (const a of inDataLake ? ownAggregates : []) {
        const grant = new lakeformation.CfnPrincipalPermissions(this, `StatsTableGrant-${a.table}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: statsRole.roleArn },
          resource: { table: { catalogId: this.account, databaseName: plan.platform.sharedZone.database, name: a.table } },
          permissions: [...STATS_TABLE_PERMISSIONS],
          permissionsWithGrantOption: [],
        });
        const local = aggregates.get(a.table);
        if (local) grant.addResourceDependency(local.table);
      }
    }

    for (const role of Object.values(roles)) acknowledge(role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    const b = this.buckets;
    const dataLakeKeys = this.formatArn({ service: 'kms', account: dataLake, resource: 'key', resourceName: '*' });
    acknowledge(roles.ingestion, `AwsSolutions-IAM5[Resource::${dataLakeKeys}]`, REASONS.dataLakeKeyByAlias);
    acknowledgeAll(roles.ingestion, [...(sharedTables.length > 0 ? ['EncryptOwnSharedTables'] : []), 'Pseudonymize'].map((sid) => `KoreaLaw-NoWildcardDataResource[${sid}]`), REASONS.dataLakeKeyByAlias);
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
    if (coop.cell !== undefined) Tags.of(this).add(TAG.cell, coop.cell);
    Tags.of(this).add(TAG.classification, coop.classification);
  }
}
