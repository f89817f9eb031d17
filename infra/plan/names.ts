/**
 * Every physical name coop-idc derives, in one place.
 *
 * Names are part of the interface (uploaders address buckets, the IDC's IdP binds groups,
 * auditors read them in reports), so they are derived deterministically from the
 * environment and cooperative id and never typed by hand. The length limits here are the
 * providers' own; validation checks every derived name against them before anything is
 * synthesized.
 */

/** Provider limits on derived names. */
export const NAME_LIMITS = {
  bucket: 63,
  iamRole: 64,
  kmsAlias: 256,
  glueDatabase: 255,
  glueTable: 255,
  namespace: 63,
  athenaWorkgroup: 128,
  lambdaFunction: 64,
  /** X.509 upper bound of a common name (RFC 5280 ub-common-name). */
  commonName: 64,
  schedule: 64,
} as const;

/** Which limit a derived name is held to. */
export type NameKind = keyof typeof NAME_LIMITS;

/**
 * Prefix of ingestion manifests in a cooperative's curated bucket ("_" keeps them out of
 * every table's location); the ingestion writes there and the report links there.
 */
export { MANIFEST_PREFIX } from '../shared-names';

/** Data zones of a cooperative, each a separate bucket. */
export const ZONES = ['raw', 'curated', 'quarantine'] as const;
/** A data zone. */
export type Zone = (typeof ZONES)[number];

/** The environment every name is derived within. */
export interface NameContext {
  readonly env: string;
  readonly account: string;
  readonly region: string;
}

const PREFIX = 'kbiz';

/** The `coopidc:cooperative` tag value (and report owner) of platform-owned resources. */
export const PLATFORM_OWNER = 'platform';
/** Partition columns of every dataset's tables (a day of `timestampField`). */
export const PARTITION_KEYS: readonly string[] = ['dt'];
/** CloudFormation stack name of the platform (also its aws-cdk stack id). */
export const AWS_PLATFORM_STACK = 'CoopIdc-Platform';
/** CloudFormation stack name of a cooperative (also its aws-cdk stack id). */
export function awsCooperativeStack(coop: string): string {
  return `CoopIdc-Coop-${coop}`;
}
/** CloudFormation stack name of a cell's shared zone in the data-lake account (also its aws-cdk stack id). */
export function awsCellZoneStack(cell: string): string {
  return `CoopIdc-DataLake-${cell}`;
}
/**
 * Shared-table stacks per cell. A cooperative's shared tables and grants go to shard
 * `fnv1a(id) mod SHARED_CATALOG_SHARDS` of its cell: stable (adding a cooperative never
 * moves another's tables between stacks, which would replace them) and small (a cell of 125
 * cooperatives gives about 16 per stack, 60 resources). Changing this number moves tables.
 */
export const SHARED_CATALOG_SHARDS = 8;
/** CloudFormation stack name of shard `shard` of a cell's shared-table stacks. */
export function awsSharedCatalogShardStack(cell: string, shard: number): string {
  return `CoopIdc-DataLake-${cell}-tables-${String(shard).padStart(2, '0')}`;
}
/** CloudFormation stack name of the shared-table stack holding a cooperative of a cell (also its aws-cdk stack id). */
export function awsSharedCatalogStack(cell: string, coop: string): string {
  return awsSharedCatalogShardStack(cell, fnv1a(coop) % SHARED_CATALOG_SHARDS);
}
/** FNV-1a (32 bits) of a string's UTF-8 bytes: a stable hash for shard numbers and shortened names. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(s)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h;
}
/**
 * CloudFormation stack name of the monitoring stack (platform alarm topic and dashboard) of a
 * cell account, or of the data-lake account for the cooperatives without a cell.
 */
export function awsMonitoringStack(cell: string | undefined): string {
  return cell === undefined ? 'CoopIdc-Monitoring' : `CoopIdc-Monitoring-${cell}`;
}
/**
 * CloudFormation stack name of the ingestion API of a cell (`undefined`: of the cooperatives
 * without a cell, in the data-lake account): one HTTP API per account, not per cooperative.
 */
