import { ArnFormat, Stack, Tags, aws_iam as iam, aws_lambda as lambda, type RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { IngestionApi, PLATFORM_OWNER, TAG } from '../../infra/aws';
import type { CooperativePlan, HolderNames, TenancyPlan } from '../../infra';

/**
 * What the ingestion API reads of a cooperative: its id, account and the names of its push
 * handler and uploader role (the build caches the stack under these, not the whole plan).
 */
export interface IngestionApiMember extends Pick<CooperativePlan, 'id' | 'account'> {
  readonly cloud: Pick<CooperativePlan['cloud'], 'pushFunction'> & { readonly roles: Pick<CooperativePlan['cloud']['roles'], 'uploader'> };
}

/** Properties of an {@link IngestionApiStack}. */
export interface IngestionApiStackProps extends StackProps {
  /** The platform part of the account's slice of the plan (`selectMembers` with no cooperative). */
  readonly plan: TenancyPlan;
  readonly names: HolderNames;
  /** The account's cooperatives (all in this stack's account). */
  readonly cooperatives: readonly IngestionApiMember[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The ingestion HTTP API of one cell (or of the data-lake account's cooperatives without a
 * cell), deployed after the cell's cooperative stacks. It names each cooperative's push
 * handler and uploader role by the names the plan derives, never by a deploy-time
 * reference, so no cooperative stack exports anything to it.
 */
export class IngestionApiStack extends Stack {
  readonly ingestion: IngestionApi;

  constructor(scope: Construct, id: string, props: IngestionApiStackProps) {
    super(scope, id, props);
    const cooperatives = props.cooperatives.map((c) => {
      if (c.account !== this.account) throw new Error(`${id}: cooperative ${c.id} lives in account ${c.account}, not ${this.account}`);
      return {
        id: c.id,
        pushHandler: lambda.Function.fromFunctionAttributes(this, `PushHandler-${c.id}`, {
          functionArn: this.formatArn({ service: 'lambda', resource: 'function', resourceName: c.cloud.pushFunction, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          sameEnvironment: true,
        }),
        uploader: iam.Role.fromRoleName(this, `Uploader-${c.id}`, c.cloud.roles.uploader),
      };
    });
    this.ingestion = new IngestionApi(this, 'IngestionApi', {
      name: props.names.ingestApi,
      cooperatives,
      logRetentionDays: props.plan.platform.audit.logRetentionDays,
      ...(props.removalPolicy !== undefined ? { removalPolicy: props.removalPolicy } : {}),
    });
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
  }
}
