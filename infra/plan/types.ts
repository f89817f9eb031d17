/**
 * The tenancy plan: the one reviewable, deterministic description of everything coop-idc
 * will create. Renderers (CDK, CDKTF), checks and the report read only this.
 *
 * Every list is sorted and every name resolved, so two plans can be compared with a plain
 * JSON diff (`coop-idc report --since`) and the same config always gives the same bytes.
 * Quantities are integers (milli-CPU, bytes) so sums are exact.
 */
import type { ConsumerKind, FieldType, PiiClass, PlatformSplit, ShareLevel, TimeGrain } from '../config/schema';
import type { Zone } from './names';

/** Bumped when the plan's shape changes incompatibly. */
export const PLAN_VERSION = 1;

export interface TenancyPlan {
  readonly version: typeof PLAN_VERSION;
  readonly platform: PlatformPlan;
  /** Sorted by id. */
  readonly cooperatives: readonly CooperativePlan[];
  /** Every resolved sharing agreement, sorted by consumer, cooperative, dataset. */
  readonly grants: readonly GrantPlan[];
  /** Who uses how much of the IDC cluster. */
  readonly capacity: CapacityPlan;
  /**
   * Cooperatives whose file says `status: removed`, sorted by id: nothing is rendered for
   * them, but validation and the report still know them. Absent when there are none.
   */
  readonly removed?: readonly RemovedCooperativePlan[];
}

export interface PlatformPlan {
  readonly environment: string;
  /**
   * The data-lake account: shared zone, consumers, Athena, Lake Formation administration,
   * pseudonymization key, audit trail (and every cooperative when no cells are declared).
   */
  readonly account: string;
  readonly region: string;
  readonly audit: {
    readonly bucket: string;
    readonly accessLogBucket: string;
    readonly logRetentionDays: number;
    /** 365, or 731 where the safety-measures standard art. 8 requires two years. */
    readonly requiredRetentionDays: number;
    readonly requiredRetentionReason: string;
  };
  readonly sharedZone: {
    readonly bucket: string;
    readonly database: string;
    readonly keyAlias: string;
    /** Tables of pseudonymized/aggregated data, one per shared cooperative dataset. */
    readonly tables: readonly SharedTablePlan[];
  };
  /** HMAC key for pseudonymization, kept apart from the data (PIPA art. 28-4). */
  readonly pseudonymizationKeyAlias: string;
  readonly athenaResultsBucket: string;
  readonly lakeFormationAdmins: readonly string[];
  /** Cell accounts, sorted by id; empty when every cooperative lives in the data-lake account. */
  readonly cells: readonly CellPlan[];
  /** Default alarm thresholds and the platform's alarm topic (`platform.yaml` `monitoring`). */
  readonly monitoring: MonitoringPlan;
  /** Ingestion shared by the cells: reserved concurrency and the gateways' CA of the data-lake account's cooperatives. */
  readonly ingestion: IngestionPlan;
  /** Service-quota increases AWS approved (`platform.yaml` `serviceQuotas.raised`), sorted. */
  readonly raisedQuotas: readonly RaisedQuotaPlan[];
  readonly consumers: readonly ConsumerPlan[];
  /** The rate card (`cost:` of platform.yaml), whole won; absent when none is declared. */
  readonly cost?: CostRatesPlan;
  readonly idc: {
    readonly dnsNamespace: string;
    /** Registry prefixes (`host[:port][/path]`) images may come from, sorted and unique. */
    readonly allowedRegistries: readonly string[];
    /** Image pull secrets of model pods and default ServiceAccounts, in the declared order. */
    readonly imagePullSecrets: readonly string[];
    /** The declared way into exposed models; absent when the platform enables none. */
    readonly ingress?: IngressPlan;
    /** Endpoints models with `dataLakeEgress` may call, sorted. */
    readonly dataLakeEndpoints: readonly { readonly cidr: string; readonly port: number }[];
    readonly sharedServers: readonly SharedServerPlan[];
  };
}

/** Where factory gateways' certificates come from: the source of an IAM Roles Anywhere trust anchor. */
export type TrustAnchorPlan = { readonly acmPcaArn: string } | { readonly certificateBundle: string };

