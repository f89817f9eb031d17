/**
 * Names both sides of a seam share, declared once (as aws-cdk's `cx-api` holds artifact
 * names): the build output's layout, which the build writes and the report reads; the tag
 * keys the AWS renderer writes and checks and cost reports read back; the environment keys
 * the AWS renderer sets on the ingestion functions and the handlers read; the manifest
 * prefix the handlers write and the ingestion role's policy names. A leaf: it imports
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
} as const;

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
} as const;

/** Key prefix of the ingestion manifests in the curated zone (written last: a manifest means the object is done). */
export const MANIFEST_PREFIX = '_manifests';
