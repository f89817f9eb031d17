import { RemovalPolicy, Tags, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { adminOnlyKeyPolicy } from './key-policy';
import { TAG } from './tags';

/** Properties of a {@link PseudonymizationKey}. */
export interface PseudonymizationKeyProps {
  /** Alias from the plan; ingestion code and auditors find the key by it. */
  readonly aliasName: string;
  /**
   * Cell accounts whose ingestion roles may pseudonymize: each with the ARN pattern of those
   * roles (`arn:aws:iam::<cell>:role/kbiz-<env>-*-ingestion`). A pattern, not a list: at
   * ~920 cooperatives their ARNs (~63 characters each) would outgrow KMS's 32 KB key policy.
   * @default - none: only this account's ingestion roles
   */
  readonly cells?: readonly { readonly account: string; readonly ingestionRoles: string }[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** `coopidc:role` value of the roles allowed to pseudonymize. */
export const PSEUDONYMIZING_ROLE = 'ingestion';
/**
 * Role tag of the erasure functions (infra/aws/erasure-function.ts): in the data-lake account
 * they compute the token of the one member they erase, to find its rows in the shared copy.
 */
export const ERASING_ROLE = 'erasure';

/**
 * The HMAC key that turns identifiers into pseudonyms, kept apart from the data it
 * protects (PIPA art. 28-4: "additional information" stored separately). It lives in
 * its own key with its own policy: the account root may administer it but not use it;
 * only ingestion roles (tagged `coopidc:role=ingestion`, and holding an IAM grant on this
 * key) may compute MACs, and nobody may export it since KMS HMAC keys never leave KMS.
 */
export class PseudonymizationKey extends Construct {
  /** The key. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PseudonymizationKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Resource', {
      description: 'coop-idc pseudonymization (HMAC-SHA-256); PIPA art. 28-4 additional information',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      policy: adminOnlyKeyPolicy(),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PseudonymizationByIngestionRolesOnly',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:GenerateMac'],
        resources: ['*'],
        conditions: { StringEquals: { [`aws:PrincipalTag/${TAG.role}`]: [PSEUDONYMIZING_ROLE, ERASING_ROLE] } },
      }),
    );
    for (const cell of props.cells ?? []) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `PseudonymizationByIngestionRolesOfCell${cell.account}`,
          principals: [new iam.AccountPrincipal(cell.account)],
          actions: ['kms:GenerateMac'],
          resources: ['*'],
          conditions: { StringEquals: { [`aws:PrincipalTag/${TAG.role}`]: PSEUDONYMIZING_ROLE }, ArnLike: { 'aws:PrincipalArn': cell.ingestionRoles } },
        }),
      );
    }
    this.key.addAlias(props.aliasName);
    Tags.of(this.key).add(TAG.zone, 'pseudonymization');
    const why =
      'KMS does not rotate HMAC keys automatically. Rotating the pseudonymization secret changes every pseudonym and breaks linkage within the retention period, so rotation is a planned procedure (new key, re-pseudonymization of the shared zone), not a timer.';
    acknowledge(this.key, 'AwsSolutions-KMS5', why);
    acknowledge(this.key, 'NIST.800.53.R5-KMSBackingKeyRotationEnabled', why);
  }
}
