import { Duration, aws_iam as iam, aws_rolesanywhere as rolesanywhere } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Properties of {@link GatewayProfile}. */
export interface GatewayProfileProps {
  /** Name of the profile (derived in the plan). */
  readonly name: string;
  /** The one role its sessions may take: the cooperative's uploader. */
  readonly role: iam.IRole;
  /**
   * Lifetime of a session.
   * @default Duration.hours(1) - short-lived; the gateway's credential helper renews it
   */
  readonly sessionDuration?: Duration;
}

/**
 * The IAM Roles Anywhere profile of one cooperative's factory gateways: it names exactly
 * that cooperative's uploader role, so a session created through it can be nothing else.
 */
export class GatewayProfile extends Construct {
  readonly profile: rolesanywhere.CfnProfile;

  constructor(scope: Construct, id: string, props: GatewayProfileProps) {
    super(scope, id);
    this.profile = new rolesanywhere.CfnProfile(this, 'Resource', {
      name: props.name,
      enabled: true,
      roleArns: [props.role.roleArn],
      durationSeconds: (props.sessionDuration ?? Duration.hours(1)).toSeconds(),
    });
  }
}