/** Ingestion settings of the platform (`platform.yaml` `ingestion`). */
export interface IngestionPlan {
  /** Reserved concurrent executions of each cooperative's functions. */
  readonly concurrency: { readonly pushHandler: number; readonly objectHandler: number };
  /** Gateways' CA of the cooperatives without a cell; absent: their uploader roles trust only their admin role. */
  readonly trustAnchor?: TrustAnchorPlan;
  /** Names of the data-lake account's ingestion API and trust anchor (its cooperatives without a cell). */
  readonly names: HolderNames;
}

/** A cell: one AWS account holding the cloud tenancies of its cooperatives. */
export interface CellPlan {
  readonly id: string;
  readonly account: string;
  /** Most cooperatives the cell may hold. */
  readonly capacity: number;
  /** Ids of the cooperatives placed in it, sorted. */
  readonly cooperatives: readonly string[];
  /** Ingestion roles of its cooperatives, by ARN, sorted: the principals the data-lake account admits from this cell. */
  readonly ingestionRoles: readonly string[];
  /**
   * ARN pattern of its cooperatives' statistics roles (`arn:aws:iam::<cell>:role/kbiz-<env>-*-stats`):
   * the data-lake side admits them by pattern and role tag, so its policies do not grow per cooperative.
   */
  readonly statsRolePattern: string;
  /**
   * ARN pattern of its cooperatives' erasure roles (`…:role/kbiz-<env>-*-erasure`), admitted the
   * same way: an erasure rewrites the member's shared copies in this cell's shared bucket.
   */
  readonly erasureRolePattern: string;
  /** The cell's shared-zone bucket in the data-lake account (its cooperatives' shared tables). */
  readonly sharedBucket: string;
  /** Alias of that bucket's key, in the data-lake account. */
  readonly sharedKeyAlias: string;
  /** Gateways' CA of the cell; absent: its uploader roles trust only their admin role. */
  readonly trustAnchor?: TrustAnchorPlan;
  /** Names of the cell's ingestion API and gateways' trust anchor. */
  readonly names: HolderNames;
}

/** Names of what an account holding cooperatives (a cell, or the data-lake account) has once. */
export interface HolderNames {
  /** The ingestion HTTP API (one per account). */
  readonly ingestApi: string;
  /** The IAM Roles Anywhere trust anchor of its factory gateways. */
  readonly gatewayTrustAnchor: string;
}

/**
 * KBIZ's declared monthly prices, in whole won (never AWS list prices). `coop-idc cost`
 * applies them to the plan (infra/cost).
 */
export interface CostRatesPlan {
  readonly idc: {
    readonly vcpuMonth: number;
    readonly memoryGibMonth: number;
    /** Per TB of 10^12 bytes. */
    readonly storageTbMonth: number;
    /** Per GPU of each model, sorted by model. */
    readonly gpuMonth: Readonly<Record<string, number>>;
  };
  readonly cloud: {
    readonly kmsKeyMonth: number;
    readonly storageGbMonth: number;
    readonly millionRequests: number;
    /** Cap on retention months in the steady-state stored volume. */
    readonly maxStoredMonths: number;
  };
  readonly platform: {
    /** Sorted by item. */
    readonly fixedMonthly: readonly { readonly item: string; readonly krw: number }[];
    readonly split: PlatformSplit;
  };
}

/**
 * The platform's alarm defaults (`platform.yaml` `monitoring`) and the name of the platform
 * operations topic every account holding cooperatives has (one per account: alarm actions
 * publish to a topic of their own account, see docs/operations.md).
 */
export interface MonitoringPlan {
  /** Period the function, dead-letter and quarantine alarms evaluate. */
  readonly periodSeconds: number;
  readonly errors: number;
  readonly throttles: number;
  /** Share of a function's timeout its longest run may take. */
  readonly durationOfTimeout: number;
  readonly quarantineRatio: number;
  /** Name of the platform operations topic, the same in every account that holds cooperatives. */
  readonly platformAlarmTopic: string;
}

/** Alarms of one cooperative's ingestion. */
export interface CooperativeMonitoringPlan {
  /** Its alarm topic (SNS), encrypted with its key; subscriptions are managed outside git. */
  readonly alarmTopic: string;
  /** Prefix of its alarm names (`<prefix>-object-errors`, `<prefix>-<dataset>-no-data`). */
  readonly alarmPrefix: string;
  /** Per dataset, in dataset order. */
  readonly datasets: readonly DatasetMonitoringPlan[];
}

