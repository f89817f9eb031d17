import {
  ArnFormat,
  RemovalPolicy,
  Stack,
  aws_apigatewayv2 as apigw,
  aws_apigatewayv2_authorizers as authorizers,
  aws_apigatewayv2_integrations as integrations,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KEY_USE_ACTIONS, adminOnlyKeyPolicy } from './key-policy';
import { logGroupRetention } from './retention';

/**
 * What an uploader role may invoke: POST on its own cooperative's route, on any stage of any
 * HTTP API of its account (the API's id exists only after deployment, and the cooperative
 * stack never references the API stack). A cell account holds one ingestion API, and the path
 * pins the cooperative.
 */
export function pushInvokeStatement(cooperative: string, stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'PushOwnRoute',
    actions: ['execute-api:Invoke'],
    resources: [stack.formatArn({ service: 'execute-api', resource: '*', resourceName: `*/POST${pushRoutePath(cooperative).replace(/\{dataset\}/, '*')}` })],
  });
}

/** The path of a cooperative's push route; `{dataset}` stays a path parameter (see {@link IngestionApi}). */
export function pushRoutePath(cooperative: string): string {
  return `/v1/cooperatives/${cooperative}/datasets/{dataset}/records`;
}

/** One cooperative served by a cell's ingestion API. */
export interface IngestionApiCooperative {
  readonly id: string;
  /** Its push handler (imported by its plan-derived name). */
  readonly pushHandler: lambda.IFunction;
  /** Its uploader role (imported by its plan-derived name): the only principal allowed on its route. */
  readonly uploader: iam.IRole;
}

/** Properties of {@link IngestionApi}. */
export interface IngestionApiProps {
  /** Name of the API (derived in the plan). */
  readonly name: string;
  /** The cell's cooperatives, one route each. */
  readonly cooperatives: readonly IngestionApiCooperative[];
  /** Days the access logs are kept. */
  readonly logRetentionDays: number;
  /**
   * Requests per second each cooperative's route accepts (burst: twice as many).
   * @default 50 - what each cooperative's own API allowed before the cells
   */
  readonly rateLimitPerCooperative?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One HTTP API per cell, not per cooperative: API Gateway allows 600 Regional APIs per Region
 * and does not raise it. Each cooperative has one IAM-authorized route,
 * `POST /v1/cooperatives/<id>/datasets/{dataset}/records`, integrated with its own push
 * handler only, invocable only by its own uploader role, throttled on its own (route
 * settings), so one cooperative's flood is refused at its route. One route per cooperative
 * (the dataset a path parameter the handler checks) keeps a cell of 125 at 125 of the 300
 * routes per API, whatever number of datasets its cooperatives declare.
 */
export class IngestionApi extends Construct {
  readonly api: apigw.HttpApi;
  /** Routes by cooperative id. */
  readonly routes: ReadonlyMap<string, apigw.HttpRoute>;

  constructor(scope: Construct, id: string, props: IngestionApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const rate = props.rateLimitPerCooperative ?? 50;

    // The access logs name callers' roles: encrypted with a key of their own.
    const key = new kms.Key(this, 'AccessLogKey', {
      description: `coop-idc access logs of the ingestion API ${props.name}`,
      enableKeyRotation: true,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsAccessLogs',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }),
    );
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logGroupRetention(props.logRetentionDays), encryptionKey: key, removalPolicy });

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: props.name,
      description: `Record push API of ${props.cooperatives.length} cooperatives (one route each)`,
      createDefaultStage: false,
    });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: rate, burstLimit: rate * 2 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const routes = new Map<string, apigw.HttpRoute>();
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const c of props.cooperatives) {
      const path = pushRoutePath(c.id);
      // Cooperative ids are stable keys (a rename is a new cooperative), so they may name constructs.
      const [route] = this.api.addRoutes({
        path,
        methods: [apigw.HttpMethod.POST],
        integration: new integrations.HttpLambdaIntegration(`Push-${c.id}`, c.pushHandler),
        authorizer: new authorizers.HttpIamAuthorizer(),
      });
      // The uploader's permission to invoke this route is its own cooperative stack's
      // (pushInvokeStatement): one IAM policy per cooperative here would put a cell of 125
      // over CloudFormation's 500 resources per stack.
      routes.set(c.id, route);
      routeSettings[`POST ${path}`] = { ThrottlingRateLimit: rate, ThrottlingBurstLimit: rate * 2 };
    }
    this.routes = routes;
    // Per-route throttling: the stage's limit alone would be shared by the whole cell.
    if (props.cooperatives.length > 0) (stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
  }
}
