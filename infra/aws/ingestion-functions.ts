import {
  ArnFormat,

  Duration,
  RemovalPolicy,
  Size,
  Stack,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_s3_notifications as s3n,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '../shared-names';
import { acknowledge, acknowledgeAll, actionWildcardFindings, objectWildcardFinding } from './acknowledge';
import { KEY_USE_ACTIONS } from './key-policy';
import { KMS_WRITE_ACTIONS, REASONS, S3_WRITE_ACTIONS } from './reasons';
import { logGroupRetention } from './retention';

/**
 * Where the ingestion handlers come from: directories holding an `index.js` that exports
 * `handler`. Pass the same directories to every cooperative stack: CDK hashes the
 * directory, so the whole app has one asset per handler, never one per cooperative.
 */
export interface IngestionCode {
  /** Handler of objects landing in the raw zone (S3 ObjectCreated). */
  readonly objectHandlerCodeDir: string;
  /** Handler of `POST /v1/cooperatives/<id>/datasets/{dataset}/records` (the cell's ingestion API). */
  readonly apiHandlerCodeDir: string;
  /**
   * Handler of member erasure requests (PIPA art. 36), placed under `_erasure/requests/` of the curated bucket.
   * @default - no erasure function
   */
  readonly eraseHandlerCodeDir?: string;
  /**
   * Refresh of the statistics tables of aggregated agreements (EventBridge Scheduler → Athena).
   * @default - no refresh job (the build always wires it)
   */
  readonly statsHandlerCodeDir?: string;
}

/** Properties of {@link IngestionFunctions}. */
export interface IngestionFunctionsProps extends IngestionCode {
  readonly cooperativeId: string;
  /** Dataset names the push API accepts. */
  readonly datasets: readonly string[];
  readonly rawBucket: s3.IBucket;
  readonly curatedBucket: s3.IBucket;
  readonly quarantineBucket: s3.IBucket;
  readonly sharedBucket: s3.IBucket;
  readonly glueDatabase: string;
  readonly sharedDatabase: string;
  /** The pseudonymization key by alias ARN: it lives in the data-lake account, which KMS reaches by key or alias ARN. */
  readonly pseudonymizationKeyArn: string;
  /** The cooperative's key: log groups and the dead-letter queue. */
  readonly key: kms.IKey;
  /** Role of the object handler; already holds its data grants. */
  readonly ingestionRole: iam.IRole;
  /** Principals allowed to push records (the uploader role). */
  readonly uploaders: readonly iam.IRole[];
  /** Name of the push handler: the cell's ingestion API (another stack) integrates with it by this name. */
  readonly pushFunctionName: string;
  /**
   * Reserved concurrent executions of each function: a cooperative's flood is throttled at
   * its own functions and cannot take the account's pool from the rest of its cell.
   */
  readonly reservedConcurrency: { readonly pushHandler: number; readonly objectHandler: number };
  /** Days the handlers' logs are kept. */
  readonly logRetentionDays: number;
  /**
   * Largest request body the push API accepts, in bytes.
   * @default 4 MiB - under Lambda's 6 MB synchronous payload limit with headroom for the event envelope
   */
  readonly maxBodyBytes?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Lambda runtime of the handlers; Node 20+ is the contract with the handler code. */
export const INGESTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * The seam to the ingestion handlers: an object handler triggered by every object created
 * in the raw zone, and a push handler, behind its cell's HTTP API (IAM-authorized, one route
 * per cooperative: {@link IngestionApi}), that writes the pushed records into the raw zone,
 * so both paths converge on the same validation. Each function reserves its concurrency.
 */
export class IngestionFunctions extends Construct {
  /** Handler of raw-zone objects. */
  readonly objectHandler: lambda.Function;
  /** Handler of the push API. */
  readonly apiHandler: lambda.Function;
  /** Dead letters of failed asynchronous invocations of the object handler. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestionFunctionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = logGroupRetention(props.logRetentionDays);
    const logGroup = (lid: string) => new logs.LogGroup(this, lid, { retention, encryptionKey: props.key, removalPolicy });
    const apiLogs = logGroup('ApiHandlerLogs');

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });

    const objectLogs = logGroup('ObjectHandlerLogs');
    objectLogs.grantWrite(props.ingestionRole);
    this.objectHandler = new lambda.Function(this, 'ObjectHandler', {
      description: `Validates and curates objects landing in the raw zone of ${props.cooperativeId}`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.objectHandlerCodeDir),
      role: props.ingestionRole,
      // Measured (bench:ingest): ~5.5 MB/s per vCPU, so one vCPU (1,769 MB) and the full
      // 15 minutes; Parquet part files are staged on local disk (~40% of the input size).
      memorySize: 1769,
      timeout: Duration.minutes(15),
      ephemeralStorageSize: Size.gibibytes(10),
      logGroup: objectLogs,
      deadLetterQueue: this.deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrency.objectHandler,
      environmentEncryption: props.key,
      environment: {
        [LAMBDA_ENV.cooperative]: props.cooperativeId,
        [LAMBDA_ENV.glueDatabase]: props.glueDatabase,
        [LAMBDA_ENV.curatedBucket]: props.curatedBucket.bucketName,
        [LAMBDA_ENV.quarantineBucket]: props.quarantineBucket.bucketName,
        [LAMBDA_ENV.sharedBucket]: props.sharedBucket.bucketName,
        [LAMBDA_ENV.sharedDatabase]: props.sharedDatabase,
        [LAMBDA_ENV.pseudonymizationKeyArn]: props.pseudonymizationKeyArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    props.rawBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.objectHandler));

    // An explicit role: the push handler writes the raw zone and nothing else (no managed policy).
    const apiRole = new iam.Role(this, 'ApiHandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Push API handler of ${props.cooperativeId}: writes the raw zone only`,
    });
    this.apiHandler = new lambda.Function(this, 'ApiHandler', {
      functionName: props.pushFunctionName,
      role: apiRole,
      reservedConcurrentExecutions: props.reservedConcurrency.pushHandler,
      description: `Accepts pushed records for ${props.cooperativeId} and writes them to the raw zone`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.apiHandlerCodeDir),
      memorySize: 512,
      timeout: Duration.seconds(29),
      logGroup: apiLogs,
      environmentEncryption: props.key,
      environment: {
        [LAMBDA_ENV.cooperative]: props.cooperativeId,
        [LAMBDA_ENV.rawBucket]: props.rawBucket.bucketName,
        [LAMBDA_ENV.datasets]: [...props.datasets].sort().join(','),
        [LAMBDA_ENV.maxBodyBytes]: String(props.maxBodyBytes ?? 4 * 1024 * 1024),
        [LAMBDA_ENV.allowedPrincipalArns]: props.uploaders.map((r) => r.roleArn).join(','),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    apiLogs.grantWrite(apiRole);
    props.rawBucket.grantPut(apiRole);
    // Idempotency: the handler looks the object key up before writing. Without GetObject and
    // ListBucket S3 answers 403 instead of 404 and every retry would fail. Exact actions, no
    // grant* (whose grouped wildcards would also allow reading every version and ACL).
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.rawBucket.arnForObjects('*')] }));
    apiRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.rawBucket.bucketArn] }));
    // The cooperative's key policy names every principal that may use the key.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'UseByIngestionFunctions',
        principals: [new iam.ArnPrincipal(apiRole.roleArn)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
      }),
    );
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsIngestionLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }),
    );

    this.acknowledgeFindings(apiRole, props);
  }

  private acknowledgeFindings(apiRole: iam.Role, props: IngestionFunctionsProps): void {
    const stack = Stack.of(this);
    acknowledge(apiRole, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(apiRole, actionWildcardFindings([...S3_WRITE_ACTIONS]), REASONS.s3WildcardActions);
    acknowledgeAll(apiRole, actionWildcardFindings(KMS_WRITE_ACTIONS), REASONS.kmsWildcardActions);
    acknowledgeAll(apiRole, [objectWildcardFinding(props.rawBucket)], REASONS.objectWildcard);
    // CDK's singleton that applies S3 bucket notifications (one per stack, inline code, no asset).
    const notifications = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifications) {
      const why =
        'CDK\'s bucket-notification custom resource: runs only at deployment to call s3:PutBucketNotification on this stack\'s raw bucket; it touches no data and writes only its own logs.';
      acknowledge(notifications, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', why);
      acknowledge(notifications, 'NIST.800.53.R5-IAMNoInlinePolicy', why);
      acknowledge(props.rawBucket.node.findChild('Notifications'), 'NIST.800.53.R5-IAMNoInlinePolicy', why);
    }
    const noVpc =
      'The handlers reach only S3, Glue and KMS, over TLS through regional AWS endpoints; they hold no network-reachable resources a VPC would protect, and a VPC per cooperative would add NAT cost to ~920 tenants.';
    for (const fn of [this.objectHandler, this.apiHandler]) acknowledge(fn, 'NIST.800.53.R5-LambdaInsideVPC', noVpc);
    acknowledge(this.apiHandler, 'NIST.800.53.R5-LambdaDLQ', 'Invoked synchronously by the HTTP API: the caller receives the error and retries; a dead-letter queue applies only to asynchronous invocations.');
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the object handler.');
  }
}