/** The alarm thresholds of one dataset, overrides resolved. */
export interface DatasetMonitoringPlan {
  readonly dataset: string;
  /** Share of rows sent to quarantine above which its quarantine alarm fires. */
  readonly quarantineRatio: number;
  /** Longest expected silence (`expectedEvery`); absent: no "no data" alarm. */
  readonly expectedEverySeconds?: number;
}

/** An approved service-quota increase for one account. */
export interface RaisedQuotaPlan {
  readonly quota: string;
  readonly account: string;
  readonly value: number;
  readonly case: string;
}

/** How requests from outside the cluster reach exposed models. */
export interface IngressPlan {
  /** Gateway API HTTPRoutes to `gateway`, or Ingresses of `ingressClass`. */
  readonly kind: 'gateway' | 'ingress';
  readonly gateway?: { readonly name: string; readonly namespace: string };
  readonly ingressClass?: string;
  /** Where the proxy pods run and their labels: the only peers admitted to exposed models. */
  readonly proxyNamespace: string;
  readonly proxyPodLabels: Readonly<Record<string, string>>;
  readonly hostSuffix: string;
}

export interface SharedTablePlan {
  readonly name: string;
  readonly cooperative: string;
  readonly dataset: string;
  /** Bucket the table's files live in: its cooperative's cell's shared bucket, or the data-lake account's. */
  readonly bucket: string;
  /** The most permissive level any agreement reads this table at. */
  readonly levels: readonly ShareLevel[];
  readonly columns: readonly ColumnPlan[];
}

export interface ConsumerPlan {
  readonly id: string;
  readonly name: string;
  readonly kind: ConsumerKind;
  readonly role: string;
  readonly workgroup: string;
  readonly scanLimitBytes: number;
}

export interface QuotaPlan {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
  readonly pods: number;
  readonly services: number;
  readonly pvcs: number;
  /** GPU count per GPU model, sorted by model. */
  readonly gpus: Readonly<Record<string, number>>;
}

export interface SharedServerPlan {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly industries: readonly string[];
  readonly image: string;
  readonly port: number;
  readonly replicas: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly quota: QuotaPlan;
  /** Cooperative ids whose namespaces may reach this server, sorted. */
  readonly subscribers: readonly string[];
}

export interface ColumnPlan {
  readonly name: string;
  /**
   * The column's name as the source file spells it (any Unicode, e.g. `온도(°C)`), when it
   * differs from `name`; matched by `headerKey` (./headers.ts).
   */
  readonly header?: string;
  readonly type: FieldType;
  /** Glue/Hive type, e.g. `bigint`, `timestamp`, `decimal(38,9)`. */
  readonly glueType: string;
  readonly pii: PiiClass;
  readonly required: boolean;
  readonly unit?: string;
  readonly convertFrom?: string;
  readonly min?: number;
  readonly max?: number;
  readonly generalize?: Generalization;
  readonly description?: string;
}

/** How a quasi-identifier (or a sensitive column) is generalized before it leaves. */
export type Generalization = { readonly truncate: number } | { readonly bucket: number } | { readonly dateTo: 'month' | 'year' };

/** One column of an agreement and what it discloses (`disclosureOf`). */
export interface ColumnDisclosure {
  readonly column: string;
  readonly disclosure: Disclosure;
}

/**
 * One column of a dataset's row-level shared copy, as the ingestion writes it: only columns
 * some pseudonymized agreement discloses, in the form `disclosureOf` gives them.
 */
export interface SharedColumnPlan {
  readonly name: string;
  readonly disclosure: Extract<Disclosed, { kind: 'clear' | 'token' | 'generalized' }>;
  /**
   * The agreements disclosing it, as indices into `DatasetPlan.sharedAgreements` (the plan
   * travels in a Glue table parameter, and a path per column of the largest cooperative
   * would take a fifth of its template).
   */
  readonly agreements: readonly number[];
}

/** One measure of an aggregate table. */
export interface MeasurePlan {
  readonly fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
  /** Absent for `count`. */
  readonly column?: string;
  /** Column name in the aggregate table, e.g. `sum_quantity_kg`. */
  readonly name: string;
}

