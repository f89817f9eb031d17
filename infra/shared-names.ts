/**
 * Names both sides of a seam share, declared once (as aws-cdk's `cx-api` holds artifact
 * names): the build output's layout, which the build writes and the report reads; the tag
 * keys the AWS renderer writes and checks and cost reports read back; the environment keys
 * the AWS renderer sets on the ingestion functions and the handlers read; the manifest
 * prefix the handlers write and the ingestion role's policy names; the ingestion metrics the
 * handlers emit and the alarms watch. A leaf: it imports
 * nothing, so every layer may import it.
 */

/** coop-idc's version (package.json's; a test holds them equal), for `--version` and SARIF files. */
export const TOOL_VERSION = '0.1.0';

/** The build output folder's layout, relative to it. */
export const OUTPUT = {
  /** The tenancy plan every renderer, check and report reads. */
  plan: 'plan.json',
  /** The CDK cloud assembly. */
  cdkOut: 'cdk.out',
  /** The CDKTF output (Terraform JSON). */
  cdktfOut: 'cdktf.out',
  /** The ingestion handler bundles. */
  lambdas: 'lambdas',
  /** Every check's findings, one file per check. */
  checks: 'checks',
  /** Findings files inside {@link OUTPUT.checks}. */
  checkFiles: {
    aws: 'aws.json',
    cfnLimits: 'cfn-limits.json',
    serviceQuotas: 'service-quotas.json',
    kubernetes: 'kubernetes.json',
  },
  /** The failed check findings as SARIF 2.1.0, for code scanning in CI. */
  checksSarif: 'checks.sarif',
} as const;

/**
 * Tag keys coop-idc writes on every AWS resource. They are read back by cost reports
 * (cost center), by the KMS key policy of the pseudonymization key (role) and by our own
 * KoreaLaw rules (cooperative, zone), so they are part of the interface: never rename one.
 */
export const TAG = {
  cooperative: 'coopidc:cooperative',
  costCenter: 'coopidc:cost-center',
  classification: 'coopidc:data-classification',
  /** Which data zone or log store a bucket is: `raw`, `curated`, `quarantine`, `shared`, `audit`, `access-logs`, `athena-results`. */
  zone: 'coopidc:zone',
  /** Which plan role an IAM role plays: `admin`, `uploader`, `ingestion`, `consumer`. */
  role: 'coopidc:role',
  /** Set to `offboarding` on every resource of an offboarding cooperative (docs/runbook-offboarding.md). */
  lifecycle: 'coopidc:lifecycle',
  /**
   * On platform-owned resources (`coopidc:cooperative` = platform): how their cost is split
   * among cooperatives, the rate card's `cost.platform.split` (`evenly`, `byMembers`,
   * `byStoredVolume`), so the CUR query of docs/cost.*.md splits actuals as the estimate does.
   */
  costSplit: 'coopidc:cost-split',
  /** The cell a resource serves: on a cell's shared zone and on its cooperatives' resources. */
  cell: 'coopidc:cell',
} as const;

/** `coopidc:cost-split` of platform resources when the platform declares no rate card (the schema's default). */
export const DEFAULT_COST_SPLIT = 'evenly';

/** Environment keys of the ingestion functions: set by infra/aws/ingestion-functions.ts, read by lambdas/. */
export const LAMBDA_ENV = {
  cooperative: 'COOP_ID',
  glueDatabase: 'GLUE_DATABASE',
  rawBucket: 'RAW_BUCKET',
  curatedBucket: 'CURATED_BUCKET',
  quarantineBucket: 'QUARANTINE_BUCKET',
  sharedBucket: 'SHARED_BUCKET',
  sharedDatabase: 'SHARED_DATABASE',
  pseudonymizationKeyArn: 'PSEUDONYMIZATION_KEY_ARN',
  /** Comma-separated dataset names the push API accepts. */
  datasets: 'DATASETS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  /** Comma-separated IAM role ARNs allowed to push. */
  allowedPrincipalArns: 'ALLOWED_PRINCIPAL_ARNS',
  /** JSON list of `{ table, dataset }`: the statistics tables an erasure leaves stale (erasure function). */
  aggregateTables: 'AGGREGATE_TABLES',
  /** Account whose Glue Data Catalog holds the statistics tables (the data-lake account). */
  dataLakeCatalog: 'DATA_LAKE_CATALOG',
  /** Athena workgroup of the statistics function. */
  statsWorkgroup: 'STATS_WORKGROUP',
} as const;

/**
 * Tags the ingestion writes on objects. The shared zone's lifecycle rules select objects by
 * `retentionDays` (one rule per distinct retention, not one per table: S3 allows 1,000 rules
 * per bucket), and the ingestion role may put shared objects only with it.
 */
export const OBJECT_TAG = {
  /** Days the object is kept (its dataset's `retentionDays`), as a decimal string. */
  retentionDays: 'coopidc:retention-days',
} as const;

/**
 * The Parquet compression every table declares and every writer uses: the ingestion's
 * writer (lambdas/domain/parquet.ts, native zlib) and the statistics job's `UNLOAD`.
 */
export const PARQUET_COMPRESSION = 'GZIP';

/** Glue table parameter holding the SQL that fills a statistics table: for auditors and the refresh job. */
export const AGGREGATE_SQL_PARAMETER = 'coopidc:sql';

/**
 * Key prefix of one refresh of a statistics table under its location: `run=<scheduled time>/`.
 * The table points at exactly one run; CloudFormation creates it pointing at the empty
 * {@link AGGREGATE_INITIAL_RUN}, so a table never reads several runs at once.
 */
export const AGGREGATE_RUN_PREFIX = 'run=';

/** The run a statistics table points at until its first refresh (no objects: an empty table). */
export const AGGREGATE_INITIAL_RUN = `${AGGREGATE_RUN_PREFIX}initial/`;

/** Key prefix of the ingestion manifests in the curated zone (written last: a manifest means the object is done). */
export const MANIFEST_PREFIX = '_manifests';

/**
 * Key prefixes of member erasure (PIPA art. 36) in a cooperative's curated bucket ("_" keeps
 * them out of every table's location): a request object placed under `requests` triggers the
 * erasure function, which writes its record under `records` (lambdas/domain/erase.ts).
 */
export const ERASURE_PREFIX = {
  requests: '_erasure/requests',
  records: '_erasure/records',
} as const;

/**
 * Metrics the object handler emits in CloudWatch embedded metric format (one log line per
 * ingested object) and the alarms and dashboards read: rows in, written and quarantined per
 * cooperative and dataset (objects processed = the sample count of RowsIn), and whole objects
 * rejected per cooperative (no dataset dimension: a rejected key may name no real dataset, and
 * each distinct dimension value is a billed metric).
 */
export const INGESTION_METRICS = {
  namespace: 'CoopIdc/Ingestion',
  dimensions: { cooperative: 'Cooperative', dataset: 'Dataset' },
  rowsIn: 'RowsIn',
  rowsWritten: 'RowsWritten',
  rowsQuarantined: 'RowsQuarantined',
  objectsRejected: 'ObjectsRejected',
} as const;
