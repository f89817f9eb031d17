import { Stack, Tags, aws_athena as athena, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ConsumerPlan, GrantPlan } from '../plan/types';
import { acknowledge, acknowledgeAll, actionWildcardFindings, objectWildcardFinding } from './acknowledge';
import { KMS_WRITE_ACTIONS, REASONS, S3_READ_ACTIONS, S3_WRITE_ACTIONS } from './reasons';
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

/** Actions Lake Formation defines without resource-level permissions; the grants decide. */
export const LAKE_FORMATION_CREDENTIAL_ACTIONS = ['lakeformation:GetDataAccess'] as const;

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
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'QueryInOwnWorkgroup',
        actions: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:StartQueryExecution', 'athena:StopQueryExecution'],
        resources: [workgroupArn],
      }),
    );
    props.resultsBucket.grantReadWrite(this.role, `${prefix}*`);
    // Each agreement's access ends on its date with no deploy: every permission on a table
    // carries its agreement's end (DateLessThan aws:CurrentTime); the catalogs, databases and
    // Lake Formation credentials end with the last agreement. Tables are named in the
    // catalog that holds them: the data-lake account's, or for raw grants the cooperative's
    // cell. Tables of one database and end share a statement, to keep the inline policy small.
    const key = (g: GrantPlan) => [g.catalog, g.database, g.table].join('\u0000');
    const endOf = new Map<string, string>();
    for (const g of props.grants) {
      const t = key(g);
      const prev = endOf.get(t);
      if (prev === undefined || g.accessEndsAt > prev) endOf.set(t, g.accessEndsAt);
    }
    const groups = new Map<string, { catalog: string; database: string; end: string; tables: string[] }>();
    for (const [t, end] of [...endOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [catalog, database, table] = t.split('\u0000');
      const g = `${catalog}\u0000${database}\u0000${end}`;
      const group = groups.get(g) ?? { catalog, database, end, tables: [] };
      group.tables.push(table);
      groups.set(g, group);
    }
    const databases = [...new Set(props.grants.map((g) => `${g.catalog}\u0000${g.database}`))].sort().map((k) => k.split('\u0000'));
    if (endOf.size > 0) {
      const lastEnd = [...endOf.values()].sort().at(-1)!;
      const until = (end: string) => ({ DateLessThan: { 'aws:CurrentTime': end } });
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DescribeAgreedDatabases',
          actions: ['glue:GetDatabase'],
          resources: [
            ...[...new Set(databases.map(([catalog]) => catalog))].map((account) => stack.formatArn({ service: 'glue', account, resource: 'catalog' })),
            ...databases.map(([account, d]) => stack.formatArn({ service: 'glue', account, resource: 'database', resourceName: d })),
          ],
          conditions: until(lastEnd),
        }),
      );
      [...groups.values()].forEach((g, i) => {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: `ReadAgreedTables${i}`,
            actions: ['glue:GetPartitions', 'glue:GetTable'],
            resources: [
              stack.formatArn({ service: 'glue', account: g.catalog, resource: 'catalog' }),
              stack.formatArn({ service: 'glue', account: g.catalog, resource: 'database', resourceName: g.database }),
              ...g.tables.map((t) => stack.formatArn({ service: 'glue', account: g.catalog, resource: 'table', resourceName: `${g.database}/${t}` })),
            ],
            conditions: until(g.end),
          }),
        );
      });
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'LakeFormationCredentials', actions: [...LAKE_FORMATION_CREDENTIAL_ACTIONS], resources: ['*'], conditions: until(lastEnd) }),
      );
    }
    acknowledge(this.role, 'NIST.800.53.R5-IAMNoInlinePolicy', REASONS.inlinePolicy);
    acknowledgeAll(this.role, actionWildcardFindings([...S3_READ_ACTIONS, ...S3_WRITE_ACTIONS, 's3:DeleteObject*']), REASONS.s3WildcardActions);
    acknowledgeAll(this.role, actionWildcardFindings(KMS_WRITE_ACTIONS), REASONS.kmsWildcardActions);
    acknowledgeAll(this.role, [objectWildcardFinding(props.resultsBucket, `${prefix}*`)], 'Query results are objects Athena creates under this consumer\'s own prefix of the results bucket; their keys are not known in advance.');
    if (databases.length > 0) {
      acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'lakeformation:GetDataAccess supports no resource-level permissions (AWS service authorization reference); Lake Formation grants on named tables and agreed columns decide what is vended.');
    }
  }
}
