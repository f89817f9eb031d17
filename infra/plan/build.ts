/**
 * config → tenancy plan. Pure and deterministic: no clock, no environment, no I/O; every
 * collection sorted by a stable key. Assumes the config passed validation.
 */
import { parseDuration } from '../config/duration';
import { canonicalUnit } from '../config/units';
import { parseBytes, parseCpuMillis } from '../config/quantity';
import type { LoadedConfig } from '../config/load';
import type { ConsumerKind, CooperativeConfig, CostConfig, FieldConfig, FieldType, ModelConfig, PiiClass, ShareLevel, SharingConfig, TrustAnchorConfig } from '../config/schema';
import { AGGREGATE_REFRESH, aggregatePlan } from './aggregate';
import { computeCapacity, sortedRecord, toQuotaPlan, type TenantQuota } from './capacity';
import { disclosureOf, sharedColumnPlans } from './disclosure';
import { applyLifecycle } from './lifecycle';
import { Names, PARTITION_KEYS } from './names';
import { planRollouts } from './rollout';
import {
  PLAN_VERSION,
  type ColumnDisclosure,
  type ColumnPlan,
  type CostRatesPlan,
  type CooperativePlan,
  type DatasetPlan,
  type GrantPlan,
  type IngressPlan,
  type ModelPlan,
  type QuotaPlan,
  type SharedColumnPlan,
  type SharedServerPlan,
  type SharedTablePlan,
  type TenancyPlan,
  type TrustAnchorPlan,
} from './types';

/** Retention the safety-measures standard (art. 8) asks of access records. */
export const RETENTION_DAYS = { standard: 365, largeScale: 731 } as const;

const PII_ORDER: readonly PiiClass[] = ['none', 'quasi-identifier', 'identifier', 'sensitive'];
const LEVEL_ORDER: readonly ShareLevel[] = ['aggregated', 'pseudonymized', 'raw'];