/**
 * The statistics of an aggregated agreement: one table in the shared zone, filled by one
 * deterministic SQL statement over the cooperative's curated table.
 */
export interface AggregatePlan {
  /** Table in the shared database. */
  readonly table: string;
  /** Curated table read: `<coop database>.<dataset table>`. */
  readonly source: { readonly database: string; readonly table: string };
  readonly grain: TimeGrain;
  /** The dataset's timestamp field, truncated to the grain as column `period`. */
  readonly timeColumn: string;
  /** Group-by columns, in agreement order, generalized where the column has a rule. */
  readonly dimensions: readonly { readonly column: string; readonly type: FieldType; readonly rule?: Generalization }[];
  readonly measures: readonly MeasurePlan[];
  /** Minimum distinct member companies per cell; smaller cells are absent. */
  readonly k: number;
  /** Field that names the member company. */
  readonly memberField: string;
  /** Output columns with their Glue types, in order. */
  readonly columns: readonly { readonly name: string; readonly glueType: string }[];
  /** SELECT that computes the statistics, in SQL both Athena (Trino) and DuckDB run. */
  readonly sql: string;
  /** The scheduled job that refills the table, and when it stops. */
  readonly refresh: AggregateRefreshPlan;
}

/**
 * How a statistics table is refilled: an EventBridge Scheduler schedule in the cooperative's
 * account invokes the cooperative's statistics function, which runs the table's SQL in Athena
 * (`UNLOAD` to a new `run=<scheduled time>/` prefix) and then points the table at that run.
 * The schedule ends when the agreement's access ends, so refreshing stops with no deploy.
 */
export interface AggregateRefreshPlan {
  /** Schedule name (EventBridge Scheduler, default group of the cooperative's account). */
  readonly schedule: string;
  /** Schedule expression, evaluated in {@link timeZone}. */
  readonly expression: string;
  readonly timeZone: string;
  /** The schedule's `EndDate`: the grant's `accessEndsAt`; the function also refuses to run at or after it. */
  readonly endsAt: string;
  /** The cooperative's statistics function (one per cooperative). */
  readonly function: string;
  /** Its role: reads the source table, writes and repoints this cooperative's statistics tables. */
  readonly role: string;
  /** Athena workgroup the function's queries run in. */
  readonly workgroup: string;
  /** `s3://<shared bucket>/<table>/`: each run writes under `run=<scheduled time>/` here. */
  readonly location: string;
}

export interface DatasetPlan {
  readonly name: string;
  readonly description?: string;
  readonly format: 'csv' | 'jsonl';
  readonly encoding: 'utf-8' | 'cp949' | 'euc-kr';
  readonly timeZone: string;
  readonly timestampField: string;
  /** Field naming the member company of a record (`memberField`), when declared: what an erasure request's member id is matched against. */
  readonly memberField?: string;
  readonly retentionDays: number;
  /** Declared new data per month, GB (cost estimate); absent when not declared. */
  readonly expectedGbPerMonth?: number;
  /** Declared requests per month (cost estimate); absent when not declared. */
  readonly expectedRequestsPerMonth?: number;
  /** Glue table in the cooperative's database, Parquet, partitioned by `dt`. */
  readonly table: string;
  readonly partitionKeys: readonly string[];
  readonly columns: readonly ColumnPlan[];
  /** The most sensitive PII class among the columns. */
  readonly classification: PiiClass;
  /** Levels at which some agreement shares this dataset, sorted. */
  readonly sharedAt: readonly ShareLevel[];
  /**
   * The row-level shared copy the ingestion writes, column by column from `disclosureOf`;
   * absent when no pseudonymized agreement discloses a column. Dataset columns not listed
   * are dropped from it.
   */
  readonly sharedColumns?: readonly SharedColumnPlan[];
  /** The pseudonymized agreements on this dataset (`cooperatives/x.yaml#sharing[0]`), sorted; present with `sharedColumns`. */
  readonly sharedAgreements?: readonly string[];
}

