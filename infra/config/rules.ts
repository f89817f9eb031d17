/**
 * Cross-file rules: what the schema of one file cannot see.
 *
 * Each rule has a stable code (documented in docs/onboarding.*.md) and reports at the
 * exact position of the offending value. All rules run; nothing stops at the first error.
 */
import { basename, extname } from 'node:path';
import { computeCapacity, own, toQuotaPlan, type TenantQuota } from '../plan/capacity';
import { requiredRetentionDays } from '../plan/build';
import { headerKey } from '../plan/headers';
import { NAME_LIMITS, Names, type NameKind } from '../plan/names';
import type { CapacityPlan } from '../plan/types';
import { closest, diagnostic, type Diagnostic } from './diagnostics';
import { msg, type MessageId, type MessageRef } from './messages';
import type { LoadedConfig, Located } from './load';
import { parseBytes, parseCpuMillis, formatBytes, formatCpu } from './quantity';
import { disclosureOf, type Disclosure } from '../plan/disclosure';
import { parseMeasure } from '../plan/aggregate';
import { isFromRegistry, type AggregateConfig, type CooperativeConfig, type DatasetConfig } from './schema';
import type { DocPath } from './source';
import { checkDerivedNames } from './unique-names';
import { checkCostRules } from './cost-rules';
import { checkMistakes } from './mistakes';
import { canonicalUnit } from './units';

/** Options that make validation reproducible. */
export interface RuleOptions {
  /** The date agreements are checked against, YYYY-MM-DD. Entry points pass today's date. */
  readonly today: string;
}

/** Diagnostics of the cross-file rules, and who reserves what of the IDC cluster. */
export interface RuleResult {
  readonly diagnostics: Diagnostic[];
  readonly capacity: CapacityPlan;
}

/** Days an expired agreement is a warning before it fails the build. */
export const EXPIRY_GRACE_DAYS = 30;

