import { Stack, Tags, Token, aws_athena as athena, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { SERVICE_QUOTAS } from '../config/service-quotas';
import type { ConsumerPlan, GrantPlan } from '../plan/types';
import { policySize, SERVICE_QUOTA_THRESHOLD } from '../checks/aws/service-quotas';
import { acknowledge, acknowledgeAll, objectWildcardFinding } from './acknowledge';
import { agreedTableStatements, ownResultsStatements, packStatements } from './agreed-tables';
import { REASONS } from './reasons';
import { TAG } from './tags';

/** Properties of a {@link ConsumerAccess}. */
export interface ConsumerAccessProps {
  /** The consumer, from the plan (role and workgroup names, scan limit). */
  readonly consumer: ConsumerPlan;
  /** The consumer's agreements; they decide which Glue tables the role may describe. */
  readonly grants: readonly GrantPlan[];
  /** Bucket of Athena query results; each consumer writes under its own prefix. */
  readonly resultsBucket: s3.IBucket;
  /** Key encrypting the query results. */
  readonly resultsKey: kms.IKey;
}

/** Managed policies a consumer role may carry for its table permissions: 80 % of the 10 IAM attaches to a role by default (IAM quotas page), the ServiceQuotas check's threshold. */
export const MAX_CONSUMER_MANAGED_POLICIES = 8;

/** Characters kept free below the check's limit, for the `Version` and `Statement` wrapper the measure counts once more. */
const POLICY_MARGIN = 100;

const quota = (id: string) => {
  const q = SERVICE_QUOTAS.find((x) => x.id === id);
  if (!q) throw new Error(`service quota ${id} is not in the model`);
  return Math.floor(q.value * SERVICE_QUOTA_THRESHOLD) - POLICY_MARGIN;
};

/**
 * One data consumer (research institute, bank, ministry): a role that queries through its
 * own Athena workgroup, whose settings it cannot override (encrypted results under its own
 * prefix, a bytes-scanned limit per query). The role holds no S3 or KMS permission on
 * cooperative data: Lake Formation vends credentials per grant, limited to the columns
 * of the agreement.
 */
export class ConsumerAccess extends Construct {
  /** The consumer role. */
  readonly role: iam.Role;
  /** The Athena workgroup. */
  readonly workgroup: athena.CfnWorkGroup;
  /** Managed policies holding the table permissions the inline policy had no room for (0 for most consumers). */
  readonly managedPolicies: number;

  constructor(scope: Construct, id: string, props: ConsumerAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const c = props.consumer;
    const prefix = `${c.id}/`;

    this.role = new iam.Role(this, 'Role', {
      roleName: c.role,
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Data consumer ${c.id} (${c.kind}): reads only what its sharing agreements allow`,
    });
    Tags.of(this.role).add(TAG.role, 'consumer');

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: c.workgroup,
      description: `Queries of ${c.id}; settings enforced`,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: c.scanLimitBytes,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${prefix}`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
        },
      },
    });

    const workgroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: c.workgroup });
    const base = [
      new iam.PolicyStatement({
        sid: 'QueryInOwnWorkgroup',
        actions: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:StartQueryExecution', 'athena:StopQueryExecution'],
        resources: [workgroupArn],
      }),
      ...ownResultsStatements(props.resultsBucket, props.resultsKey, prefix, stack.region),
    ];
    for (const s of base) this.role.addToPrincipalPolicy(s);

    // A literal partition (the Region's) keeps the ARNs plain strings, so the sizes measured
    // here are the deployed ones and CDK never moves statements into overflow policies itself.
    const partition = Token.isUnresolved(stack.region) ? stack.partition : RegionInfo.get(stack.region).partition ?? stack.partition;
    const tables = agreedTableStatements(props.grants, (account, resource, resourceName) =>
      stack.formatArn({ partition, service: 'glue', account, resource, ...(resourceName !== undefined ? { resourceName } : {}) }));
    // Inline first (up to its budget, what the base statements leave), then managed policies
    // of this role only, each under its own budget: IAM counts inline policies per role and
    // each managed policy alone (IAM quotas page).
    const measure = (statements: readonly iam.PolicyStatement[]) =>
      policySize(stack.resolve(new iam.PolicyDocument({ statements: [...statements] }).toJSON()));
    const documents = packStatements(tables.statements, measure, quota('iam-inline-policy-size') - measure(base), quota('iam-managed-policy-size'));
    if (documents.length > 1 + MAX_CONSUMER_MANAGED_POLICIES) {
      throw new Error(
        `${this.node.path}: consumer ${c.id}: its agreements need ${documents.length - 1} managed policies of table permissions, more than the ${MAX_CONSUMER_MANAGED_POLICIES} a role may carry (IAM quotas page); grant fewer databases with tables named one by one, or align the agreements' end dates`,
      );
    }
    for (const s of documents[0] ?? []) this.role.addToPrincipalPolicy(s);
    documents.slice(1).forEach((statements, i) => {
      // Attached to this consumer's role only (not shared), so one consumer's tables never reach another's role.
      const policy = new iam.ManagedPolicy(this, `AgreedTables${i + 1}`, {
        description: `Table permissions of consumer ${c.id}'s agreements (part ${i + 2} of ${documents.length})`,
        statements,
      });
      this.role.addManagedPolicy(policy);
    });
    this.managedPolicies = documents.length - 1;

    acknowledge(this.role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(this.role, [objectWildcardFinding(props.resultsBucket, `${prefix}*`)], 'Query results are objects Athena creates under this consumer\'s own prefix of the results bucket; their keys are not known in advance.');
    if (props.grants.length > 0) {
      acknowledge(this, 'AwsSolutions-IAM5[Resource::*]', 'lakeformation:GetDataAccess supports no resource-level permissions (AWS service authorization reference); Lake Formation grants on named tables and agreed columns decide what is vended.');
    }
    const wildcardFindings = tables.wildcards.map((w) => stack.resolve(w)).filter((w): w is string => typeof w === 'string').map((w) => `AwsSolutions-IAM5[Resource::${w}]`);
    acknowledgeAll(
      this,
      wildcardFindings,
      'This consumer has agreements on many tables of this database: IAM allows reading the database\'s tables until the last agreement ends, Lake Formation grants (named tables, agreed columns) decide which tables and columns are readable, and an explicit Deny ends each table whose agreement ends earlier.',
    );
  }
}