export function awsIngestApiStack(cell: string | undefined): string {
  return cell === undefined ? 'CoopIdc-Ingest' : `CoopIdc-Cell-${cell}-ingest`;
}
/** CloudFormation stack name of the IAM Roles Anywhere trust anchor of a cell's factory gateways (`undefined`: of the data-lake account). */
export function awsGatewayTrustStack(cell: string | undefined): string {
  return cell === undefined ? 'CoopIdc-Gateways' : `CoopIdc-Cell-${cell}-gateways`;
}
/** Terraform stack of the IDC platform; cooperative stacks are named after their namespace. */
export const IDC_PLATFORM_STACK = 'idc-platform';
/** Terraform stack of a cooperative on the IDC cluster: its namespace (see `coopNamespace`). */
export function idcCooperativeStack(coop: string): string {
  return `coop-${coop}`;
}

/** Kinds of physical names that must be unique within their scope. */
export type UniqueKind = 'bucket' | 'kmsAlias' | 'iamRole' | 'lambdaFunction' | 'commonName' | 'glueDatabase' | 'glueTable' | 'athenaWorkgroup' | 'schedule' | 'namespace' | 'cfnStack' | 'terraformStack';

/**
 * Kinds whose provider compares names ignoring case: IAM ("names are not distinguished by
 * case"), Glue (stores names lowercased), Terraform stacks (folders of `cdktf.out/stacks/`,
 * which clash on the case-insensitive file systems of macOS and Windows).
 */
export const CASE_INSENSITIVE: ReadonlySet<UniqueKind> = new Set<UniqueKind>(['iamRole', 'glueDatabase', 'glueTable', 'terraformStack']);

/** What a derived name is derived from, so a clash can be reported where it is written. */
export type NameSource =
  | { readonly of: 'cooperative'; readonly coop: string; readonly dataset?: string }
  | { readonly of: 'consumer'; readonly id: string }
  | { readonly of: 'sharedServer'; readonly id: string }
  | { readonly of: 'cell'; readonly id: string }
  | { readonly of: 'platform' };

/** One physical name and what it is derived from. */
export interface DerivedName {
  readonly kind: UniqueKind;
  /** Where it must be unique beyond its kind (a table's database); '' for account-wide names. */
  readonly scope: string;
  readonly name: string;
  readonly source: NameSource;
}

