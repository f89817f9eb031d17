import { aws_iam as iam, aws_rolesanywhere as rolesanywhere } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { TrustAnchorPlan } from '../plan/types';

/** The IAM Roles Anywhere service principal: factory gateways outside AWS exchange a certificate for a session through it. */
export const ROLES_ANYWHERE_SERVICE = 'rolesanywhere.amazonaws.com';

/** Properties of {@link GatewayTrustAnchor}. */
export interface GatewayTrustAnchorProps {
  /** Name of the trust anchor (derived in the plan). */
  readonly name: string;
  /** The certificate authority the platform declares for this cell. */
  readonly source: TrustAnchorPlan;
}

/**
 * One IAM Roles Anywhere trust anchor per cell: the CA that issues the factory gateways'
 * certificates (an AWS Private CA, or the platform CA's certificate). Cooperatives never
 * bring their own CA; which cooperative a certificate speaks for is its subject CN, which
 * each uploader role's trust policy pins ({@link gatewayTrustPolicy}).
 */
export class GatewayTrustAnchor extends Construct {
  readonly trustAnchor: rolesanywhere.CfnTrustAnchor;

  constructor(scope: Construct, id: string, props: GatewayTrustAnchorProps) {
    super(scope, id);
    this.trustAnchor = new rolesanywhere.CfnTrustAnchor(this, 'Resource', {
      name: props.name,
      enabled: true,
      source:
        'acmPcaArn' in props.source
          ? { sourceType: 'AWS_ACM_PCA', sourceData: { acmPcaArn: props.source.acmPcaArn } }
          : { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: props.source.certificateBundle } },
    });
  }

  /** ARN of the trust anchor (known after deployment). */
  get trustAnchorArn(): string {
    return this.trustAnchor.attrTrustAnchorArn;
  }
}

/**
 * Trust policy of a cooperative's uploader role: only IAM Roles Anywhere, only through this
 * cell's trust anchor (`aws:SourceArn`) and only for a certificate whose subject CN names
 * the cooperative (`aws:PrincipalTag/x509Subject/CN`), with the three actions the service
 * needs. IAM Roles Anywhere User Guide, "Trust model" and "Attribute mapping and trust
 * policy" (https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html,
 * https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mappping-and-trust-policy.html).
 */
export function gatewayTrustPolicy(trustAnchorArn: string, commonName: string): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'FactoryGatewaysOfThisCooperative',
        principals: [new iam.ServicePrincipal(ROLES_ANYWHERE_SERVICE)],
        actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        conditions: {
          ArnEquals: { 'aws:SourceArn': trustAnchorArn },
          StringEquals: { 'aws:PrincipalTag/x509Subject/CN': commonName },
        },
      }),
    ],
  });
}