export interface ModelPlan {
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly port: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly gpu?: { readonly model: string; readonly count: number };
  /** Present when a HorizontalPodAutoscaler scales the model; `replicas` is then `min`. */
  readonly autoscale?: { readonly min: number; readonly max: number; readonly cpuPercent: number };
  /** Reachable from outside at this host, through the platform's ingress. */
  readonly expose?: { readonly host: string };
  /** May call the platform's data-lake endpoints. */
  readonly dataLakeEgress?: true;
  /** Rolling-update parameters, from the room the quota leaves (plan/rollout.ts). */
  readonly rollout: RolloutPlan;
}

export interface CooperativePlan {
  readonly id: string;
  /** Config file relative to the config root, e.g. `cooperatives/x.yaml`. */
  readonly source: string;
  readonly name: { readonly ko: string; readonly en: string };
  /** Cell the cooperative is placed in (`cell:` of its file); absent when no cells are declared. */
  readonly cell?: string;
  /** The AWS account its cloud tenancy deploys to: its cell's, else the data-lake account. */
  readonly account: string;
  readonly ksic: string;
  readonly costCenter: string;
  readonly contactRole: string;
  readonly memberCount: number;
  /** The most sensitive PII class among all datasets; a tag on every resource. */
  readonly classification: PiiClass;
  readonly cloud: {
    readonly keyAlias: string;
    readonly buckets: Readonly<Record<Zone, string>>;
    readonly database: string;
    readonly roles: { readonly admin: string; readonly uploader: string; readonly ingestion: string };
    /** Bucket (in the data-lake account) its shared tables are written to. */
    readonly sharedBucket: string;
    /** Alias of that bucket's key, in the data-lake account. */
    readonly sharedKeyAlias: string;
    /** Longest dataset retention, for zone lifecycle rules. */
    readonly maxRetentionDays: number;
    /** Name of the push-API handler function: the cell's ingestion API integrates with it by this name. */
    readonly pushFunction: string;
    /** Name of its erasure function's role: the cell's shared bucket admits it by that name's pattern. */
    readonly erasureRole: string;
    /** Common name (CN) the subject of its gateways' certificates must carry (IAM Roles Anywhere). */
    readonly gatewayCommonName: string;
    /** Name of its gateways' IAM Roles Anywhere profile. */
    readonly gatewayProfile: string;
  };
  readonly datasets: readonly DatasetPlan[];
  /**
   * Present while the cooperative is offboarding (`status: offboarding`): it then has no
   * grants, no shared tables, no ingestion, and its IDC workloads are scaled to zero.
   */
  readonly lifecycle?: LifecyclePlan;
  /**
   * Its alarms' topic, names and thresholds. Kept apart from {@link DatasetPlan}, which travels
   * to the ingestion in a Glue table parameter: changing a threshold must not rewrite tables.
   */
  readonly monitoring: CooperativeMonitoringPlan;
  /** Present when the cooperative runs workloads on the IDC cluster. */
  readonly idc?: {
    readonly namespace: string;
    readonly adminGroup: string;
    readonly quota: QuotaPlan;
    readonly models: readonly ModelPlan[];
    /** Shared-server ids the namespace may reach, sorted. */
    readonly sharedServers: readonly string[];
  };
}

export interface GrantPlan {
  readonly consumer: string;
  readonly consumerKind: ConsumerKind;
  readonly cooperative: string;
  readonly dataset: string;
  readonly level: ShareLevel;
  /** Allowed columns, sorted. */
  readonly columns: readonly string[];
  /** What each allowed column discloses, sorted by column (`disclosureOf`). */
  readonly disclosures: readonly ColumnDisclosure[];
  readonly purpose: string;
  readonly legalBasis: string;
  /** Separate legal basis for sensitive columns (PIPA art. 23), when named. */
  readonly sensitiveBasis?: string;
  /** Level aggregated: the statistics table, the only table the consumer is granted. */
  readonly aggregate?: AggregatePlan;
  readonly expires: string;
  /**
   * When access ends at run time, ISO 8601 UTC: midnight in Korea after the `expires` day.
   * The consumer's permissions carry it as `DateLessThan aws:CurrentTime`.
   */
  readonly accessEndsAt: string;
  /** Where the consumer reads: the shared zone for pseudonymized/aggregated, never raw. */
  readonly database: string;
  /** Account whose Glue Data Catalog holds the table: the data-lake account, or the cooperative's cell for raw grants. */
  readonly catalog: string;
  /** The one table granted: the shared copy (pseudonymized), the aggregate table (aggregated). */
  readonly table: string;
  /** Columns of `table` the grant names: the disclosed columns, or every aggregate column. */
  readonly grantedColumns: readonly string[];
  /** Position of the agreement, `cooperatives/x.yaml#sharing[2]`, for the audit trail. */
  readonly source: string;
}

