import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  aws_athena as athena,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_scheduler as scheduler,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AggregatePlan } from '../plan/types';
import { LAMBDA_ENV } from '../shared-names';
import { acknowledge, acknowledgeAll } from './acknowledge';
import { INGESTION_RUNTIME } from './ingestion-functions';
import { REASONS } from './reasons';
import { logGroupRetention } from './retention';
import { TAG } from './tags';

/** Value of the `coopidc:role` tag of statistics roles; the data-lake side admits cell roles by it. */
export const STATS_ROLE_TAG = 'stats';

/** Key prefix of the statistics queries' Athena results (UNLOAD manifests) in the curated bucket. */
export const STATS_RESULTS_PREFIX = '_athena-stats/';

/** Days the statistics queries' Athena results are kept: they are only each run's manifest. */
export const STATS_RESULTS_DAYS = 7;

/** What the statistics role writes under a statistics table's prefix of the shared bucket. */
export const STATS_WRITE_ACTIONS = ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'] as const;
/** What it does with the shared-zone key: encrypt the runs it writes (multipart uploads decrypt data keys). */
export const STATS_SHARED_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Properties of a {@link StatsRefresh}. */
export interface StatsRefreshProps {
  readonly cooperativeId: string;
  /** Directory holding the stats-refresh bundle (`index.js` exporting `handler`). */
  readonly codeDir: string;
  /** The cooperative's statistics tables, from the plan; all share one function, role and workgroup. */
  readonly aggregates: readonly AggregatePlan[];
  /** The curated bucket: the source tables' files, and the queries' Athena results. */
  readonly curatedBucket: s3.IBucket;
  /** The cooperative's key (curated zone, logs). */
  readonly key: kms.IKey;
  /** The shared-zone bucket the statistics are written to (in the data-lake account when in a cell). */
  readonly sharedBucket: s3.IBucket;
  /** Alias of the shared-zone key, the plan's interface to a key in another account. */
  readonly sharedKeyAlias: string;
  /** Account whose catalog holds the statistics tables. */
  readonly dataLakeAccount: string;
  /** The shared database. */
  readonly sharedDatabase: string;
  readonly logRetentionDays: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The job that keeps a cooperative's statistics tables filled: one function and role per
 * cooperative, one EventBridge Scheduler schedule per statistics table. Each schedule ends
 * when its agreement's access ends (`EndDate`), so refreshing stops on that date with no
 * deploy. It lives in the cooperative's account, next to the data it reads; it writes to the
 * data-lake account the way the ingestion's shared copies do (docs/design/cells.md).
 *
 * The role is trusted by Lambda and, to invoke this one function, by EventBridge Scheduler
 * from this account: one role instead of two per cooperative keeps a cell under IAM's roles
 * quota. It reads only the source tables' prefixes, writes only its own statistics prefixes,
 * and runs queries only in its own workgroup.
 */
export class StatsRefresh extends Construct {
  readonly role: iam.Role;
  readonly function: lambda.Function;
  readonly workgroup: athena.CfnWorkGroup;
  /** Schedules by statistics table name. */
  readonly schedules: ReadonlyMap<string, scheduler.CfnSchedule>;

