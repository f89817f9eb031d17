import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GatewayTrustAnchor, PLATFORM_OWNER, TAG } from '../../infra/aws';
import type { HolderNames, TrustAnchorPlan } from '../../infra';

/** Properties of a {@link GatewayTrustStack}. */
export interface GatewayTrustStackProps extends StackProps {
  readonly names: HolderNames;
  /** The CA the platform declares for this cell (`platform.yaml`). */
  readonly trustAnchor: TrustAnchorPlan;
}

/**
 * The output of a {@link GatewayTrustStack} holding the anchor's ARN. Cooperative stacks read
 * it by this name (`Fn::GetStackOutput`), not through a construct reference, so that each is
 * synthesized the same with or without this stack in its app (the build caches them one by one).
 */
export const GATEWAY_TRUST_ANCHOR_OUTPUT = 'TrustAnchorArn';

/**
 * The IAM Roles Anywhere trust anchor of one cell's factory gateways, in the cell's account.
 * Deployed before the cell's cooperative stacks: their uploader roles' trust policies name
 * its ARN (a reference within one account; the anchor's id exists only once it is deployed).
 */
export class GatewayTrustStack extends Stack {
  readonly anchor: GatewayTrustAnchor;

  constructor(scope: Construct, id: string, props: GatewayTrustStackProps) {
    super(scope, id, props);
    this.anchor = new GatewayTrustAnchor(this, 'TrustAnchor', { name: props.names.gatewayTrustAnchor, source: props.trustAnchor });
    new CfnOutput(this, GATEWAY_TRUST_ANCHOR_OUTPUT, { value: this.anchor.trustAnchorArn, description: 'ARN of the IAM Roles Anywhere trust anchor the cooperative stacks of this account trust' });
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
  }
}
