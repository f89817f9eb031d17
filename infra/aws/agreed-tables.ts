import { aws_iam as iam, type aws_kms as kms, type aws_s3 as s3 } from 'aws-cdk-lib';
import type { GrantPlan } from '../plan/types';

/** Actions Lake Formation defines without resource-level permissions; the grants decide. */
export const LAKE_FORMATION_CREDENTIAL_ACTIONS = ['lakeformation:GetDataAccess'] as const;

/** Glue actions Athena needs on a table it queries. */
export const TABLE_READ_ACTIONS = ['glue:GetPartitions', 'glue:GetTable'] as const;

/**
 * Granted tables of one database named one by one in IAM, up to this many; a database with
 * more is opened with `table/<database>/*` and Lake Formation's grants alone carry the table
 * scope (IAM and Lake Formation must both allow). Named tables keep IAM a second fence where
 * it is cheap; the wildcard keeps a consumer with hundreds of agreements under IAM's policy
 * size quotas.
 */
export const NAMED_TABLES_PER_DATABASE = 20;

/** Table ARNs per explicit-deny statement, so no single statement outgrows a managed policy. */
const DENY_ARNS_PER_STATEMENT = 30;

/** Builds a Glue ARN in `account`'s catalog. */
export type GlueArn = (account: string, resource: 'catalog' | 'database' | 'table', resourceName?: string) => string;

/** The consumer's Glue and Lake Formation statements, in a deterministic order. */
export interface AgreedTableStatements {
  readonly statements: readonly iam.PolicyStatement[];
  /** Table wildcards (`…:table/<database>/*`) among the resources, for the auditor's acknowledgements. */
  readonly wildcards: readonly string[];
}

const until = (end: string) => ({ DateLessThan: { 'aws:CurrentTime': end } });
const from = (end: string) => ({ DateGreaterThanEquals: { 'aws:CurrentTime': end } });
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every Glue and Lake Formation permission of a consumer ends with its agreements
 * (`DateLessThan aws:CurrentTime`), so access ends on the date with no deploy. A table
 * granted by several agreements ends with the last. Per database (in the catalog that
 * holds it): up to {@link NAMED_TABLES_PER_DATABASE} tables are named, grouped by end date;
 * more are covered by the database's table wildcard until the database's last end, and each
 * table whose agreement ends earlier gets an explicit Deny from its end on (an explicit
 * Deny wins over any Allow), so no table stays readable past its own agreement.
 */