const GLUE_TYPES: Record<FieldType, string> = {
  string: 'string',
  int: 'int',
  long: 'bigint',
  double: 'double',
  decimal: 'decimal(38,9)',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** The most sensitive of some PII classes. */
export function maxPii(classes: Iterable<PiiClass>): PiiClass {
  let best = 0;
  for (const c of classes) best = Math.max(best, PII_ORDER.indexOf(c));
  return PII_ORDER[best];
}

/** Builds the tenancy plan from a validated configuration. */
export function buildPlan(config: LoadedConfig): TenancyPlan {
  const platform = config.platform.value;
  const names = new Names({ env: platform.environment.name, account: platform.environment.account, region: platform.environment.region });
  const coops = [...config.cooperatives].sort(byKey((c) => c.value.id));
  const ing = platform.idc.ingress;
  const ingress: IngressPlan | undefined = ing && {
    kind: ing.gateway ? 'gateway' : 'ingress',
    ...(ing.gateway ? { gateway: { name: ing.gateway.name, namespace: ing.gateway.namespace } } : {}),
    ...(ing.ingressClass ? { ingressClass: ing.ingressClass } : {}),
    proxyNamespace: ing.proxyNamespace,
    proxyPodLabels: sortedRecord(ing.proxyPodLabels),
    hostSuffix: ing.hostSuffix,
  };

  const consumers = platform.consumers
    .map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      role: names.consumerRole(c.id),
      workgroup: names.consumerWorkgroup(c.id),
      scanLimitBytes: c.scanLimitGb * 1024 ** 3,
    }))
    .sort(byKey((c) => c.id));
  const consumerKind = new Map(consumers.map((c) => [c.id, c.kind]));

  const grants: GrantPlan[] = [];
  const sharedTables: SharedTablePlan[] = [];
  const cooperatives: CooperativePlan[] = [];

  const cellAccount = new Map(platform.cells.map((c) => [c.id, c.account]));
  for (const { value: coop, source } of coops) {
    const account = (coop.cell !== undefined ? cellAccount.get(coop.cell) : undefined) ?? platform.environment.account;
    const own = names.inAccount(account);
    const sharedBucket = coop.cell !== undefined ? names.cellSharedBucket(coop.cell) : names.sharedBucket();
    const sharedKeyAlias = coop.cell !== undefined ? names.cellSharedKeyAlias(coop.cell) : names.platformKeyAlias();
    const agreementSource = (index: number) => `${source.source.relativePath}#sharing[${index}]`;
    const kindOf = (s: SharingConfig): ConsumerKind => consumerKind.get(s.consumer) ?? 'research';
    const datasets = coop.datasets.map((d) => datasetPlan(coop, d, kindOf, agreementSource)).sort(byKey((d) => d.name));
    coop.sharing.forEach((s, index) => {
      const d = coop.datasets.find((x) => x.name === s.dataset);
      const fields = new Map((d?.fields ?? []).map((f) => [f.name, f]));
      const columns = [...new Set(s.columns)].sort();
      const disclosures: ColumnDisclosure[] = columns.map((column) => {
        const f = fields.get(column);
        return { column, disclosure: disclosureOf({ level: s.level, consumerKind: kindOf(s), ...(s.sensitiveBasis !== undefined ? { sensitiveBasis: s.sensitiveBasis } : {}) }, { name: column, pii: f?.pii ?? 'none', ...(f?.generalize ? { generalize: f.generalize } : {}) }) };
      });
      const aggregate = s.level === 'aggregated' && s.aggregate && d
        ? aggregatePlan({
          aggregate: s.aggregate,
          table: names.aggregateTable(coop.id, s.dataset, s.consumer),
          source: { database: names.coopDatabase(coop.id), table: d.name },
          timeColumn: d.timestampField,
          fields,
          memberField: d.memberField ?? '',
          k: Math.max(platform.aggregation.k, s.aggregate.k ?? 0),
          glueType: (f) => GLUE_TYPES[f.type],
          refresh: {
            schedule: names.statsSchedule(coop.id, s.dataset, s.consumer),
            ...AGGREGATE_REFRESH,
            endsAt: accessEndsAt(s.expires),
            function: names.statsFunction(coop.id),
            role: names.coopRole(coop.id, 'stats'),
            workgroup: names.statsWorkgroup(coop.id),
            location: `s3://${sharedBucket}/${names.aggregateTable(coop.id, s.dataset, s.consumer)}/`,
          },
        })
        : undefined;
      const database = s.level === 'raw' ? names.coopDatabase(coop.id) : names.sharedDatabase();
      const table = aggregate ? aggregate.table : s.level === 'raw' ? s.dataset : names.sharedTable(coop.id, s.dataset);
      grants.push({
        consumer: s.consumer,
        consumerKind: kindOf(s),
        cooperative: coop.id,
        dataset: s.dataset,
        level: s.level,
        columns,
        disclosures,
        purpose: s.purpose,
        legalBasis: s.legalBasis,
        ...(s.sensitiveBasis !== undefined ? { sensitiveBasis: s.sensitiveBasis } : {}),
        expires: s.expires,
        accessEndsAt: accessEndsAt(s.expires),
        database,
        catalog: s.level === 'raw' ? account : platform.environment.account,
        table,
        grantedColumns: aggregate ? aggregate.columns.map((c) => c.name) : columns,
        ...(aggregate ? { aggregate } : {}),
        source: agreementSource(index),
      });
    });
    for (const d of datasets) {
      if (!d.sharedColumns) continue;
      sharedTables.push({ name: names.sharedTable(coop.id, d.name), cooperative: coop.id, dataset: d.name, bucket: sharedBucket, levels: ['pseudonymized'], columns: sharedColumnPlans(d) });
    }
    const buckets = { raw: own.coopBucket(coop.id, 'raw'), curated: own.coopBucket(coop.id, 'curated'), quarantine: own.coopBucket(coop.id, 'quarantine') };
    cooperatives.push({
      id: coop.id,
      source: source.source.relativePath,
      name: { ko: coop.name.ko, en: coop.name.en },
      ...(coop.cell !== undefined ? { cell: coop.cell } : {}),
      account,
      ksic: coop.ksic,
      costCenter: coop.costCenter ?? coop.id,
      contactRole: coop.contact.role,
      memberCount: 'count' in coop.members ? coop.members.count : new Set(coop.members.ids).size,
      classification: maxPii(datasets.map((d) => d.classification)),
      cloud: {
        keyAlias: names.coopKeyAlias(coop.id),
        buckets,
        database: names.coopDatabase(coop.id),
        roles: { admin: names.coopRole(coop.id, 'admin'), uploader: names.coopRole(coop.id, 'uploader'), ingestion: names.coopRole(coop.id, 'ingestion') },
        sharedBucket,
        sharedKeyAlias,
        maxRetentionDays: datasets.reduce((m, d) => Math.max(m, d.retentionDays), 0),
        pushFunction: names.coopPushFunction(coop.id),
        erasureRole: names.coopRole(coop.id, 'erasure'),
        gatewayCommonName: names.gatewayCommonName(coop.id),
        gatewayProfile: names.gatewayProfile(coop.id),
      },
      datasets,
      monitoring: {
        alarmTopic: names.coopAlarmTopic(coop.id),
        alarmPrefix: names.coopAlarmPrefix(coop.id),
        datasets: [...coop.datasets].sort(byKey((d) => d.name)).map((d) => {
          const every = d.expectedEvery !== undefined ? parseDuration(d.expectedEvery) : undefined;
          return {
            dataset: d.name,
            quarantineRatio: d.monitoring?.quarantineRatio ?? platform.monitoring.quarantineRatio,
            ...(every && 'seconds' in every ? { expectedEverySeconds: every.seconds } : {}),
          };
        }),
      },
      idc: coop.idc && {
        namespace: names.coopNamespace(coop.id),
        adminGroup: coop.idc.adminGroup ?? names.coopAdminGroup(coop.id),
        quota: toQuotaPlan(coop.idc.quota),
        models: modelPlans(coop.idc.models, toQuotaPlan(coop.idc.quota), (m) => `${m}.${coop.id}.${ingress?.hostSuffix ?? ''}`),
        sharedServers: [...new Set(coop.idc.sharedServers)].sort(),
      },
    });
  }

  const sharedServers: SharedServerPlan[] = platform.sharedServers
    .map((s) => ({
      id: s.id,
      description: s.description,
      namespace: names.sharedNamespace(s.id),
      industries: [...s.industries].sort(),
      image: s.image,
      port: s.port,
      replicas: s.replicas,
      cpuMillis: parseCpuMillis(s.cpu) ?? 0,
      memoryBytes: parseBytes(s.memory) ?? 0,
      quota: toQuotaPlan(s.quota),
      subscribers: cooperatives.filter((c) => c.idc?.sharedServers.includes(s.id)).map((c) => c.id),
    }))
    .sort(byKey((s) => s.id));

  const tenants: TenantQuota[] = [
    ...cooperatives.flatMap((c) => (c.idc ? [{ tenant: c.id, quota: c.idc.quota }] : [])),
    ...sharedServers.map((s) => ({ tenant: `shared:${s.id}`, quota: s.quota })),
  ];

  const requiredRetention = requiredRetentionDays(config);
  const lifecycle = new Map(coops.map(({ value: c }) => [c.id, { status: c.status, ...(c.since !== undefined ? { since: c.since } : {}), ...(c.retainUntil !== undefined ? { retainUntil: c.retainUntil } : {}) }]));
  return applyLifecycle({
    version: PLAN_VERSION,
    platform: {
      environment: platform.environment.name,
      account: platform.environment.account,
      region: platform.environment.region,
      audit: {
        bucket: names.auditBucket(),
        accessLogBucket: names.accessLogBucket(),
        logRetentionDays: platform.audit.logRetentionDays,
        requiredRetentionDays: requiredRetention.days,
        requiredRetentionReason: requiredRetention.reason,
      },
      sharedZone: {
        bucket: names.sharedBucket(),
        database: names.sharedDatabase(),
        keyAlias: names.platformKeyAlias(),
        tables: sharedTables.sort(byKey((t) => t.name)),
      },
      pseudonymizationKeyAlias: names.pseudonymizationKeyAlias(),
      athenaResultsBucket: names.athenaResultsBucket(),
      lakeFormationAdmins: [...platform.lakeFormation.admins].sort(),
      cells: platform.cells
        .map((c) => {
          const members = cooperatives.filter((coop) => coop.cell === c.id);
          return {
            id: c.id,
            account: c.account,
            capacity: c.capacity,
            cooperatives: members.map((coop) => coop.id),
            ingestionRoles: members.map((coop) => names.inAccount(c.account).roleArn(coop.cloud.roles.ingestion)).sort(),
            statsRolePattern: names.inAccount(c.account).roleArn(names.coopRole('*', 'stats')),
            erasureRolePattern: names.inAccount(c.account).roleArn(names.coopRole('*', 'erasure')),
            sharedBucket: names.cellSharedBucket(c.id),
            sharedKeyAlias: names.cellSharedKeyAlias(c.id),
            ...(c.trustAnchor ? { trustAnchor: trustAnchorPlan(c.trustAnchor) } : {}),
            names: { ingestApi: names.ingestApi(c.id), gatewayTrustAnchor: names.gatewayTrustAnchor(c.id) },
          };
        })
        .sort(byKey((c) => c.id)),
      monitoring: {
        periodSeconds: platform.monitoring.periodMinutes * 60,
        errors: platform.monitoring.errors,
        throttles: platform.monitoring.throttles,
        durationOfTimeout: platform.monitoring.durationOfTimeout,
        quarantineRatio: platform.monitoring.quarantineRatio,
        platformAlarmTopic: names.platformAlarmTopic(),
      },
      ingestion: {
        concurrency: { pushHandler: platform.ingestion.concurrency.pushHandler, objectHandler: platform.ingestion.concurrency.objectHandler },
        ...(platform.ingestion.trustAnchor ? { trustAnchor: trustAnchorPlan(platform.ingestion.trustAnchor) } : {}),
        names: { ingestApi: names.ingestApi(undefined), gatewayTrustAnchor: names.gatewayTrustAnchor(undefined) },
      },
      raisedQuotas: platform.serviceQuotas.raised
        .map((r) => ({ quota: r.quota, account: r.account, value: r.value, case: r.case }))
        .sort(byKey((r) => `${r.quota}\u0000${r.account}`)),
      consumers,
      ...(platform.cost ? { cost: costRatesPlan(platform.cost) } : {}),
      idc: { dnsNamespace: platform.idc.dnsNamespace, allowedRegistries: [...new Set(platform.idc.allowedRegistries)].sort(), imagePullSecrets: [...new Set(platform.idc.imagePullSecrets)],
        ...(ingress ? { ingress } : {}),
        dataLakeEndpoints: [...platform.idc.dataLakeEndpoints].sort(byKey((e) => `${e.cidr} ${e.port}`)),
        sharedServers,
      },
    },
    cooperatives,
    grants: grants.sort(byKey((g) => `${g.consumer}\u0000${g.cooperative}\u0000${g.dataset}\u0000${g.level}`)),
    capacity: computeCapacity(platform.idc.capacity, tenants),
  }, (id) => lifecycle.get(id) ?? { status: 'active' }, platform.idc.capacity);
}