export interface CapacityRow {
  /** `cpu`, `memory`, `storage`, `pods` or `gpu/<model>`. */
  readonly resource: string;
  readonly capacity: number;
  readonly requested: number;
  /** Tenant (cooperative id or `shared:<server>`) → amount, only non-zero, sorted by tenant. */
  readonly byTenant: Readonly<Record<string, number>>;
}

export interface CapacityPlan {
  readonly rows: readonly CapacityRow[];
}

/** A model's rolling-update parameters and why. */
export interface RolloutPlan {
  readonly maxSurge: 0 | 1;
  readonly maxUnavailable: 0 | 1;
  /** True when the quota has room for one more pod of the model during an update. */
  readonly headroom: boolean;
  /** What the quota would need on top for a surge pod; absent when it has room. */
  readonly missing?: readonly string[];
}

/** Why `disclosureOf` refuses a column (a config rule code). */
export type RefusalCode = 'pii-raw-share' | 'sensitive-without-basis' | 'sensitive-raw' | 'not-generalized';

/**
 * What one column of an agreement discloses.
 * - `clear`: the value as curated;
 * - `token`: a keyed HMAC of the value (same value, same token; not reversible without the key);
 * - `generalized`: the value after the column's generalization rule;
 * - `aggregate-only`: never a row; only inside statistics of at least k member companies,
 *   identifiers only as `count distinct`, generalized first where the column has a rule;
 * - `refused`: the column may not leave the cooperative under this agreement.
 */
export type Disclosure =
  | { readonly kind: 'clear' }
  | { readonly kind: 'token' }
  | { readonly kind: 'generalized'; readonly rule: Generalization }
  | { readonly kind: 'aggregate-only'; readonly use: 'count-distinct' | 'any'; readonly rule?: Generalization }
  | { readonly kind: 'refused'; readonly code: RefusalCode; readonly reason: string; readonly reasonKo: string; readonly hint: string };

/** A disclosure that lets the column leave (everything but `refused`). */
export type Disclosed = Exclude<Disclosure, { kind: 'refused' }>;

/** What offboarding a cooperative does, step by step, for the renderers and the report. */
export interface LifecyclePlan {
  readonly status: 'offboarding';
  /** The day offboarding began (YYYY-MM-DD). */
  readonly since: string;
  /** The last day its data is kept (YYYY-MM-DD). */
  readonly retainUntil: string;
  /**
   * The day its zones' objects expire: the day after `retainUntil` (S3 lifecycle dates are
   * midnight UTC, 09:00 KST). Superseded versions follow after the buckets' noncurrent-version days.
   */
  readonly expiresOn: string;
  /** The agreements offboarding revoked (each would be a grant while active), sorted. */
  readonly revoked: readonly RevokedGrantPlan[];
  /**
   * Its copies in the shared zone (row-level shared tables, statistics tables), each
   * expired from `since` by a lifecycle rule of the bucket holding it; sorted.
   */
  readonly sharedPrefixes: readonly { readonly bucket: string; readonly prefix: string; readonly table: string }[];
  /** Models whose Deployments are scaled to zero replicas, sorted (the namespace and its volumes stay). */
  readonly scaledToZero: readonly string[];
}

/** One agreement an offboarding revoked. */
export interface RevokedGrantPlan {
  readonly consumer: string;
  readonly dataset: string;
  readonly level: ShareLevel;
  /** The table it would read, `<database>.<table>`. */
  readonly table: string;
  /** `cooperatives/x.yaml#sharing[0]`. */
  readonly source: string;
}

/** A cooperative with `status: removed`: known, never rendered. */
export interface RemovedCooperativePlan {
  readonly id: string;
  readonly source: string;
  readonly name: { readonly ko: string; readonly en: string };
  readonly cell?: string;
  readonly account: string;
  readonly since: string;
  readonly retainUntil: string;
  /** The day its zones' objects expired (the day after `retainUntil`). */
  readonly expiredOn: string;
}