export function agreedTableStatements(grants: readonly GrantPlan[], arn: GlueArn): AgreedTableStatements {
  const endOf = new Map<string, string>();
  for (const g of grants) {
    const t = [g.catalog, g.database, g.table].join('\u0000');
    const prev = endOf.get(t);
    if (prev === undefined || g.accessEndsAt > prev) endOf.set(t, g.accessEndsAt);
  }
  if (endOf.size === 0) return { statements: [], wildcards: [] };
  const databases = new Map<string, { catalog: string; database: string; tables: [string, string][] }>();
  for (const [t, end] of [...endOf].sort(([a], [b]) => byString(a, b))) {
    const [catalog, database, table] = t.split('\u0000');
    const k = `${catalog}\u0000${database}`;
    const d = databases.get(k) ?? { catalog, database, tables: [] };
    d.tables.push([table, end]);
    databases.set(k, d);
  }
  const lastEnd = [...endOf.values()].sort().at(-1)!;
  const dbs = [...databases.values()];
  const statements: iam.PolicyStatement[] = [
    new iam.PolicyStatement({
      sid: 'DescribeAgreedDatabases',
      actions: ['glue:GetDatabase'],
      resources: [
        ...[...new Set(dbs.map((d) => d.catalog))].map((account) => arn(account, 'catalog')),
        ...dbs.map((d) => arn(d.catalog, 'database', d.database)),
      ],
      conditions: until(lastEnd),
    }),
    new iam.PolicyStatement({ sid: 'LakeFormationCredentials', actions: [...LAKE_FORMATION_CREDENTIAL_ACTIONS], resources: ['*'], conditions: until(lastEnd) }),
  ];
  const wildcards: string[] = [];
  // Named tables are grouped by catalog and end date (across databases): one statement per date.
  const named = new Map<string, { catalog: string; end: string; databases: Set<string>; tables: string[] }>();
  const denied = new Map<string, string[]>();
  const opened: { catalog: string; database: string; end: string; arn: string }[] = [];
  for (const d of dbs) {
    if (d.tables.length <= NAMED_TABLES_PER_DATABASE) {
      for (const [table, end] of d.tables) {
        const k = `${d.catalog}\u0000${end}`;
        const group = named.get(k) ?? { catalog: d.catalog, end, databases: new Set<string>(), tables: [] };
        group.databases.add(d.database);
        group.tables.push(arn(d.catalog, 'table', `${d.database}/${table}`));
        named.set(k, group);
      }
      continue;
    }
    const dbEnd = d.tables.map(([, end]) => end).sort().at(-1)!;
    const all = arn(d.catalog, 'table', `${d.database}/*`);
    wildcards.push(all);
    opened.push({ catalog: d.catalog, database: d.database, end: dbEnd, arn: all });
    for (const [table, end] of d.tables) {
      if (end < dbEnd) denied.set(end, [...(denied.get(end) ?? []), arn(d.catalog, 'table', `${d.database}/${table}`)]);
    }
  }
  let n = 0;
  for (const g of [...named.keys()].sort(byString).map((k) => named.get(k)!)) {
    statements.push(
      new iam.PolicyStatement({
        sid: `ReadAgreedTables${n++}`,
        actions: [...TABLE_READ_ACTIONS],
        resources: [arn(g.catalog, 'catalog'), ...[...g.databases].map((d) => arn(g.catalog, 'database', d)), ...g.tables],
        conditions: until(g.end),
      }),
    );
  }
  for (const o of opened) {
    statements.push(
      new iam.PolicyStatement({
        sid: `ReadAgreedTables${n++}`,
        actions: [...TABLE_READ_ACTIONS],
        resources: [arn(o.catalog, 'catalog'), arn(o.catalog, 'database', o.database), o.arn],
        conditions: until(o.end),
      }),
    );
  }
  let m = 0;
  for (const end of [...denied.keys()].sort()) {
    const arns = denied.get(end)!;
    for (let i = 0; i < arns.length; i += DENY_ARNS_PER_STATEMENT) {
      statements.push(
        new iam.PolicyStatement({
          sid: `EndAgreedTables${m++}`,
          effect: iam.Effect.DENY,
          actions: [...TABLE_READ_ACTIONS],
          resources: arns.slice(i, i + DENY_ARNS_PER_STATEMENT),
          conditions: from(end),
        }),
      );
    }
  }
  return { statements, wildcards };
}

/**
 * What Athena needs to write and read one principal's query results under `prefix` of the
 * results bucket, and nothing of any other prefix: listing is limited by `s3:prefix`, so
 * one principal cannot even see the keys of another's results.
 */
export function ownResultsStatements(bucket: s3.IBucket, key: kms.IKey, prefix: string, region: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'LocateResultsBucket', actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
    new iam.PolicyStatement({
      sid: 'ListOwnResults',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadWriteOwnResults',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
    new iam.PolicyStatement({
      sid: 'EncryptOwnResults',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }),
  ];
}

/**
 * Packs statements, in order, into policy documents: the first (inline) gets
 * `inlineBudget` characters, every further one (a managed policy) `managedBudget`. A
 * statement never straddles two documents.
 */
export function packStatements(
  statements: readonly iam.PolicyStatement[],
  measure: (statements: readonly iam.PolicyStatement[]) => number,
  inlineBudget: number,
  managedBudget: number,
): iam.PolicyStatement[][] {
  const docs: iam.PolicyStatement[][] = [[]];
  for (const s of statements) {
    const current = docs[docs.length - 1];
    const budget = docs.length === 1 ? inlineBudget : managedBudget;
    // A statement too large for any budget goes alone; the ServiceQuotas check reports it.
    if (current.length === 0 || measure([...current, s]) <= budget) current.push(s);
    else docs.push([s]);
  }
  return docs;
}