/** A declared CA as the plan carries it: the ARN, or the PEM with its line ends normalized. */
function trustAnchorPlan(t: TrustAnchorConfig): TrustAnchorPlan {
  return t.acmPcaArn !== undefined ? { acmPcaArn: t.acmPcaArn } : { certificateBundle: `${(t.certificateBundle ?? '').trim().replace(/\r\n/g, '\n')}\n` };
}

/**
 * The instant an agreement's access ends: the `expires` day is the last day (validation
 * treats it so), and agreements are signed in Korea, so access ends at the following
 * midnight KST (UTC+9, no daylight saving), which is 15:00 UTC on the `expires` day.
 */
export function accessEndsAt(expires: string): string {
  return `${expires}T15:00:00Z`;
}

/**
 * Access records must be kept one year, two where personal data of 50,000+ people,
 * unique identifiers or sensitive data are processed (safety-measures standard, art. 8(1)).
 */
export function requiredRetentionDays(config: LoadedConfig): { days: number; reason: string } {
  if (config.platform.value.audit.largeScalePersonalData) {
    return { days: RETENTION_DAYS.largeScale, reason: 'platform declares personal data of 50,000+ data subjects (audit.largeScalePersonalData)' };
  }
  for (const { value: coop } of [...config.cooperatives].sort(byKey((c) => c.value.id))) {
    for (const d of coop.datasets) {
      const f = d.fields.find((x) => x.pii === 'sensitive');
      if (f) return { days: RETENTION_DAYS.largeScale, reason: `sensitive data is processed (${coop.id}.${d.name}.${f.name})` };
    }
  }
  return { days: RETENTION_DAYS.standard, reason: 'no sensitive data and fewer than 50,000 data subjects declared' };
}