  constructor(scope: Construct, id: string, props: StatsRefreshProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const [first] = props.aggregates;
    if (!first) throw new Error(`StatsRefresh of ${props.cooperativeId}: no statistics tables`);
    const names = first.refresh;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.role = new iam.Role(this, 'Role', {
      roleName: names.role,
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('lambda.amazonaws.com'),
        new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      ),
      description: `Refreshes ${props.cooperativeId}'s statistics tables (Athena) on their schedules until each agreement ends`,
    });
    Tags.of(this.role).add(TAG.role, STATS_ROLE_TAG);

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: names.workgroup,
      description: `Statistics queries of ${props.cooperativeId}; settings enforced`,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        // No encryption option: each bucket's default key encrypts what lands in it. Naming a
        // key here would encrypt the UNLOAD output in the shared zone with the cooperative's
        // key, which the shared zone's readers cannot use.
        resultConfiguration: { outputLocation: `s3://${props.curatedBucket.bucketName}/${STATS_RESULTS_PREFIX}`, expectedBucketOwner: stack.account },
      },
    });

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logGroupRetention(props.logRetentionDays), encryptionKey: props.key, removalPolicy });
    logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      functionName: names.function,
      description: `Refreshes the statistics tables of ${props.cooperativeId} (one schedule per table)`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codeDir),
      role: this.role,
      memorySize: 256,
      // The query runs in Athena; the function waits for it and retries by its token past this.
      timeout: Duration.minutes(15),
      logGroup,
      environmentEncryption: props.key,
      environment: {
        [LAMBDA_ENV.sharedDatabase]: props.sharedDatabase,
        [LAMBDA_ENV.dataLakeCatalog]: props.dataLakeAccount,
        [LAMBDA_ENV.statsWorkgroup]: names.workgroup,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    const workgroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: names.workgroup });
    const glue = (account: string, resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', account, resource, ...(resourceName !== undefined ? { resourceName } : {}) });
    const sources = [...new Map(props.aggregates.map((a) => [`${a.source.database}/${a.source.table}`, a.source])).values()];
    const tables = props.aggregates.map((a) => a.table);
    const statement = (sid: string, actions: readonly string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions: [...actions], resources, ...(conditions ? { conditions } : {}) }));

    statement('QueryInOwnWorkgroup', ['athena:GetQueryExecution', 'athena:StartQueryExecution'], [workgroupArn]);
    statement('ReadSourceTables', ['glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable'], [
      glue(stack.account, 'catalog'),
      ...[...new Set(sources.map((s) => s.database))].map((d) => glue(stack.account, 'database', d)),
      ...sources.map((s) => glue(stack.account, 'table', `${s.database}/${s.table}`)),
    ]);
    statement('RepointOwnStatisticsTables', ['glue:GetTable', 'glue:UpdateTable'], [
      glue(props.dataLakeAccount, 'catalog'),
      glue(props.dataLakeAccount, 'database', props.sharedDatabase),
      ...tables.map((t) => glue(props.dataLakeAccount, 'table', `${props.sharedDatabase}/${t}`)),
    ]);
    // Lake Formation vends credentials for registered locations per grant (SELECT on the
    // source tables, ALTER on the statistics tables); the action takes no resource.
    statement('LakeFormationCredentials', ['lakeformation:GetDataAccess'], ['*']);
    statement('ReadSourcePrefixes', ['s3:GetObject'], sources.map((s) => props.curatedBucket.arnForObjects(`${s.table}/*`)));
    statement('WriteQueryResults', ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], [props.curatedBucket.arnForObjects(`${STATS_RESULTS_PREFIX}*`)]);
    statement('ListSourceAndResults', ['s3:GetBucketLocation', 's3:ListBucket'], [props.curatedBucket.bucketArn]);
    statement('WriteOwnStatistics', [...STATS_WRITE_ACTIONS], tables.map((t) => props.sharedBucket.arnForObjects(`${t}/*`)));
    statement('ListOwnStatistics', ['s3:ListBucket'], [props.sharedBucket.bucketArn], { StringLike: { 's3:prefix': tables.map((t) => `${t}/*`) } });
    statement('LocateSharedBucket', ['s3:GetBucketLocation'], [props.sharedBucket.bucketArn]);
    statement('UseCooperativeKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [props.key.keyArn]);
    statement('EncryptOwnStatistics', [...STATS_SHARED_KEY_ACTIONS], [stack.formatArn({ service: 'kms', account: props.dataLakeAccount, resource: 'key', resourceName: '*' })], {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [props.sharedKeyAlias] },
    });
    // The cooperative's key policy names every principal that may use the key.
    props.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'UseByStatisticsRole',
      principals: [new iam.ArnPrincipal(this.role.roleArn)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }));
    // The Scheduler assumes the same role to invoke this function, and nothing else.
    // By its plan name: the function's own ARN token would make the function and the role's policy depend on each other.
    statement('InvokeOwnFunction', ['lambda:InvokeFunction'], [stack.formatArn({ service: 'lambda', resource: 'function', resourceName: names.function, arnFormat: ArnFormat.COLON_RESOURCE_NAME })]);

    const schedules = new Map<string, scheduler.CfnSchedule>();
    for (const a of props.aggregates) {
      const r = a.refresh;
      // The table name is permanent (cooperative, dataset and consumer ids), so it may name the construct.
      schedules.set(a.table, new scheduler.CfnSchedule(this, `Schedule-${a.table}`, {
        name: r.schedule,
        description: `Refreshes ${a.table} until the agreement's access ends (${r.endsAt})`,
        scheduleExpression: r.expression,
        scheduleExpressionTimezone: r.timeZone,
        endDate: r.endsAt,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: this.function.functionArn,
          roleArn: this.role.roleArn,
          input: JSON.stringify({ table: a.table, location: r.location, endsAt: r.endsAt, scheduledTime: '<aws.scheduler.scheduled-time>' }),
          // A missed run is caught up by the next day's, which recomputes the whole table.
          retryPolicy: { maximumEventAgeInSeconds: 6 * 3600, maximumRetryAttempts: 3 },
        },
      }));
    }
    this.schedules = schedules;
    this.acknowledgeFindings(props, sources.map((s) => s.table), tables);
  }

  private acknowledgeFindings(props: StatsRefreshProps, sourceTables: readonly string[], tables: readonly string[]): void {
    const stack = Stack.of(this);
    acknowledge(this.role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    const objects = (bucket: s3.IBucket, prefix: string) => {
      const child = bucket.node.defaultChild;
      return child && Stack.of(child) === stack
        ? `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(child as never)}.Arn>/${prefix}]`
        : `AwsSolutions-IAM5[Resource::${stack.resolve(bucket.arnForObjects(prefix)) as string}]`;
    };
    acknowledgeAll(this.role, [
      ...sourceTables.map((t) => objects(props.curatedBucket, `${t}/*`)),
      objects(props.curatedBucket, `${STATS_RESULTS_PREFIX}*`),
      ...tables.map((t) => objects(props.sharedBucket, `${t}/*`)),
    ], 'Objects under this cooperative\'s own source-table prefixes, its own statistics-table prefixes and its own query-results prefix; run folders are named at run time. The bucket ARNs are pinned.');
    acknowledge(this.role, `AwsSolutions-IAM5[Resource::${stack.formatArn({ service: 'kms', account: props.dataLakeAccount, resource: 'key', resourceName: '*' })}]`, REASONS.dataLakeKeyByAlias);
    acknowledge(this.role, 'KoreaLaw-NoWildcardDataResource[EncryptOwnStatistics]', REASONS.dataLakeKeyByAlias);
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'lakeformation:GetDataAccess supports no resource-level permissions (AWS service authorization reference); Lake Formation grants on the named source and statistics tables decide what is vended.');
    acknowledge(this.workgroup, 'AwsSolutions-ATH1', 'Results land in the curated bucket, whose default encryption is the cooperative\'s key; the UNLOAD output lands in the shared bucket under the shared-zone key. A key named in the workgroup would override the latter with a key the shared zone\'s readers cannot use.');
    acknowledge(this.function, 'NIST.800.53.R5-LambdaInsideVPC', 'The function reaches only Athena, Glue and S3 over TLS through regional AWS endpoints; it holds no network-reachable resources a VPC would protect.');
    acknowledge(this.function, 'NIST.800.53.R5-LambdaConcurrency', 'At most one invocation per statistics table per day; reserved concurrency per cooperative would exhaust the account pool.');
    acknowledge(this.function, 'NIST.800.53.R5-LambdaDLQ', 'Invoked by EventBridge Scheduler, whose retry policy retries for six hours; a run that still fails is replaced by the next day\'s, which recomputes the whole table. Failures are logged.');
  }
}
