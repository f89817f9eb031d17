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
} as const;

/** Which limit a derived name is held to. */
export type NameKind = keyof typeof NAME_LIMITS;

/**
 * Prefix of ingestion manifests in a cooperative's curated bucket ("_" keeps them out of
 * every table's location); the ingestion writes there and the report links there.
 */
export const MANIFEST_PREFIX = '_manifests';

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

/** Glue and Athena identifiers cannot contain "-". */
const underscore = (s: string) => s.replace(/-/g, '_');

/** Derives the names of one environment. */
export class Names {
  constructor(private readonly ctx: NameContext) {}

  /** Bucket of one cooperative's zone; account and region make it globally unique. */
  coopBucket(coop: string, zone: Zone): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-${zone}-${this.ctx.account}`;
  }
  coopKeyAlias(coop: string): string {
    return `alias/${PREFIX}/${this.ctx.env}/coop/${coop}`;
  }
  coopRole(coop: string, role: 'admin' | 'uploader' | 'ingestion'): string {
    return `${PREFIX}-${this.ctx.env}-${coop}-${role}`;
  }
  coopDatabase(coop: string): string {
    return underscore(`${PREFIX}_${this.ctx.env}_${coop}`);
  }
  /** Namespace on the IDC cluster; the "coop-" prefix keeps tenants apart from system namespaces. */
  coopNamespace(coop: string): string {
    return `coop-${coop}`;
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
}
