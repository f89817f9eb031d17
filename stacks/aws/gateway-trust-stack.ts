import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
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
 * The IAM Roles Anywhere trust anchor of one cell's factory gateways, in the cell's account.
 * Deployed before the cell's cooperative stacks: their uploader roles' trust policies name
 * its ARN (a reference within one account; the anchor's id exists only once it is deployed).
 */
export class GatewayTrustStack extends Stack {
  readonly anchor: GatewayTrustAnchor;

  constructor(scope: Construct, id: string, props: GatewayTrustStackProps) {
    super(scope, id, props);
    this.anchor = new GatewayTrustAnchor(this, 'TrustAnchor', { name: props.names.gatewayTrustAnchor, source: props.trustAnchor });
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
  }
}