/** Runs every cross-file rule over schema-valid configuration. */
export function checkRules(config: LoadedConfig, options: RuleOptions): RuleResult {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const names = new Names({ env: p.environment.name, account: p.environment.account, region: p.environment.region });
  const err = (at: Located<unknown>, path: DocPath, code: string, message: MessageRef, hint: MessageRef, key = false) =>
    out.push(diagnostic({ file: at.source.source.displayPath, ...at.source.at(path, { key }) }, 'error', code, message, hint));

  // Platform-level uniqueness and retention.
  dupes(p.consumers.map((c) => c.id), (i, id) => err(platform, ['consumers', i, 'id'], 'duplicate-id', msg('rules.duplicate-consumer', { id }), msg('rules.duplicate-consumer.hint')));
  dupes(p.sharedServers.map((s) => s.id), (i, id) => err(platform, ['sharedServers', i, 'id'], 'duplicate-id', msg('rules.duplicate-server', { id }), msg('rules.duplicate-server.hint')));
  const retention = requiredRetentionDays(config);
  if (p.audit.logRetentionDays < retention.days) {
    err(platform, ['audit', 'logRetentionDays'], 'retention-too-short', msg('rules.retention', { days: p.audit.logRetentionDays, required: retention.days, reason: retention.reason }), msg('rules.retention.hint', { required: retention.days }));
  }
  const capacityGpus = new Set(Object.keys(p.idc.capacity.gpus));
  // The IDC admission policy denies images from other registries: say so here, at the image, not at deploy time.
  const registries = p.idc.allowedRegistries;
  const checkRegistry = (at: Located<unknown>, path: DocPath, image: string) => {
    if (registries.some((r) => isFromRegistry(image, r))) return;
    err(
      at,
      path,
      'image-registry-not-allowed',
      msg('rules.registry', { image, registries: registries.join(', ') }),
      msg('rules.registry.hint', { registries: registries.join(', ') }),
    );
  };
  const ingress = p.idc.ingress;
  if (ingress && !ingress.gateway === !ingress.ingressClass) {
    err(
      platform,
      ['idc', 'ingress'],
      'invalid-ingress',
      msg('rules.ingress', { found: ingress.gateway ? 'both' : 'neither' }),
      msg('rules.ingress.hint'),
      true,
    );
  }
  p.sharedServers.forEach((s, i) => {
    checkRegistry(platform, ['sharedServers', i, 'image'], s.image);
    for (const m of Object.keys(s.quota.gpus)) {
      if (!capacityGpus.has(m)) err(platform, ['sharedServers', i, 'quota', 'gpus', m], 'unknown-gpu-model', msg('rules.gpu-not-in-capacity', { model: m }), hintKnown(m, capacityGpus), true);
    }
    checkName(err, platform, ['sharedServers', i, 'id'], 'namespace', names.sharedNamespace(s.id));
  });
  for (const c of p.consumers) {
    const i = p.consumers.indexOf(c);
    checkName(err, platform, ['consumers', i, 'id'], 'iamRole', names.consumerRole(c.id));
    checkName(err, platform, ['consumers', i, 'id'], 'athenaWorkgroup', names.consumerWorkgroup(c.id));
  }
  checkName(err, platform, ['environment', 'account'], 'bucket', names.athenaResultsBucket());

  // Cooperatives.
  const consumerById = new Map(p.consumers.map((c) => [c.id, c]));
  const serverById = new Map(p.sharedServers.map((s) => [s.id, s]));
  const seen = new Map<string, Located<CooperativeConfig>>();
  for (const located of config.cooperatives) {
    const coop = located.value;
    const fileId = basename(located.source.source.relativePath, extname(located.source.source.relativePath));
    if (coop.id !== fileId) {
      err(located, ['id'], 'id-mismatch', msg('rules.id-mismatch', { id: coop.id, fileId }), msg('rules.id-mismatch.hint', { id: coop.id, fileId }));
    }
    const first = seen.get(coop.id);
    if (first) {
      err(located, ['id'], 'duplicate-id', msg('rules.duplicate-coop', { id: coop.id, other: first.source.source.displayPath }), msg('rules.duplicate-coop.hint'));
    } else {
      seen.set(coop.id, located);
    }

    // One report per id: the derived name that overflows its limit the most says how much to cut.
    const worst = names.idLength(coop.id);
    checkName(err, located, ['id'], worst.kind, worst.name);

    // What a person gets wrong: template text left in, personal data in free text.
    out.push(...checkMistakes(located));

    // Datasets.
    const datasets = new Map(coop.datasets.map((d) => [d.name, d]));
    dupes(coop.datasets.map((d) => d.name), (i, n) => err(located, ['datasets', i, 'name'], 'duplicate-name', msg('rules.duplicate-dataset', { name: n }), msg('rules.duplicate-dataset.hint')));
    coop.datasets.forEach((d, di) => {
      const fields = new Map(d.fields.map((f) => [f.name, f]));
      dupes(d.fields.map((f) => f.name), (i, n) => err(located, ['datasets', di, 'fields', i, 'name'], 'duplicate-name', msg('rules.duplicate-field', { name: n, dataset: d.name }), msg('rules.duplicate-field.hint')));
      // Two fields reading the same source column would make every file ambiguous (the Lambda rejects it).
      const byHeader = new Map<string, (typeof d.fields)[number]>();
      d.fields.forEach((f, fi) => {
        const key = headerKey(f.header ?? f.name);
        const other = byHeader.get(key);
        if (!other) return void byHeader.set(key, f);
        if (other.name === f.name) return; // reported as duplicate-name
        const at = ['datasets', di, 'fields', fi, f.header !== undefined ? 'header' : 'name'];
        err(located, at, 'duplicate-header', msg('rules.duplicate-header', { name: f.name, header: f.header ?? f.name, other: other.name, key }), msg('rules.duplicate-header.hint'));
      });
      const ts = fields.get(d.timestampField);
      if (!ts) {
        err(located, ['datasets', di, 'timestampField'], 'unknown-column', msg('rules.unknown-timestamp-field', { field: d.timestampField, dataset: d.name }), hintKnown(d.timestampField, fields.keys()));
      } else if (ts.type !== 'timestamp' && ts.type !== 'date') {
        err(located, ['datasets', di, 'timestampField'], 'invalid-timestamp-field', msg('rules.invalid-timestamp-field', { field: d.timestampField, type: ts.type }), msg('rules.invalid-timestamp-field.hint'));
      }
      if (d.memberField !== undefined && !fields.has(d.memberField)) {
        err(located, ['datasets', di, 'memberField'], 'unknown-column', msg('rules.unknown-member-field', { field: d.memberField, dataset: d.name }), hintKnown(d.memberField, fields.keys()));
      }
      if (!isTimeZone(d.timeZone)) {
        err(located, ['datasets', di, 'timeZone'], 'invalid-time-zone', msg('rules.time-zone', { tz: d.timeZone }), msg('rules.time-zone.hint'));
      }
      d.fields.forEach((f, fi) => {
        const at = ['datasets', di, 'fields', fi];
        if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
          err(located, [...at, 'min'], 'invalid-range', msg('rules.range', { min: f.min, max: f.max }), msg('rules.range.hint'));
        }
        if ((f.min !== undefined || f.max !== undefined || f.convertFrom) && !NUMERIC.has(f.type)) {
          err(located, [...at, 'type'], 'invalid-field', msg('rules.numeric-options', { name: f.name, type: f.type }), msg('rules.numeric-options.hint'));
        }
        if (f.convertFrom && !f.unit) {
          err(located, [...at, 'convertFrom'], 'invalid-field', msg('rules.no-target-unit', { name: f.name, from: f.convertFrom }), msg('rules.no-target-unit.hint'));
        } else if (f.convertFrom && f.unit && !CONVERSIONS[f.convertFrom]?.includes(canonicalUnit(f.unit))) {
          err(located, [...at, 'unit'], 'invalid-conversion', msg('rules.conversion', { from: f.convertFrom, to: f.unit }), msg('rules.conversion.hint', { from: f.convertFrom, targets: CONVERSIONS[f.convertFrom].join(', ') }));
        }
        if (f.generalize) {
          if (f.pii !== 'quasi-identifier' && f.pii !== 'sensitive') {
            err(located, [...at, 'generalize'], 'invalid-generalization', msg('rules.generalize-class', { name: f.name, pii: f.pii }), msg('rules.generalize-class.hint'));
          }
          const kind = Object.keys(f.generalize)[0];
          const ok = kind === 'truncate' ? f.type === 'string' : kind === 'bucket' ? NUMERIC.has(f.type) : f.type === 'date' || f.type === 'timestamp';
          if (!ok) err(located, [...at, 'generalize'], 'invalid-generalization', msg('rules.generalize-kind', { kind, type: f.type }), msg('rules.generalize-kind.hint'));
        }
      });
    });

    // Sharing agreements.
    const agreementKeys = new Set<string>();
    coop.sharing.forEach((s, si) => {
      const at = ['sharing', si];
      const key = `${s.consumer}/${s.dataset}/${s.level}`;
      if (agreementKeys.has(key)) err(located, at, 'duplicate-agreement', msg('rules.duplicate-agreement', { level: s.level, consumer: s.consumer, dataset: s.dataset }), msg('rules.duplicate-agreement.hint'));
      agreementKeys.add(key);
      const consumer = consumerById.get(s.consumer);
      if (!consumer) {
        err(located, [...at, 'consumer'], 'unknown-consumer', msg('rules.unknown-consumer', { consumer: s.consumer, file: platform.source.source.displayPath }), hintKnown(s.consumer, consumerById.keys()));
      }
      const d = datasets.get(s.dataset);
      if (!d) {
        err(located, [...at, 'dataset'], 'unknown-dataset', msg('rules.unknown-dataset', { dataset: s.dataset }), hintKnown(s.dataset, datasets.keys()));
      }
      // Offboarding revokes every agreement: an end date passed since is no longer a live grant.
      const expiry = coop.status === 'active' ? expiryOf(s.expires, options.today) : undefined;
      if (expiry) {
        out.push(diagnostic({ file: located.source.source.displayPath, ...located.source.at([...at, 'expires']) }, expiry.severity, expiry.code, expiry.text.message, expiry.text.hint));
      }
      if (s.aggregate && s.level !== 'aggregated') {
        err(located, [...at, 'aggregate'], 'invalid-aggregate', msg('rules.aggregate-without-level', { level: s.level }), msg('rules.aggregate-without-level.hint'), true);
      }
      if (s.level === 'aggregated' && !s.aggregate) {
        err(located, [...at, 'level'], 'invalid-aggregate', msg('rules.level-without-aggregate'), msg('rules.level-without-aggregate.hint'));
      }
      if (!d) return;
      const fields = new Map(d.fields.map((f) => [f.name, f]));
      const allowed = new Map<string, Disclosure>();
      s.columns.forEach((c, ci) => {
        const f = fields.get(c);
        if (!f) {
          err(located, [...at, 'columns', ci], 'unknown-column', msg('rules.unknown-column', { column: c, dataset: d.name }), hintKnown(c, fields.keys()));
          return;
        }
        const disclosure = disclosureOf({ level: s.level, ...(consumer ? { consumerKind: consumer.kind } : {}), ...(s.sensitiveBasis !== undefined ? { sensitiveBasis: s.sensitiveBasis } : {}) }, f);
        if (disclosure.kind === 'refused') {
          const id = REFUSAL_MESSAGE[disclosure.code === 'not-generalized' ? (f.pii === 'sensitive' ? 'not-generalized-sensitive' : 'not-generalized-quasi') : disclosure.code];
          err(located, [...at, 'columns', ci], disclosure.code, msg(id, { column: f.name, kind: consumer?.kind ?? '' }), msg(`${id}.hint` as MessageId));
        } else {
          allowed.set(c, disclosure);
        }
      });
      if (s.level === 'aggregated' && s.aggregate) checkAggregate(err, located, at, s.aggregate, d, allowed, p.aggregation.k);
    });

    // IDC compute.
    if (coop.idc) {
      const idc = coop.idc;
      for (const m of Object.keys(idc.quota.gpus)) {
        if (!capacityGpus.has(m)) err(located, ['idc', 'quota', 'gpus', m], 'unknown-gpu-model', msg('rules.gpu-not-in-idc', { model: m }), hintKnown(m, capacityGpus), true);
      }
      dupes(idc.models.map((m) => m.name), (i, n) => err(located, ['idc', 'models', i, 'name'], 'duplicate-name', msg('rules.duplicate-model', { name: n }), msg('rules.duplicate-model.hint')));
      let cpu = 0;
      let mem = 0;
      const gpus = new Map<string, number>();
      idc.models.forEach((m, mi) => {
        checkRegistry(located, ['idc', 'models', mi, 'image'], m.image);
        if (m.expose && !ingress) {
          err(located, ['idc', 'models', mi, 'expose'], 'ingress-not-enabled', msg('rules.ingress-not-enabled', { model: m.name, file: platform.source.source.displayPath }), msg('rules.ingress-not-enabled.hint'), true);
        }
        if (m.dataLakeEgress && p.idc.dataLakeEndpoints.length === 0) {
          err(located, ['idc', 'models', mi, 'dataLakeEgress'], 'data-lake-not-enabled', msg('rules.data-lake-not-enabled', { model: m.name, file: platform.source.source.displayPath }), msg('rules.data-lake-not-enabled.hint'), true);
        }
        if (m.autoscale && m.autoscale.min > m.autoscale.max) {
          err(
            located,
            ['idc', 'models', mi, 'autoscale', 'min'],
            'invalid-autoscale',
            msg('rules.autoscale', { min: m.autoscale.min, max: m.autoscale.max }),
            msg('rules.autoscale.hint'),
          );
        }
        // The quota must hold the model at its largest: an autoscaler may run max replicas.
        const replicas = m.autoscale?.max ?? m.replicas;
        cpu += (parseCpuMillis(m.cpu) ?? 0) * replicas;
        mem += (parseBytes(m.memory) ?? 0) * replicas;
        if (m.gpu) {
          gpus.set(m.gpu.model, (gpus.get(m.gpu.model) ?? 0) + m.gpu.count * replicas);
          if (!capacityGpus.has(m.gpu.model)) err(located, ['idc', 'models', mi, 'gpu', 'model'], 'unknown-gpu-model', msg('rules.gpu-not-in-idc', { model: m.gpu.model }), hintKnown(m.gpu.model, capacityGpus));
        }
      });
      const q = toQuotaPlan(idc.quota);
      if (cpu > q.cpuMillis) err(located, ['idc', 'quota', 'cpu'], 'model-exceeds-quota', msg('rules.quota-cpu', { need: formatCpu(cpu), have: formatCpu(q.cpuMillis) }), msg('rules.quota-cpu.hint', { need: formatCpu(cpu) }));
      if (mem > q.memoryBytes) err(located, ['idc', 'quota', 'memory'], 'model-exceeds-quota', msg('rules.quota-memory', { need: formatBytes(mem), have: formatBytes(q.memoryBytes) }), msg('rules.quota-memory.hint', { need: formatBytes(mem) }));
      for (const [model, n] of [...gpus].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const have = own(q.gpus, model) ?? 0;
        if (n > have) err(located, ['idc', 'quota', 'gpus'], 'model-exceeds-quota', msg('rules.quota-gpu', { need: n, model, have }), msg('rules.quota-gpu.hint', { model, need: n }));
      }
      if (idc.models.length > q.pods) err(located, ['idc', 'quota', 'pods'], 'model-exceeds-quota', msg('rules.quota-pods', { models: idc.models.length, pods: q.pods }), msg('rules.quota-pods.hint'));
      idc.sharedServers.forEach((id, i) => {
        const server = serverById.get(id);
        if (!server) {
          err(located, ['idc', 'sharedServers', i], 'unknown-shared-server', msg('rules.unknown-server', { id, file: platform.source.source.displayPath }), hintKnown(id, serverById.keys()));
        } else if (!server.industries.some((prefix) => coop.ksic.startsWith(prefix))) {
          err(located, ['idc', 'sharedServers', i], 'shared-server-not-eligible', msg('rules.server-not-eligible', { id, industries: server.industries.join(', '), ksic: coop.ksic }), msg('rules.server-not-eligible.hint'));
        }
      });
    }
  }

  // Every derived physical name, across all files.
  out.push(...checkDerivedNames(config, names));
  out.push(...checkCostRules(config));

  // Capacity of the IDC cluster, over every tenant.
  const tenants: TenantQuota[] = [
    // Offboarding and removed cooperatives reserve nothing: their quota is reduced to zero.
    ...config.cooperatives.flatMap((c) => (c.value.idc && c.value.status === 'active' ? [{ tenant: c.value.id, quota: toQuotaPlan(c.value.idc.quota) }] : [])),
    ...p.sharedServers.map((s) => ({ tenant: `shared:${s.id}`, quota: toQuotaPlan(s.quota) })),
  ];
  const capacity = computeCapacity(p.idc.capacity, tenants);
  for (const row of capacity.rows) {
    if (row.requested <= row.capacity) continue;
    const gpu = row.resource.startsWith('gpu/') ? row.resource.slice(4) : undefined;
    const path = gpu ? ['idc', 'capacity', 'gpus', gpu] : ['idc', 'capacity', row.resource];
    const fmt = (n: number) => (row.resource === 'cpu' ? formatCpu(n) : row.resource === 'memory' || row.resource === 'storage' ? formatBytes(n) : String(n));
    err(platform, path, 'capacity-exceeded', msg('rules.capacity', { requested: fmt(row.requested), resource: row.resource, capacity: fmt(row.capacity) }), msg('rules.capacity.hint'));
  }
  return { diagnostics: out, capacity };
}

