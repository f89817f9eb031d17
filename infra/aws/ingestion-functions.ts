import {
  Duration,
  RemovalPolicy,
  Stack,
  aws_apigatewayv2 as apigw,
  aws_apigatewayv2_authorizers as authorizers,
  aws_apigatewayv2_integrations as integrations,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_s3 as s3,
  aws_s3_notifications as s3n,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { logGroupRetention } from './retention';

/**
 * Where the ingestion handlers come from: directories holding an `index.js` that exports
 * `handler`. Pass the same directories to every cooperative stack: CDK hashes the
 * directory, so the whole app has one asset per handler, never one per cooperative.
 */
export interface IngestionCode {
  /** Handler of objects landing in the raw zone (S3 ObjectCreated). */
  readonly objectHandlerCodeDir: string;
  /** Handler of `POST /v1/datasets/{dataset}/records`. */
  readonly apiHandlerCodeDir: string;
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
  readonly pseudonymizationKey: kms.IKey;
  /** The cooperative's key: log groups and the dead-letter queue. */
  readonly key: kms.IKey;
  /** Role of the object handler; already holds its data grants. */
  readonly ingestionRole: iam.IRole;
  /** Principals allowed to push records (the uploader role). */
  readonly uploaders: readonly iam.IRole[];
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
export const INGESTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * The seam to the ingestion handlers: an object handler triggered by every object created
 * in the raw zone, and a per-cooperative HTTP API (IAM-authorized) whose handler writes the
 * pushed records into the raw zone, so both paths converge on the same validation.
 */
export class IngestionFunctions extends Construct {
  /** Handler of raw-zone objects. */
  readonly objectHandler: lambda.Function;
  /** Handler of the push API. */
  readonly apiHandler: lambda.Function;
  /** The push API. */
  readonly api: apigw.HttpApi;
  /** Dead letters of failed asynchronous invocations of the object handler. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestionFunctionsProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = logGroupRetention(props.logRetentionDays);
    const logGroup = (lid: string) => new logs.LogGroup(this, lid, { retention, encryptionKey: props.key, removalPolicy });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });

    this.objectHandler = new lambda.Function(this, 'ObjectHandler', {
      description: `Validates and curates objects landing in the raw zone of ${props.cooperativeId}`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.objectHandlerCodeDir),
      role: props.ingestionRole,
      memorySize: 1024,
      timeout: Duration.minutes(5),
      logGroup: logGroup('ObjectHandlerLogs'),
      deadLetterQueue: this.deadLetterQueue,
      environmentEncryption: props.key,
      environment: {
        COOP_ID: props.cooperativeId,
        GLUE_DATABASE: props.glueDatabase,
        CURATED_BUCKET: props.curatedBucket.bucketName,
        QUARANTINE_BUCKET: props.quarantineBucket.bucketName,
        SHARED_BUCKET: props.sharedBucket.bucketName,
        SHARED_DATABASE: props.sharedDatabase,
        PSEUDONYMIZATION_KEY_ARN: props.pseudonymizationKey.keyArn,
      },
    });
    props.rawBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.objectHandler));

    this.apiHandler = new lambda.Function(this, 'ApiHandler', {
      description: `Accepts pushed records for ${props.cooperativeId} and writes them to the raw zone`,
      runtime: INGESTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.apiHandlerCodeDir),
      memorySize: 512,
      timeout: Duration.seconds(29),
      logGroup: logGroup('ApiHandlerLogs'),
      environmentEncryption: props.key,
      environment: {
        COOP_ID: props.cooperativeId,
        RAW_BUCKET: props.rawBucket.bucketName,
        DATASETS: [...props.datasets].sort().join(','),
        MAX_BODY_BYTES: String(props.maxBodyBytes ?? 4 * 1024 * 1024),
        ALLOWED_PRINCIPAL_ARNS: props.uploaders.map((r) => r.roleArn).join(','),
      },
    });
    props.rawBucket.grantPut(this.apiHandler);

    const accessLogs = logGroup('ApiAccessLogs');
    this.api = new apigw.HttpApi(this, 'Api', {
      description: `Record push API of ${props.cooperativeId}`,
      createDefaultStage: false,
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const [route] = this.api.addRoutes({
      path: '/v1/datasets/{dataset}/records',
      methods: [apigw.HttpMethod.POST],
      integration: new integrations.HttpLambdaIntegration('Push', this.apiHandler),
      authorizer: new authorizers.HttpIamAuthorizer(),
    });
    for (const u of props.uploaders) route.grantInvoke(u);

    void Stack.of(this);
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    const noVpc =
      'The handlers reach only S3, Glue and KMS, over TLS through regional AWS endpoints; they hold no network-reachable resources a VPC would protect, and a VPC per cooperative would add NAT cost to ~920 tenants.';
    const concurrency =
      'Reserved concurrency per cooperative would exhaust the account pool at ~920 cooperatives. S3 retries throttled asynchronous invocations and parks failures in the dead-letter queue; the HTTP API answers 429 under throttling and the stage limits each cooperative\'s request rate.';
    for (const fn of [this.objectHandler, this.apiHandler]) {
      acknowledge(fn, 'NIST.800.53.R5-LambdaInsideVPC', noVpc);
      acknowledge(fn, 'NIST.800.53.R5-LambdaConcurrency', concurrency);
    }
    acknowledge(this.apiHandler, 'NIST.800.53.R5-LambdaDLQ', 'Invoked synchronously by the HTTP API: the caller receives the error and retries; a dead-letter queue applies only to asynchronous invocations.');
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the object handler.');
  }
}