/** Groups of names that are equal within their kind and scope (ignoring case where the provider does), each in input order. */
export function findNameClashes(names: readonly DerivedName[]): DerivedName[][] {
  const groups = new Map<string, DerivedName[]>();
  for (const n of names) {
    const key = `${n.kind}\u0000${n.scope}\u0000${CASE_INSENSITIVE.has(n.kind) ? n.name.toLowerCase() : n.name}`;
    const group = groups.get(key);
    if (group) group.push(n);
    else groups.set(key, [n]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * Words Athena reserves, lowercase: the DDL list (Hive) and the SQL SELECT list (Trino), from
 * the Amazon Athena User Guide, "Escape reserved keywords in queries"
 * (https://docs.aws.amazon.com/athena/latest/ug/reserved-words.html). A column with such a
 * name must be quoted in every query, which consumers' tools do not do.
 */
export const ATHENA_RESERVED_WORDS: ReadonlySet<string> = new Set(
  [
    // DDL
    'ALL ALTER AND ARRAY AS AUTHORIZATION BETWEEN BIGINT BINARY BOOLEAN BOTH BY CASE CASHE CAST CHAR COLUMN CONF CONSTRAINT COMMIT',
    'CREATE CROSS CUBE CURRENT CURRENT_DATE CURRENT_TIMESTAMP CURSOR DATABASE DATE DAYOFWEEK DECIMAL DELETE DESCRIBE DISTINCT DIV',
    'DOUBLE DROP ELSE END EXCHANGE EXISTS EXTENDED EXTERNAL EXTRACT FALSE FETCH FLOAT FLOOR FOLLOWING FOR FOREIGN FROM FULL FUNCTION',
    'GRANT GROUP GROUPING HAVING IF IMPORT IN INNER INSERT INT INTEGER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LESS LIKE LOCAL',
    'MACRO MAP MORE NONE NOT NULL NUMERIC OF ON ONLY OR ORDER OUT OUTER OVER PARTIALSCAN PARTITION PERCENT PRECEDING PRECISION',
    'PRESERVE PRIMARY PROCEDURE RANGE READS REDUCE REGEXP REFERENCES REVOKE RIGHT RLIKE ROLLBACK ROLLUP ROW ROWS SELECT SET SMALLINT',
    'START TABLE TABLESAMPLE THEN TIME TIMESTAMP TO TRANSFORM TRIGGER TRUE TRUNCATE UNBOUNDED UNION UNIQUEJOIN UPDATE USER USING',
    'UTC_TIMESTAMP VALUES VARCHAR VIEWS WHEN WHERE WINDOW WITH',
    // SQL SELECT
    'CURRENT_CATALOG CURRENT_PATH CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME CURRENT_USER DEALLOCATE ESCAPE EXCEPT EXECUTE FIRST',
    'JSON_ARRAY JSON_EXISTS JSON_OBJECT JSON_QUERY JSON_TABLE JSON_VALUE LAST LISTAGG LOCALTIME LOCALTIMESTAMP NATURAL NORMALIZE',
    'PREPARE RECURSIVE SKIP TRIM UESCAPE UNNEST',
  ]
    .join(' ')
    .toLowerCase()
    .split(' '),
);

/** Glue and Athena identifiers cannot contain "-". */
const underscore = (s: string) => s.replace(/-/g, '_');

/** Derives the names of one environment. */
export class Names {
  constructor(private readonly ctx: NameContext) {}

  /** The same names in another account of the environment (a cell's buckets carry the cell's account). */
  inAccount(account: string): Names {
    return account === this.ctx.account ? this : new Names({ ...this.ctx, account });
  }

  /** ARN of a role of this account, from its derived name: how another account names it without a deploy-time reference. */
  roleArn(roleName: string): string {
    return `arn:aws:iam::${this.ctx.account}:role/${roleName}`;
  }

  /** Bucket of one cooperative's zone; account and region make it globally unique. */
  coopBucket(coop: string, zone: Zone): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-${zone}-${this.ctx.account}`;
  }
  coopKeyAlias(coop: string): string {
    return `alias/${PREFIX}/${this.ctx.env}/coop/${coop}`;
  }
  coopRole(coop: string, role: 'admin' | 'uploader' | 'ingestion' | 'stats' | 'erasure'): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-${role}`;
  }
  /** The push-API handler: named, because the cell's ingestion API (another stack) integrates with it by name. */
  coopPushFunction(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-push`;
  }
  /** Subject CN of a cooperative's gateway certificates; the environment in it keeps a CA shared by two environments from crossing them. */
  gatewayCommonName(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}`;
  }
  /** Name of the IAM Roles Anywhere profile of a cooperative's gateways. */
  gatewayProfile(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-gateway`;
  }
  /** Name of a cell's IAM Roles Anywhere trust anchor (`undefined`: the data-lake account's). */
  gatewayTrustAnchor(cell: string | undefined): string {
    return `${PREFIX}-${this.ctx.env}-${cell ?? 'data-lake'}-gateways`;
  }
  /** Name of a cell's ingestion HTTP API (`undefined`: the data-lake account's). */
  ingestApi(cell: string | undefined): string {
    return `${PREFIX}-${this.ctx.env}-${cell ?? 'data-lake'}-ingest`;
  }
  coopDatabase(coop: string): string {
    return underscore(`${PREFIX}_${this.ctx.env}_${coop}`);
  }
  /** Namespace on the IDC cluster; the "coop-" prefix keeps tenants apart from system namespaces. */
  coopNamespace(coop: string): string {
    return idcCooperativeStack(coop);
  }
  coopAdminGroup(coop: string): string {
    return `coop-${coop}-admins`;
  }
  sharedNamespace(server: string): string {
    return `shared-${server}`;
  }
  sharedBucket(): string {
    return `${PREFIX}-${this.ctx.env}-shared-zone-${this.ctx.account}`;
  }
  /** Shared-zone bucket of one cell, in the data-lake account: its lifecycle rules and policy hold only that cell. */
  cellSharedBucket(cell: string): string {
    return `${PREFIX}-${this.ctx.env}-shared-${cell}-${this.ctx.account}`;
  }
  /** Key of one cell's shared-zone bucket, in the data-lake account. */
  cellSharedKeyAlias(cell: string): string {
    return `alias/${PREFIX}/${this.ctx.env}/shared/${cell}`;
  }
  auditBucket(): string {
    return `${PREFIX}-${this.ctx.env}-audit-trail-${this.ctx.account}`;
  }
  accessLogBucket(): string {
    return `${PREFIX}-${this.ctx.env}-access-logs-${this.ctx.account}`;
  }
  athenaResultsBucket(): string {
    return `${PREFIX}-${this.ctx.env}-athena-results-${this.ctx.account}`;
  }
  sharedDatabase(): string {
    return underscore(`${PREFIX}_${this.ctx.env}_shared`);
  }
  /** A cooperative's dataset as it appears in the shared zone: prefixed so two cooperatives never collide. */
  sharedTable(coop: string, dataset: string): string {
    return underscore(`${coop}__${dataset}`);
  }
  /** The statistics table of an aggregated agreement (one per consumer and dataset). */
  aggregateTable(coop: string, dataset: string, consumer: string): string {
    return underscore(`${coop}__${dataset}__stats_${consumer}`);
  }
  /** A cooperative's alarm topic (SNS, in its account): the name operators subscribe to, outside git. */
  coopAlarmTopic(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-alarms`;
  }
  /** Prefix of a cooperative's alarm names: an alarm's name tells whose it is in every notification. */
  coopAlarmPrefix(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}`;
  }
  /** The platform operations topic of each account holding cooperatives (one per account, same name). */
  platformAlarmTopic(): string {
    return `${PREFIX}-${this.ctx.env}-${PLATFORM_OWNER}-alarms`;
  }
  /** The cooperative's statistics function, which refills its statistics tables (one per cooperative, in its account). */
  statsFunction(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-stats`;
  }
  /** Athena workgroup of the statistics function's queries. */
  statsWorkgroup(coop: string): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-stats`;
  }
  /**
   * EventBridge Scheduler schedule refreshing one statistics table, in the default group of
   * the cooperative's account. Dots separate the parts (ids and dataset names hold none); a
   * name over the 64-character limit keeps its start and ends in a hash of the whole.
   */
  statsSchedule(coop: string, dataset: string, consumer: string): string {
    const full = `${PREFIX}-${this.ctx.env}-${coop}.${dataset}.${consumer}`;
    if (full.length <= NAME_LIMITS.schedule) return full;
    return `${full.slice(0, NAME_LIMITS.schedule - 9)}-${fnv1a(full).toString(16).padStart(8, '0')}`;
  }
  pseudonymizationKeyAlias(): string {
    return `alias/${PREFIX}/${this.ctx.env}/pseudonymization`;
  }
  platformKeyAlias(): string {
    return `alias/${PREFIX}/${this.ctx.env}/platform`;
  }
  consumerWorkgroup(consumer: string): string {
    return `${PREFIX}-${this.ctx.env}-${consumer}`;
  }
  consumerRole(consumer: string): string {
    return `${PREFIX}-${this.ctx.env}-consumer-${consumer}`;
  }

  /** Every physical name of the platform, of its consumers, of its shared servers and of its cells' parts of the data lake. */
  platformNames(p: { readonly consumers: readonly string[]; readonly sharedServers: readonly string[]; readonly cells?: readonly string[] }): DerivedName[] {
    const platform = { of: 'platform' } as const;
    const out: DerivedName[] = [
      ...[this.sharedBucket(), this.auditBucket(), this.accessLogBucket(), this.athenaResultsBucket()].map((name) => ({ kind: 'bucket' as const, scope: '', name, source: platform })),
      ...[this.pseudonymizationKeyAlias(), this.platformKeyAlias()].map((name) => ({ kind: 'kmsAlias' as const, scope: '', name, source: platform })),
      { kind: 'glueDatabase', scope: '', name: this.sharedDatabase(), source: platform },
      { kind: 'cfnStack', scope: '', name: AWS_PLATFORM_STACK, source: platform },
      { kind: 'cfnStack', scope: '', name: awsMonitoringStack(undefined), source: platform },
      { kind: 'cfnStack', scope: '', name: awsIngestApiStack(undefined), source: platform },
      { kind: 'cfnStack', scope: '', name: awsGatewayTrustStack(undefined), source: platform },
      { kind: 'terraformStack', scope: '', name: IDC_PLATFORM_STACK, source: platform },
    ];
    for (const id of p.consumers) {
      const source = { of: 'consumer', id } as const;
      out.push({ kind: 'iamRole', scope: '', name: this.consumerRole(id), source }, { kind: 'athenaWorkgroup', scope: '', name: this.consumerWorkgroup(id), source });
    }
    for (const id of p.sharedServers) out.push({ kind: 'namespace', scope: '', name: this.sharedNamespace(id), source: { of: 'sharedServer', id } });
    // Every shard's stack name, used or not: a cooperative added later may fill any shard.
    for (const id of p.cells ?? []) {
      const source = { of: 'cell', id } as const;
      out.push(
        { kind: 'bucket', scope: '', name: this.cellSharedBucket(id), source },
        { kind: 'kmsAlias', scope: '', name: this.cellSharedKeyAlias(id), source },
        { kind: 'cfnStack', scope: '', name: awsCellZoneStack(id), source },
        { kind: 'cfnStack', scope: '', name: awsMonitoringStack(id), source },
        { kind: 'cfnStack', scope: '', name: awsIngestApiStack(id), source },
        { kind: 'cfnStack', scope: '', name: awsGatewayTrustStack(id), source },
        ...Array.from({ length: SHARED_CATALOG_SHARDS }, (_, shard) => ({ kind: 'cfnStack' as const, scope: '', name: awsSharedCatalogShardStack(id, shard), source })),
      );
    }
    return out;
  }

  /**
   * Every physical name of one cooperative: `sharedDatasets` are those shared at a level other
   * than raw (they get a shared table); `account` is its cell's account (its buckets carry it).
   */
  cooperativeNames(c: { readonly id: string; readonly idc: boolean; readonly sharedDatasets: readonly string[]; readonly account?: string; readonly aggregates?: readonly { readonly dataset: string; readonly consumer: string }[] }): DerivedName[] {
    const source = { of: 'cooperative', coop: c.id } as const;
    const own = this.inAccount(c.account ?? this.ctx.account);
    const out: DerivedName[] = [
      ...ZONES.map((zone) => ({ kind: 'bucket' as const, scope: '', name: own.coopBucket(c.id, zone), source })),
      { kind: 'kmsAlias', scope: '', name: this.coopKeyAlias(c.id), source },
      ...(['admin', 'uploader', 'ingestion', 'stats', 'erasure'] as const).map((role) => ({ kind: 'iamRole' as const, scope: '', name: this.coopRole(c.id, role), source })),
      { kind: 'lambdaFunction', scope: '', name: this.coopPushFunction(c.id), source },
      { kind: 'commonName', scope: '', name: this.gatewayCommonName(c.id), source },
      // The statistics job's names are reserved for every cooperative, so an aggregated agreement added later never clashes.
      { kind: 'lambdaFunction', scope: '', name: this.statsFunction(c.id), source },
      { kind: 'athenaWorkgroup', scope: '', name: this.statsWorkgroup(c.id), source },
      // The admin's own query workgroup carries the admin role's name (infra/aws/cooperative-query.ts).
      { kind: 'athenaWorkgroup', scope: '', name: this.coopRole(c.id, 'admin'), source },
      { kind: 'glueDatabase', scope: '', name: this.coopDatabase(c.id), source },
      { kind: 'cfnStack', scope: '', name: awsCooperativeStack(c.id), source },
      ...c.sharedDatasets.map((dataset) => ({ kind: 'glueTable' as const, scope: this.sharedDatabase(), name: this.sharedTable(c.id, dataset), source: { ...source, dataset } })),
      ...(c.aggregates ?? []).flatMap((a) => [
        { kind: 'glueTable' as const, scope: this.sharedDatabase(), name: this.aggregateTable(c.id, a.dataset, a.consumer), source: { ...source, dataset: a.dataset } },
        { kind: 'schedule' as const, scope: '', name: this.statsSchedule(c.id, a.dataset, a.consumer), source: { ...source, dataset: a.dataset } },
      ]),
    ];
    if (c.idc) {
      out.push({ kind: 'namespace', scope: '', name: this.coopNamespace(c.id), source }, { kind: 'terraformStack', scope: '', name: this.coopNamespace(c.id), source });
    }
    return out;
  }

  /**
   * How long a cooperative id may be: the derived name that overflows its provider's limit
   * the most (or comes closest), and the longest id that fits every limit in this environment.
   */
  idLength(id: string): { readonly kind: NameKind; readonly name: string; readonly limit: number; readonly maxIdLength: number } {
    const limited = this.cooperativeNames({ id, idc: true, sharedDatasets: [] }).filter((n): n is DerivedName & { kind: NameKind } => n.kind in NAME_LIMITS);
    // Each name holds the id once, at its own length (Glue only swaps "-" for "_").
    const room = (n: { kind: NameKind; name: string }) => NAME_LIMITS[n.kind] - (n.name.length - id.length);
    const worst = limited.reduce((a, b) => (room(b) < room(a) ? b : a));
    return { kind: worst.kind, name: worst.name, limit: NAME_LIMITS[worst.kind], maxIdLength: room(worst) };
  }

  /**
   * Cooperative ids that would take a platform name: derived by solving each cooperative
   * name for the id that makes it equal a platform name of the same kind, plus the platform's
   * owner tag. Kept derived so a new platform name reserves its ids without a list to update.
   */
  reservedCooperativeIds(): string[] {
    const HOLE = '\u0000';
    const reserved = new Set<string>([PLATFORM_OWNER]);
    const platform = this.platformNames({ consumers: [], sharedServers: [] });
    for (const c of this.cooperativeNames({ id: HOLE, idc: true, sharedDatasets: [] })) {
      const [before, after] = c.name.split(HOLE);
      for (const p of platform) {
        if (p.kind !== c.kind || p.scope !== c.scope) continue;
        const fold = (s: string) => (CASE_INSENSITIVE.has(p.kind) ? s.toLowerCase() : s);
        const name = fold(p.name);
        if (name.length <= before.length + after.length || !name.startsWith(fold(before)) || !name.endsWith(fold(after))) continue;
        // Glue names turn the id's "-" into "_": an id has no "_", so map it back.
        reserved.add(name.slice(before.length, name.length - after.length).replace(/_/g, '-'));
      }
    }
    return [...reserved].sort();
  }
}