const NUMERIC: ReadonlySet<string> = new Set(['int', 'long', 'double', 'decimal']);

type Report = (at: Located<unknown>, path: DocPath, code: string, message: MessageRef, hint: MessageRef, key?: boolean) => void;

/** The catalogue message of each refusal of a column (infra/plan/disclosure.ts). */
const REFUSAL_MESSAGE = {
  'pii-raw-share': 'disclosure.pii-raw-share',
  'sensitive-without-basis': 'disclosure.sensitive-without-basis',
  'sensitive-raw': 'disclosure.sensitive-raw',
  'not-generalized-quasi': 'disclosure.not-generalized-quasi',
  'not-generalized-sensitive': 'disclosure.not-generalized-sensitive',
} as const satisfies Record<string, MessageId>;

/**
 * An expired agreement: a warning for {@link EXPIRY_GRACE_DAYS} days (its grants already
 * end at run time, see infra/aws/consumer-access.ts), an error after, so one forgotten file
 * does not stop every cooperative's build on its expiry day.
 */
export function expiryOf(expires: string, today: string): { readonly severity: Diagnostic['severity']; readonly code: string; readonly text: { readonly message: MessageRef; readonly hint: MessageRef } } | undefined {
  if (expires >= today) return undefined;
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${expires}T00:00:00Z`)) / 86_400_000);
  const hint = msg('rules.expired.hint');
  if (days <= EXPIRY_GRACE_DAYS) {
    return { code: 'agreement-expired', severity: 'warning', text: { message: msg('rules.expired-warning', { expires, today, from: EXPIRY_GRACE_DAYS - days + 1 }), hint } };
  }
  return { code: 'agreement-expired', severity: 'error', text: { message: msg('rules.expired', { expires, today, grace: EXPIRY_GRACE_DAYS }), hint } };
}

/** The statistics an aggregated agreement declares: allowed columns, identifiers only counted, k. */
function checkAggregate(err: Report, located: Located<CooperativeConfig>, at: DocPath, a: AggregateConfig, d: DatasetConfig, allowed: ReadonlyMap<string, Disclosure>, platformK: number): void {
  const fields = new Map(d.fields.map((f) => [f.name, f]));
  const notAllowed = (column: string, path: DocPath) =>
    err(located, path, 'invalid-aggregate', msg('rules.not-allowed-column', { column }), msg('rules.not-allowed-column.hint', { allowed: [...allowed.keys()].sort().join(', ') || 'none' }));
  if (!allowed.has(d.timestampField) && fields.has(d.timestampField)) {
    err(located, [...at, 'aggregate', 'grain'], 'invalid-aggregate', msg('rules.period-not-allowed', { field: d.timestampField }), msg('rules.period-not-allowed.hint', { field: d.timestampField }));
  }
  a.dimensions.forEach((c, i) => {
    const path = [...at, 'aggregate', 'dimensions', i];
    const disclosure = allowed.get(c);
    if (!disclosure) return notAllowed(c, path);
    if (disclosure.kind === 'aggregate-only' && disclosure.use === 'count-distinct') {
      err(located, path, 'aggregate-identifier', msg('rules.identifier-dimension', { column: c }), msg('rules.identifier-dimension.hint', { column: c }));
    }
  });
  a.measures.forEach((text, i) => {
    const path = [...at, 'aggregate', 'measures', i];
    const m = parseMeasure(text);
    if (!m.column) return;
    const disclosure = allowed.get(m.column);
    if (!disclosure) return notAllowed(m.column, path);
    if (disclosure.kind === 'aggregate-only' && disclosure.use === 'count-distinct' && m.fn !== 'count_distinct') {
      err(located, path, 'aggregate-identifier', msg('rules.identifier-measure', { column: m.column, fn: m.fn }), msg('rules.identifier-measure.hint', { column: m.column }));
    }
    const f = fields.get(m.column);
    if ((m.fn === 'sum' || m.fn === 'avg') && f && !NUMERIC.has(f.type)) {
      err(located, path, 'invalid-aggregate', msg('rules.numeric-measure', { fn: m.fn, column: m.column, type: f.type }), msg('rules.numeric-measure.hint'));
    }
  });
  if (a.k !== undefined && a.k < platformK) {
    err(located, [...at, 'aggregate', 'k'], 'k-below-platform', msg('rules.k-below', { k: a.k, platformK }), msg('rules.k-below.hint', { platformK }));
  }
  if (!d.memberField) {
    err(located, [...at, 'aggregate'], 'aggregate-needs-member-field', msg('rules.member-field', { dataset: d.name }), msg('rules.member-field.hint'), true);
  }
}

/** Which target units each declared source unit converts to (see lambdas' standardize step). */
export const CONVERSIONS: Readonly<Record<string, readonly string[]>> = {
  fahrenheit: ['celsius'],
  kelvin: ['celsius'],
  inch: ['mm', 'cm', 'm'],
  wh: ['kwh'],
  mwh: ['kwh'],
  psi: ['kpa', 'bar'],
  bar: ['kpa'],
};

function dupes(values: readonly string[], report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(i, v);
    seen.add(v);
  });
}

function hintKnown(word: string, known: Iterable<string>): MessageRef {
  const list = [...known].sort();
  if (list.length === 0) return msg('common.none-declared');
  const guess = closest(word, list);
  const shown = list.length > 12 ? `${list.slice(0, 12).join(', ')}, ...` : list.join(', ');
  // The suggestion first: it is what the person most likely meant.
  return msg('common.known', { guess: guess ? msg('common.did-you-mean', { guess }) : '', known: shown });
}

function checkName(
  err: (at: Located<unknown>, path: DocPath, code: string, message: MessageRef, hint: MessageRef) => void,
  at: Located<unknown>,
  path: DocPath,
  kind: NameKind,
  name: string,
): void {
  const limit = NAME_LIMITS[kind];
  if (name.length > limit) {
    err(at, path, 'name-too-long', msg('rules.name-too-long', { kind, name, length: name.length, limit }), msg('rules.name-too-long.hint', { over: name.length - limit }));
  }
}

const zoneCache = new Map<string, boolean>();
function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}