/** The models of a namespace, sorted, each with its rollout decided from the quota's room. */
function modelPlans(models: readonly ModelConfig[], quota: QuotaPlan, hostOf: (model: string) => string): ModelPlan[] {
  const base = models.map((m) => ({
    name: m.name,
    image: m.image,
    // With an autoscaler the Deployment starts at min and the autoscaler owns the count.
    replicas: m.autoscale ? m.autoscale.min : m.replicas,
    port: m.port,
    cpuMillis: parseCpuMillis(m.cpu) ?? 0,
    memoryBytes: parseBytes(m.memory) ?? 0,
    ...(m.gpu ? { gpu: { model: m.gpu.model, count: m.gpu.count } } : {}),
    ...(m.expose ? { expose: { host: hostOf(m.name) } } : {}),
    ...(m.dataLakeEgress ? { dataLakeEgress: true as const } : {}),
    ...(m.autoscale ? { autoscale: { min: m.autoscale.min, max: m.autoscale.max, cpuPercent: m.autoscale.cpuPercent } } : {}),
  }));
  const rollouts = planRollouts(quota, base.map((m) => ({ ...m, maxReplicas: m.autoscale?.max ?? m.replicas })));
  return base.map((m) => ({ ...m, rollout: rollouts.get(m.name)! })).sort(byKey((m) => m.name));
}

