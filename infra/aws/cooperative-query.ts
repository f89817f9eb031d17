import { Stack, aws_athena as athena, aws_iam as iam, type aws_kms as kms, aws_lakeformation as lakeformation, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll, objectWildcardFinding } from './acknowledge';
import { LAKE_FORMATION_CREDENTIAL_ACTIONS, ownResultsStatements, TABLE_READ_ACTIONS } from './agreed-tables';

/** Properties of a {@link CooperativeQuery}. */
export interface CooperativeQueryProps {
  /** Name of the workgroup (the plan's admin role name: unique in the account, stable). */
  readonly workgroupName: string;
  /** The cooperative's admin role. */
  readonly role: iam.IRole;
  /** The cooperative's Glue database; its tables are what the admin queries. */
  readonly database: string;
  /** Bucket of the query results (the cooperative's own curated bucket). */
  readonly resultsBucket: s3.IBucket;
  /** Key of the results (the cooperative's key). */
  readonly resultsKey: kms.IKey;
  /**
   * Key prefix of the results in that bucket.
   * @default ADMIN_RESULTS_PREFIX
   */
  readonly resultsPrefix?: string;
  /**
   * Bytes one query may scan.
   * @default ADMIN_SCAN_LIMIT_BYTES
   */
  readonly scanLimitBytes?: number;
}

/** Where the admin's query results go in its curated bucket; no dataset name can start with `_`. */
export const ADMIN_RESULTS_PREFIX = '_athena-results/';

/** Bytes an admin query may scan by default (100 GiB): a runaway query costs at most this. */
export const ADMIN_SCAN_LIMIT_BYTES = 100 * 1024 ** 3;

/** Lake Formation permissions the admin holds on its own tables. */
export const ADMIN_TABLE_PERMISSIONS = ['DESCRIBE', 'SELECT'] as const;

/**
 * A cooperative's own query access, in its own account: an Athena workgroup whose settings
 * the admin cannot override (results encrypted with the cooperative's key under a prefix of
 * its curated bucket, a scan limit), and Lake Formation grants on every table of its own
 * database, so the admin reads its data through Athena like a consumer does, and nothing
 * of another cooperative.
 */
export class CooperativeQuery extends Construct {
  /** The workgroup. */
  readonly workgroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: CooperativeQueryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.resultsPrefix ?? ADMIN_RESULTS_PREFIX;
    this.workgroup = new athena.CfnWorkGroup(this, 'Resource', {
      name: props.workgroupName,
      description: 'Queries of the cooperative administrator on its own tables; settings enforced',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.scanLimitBytes ?? ADMIN_SCAN_LIMIT_BYTES,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${prefix}`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
        },
      },
    });

    const glue = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, ...(resourceName !== undefined ? { resourceName } : {}) });
    const ownTables = glue('table', `${props.database}/*`);
    const statements = [
      new iam.PolicyStatement({
        sid: 'QueryInOwnWorkgroup',
        actions: ['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:StartQueryExecution', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workgroupName })],
      }),
      ...ownResultsStatements(props.resultsBucket, props.resultsKey, prefix, stack.region).map((s) => withSid(s, 'Admin')),
      new iam.PolicyStatement({
        sid: 'ReadOwnCatalog',
        actions: ['glue:GetDatabase', 'glue:GetTables', ...TABLE_READ_ACTIONS],
        resources: [glue('catalog'), glue('database', props.database), ownTables],
      }),
      new iam.PolicyStatement({ sid: 'LakeFormationCredentials', actions: [...LAKE_FORMATION_CREDENTIAL_ACTIONS], resources: ['*'] }),
    ];
    for (const s of statements) props.role.addToPrincipalPolicy(s);

    const principal = { dataLakePrincipalIdentifier: props.role.roleArn };
    new lakeformation.CfnPrincipalPermissions(this, 'DatabaseGrant', {
      catalog: stack.account,
      principal,
      resource: { database: { catalogId: stack.account, name: props.database } },
      permissions: ['DESCRIBE'],
      permissionsWithGrantOption: [],
    });
    new lakeformation.CfnPrincipalPermissions(this, 'TablesGrant', {
      catalog: stack.account,
      principal,
      resource: { table: { catalogId: stack.account, databaseName: props.database, tableWildcard: {} } },
      permissions: [...ADMIN_TABLE_PERMISSIONS],
      permissionsWithGrantOption: [],
    });

    acknowledge(props.role, 'AwsSolutions-IAM5[Resource::*]', 'lakeformation:GetDataAccess supports no resource-level permissions (AWS service authorization reference); the Lake Formation grants name this cooperative\'s database only.');
    const tables = stack.resolve(ownTables);
    acknowledgeAll(
      props.role,
      [...(typeof tables === 'string' ? [`AwsSolutions-IAM5[Resource::${tables}]`] : []), `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:${stack.region}:${stack.account}:table/${props.database}/*]`],
      'The administrator queries every table of its own cooperative\'s database, including tables of datasets added later; Lake Formation grants on that database alone decide what is readable.',
    );
    acknowledgeAll(props.role, [objectWildcardFinding(props.resultsBucket, `${prefix}*`)], 'Query results are objects Athena creates under the administrator\'s results prefix of its own bucket; their keys are not known in advance.');
  }
}

/** The statement with a prefixed sid, so the admin's results statements never collide with its other statements. */
function withSid(s: iam.PolicyStatement, prefix: string): iam.PolicyStatement {
  const json = s.toStatementJson();
  return iam.PolicyStatement.fromJson({ ...json, Sid: `${prefix}${json.Sid}` });
}
