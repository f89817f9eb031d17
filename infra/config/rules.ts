/**
 * Cross-file rules: what the schema of one file cannot see.
 *
 * Each rule has a stable code (documented in docs/onboarding.*.md) and reports at the
 * exact position of the offending value. All rules run; nothing stops at the first error.
 */
import { basename, extname } from 'node:path';
import { computeCapacity, formatCapacityTable, own, toQuotaPlan, type TenantQuota } from '../plan/capacity';
import { requiredRetentionDays } from '../plan/build';
import { headerKey } from '../plan/headers';
import { NAME_LIMITS, Names, type NameKind } from '../plan/names';
import type { CapacityPlan } from '../plan/types';
import { closest, type Diagnostic } from './diagnostics';
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

/** Diagnostics of the cross-file rules, plus the capacity table when capacity is exceeded. */
export interface RuleResult {
  readonly diagnostics: Diagnostic[];
  readonly capacity: CapacityPlan;
  /** Set when some resource is over capacity: who reserves what. */
  readonly capacityReport?: string;
}

/** Days an expired agreement is a warning before it fails the build. */
export const EXPIRY_GRACE_DAYS = 30;

/** Runs every cross-file rule over schema-valid configuration. */
export function checkRules(config: LoadedConfig, options: RuleOptions): RuleResult {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const names = new Names({ env: p.environment.name, account: p.environment.account, region: p.environment.region });
  const err = (at: Located<unknown>, path: DocPath, code: string, message: string, hint: string, key = false) =>
    out.push({ file: at.source.source.displayPath, ...at.source.at(path, { key }), severity: 'error', code, message, hint });

  // Platform-level uniqueness and retention.
  dupes(p.consumers.map((c) => c.id), (i, id) => err(platform, ['consumers', i, 'id'], 'duplicate-id', `consumer id "${id}" is declared twice`, 'give each consumer a unique id'));
  dupes(p.sharedServers.map((s) => s.id), (i, id) => err(platform, ['sharedServers', i, 'id'], 'duplicate-id', `shared server id "${id}" is declared twice`, 'give each shared server a unique id'));
  const retention = requiredRetentionDays(config);
  if (p.audit.logRetentionDays < retention.days) {
    err(platform, ['audit', 'logRetentionDays'], 'retention-too-short', `log retention is ${p.audit.logRetentionDays} days; at least ${retention.days} are required because ${retention.reason}`, `set audit.logRetentionDays to ${retention.days} or more (safety-measures standard art. 8)`);
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
      `이미지 "${image}"은(는) 허용되지 않은 레지스트리에서 옵니다 / image "${image}" is not from an allowed registry (platform idc.allowedRegistries: ${registries.join(', ')})`,
      `${registries.join(' 또는 ')}에 이미지를 올리고 다이제스트로 지정하세요 / push the image to ${registries.join(' or ')} and pin it by digest`,
    );
  };
  const ingress = p.idc.ingress;
  if (ingress && !ingress.gateway === !ingress.ingressClass) {
    err(
      platform,
      ['idc', 'ingress'],
      'invalid-ingress',
      `idc.ingress 는 gateway 와 ingressClass 중 정확히 하나를 가져야 합니다 / idc.ingress must name exactly one of gateway and ingressClass (found ${ingress.gateway ? 'both' : 'neither'})`,
      'Gateway API 를 쓰면 gateway, Ingress 를 쓰면 ingressClass 만 적으세요 / keep gateway for Gateway API routes or ingressClass for Ingresses',
      true,
    );
  }
  p.sharedServers.forEach((s, i) => {
    checkRegistry(platform, ['sharedServers', i, 'image'], s.image);
    for (const m of Object.keys(s.quota.gpus)) {
      if (!capacityGpus.has(m)) err(platform, ['sharedServers', i, 'quota', 'gpus', m], 'unknown-gpu-model', `GPU model "${m}" is not in idc.capacity.gpus`, hintKnown(m, capacityGpus), true);
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
      err(located, ['id'], 'id-mismatch', `id is "${coop.id}" but the file is named "${fileId}.yaml"`, `rename the file to ${coop.id}.yaml or set id: ${fileId}`);
    }
    const first = seen.get(coop.id);
    if (first) {
      err(located, ['id'], 'duplicate-id', `cooperative id "${coop.id}" is already used by ${first.source.source.displayPath}`, 'choose another id; ids are permanent names of buckets and namespaces');
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
    dupes(coop.datasets.map((d) => d.name), (i, n) => err(located, ['datasets', i, 'name'], 'duplicate-name', `dataset "${n}" is declared twice`, 'give each dataset a unique name'));
    coop.datasets.forEach((d, di) => {
      const fields = new Map(d.fields.map((f) => [f.name, f]));
      dupes(d.fields.map((f) => f.name), (i, n) => err(located, ['datasets', di, 'fields', i, 'name'], 'duplicate-name', `field "${n}" is declared twice in dataset "${d.name}"`, 'give each field a unique name'));
      // Two fields reading the same source column would make every file ambiguous (the Lambda rejects it).
      const byHeader = new Map<string, (typeof d.fields)[number]>();
      d.fields.forEach((f, fi) => {
        const key = headerKey(f.header ?? f.name);
        const other = byHeader.get(key);
        if (!other) return void byHeader.set(key, f);
        if (other.name === f.name) return; // reported as duplicate-name
        const at = ['datasets', di, 'fields', fi, f.header !== undefined ? 'header' : 'name'];
        err(located, at, 'duplicate-header', `field "${f.name}" reads source column "${f.header ?? f.name}", which field "${other.name}" already reads (both are "${key}" once Unicode NFC, trimming, case, spaces and dashes are set aside)`,
          'give each field its own header: as the source file spells the column');
      });
      const ts = fields.get(d.timestampField);
      if (!ts) {
        err(located, ['datasets', di, 'timestampField'], 'unknown-column', `timestampField "${d.timestampField}" is not a field of dataset "${d.name}"`, hintKnown(d.timestampField, fields.keys()));
      } else if (ts.type !== 'timestamp' && ts.type !== 'date') {
        err(located, ['datasets', di, 'timestampField'], 'invalid-timestamp-field', `timestampField "${d.timestampField}" has type ${ts.type}; it must be a timestamp or date`, 'point timestampField at the field that says when the record was measured');
      }
      if (d.memberField !== undefined && !fields.has(d.memberField)) {
        err(located, ['datasets', di, 'memberField'], 'unknown-column', `memberField "${d.memberField}" is not a field of dataset "${d.name}"`, hintKnown(d.memberField, fields.keys()));
      }
      if (!isTimeZone(d.timeZone)) {
        err(located, ['datasets', di, 'timeZone'], 'invalid-time-zone', `time zone "${d.timeZone}" is not an IANA time zone`, 'use a name such as Asia/Seoul or UTC');
      }
      d.fields.forEach((f, fi) => {
        const at = ['datasets', di, 'fields', fi];
        if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
          err(located, [...at, 'min'], 'invalid-range', `min ${f.min} is greater than max ${f.max}`, 'swap or correct the bounds');
        }
        if ((f.min !== undefined || f.max !== undefined || f.convertFrom) && !NUMERIC.has(f.type)) {
          err(located, [...at, 'type'], 'invalid-field', `field "${f.name}" has type ${f.type} but declares min/max/convertFrom, which only numbers have`, 'remove the bounds or make the field numeric');
        }
        if (f.convertFrom && !f.unit) {
          err(located, [...at, 'convertFrom'], 'invalid-field', `field "${f.name}" converts from ${f.convertFrom} but declares no target unit`, 'add `unit:` with the unit stored after conversion');
        } else if (f.convertFrom && f.unit && !CONVERSIONS[f.convertFrom]?.includes(canonicalUnit(f.unit))) {
          err(located, [...at, 'unit'], 'invalid-conversion', `no conversion from ${f.convertFrom} to ${f.unit}`, `convert ${f.convertFrom} to one of: ${CONVERSIONS[f.convertFrom].join(', ')}`);
        }
        if (f.generalize) {
          if (f.pii !== 'quasi-identifier' && f.pii !== 'sensitive') {
            err(located, [...at, 'generalize'], 'invalid-generalization', `field "${f.name}" is generalized but its pii class is ${f.pii}`, 'generalize only quasi-identifiers and sensitive columns; identifiers are pseudonymized with a keyed hash instead');
          }
          const kind = Object.keys(f.generalize)[0];
          const ok = kind === 'truncate' ? f.type === 'string' : kind === 'bucket' ? NUMERIC.has(f.type) : f.type === 'date' || f.type === 'timestamp';
          if (!ok) err(located, [...at, 'generalize'], 'invalid-generalization', `"${kind}" cannot generalize a ${f.type} field`, 'truncate strings, bucket numbers, dateTo dates and timestamps');
        }
      });
    });

    // Sharing agreements.
    const agreementKeys = new Set<string>();
    coop.sharing.forEach((s, si) => {
      const at = ['sharing', si];
      const key = `${s.consumer}/${s.dataset}/${s.level}`;
      if (agreementKeys.has(key)) err(located, at, 'duplicate-agreement', `an agreement at level ${s.level} for consumer "${s.consumer}" on dataset "${s.dataset}" already exists`, 'merge the columns into one agreement');
      agreementKeys.add(key);
      const consumer = consumerById.get(s.consumer);
      if (!consumer) {
        err(located, [...at, 'consumer'], 'unknown-consumer', `consumer "${s.consumer}" is not declared in ${platform.source.source.displayPath}`, hintKnown(s.consumer, consumerById.keys()));
      }
      const d = datasets.get(s.dataset);
      if (!d) {
        err(located, [...at, 'dataset'], 'unknown-dataset', `dataset "${s.dataset}" is not declared in this file`, hintKnown(s.dataset, datasets.keys()));
      }
      // Offboarding revokes every agreement: an end date passed since is no longer a live grant.
      const expiry = coop.status === 'active' ? expiryOf(s.expires, options.today) : undefined;
      if (expiry) {
        out.push({ file: located.source.source.displayPath, ...located.source.at([...at, 'expires']), ...expiry });
      }
      if (s.aggregate && s.level !== 'aggregated') {
        err(located, [...at, 'aggregate'], 'invalid-aggregate', `통계 정의(aggregate)는 aggregated 수준에서만 쓸 수 있습니다 — an aggregate is declared but the level is ${s.level}`, 'remove `aggregate:` or set level: aggregated', true);
      }
      if (s.level === 'aggregated' && !s.aggregate) {
        err(located, [...at, 'level'], 'invalid-aggregate', '통계(aggregated) 약정에 통계 정의(aggregate)가 없습니다 — level aggregated shares statistics only and needs `aggregate:` (dimensions, grain, measures)', 'add `aggregate: { dimensions: [...], grain: month, measures: [count] }`');
      }
      if (!d) return;
      const fields = new Map(d.fields.map((f) => [f.name, f]));
      const allowed = new Map<string, Disclosure>();
      s.columns.forEach((c, ci) => {
        const f = fields.get(c);
        if (!f) {
          err(located, [...at, 'columns', ci], 'unknown-column', `column "${c}" is not a field of dataset "${d.name}"`, hintKnown(c, fields.keys()));
          return;
        }
        const disclosure = disclosureOf({ level: s.level, ...(consumer ? { consumerKind: consumer.kind } : {}), ...(s.sensitiveBasis !== undefined ? { sensitiveBasis: s.sensitiveBasis } : {}) }, f);
        if (disclosure.kind === 'refused') {
          err(located, [...at, 'columns', ci], disclosure.code, `${disclosure.reasonKo} — ${disclosure.reason}`, disclosure.hint);
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
        if (!capacityGpus.has(m)) err(located, ['idc', 'quota', 'gpus', m], 'unknown-gpu-model', `GPU model "${m}" is not in the IDC capacity`, hintKnown(m, capacityGpus), true);
      }
      dupes(idc.models.map((m) => m.name), (i, n) => err(located, ['idc', 'models', i, 'name'], 'duplicate-name', `model "${n}" is declared twice`, 'give each model a unique name'));
      let cpu = 0;
      let mem = 0;
      const gpus = new Map<string, number>();
      idc.models.forEach((m, mi) => {
        checkRegistry(located, ['idc', 'models', mi, 'image'], m.image);
        if (m.expose && !ingress) {
          err(located, ['idc', 'models', mi, 'expose'], 'ingress-not-enabled', `모델 "${m.name}"을(를) 외부에 노출하려 하지만 플랫폼에 진입 경로가 없습니다 / model "${m.name}" is exposed but ${platform.source.source.displayPath} enables no idc.ingress`, '플랫폼팀에 idc.ingress 를 요청하거나 expose 를 지우세요 / ask the platform team to enable idc.ingress, or remove expose', true);
        }
        if (m.dataLakeEgress && p.idc.dataLakeEndpoints.length === 0) {
          err(located, ['idc', 'models', mi, 'dataLakeEgress'], 'data-lake-not-enabled', `모델 "${m.name}"이(가) 데이터 레이크 접근을 요청하지만 플랫폼에 엔드포인트가 없습니다 / model "${m.name}" asks for data-lake egress but ${platform.source.source.displayPath} declares no idc.dataLakeEndpoints`, '플랫폼팀에 idc.dataLakeEndpoints 를 요청하거나 dataLakeEgress 를 지우세요 / ask the platform team to declare idc.dataLakeEndpoints, or remove dataLakeEgress', true);
        }
        if (m.autoscale && m.autoscale.min > m.autoscale.max) {
          err(
            located,
            ['idc', 'models', mi, 'autoscale', 'min'],
            'invalid-autoscale',
            `최소 복제 수가 최대보다 큽니다 / autoscale min ${m.autoscale.min} is greater than max ${m.autoscale.max}`,
            'min 을 max 이하로 고치세요 / set min to at most max',
          );
        }
        // The quota must hold the model at its largest: an autoscaler may run max replicas.
        const replicas = m.autoscale?.max ?? m.replicas;
        cpu += (parseCpuMillis(m.cpu) ?? 0) * replicas;
        mem += (parseBytes(m.memory) ?? 0) * replicas;
        if (m.gpu) {
          gpus.set(m.gpu.model, (gpus.get(m.gpu.model) ?? 0) + m.gpu.count * replicas);
          if (!capacityGpus.has(m.gpu.model)) err(located, ['idc', 'models', mi, 'gpu', 'model'], 'unknown-gpu-model', `GPU model "${m.gpu.model}" is not in the IDC capacity`, hintKnown(m.gpu.model, capacityGpus));
        }
      });
      const q = toQuotaPlan(idc.quota);
      if (cpu > q.cpuMillis) err(located, ['idc', 'quota', 'cpu'], 'model-exceeds-quota', `models request ${formatCpu(cpu)} CPU in total but the quota is ${formatCpu(q.cpuMillis)}`, `raise idc.quota.cpu to at least ${formatCpu(cpu)} or lower replicas/cpu`);
      if (mem > q.memoryBytes) err(located, ['idc', 'quota', 'memory'], 'model-exceeds-quota', `models request ${formatBytes(mem)} memory in total but the quota is ${formatBytes(q.memoryBytes)}`, `raise idc.quota.memory to at least ${formatBytes(mem)} or lower replicas/memory`);
      for (const [model, n] of [...gpus].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const have = own(q.gpus, model) ?? 0;
        if (n > have) err(located, ['idc', 'quota', 'gpus'], 'model-exceeds-quota', `models request ${n} ${model} GPU(s) but the quota allows ${have}`, `set idc.quota.gpus.${model} to at least ${n}`);
      }
      if (idc.models.length > q.pods) err(located, ['idc', 'quota', 'pods'], 'model-exceeds-quota', `${idc.models.length} models need more pods than the quota of ${q.pods}`, 'raise idc.quota.pods');
      idc.sharedServers.forEach((id, i) => {
        const server = serverById.get(id);
        if (!server) {
          err(located, ['idc', 'sharedServers', i], 'unknown-shared-server', `shared server "${id}" is not offered in ${platform.source.source.displayPath}`, hintKnown(id, serverById.keys()));
        } else if (!server.industries.some((prefix) => coop.ksic.startsWith(prefix))) {
          err(located, ['idc', 'sharedServers', i], 'shared-server-not-eligible', `shared server "${id}" serves industries ${server.industries.join(', ')}; this cooperative's KSIC code is ${coop.ksic}`, 'subscribe to a server of your industry or ask KBIZ to extend this one');
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
  let capacityReport: string | undefined;
  for (const row of capacity.rows) {
    if (row.requested <= row.capacity) continue;
    const gpu = row.resource.startsWith('gpu/') ? row.resource.slice(4) : undefined;
    const path = gpu ? ['idc', 'capacity', 'gpus', gpu] : ['idc', 'capacity', row.resource];
    const fmt = (n: number) => (row.resource === 'cpu' ? formatCpu(n) : row.resource === 'memory' || row.resource === 'storage' ? formatBytes(n) : String(n));
    err(platform, path, 'capacity-exceeded', `quotas reserve ${fmt(row.requested)} ${row.resource} but the cluster has ${fmt(row.capacity)}`, 'lower the quotas in the table below or add capacity to the cluster');
    capacityReport = formatCapacityTable(capacity, { onlyExceeded: true });
  }
  return { diagnostics: out, capacity, ...(capacityReport ? { capacityReport } : {}) };
}

const NUMERIC: ReadonlySet<string> = new Set(['int', 'long', 'double', 'decimal']);

type Report = (at: Located<unknown>, path: DocPath, code: string, message: string, hint: string, key?: boolean) => void;

/**
 * An expired agreement: a warning for {@link EXPIRY_GRACE_DAYS} days (its grants already
 * end at run time, see infra/aws/consumer-access.ts), an error after, so one forgotten file
 * does not stop every cooperative's build on its expiry day.
 */
export function expiryOf(expires: string, today: string): Pick<Diagnostic, 'severity' | 'code' | 'message' | 'hint'> | undefined {
  if (expires >= today) return undefined;
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${expires}T00:00:00Z`)) / 86_400_000);
  const base = { code: 'agreement-expired', hint: 'renew the agreement with a new expiry date or remove it' };
  if (days <= EXPIRY_GRACE_DAYS) {
    return { ...base, severity: 'warning', message: `약정이 ${expires}에 만료되어 접근이 이미 차단되었습니다; ${EXPIRY_GRACE_DAYS - days}일 뒤부터 빌드가 실패합니다 — agreement expired on ${expires} (today is ${today}); access already ended, and the build fails from ${EXPIRY_GRACE_DAYS - days + 1} day(s) on` };
  }
  return { ...base, severity: 'error', message: `약정이 ${expires}에 만료되었습니다 (${days}일 경과) — agreement expired on ${expires} (today is ${today}), more than ${EXPIRY_GRACE_DAYS} days ago` };
}

/** The statistics an aggregated agreement declares: allowed columns, identifiers only counted, k. */
function checkAggregate(err: Report, located: Located<CooperativeConfig>, at: DocPath, a: AggregateConfig, d: DatasetConfig, allowed: ReadonlyMap<string, Disclosure>, platformK: number): void {
  const fields = new Map(d.fields.map((f) => [f.name, f]));
  const notAllowed = (column: string, path: DocPath) =>
    err(located, path, 'invalid-aggregate', `"${column}"은(는) 이 약정의 허용 컬럼(columns)이 아닙니다 — "${column}" is not an allowed column of this agreement`, `add it to columns or use one of: ${[...allowed.keys()].sort().join(', ') || 'none'}`);
  if (!allowed.has(d.timestampField) && fields.has(d.timestampField)) {
    err(located, [...at, 'aggregate', 'grain'], 'invalid-aggregate', `기간 컬럼 "${d.timestampField}"(timestampField)이 허용 컬럼에 없습니다 — the period comes from timestampField "${d.timestampField}", which is not an allowed column`, `add ${d.timestampField} to columns`);
  }
  a.dimensions.forEach((c, i) => {
    const path = [...at, 'aggregate', 'dimensions', i];
    const disclosure = allowed.get(c);
    if (!disclosure) return notAllowed(c, path);
    if (disclosure.kind === 'aggregate-only' && disclosure.use === 'count-distinct') {
      err(located, path, 'aggregate-identifier', `식별자 "${c}"은(는) 통계에서 count distinct로만 쓸 수 있습니다 — identifier "${c}" cannot be a dimension; identifiers appear in statistics only as count distinct`, `remove it from dimensions; use the measure "count distinct ${c}"`);
    }
  });
  a.measures.forEach((text, i) => {
    const path = [...at, 'aggregate', 'measures', i];
    const m = parseMeasure(text);
    if (!m.column) return;
    const disclosure = allowed.get(m.column);
    if (!disclosure) return notAllowed(m.column, path);
    if (disclosure.kind === 'aggregate-only' && disclosure.use === 'count-distinct' && m.fn !== 'count_distinct') {
      err(located, path, 'aggregate-identifier', `식별자 "${m.column}"은(는) count distinct로만 집계할 수 있습니다 — identifier "${m.column}" can only be counted distinct, not ${m.fn}`, `use "count distinct ${m.column}"`);
    }
    const f = fields.get(m.column);
    if ((m.fn === 'sum' || m.fn === 'avg') && f && !NUMERIC.has(f.type)) {
      err(located, path, 'invalid-aggregate', `${m.fn}은(는) 숫자 컬럼에만 쓸 수 있습니다 — ${m.fn} needs a numeric column; "${m.column}" is ${f.type}`, 'use count or count distinct, or a numeric column');
    }
  });
  if (a.k !== undefined && a.k < platformK) {
    err(located, [...at, 'aggregate', 'k'], 'k-below-platform', `최소 집계 단위 k=${a.k}가 플랫폼 기본값 ${platformK}보다 작습니다 — k ${a.k} is below the platform's minimum cell size ${platformK}`, `remove k or set it to ${platformK} or more (an agreement may only be stricter)`);
  }
  if (!d.memberField) {
    err(located, [...at, 'aggregate'], 'aggregate-needs-member-field', `데이터셋 "${d.name}"에 회원사 컬럼(memberField)이 없어 소규모 셀을 억제할 수 없습니다 — dataset "${d.name}" declares no memberField, so cells cannot be counted in member companies`, 'add `memberField: <the column naming the member company>` to the dataset', true);
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

function hintKnown(word: string, known: Iterable<string>): string {
  const list = [...known].sort();
  if (list.length === 0) return 'none are declared yet';
  const guess = closest(word, list);
  const shown = list.length > 12 ? `${list.slice(0, 12).join(', ')}, ...` : list.join(', ');
  return `${guess ? `did you mean "${guess}"? ` : ''}known: ${shown}`;
}

function checkName(
  err: (at: Located<unknown>, path: DocPath, code: string, message: string, hint: string) => void,
  at: Located<unknown>,
  path: DocPath,
  kind: NameKind,
  name: string,
): void {
  const limit = NAME_LIMITS[kind];
  if (name.length > limit) {
    err(at, path, 'name-too-long', `derived ${kind} name "${name}" is ${name.length} characters; the limit is ${limit}`, `shorten the id by ${name.length - limit} characters`);
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
