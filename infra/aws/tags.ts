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

/** The `coopidc:cooperative` value of platform-owned resources (declared with the names it reserves). */
export { PLATFORM_OWNER } from '../plan/names';
