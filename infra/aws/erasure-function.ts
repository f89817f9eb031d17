import { Duration, RemovalPolicy, Size, Stack, Tags, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3, aws_s3_notifications as s3n, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ERASURE_PREFIX, LAMBDA_ENV, MANIFEST_PREFIX } from '../shared-names';
import { acknowledge, acknowledgeAll, objectWildcardFinding } from './acknowledge';
import { INGESTION_RUNTIME } from './ingestion-functions';
import { KEY_USE_ACTIONS } from './key-policy';
import { ERASING_ROLE } from './pseudonymization-key';
import { TAG } from './tags';
import { REASONS } from './reasons';
import { logGroupRetention } from './retention';

/** Properties of an {@link ErasureFunction}. */
export interface ErasureFunctionProps {
  readonly cooperativeId: string;
  /**
   * The role's name, from the plan: a cell's shared bucket and key (another account) admit
   * erasure roles by a name pattern and role tag. @default a generated name
   */
  readonly roleName?: string;
  /** Directory holding the erase handler's `index.js` (one asset for the whole app). */
  readonly codeDir: string;
  /** The curated bucket: requests, records, manifests and the curated Parquet. */
  readonly curatedBucket: s3.IBucket;
  /** Dataset names: the curated prefixes the function rewrites. */
  readonly datasets: readonly string[];
  /** The shared-zone bucket of this cooperative's shared tables (in the data-lake account). */
  readonly sharedBucket: s3.IBucket;
  /** This cooperative's shared tables: the shared prefixes the function rewrites. */
  readonly sharedTables: readonly string[];
  /** Statistics tables over this cooperative's datasets, named stale in the records. */
  readonly aggregateTables: readonly { readonly table: string; readonly dataset: string }[];
  readonly glueDatabase: string;
  /** ARNs of the catalog, database and tables whose definitions the function reads (glue:GetTable). */
  readonly glueResources: readonly string[];
  /** The pseudonymization key by alias ARN (the member's token is computed as the ingestion does). */
  readonly pseudonymizationKeyArn: string;
  /** Statements naming data-lake keys by alias: the pseudonymization key and the shared zone's key. */
  readonly dataLakeKeys: { readonly resources: string[]; readonly pseudonymizationAlias: string; readonly sharedKeyAlias: string };
  /** The cooperative's key: curated objects, logs and the dead-letter queue. */
  readonly key: kms.IKey;
  /** Dead letters of failed asynchronous invocations (the ingestion's queue). */
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetentionDays: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** What the erasure role does with objects it rewrites: read them and replace them whole. */
export const ERASURE_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;
/** What it does with keys: decrypt what it reads, encrypt what it writes. */
export const ERASURE_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/**
 * The erasure of one member company's data (PIPA art. 36): a function triggered by request
 * objects under `_erasure/requests/` of the curated bucket, with a role of its own that may
 * read and replace only the cooperative's curated dataset prefixes and shared tables, read
 * the manifests and requests, and write the records (lambdas/erase, lambdas/domain/erase.ts).
 * It may delete nothing: an erased file is replaced, never removed.
 */
export class ErasureFunction extends Construct {
  /** The erase handler. */
  readonly handler: lambda.Function;
  /** Its role. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ErasureFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const curated = props.curatedBucket;
    this.role = new iam.Role(this, 'Role', {
      ...(props.roleName ? { roleName: props.roleName } : {}),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Erases one member company's rows from ${props.cooperativeId}'s curated and shared data on request (PIPA art. 36)`,
    });
    const role = this.role;
    // The pseudonymization key admits GenerateMac by this tag (infra/aws/pseudonymization-key.ts).
    Tags.of(role).add(TAG.role, ERASING_ROLE);
    const datasetObjects = props.datasets.map((d) => curated.arnForObjects(`${d}/*`));
    const sharedObjects = props.sharedTables.map((t) => props.sharedBucket.arnForObjects(`${t}/*`));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RewriteCuratedAndSharedFiles', actions: [...ERASURE_OBJECT_ACTIONS], resources: [...datasetObjects, ...sharedObjects] }));
    // A rewritten shared copy is put with the retention tag its bucket's lifecycle selects on (PutObject with tags also needs s3:PutObjectTagging).
    if (sharedObjects.length > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'TagRewrittenSharedCopies', actions: ['s3:PutObjectTagging'], resources: [...sharedObjects] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadManifestsAndRequests', actions: ['s3:GetObject'], resources: [curated.arnForObjects(`${MANIFEST_PREFIX}/*`), curated.arnForObjects(`${ERASURE_PREFIX.requests}/*`)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteRecords', actions: [...ERASURE_OBJECT_ACTIONS], resources: [curated.arnForObjects(`${ERASURE_PREFIX.records}/*`)] }));
    // Listing finds the manifests; without it a missing record reads as 403 instead of 404.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListCurated', actions: ['s3:ListBucket'], resources: [curated.bucketArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseCooperativeKey', actions: [...ERASURE_KEY_ACTIONS], resources: [props.key.keyArn] }));
    const byAlias = (alias: string) => ({ resources: props.dataLakeKeys.resources, conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [alias] } } });
    if (props.sharedTables.length > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseSharedZoneKey', actions: [...ERASURE_KEY_ACTIONS], ...byAlias(props.dataLakeKeys.sharedKeyAlias) }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'TokenOfTheMember', actions: ['kms:GenerateMac'], ...byAlias(props.dataLakeKeys.pseudonymizationAlias) }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadDatasetDefinitions', actions: ['glue:GetTable'], resources: [...props.glueResources] }));
    props.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'UseByErasureFunction',
      principals: [new iam.ArnPrincipal(role.roleArn)],
      actions: [...KEY_USE_ACTIONS],
      resources: ['*'],
    }));

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logGroupRetention(props.logRetentionDays), encryptionKey: props.key, removalPolicy });
    logGroup.grantWrite(role);
    this.handler = new lambda.Function(this, 'Resource', {
      description: `Erases a member company's rows from ${props.cooperativeId}'s curated and shared zones on request`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codeDir),
      role,
      memorySize: 1769,
      timeout: Duration.minutes(15),
      ephemeralStorageSize: Size.gibibytes(10),
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      environmentEncryption: props.key,
      environment: {
        [LAMBDA_ENV.cooperative]: props.cooperativeId,
        [LAMBDA_ENV.glueDatabase]: props.glueDatabase,
        [LAMBDA_ENV.curatedBucket]: curated.bucketName,
        [LAMBDA_ENV.sharedBucket]: props.sharedBucket.bucketName,
        [LAMBDA_ENV.pseudonymizationKeyArn]: props.pseudonymizationKeyArn,
        [LAMBDA_ENV.aggregateTables]: JSON.stringify(props.aggregateTables),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    curated.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.handler), { prefix: `${ERASURE_PREFIX.requests}/`, suffix: '.json' });

    acknowledge(role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(role, [
      ...props.datasets.map((d) => objectWildcardFinding(curated, `${d}/*`)),
      ...props.sharedTables.map((t) => objectWildcardFinding(props.sharedBucket, `${t}/*`)),
      objectWildcardFinding(curated, `${MANIFEST_PREFIX}/*`),
      objectWildcardFinding(curated, `${ERASURE_PREFIX.requests}/*`),
      objectWildcardFinding(curated, `${ERASURE_PREFIX.records}/*`),
    ], REASONS.objectWildcard);
    const dataLakeKeys = props.dataLakeKeys.resources[0];
    acknowledge(role, `AwsSolutions-IAM5[Resource::${dataLakeKeys}]`, REASONS.dataLakeKeyByAlias);
    acknowledgeAll(role, [...(props.sharedTables.length > 0 ? ['UseSharedZoneKey'] : []), 'TokenOfTheMember'].map((sid) => `KoreaLaw-NoWildcardDataResource[${sid}]`), REASONS.dataLakeKeyByAlias);
    acknowledge(this.handler, 'NIST.800.53.R5-LambdaInsideVPC', 'The erase handler reaches only S3, Glue and KMS, over TLS through regional AWS endpoints; it holds no network-reachable resource a VPC would protect.');
    acknowledge(this.handler, 'NIST.800.53.R5-LambdaConcurrency', 'Erasure requests are rare (one object per request); reserved concurrency per cooperative would exhaust the account pool. S3 retries throttled asynchronous invocations and failures go to the dead-letter queue.');
    const notifications = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifications) {
      const why = 'CDK\'s bucket-notification custom resource: runs only at deployment to call s3:PutBucketNotification on this stack\'s buckets; it touches no data and writes only its own logs.';
      acknowledge(notifications, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', why);
      acknowledge(notifications, 'NIST.800.53.R5-IAMNoInlinePolicy', why);
      const n = curated.node.tryFindChild('Notifications');
      if (n) acknowledge(n, 'NIST.800.53.R5-IAMNoInlinePolicy', why);
    }
  }
}