function datasetPlan(
  coop: CooperativeConfig,
  d: CooperativeConfig['datasets'][number],
  kindOf: (s: SharingConfig) => ConsumerKind,
  agreementSource: (index: number) => string,
): DatasetPlan {
  const sharedAt = new Set<ShareLevel>();
  for (const s of coop.sharing) if (s.dataset === d.name) sharedAt.add(s.level);
  const columns = d.fields.map(columnPlan);
  // The row-level shared copy: each column some pseudonymized agreement discloses, in the
  // form disclosureOf gives it (at this level it depends on the column alone, so agreements agree).
  const shared = new Map<string, { disclosure: SharedColumnPlan['disclosure']; agreements: string[] }>();
  coop.sharing.forEach((s, index) => {
    if (s.dataset !== d.name || s.level !== 'pseudonymized') return;
    for (const name of s.columns) {
      const f = d.fields.find((x) => x.name === name);
      if (!f) continue;
      const disclosure = disclosureOf({ level: s.level, consumerKind: kindOf(s), ...(s.sensitiveBasis !== undefined ? { sensitiveBasis: s.sensitiveBasis } : {}) }, f);
      if (disclosure.kind !== 'clear' && disclosure.kind !== 'token' && disclosure.kind !== 'generalized') continue;
      const entry = shared.get(name) ?? { disclosure, agreements: [] };
      entry.agreements.push(agreementSource(index));
      shared.set(name, entry);
    }
  });
  const sharedColumns = d.fields
    .filter((f) => shared.has(f.name))
    .map((f) => ({ name: f.name, disclosure: shared.get(f.name)!.disclosure, agreements: [...new Set(shared.get(f.name)!.agreements)].sort() }));
  const sharedAgreements = [...new Set(sharedColumns.flatMap((c) => c.agreements))].sort();
  const compact: SharedColumnPlan[] = sharedColumns.map((c) => ({ ...c, agreements: c.agreements.map((a) => sharedAgreements.indexOf(a)) }));
  return {
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    format: d.format,
    encoding: d.encoding,
    timeZone: d.timeZone,
    timestampField: d.timestampField,
    ...(d.memberField !== undefined ? { memberField: d.memberField } : {}),
    retentionDays: d.retentionDays,
    ...(d.expectedGbPerMonth !== undefined ? { expectedGbPerMonth: d.expectedGbPerMonth } : {}),
    ...(d.expectedRequestsPerMonth !== undefined ? { expectedRequestsPerMonth: d.expectedRequestsPerMonth } : {}),
    table: d.name,
    partitionKeys: [...PARTITION_KEYS],
    columns,
    classification: maxPii(columns.map((c) => c.pii)),
    sharedAt: LEVEL_ORDER.filter((l) => sharedAt.has(l)),
    ...(sharedColumns.length > 0 ? { sharedColumns: compact, sharedAgreements } : {}),
  };
}

function costRatesPlan(c: CostConfig): CostRatesPlan {
  return {
    idc: { vcpuMonth: c.idc.vcpuMonth, memoryGibMonth: c.idc.memoryGibMonth, storageTbMonth: c.idc.storageTbMonth, gpuMonth: sortedRecord(c.idc.gpuMonth) },
    cloud: { kmsKeyMonth: c.cloud.kmsKeyMonth, storageGbMonth: c.cloud.storageGbMonth, millionRequests: c.cloud.millionRequests, maxStoredMonths: c.cloud.maxStoredMonths },
    platform: { fixedMonthly: c.platform.fixedMonthly.map((f) => ({ item: f.item, krw: f.krw })).sort(byKey((f) => f.item)), split: c.platform.split },
  };
}

function columnPlan(f: FieldConfig): ColumnPlan {
  // Optional properties are omitted rather than set to undefined so JSON output stays minimal and stable.
  const col: ColumnPlan = {
    name: f.name,
    ...(f.header !== undefined ? { header: f.header } : {}),
    type: f.type,
    glueType: GLUE_TYPES[f.type],
    pii: f.pii,
    required: f.required,
    // One spelling per unit whatever the case written (kWh, KWH → kwh), as ingestion compares them.
    ...(f.unit !== undefined ? { unit: canonicalUnit(f.unit) } : {}),
    ...(f.convertFrom !== undefined ? { convertFrom: f.convertFrom } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    ...(f.generalize !== undefined ? { generalize: f.generalize } : {}),
    ...(f.description !== undefined ? { description: f.description } : {}),
  };
  return col;
}

