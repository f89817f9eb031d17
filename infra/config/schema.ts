/**
 * The configuration model: one platform file and one file per cooperative.
 *
 * This zod schema is the single source of truth: validation, the TypeScript types and the
 * JSON Schema in `config/schema/` (editor autocompletion) are all derived from it. Rules
 * that span files (references, capacity, derived name lengths) live in `rules.ts`.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration';
import { BYTES_PATTERN, CPU_PATTERN, quantityProblem } from './quantity';
import { formatMessage, type MessageId } from './messages';
import { ADJUSTABLE_QUOTA_IDS, SERVICE_QUOTAS } from './service-quotas';

/** DNS-1123 label: safe inside bucket names, IAM names and Kubernetes namespaces. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MESSAGE = refusal('schema.error.dns-label');
/** Dataset and column names become Glue table and column names: lowercase snake_case. */
export const SNAKE = /^[a-z][a-z0-9_]*$/;
const SNAKE_MESSAGE = refusal('schema.error.snake');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A refusal of the schema, named by its catalogue id: zod reports the id as the issue's
 * message and the loader renders it in the reader's language (the type keeps it to
 * `schema.error.*` ids that exist).
 */
function refusal<I extends MessageId & `schema.error.${string}`>(id: I): I {
  return id;
}

/**
 * Size limits of one cooperative. They keep the largest cooperative the schema allows
 * inside CloudFormation's limits (500 resources, 1 MB template per stack) with margin;
 * `npm run bench` and test/stacks/aws/cfn-limits.test.ts synthesize exactly that
 * cooperative (`generateSources({ large: true })`), and the `CfnLimits` check fails any
 * build whose stacks come within 80 % of a limit anyway. Raise them only with those.
 */
export const COOPERATIVE_LIMITS = {
  /** Columns of one dataset; each is repeated in the Glue tables. */
  fieldsPerDataset: 200,
  datasets: 6,
  /** Data-sharing agreements (one consumer, one dataset each). */
  agreements: 18,
  columnsPerAgreement: 200,
  models: 20,
  sharedServers: 10,
} as const;

/** Longest cell id: it is part of stack names and the per-cell API's name. */
export const CELL_ID_MAX = 20;

const dnsLabel = (max: number) =>
  z.string().min(1).max(max).regex(DNS_LABEL, { error: DNS_LABEL_MESSAGE });
const snake = (max: number) => z.string().min(1).max(max).regex(SNAKE, { error: SNAKE_MESSAGE });
/** Rejects what the quantity pattern admits but is no exact quantity ("0.5m", "0.4" bytes). */
const exactQuantity = (kind: 'cpu' | 'bytes') => (value: string | number, ctx: z.core.$RefinementCtx<string | number>) => {
  const problem = quantityProblem(value, kind);
  if (problem) ctx.addIssue({ code: 'custom', message: formatMessage('en', problem.message), input: value, params: { text: problem.message, hint: problem.hint } });
};
/** A duration such as "6h"; refused with a located Korean and English message (code `invalid-duration`). */
const duration = z
  .string()
  .max(16)
  .superRefine((value, ctx) => {
    const r = parseDuration(value);
    if ('problem' in r) ctx.addIssue({ code: 'custom', message: formatMessage('en', r.problem.message), input: value, params: { text: r.problem.message, hint: r.problem.hint, code: 'invalid-duration' } });
  })
  .meta({ pattern: DURATION_PATTERN });
/** A share between 0 and 1, e.g. 0.05 for 5 %. */
const ratio = z.number().gt(0).lt(1);
const cpu = z
  .union([z.string().regex(new RegExp(CPU_PATTERN)), z.number().positive()], {
    error: refusal('schema.error.cpu'),
  })
  .superRefine(exactQuantity('cpu'))
  .meta({ description: 'CPU quantity in Kubernetes notation, e.g. "500m" or "4".' });
const bytes = z
  .string()
  .regex(new RegExp(BYTES_PATTERN), { error: refusal('schema.error.bytes') })
  .superRefine(exactQuantity('bytes'))
  .meta({ description: 'Memory or storage quantity in Kubernetes notation, e.g. "16Gi".' });
/** Whether text is a date YYYY-MM-DD that exists in the calendar (2026-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}
const isoDate = z
  .string()
  .regex(DATE, { error: refusal('schema.error.date') })
  .refine(isCalendarDate, { error: refusal('schema.error.calendar-date') });
const digestImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:]*@sha256:[a-f0-9]{64}$/, {
    error: refusal('schema.error.digest'),
  });
/**
 * An image registry prefix: a host (with an optional port) and optionally a path inside it,
 * without a scheme or trailing slash. An image is "from" the registry when it starts with the
 * prefix followed by `/`, so `registry.idc.kbiz.or.kr` never admits `registry.idc.kbiz.or.kr.evil.example/x`.
 */
export const REGISTRY_PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;
/** Whether `image` comes from the registry prefix: the prefix, then `/`. */
export function isFromRegistry(image: string, prefix: string): boolean {
  return image.startsWith(`${prefix}/`);
}
const registryPrefix = z
  .string()
  .max(200)
  .regex(REGISTRY_PREFIX, { error: refusal('schema.error.registry') })
  .meta({ description: 'Registry host[:port][/path] images may come from.' });
const gpuModel = dnsLabel(63).meta({ description: 'GPU model as labelled on the IDC nodes, e.g. nvidia-a100-80gb.' });

/** PII classes, following the PIPA pseudonymization guideline's categories. */
export const PII_CLASSES = ['none', 'identifier', 'quasi-identifier', 'sensitive'] as const;
/** Levels at which a dataset can be shared with a consumer. */
export const SHARE_LEVELS = ['raw', 'pseudonymized', 'aggregated'] as const;
/** Kinds of data consumers named in the platform's data-sharing governance. */
export const CONSUMER_KINDS = ['research', 'finance', 'government'] as const;
/** Lifecycle states of a cooperative (docs/runbook-offboarding.md). */
export const LIFECYCLE_STATUSES = ['active', 'offboarding', 'removed'] as const;
/** Field types; they map to Glue/Parquet types in the plan. */
export const FIELD_TYPES = ['string', 'int', 'long', 'double', 'decimal', 'boolean', 'date', 'timestamp'] as const;

const generalization = z
  .union([
    z.strictObject({ truncate: z.int().min(1).max(64).meta({ description: 'Keep this many leading characters (e.g. postcode → district).' }) }),
    z.strictObject({ bucket: z.number().positive().meta({ description: 'Round numbers down to a multiple of this width (e.g. age → 10-year band).' }) }),
    z.strictObject({ dateTo: z.enum(['month', 'year']).meta({ description: 'Reduce a date to its month or year.' }) }),
  ], { error: refusal('schema.error.generalize') })
  .meta({ description: 'How a quasi-identifier is generalized before it leaves the cooperative.' });

const field = z
  .strictObject({
    name: snake(128),
    header: z
      .string()
      .max(255)
      .refine((h) => h.trim().length > 0, { error: refusal('schema.error.blank-header') })
      .optional()
      .meta({ description: 'The column name exactly as the source file spells it, e.g. 온도(°C), when it is not `name`; compared after Unicode NFC, trimming, ignoring case, spaces and dashes.' }),
    type: z.enum(FIELD_TYPES),
    description: z.string().max(255).optional(),
    pii: z.enum(PII_CLASSES).default('none').meta({ description: 'PII class; drives pseudonymization and sharing rules.' }),
    required: z.boolean().default(false),
    unit: z.string().max(32).optional().meta({ description: 'Unit after standardization, e.g. celsius, mm, kWh.' }),
    convertFrom: z
      .enum(['fahrenheit', 'kelvin', 'inch', 'wh', 'mwh', 'psi', 'bar'])
      .optional()
      .meta({ description: 'Unit the source sends; converted to `unit` at ingestion.' }),
    min: z.number().optional(),
    max: z.number().optional(),
    generalize: generalization.optional(),
  })
  .meta({ description: 'One column of a dataset.' });

const dataset = z
  .strictObject({
    name: snake(64),
    description: z.string().max(255).optional(),
    format: z.enum(['csv', 'jsonl']),
    encoding: z.enum(['utf-8', 'cp949', 'euc-kr']).default('utf-8'),
    timeZone: z.string().default('Asia/Seoul').meta({ description: 'IANA zone of timestamps that carry no offset.' }),
    timestampField: snake(128).meta({ description: 'Field whose date partitions the curated data.' }),
    memberField: snake(128)
      .optional()
      .meta({ description: 'Field naming the member company of a record; statistics suppress cells of fewer than k distinct values of it.' }),
    retentionDays: z.int().min(1).max(36500),
    expectedGbPerMonth: z
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .meta({ description: '월 예상 적재량(GB, 정수) — 비용 추정의 저장 용량 근거 / Expected new data per month, in GB (whole number): the basis of the storage line of `coop-idc cost` (stored volume = this × retention months, capped).' }),
    expectedRequestsPerMonth: z
      .int()
      .min(0)
      .max(1_000_000_000_000)
      .optional()
      .meta({ description: '월 예상 요청 수(업로드·조회) — 비용 추정의 요청 항목 근거 / Expected requests per month (uploads, reads) for this dataset: the basis of the requests line of `coop-idc cost`.' }),
    expectedEvery: duration
      .optional()
      .meta({
        description:
          'Longest expected silence: when no file of this dataset is ingested for this long (e.g. "1d", "6h", "30m"; 5m to 7d, whole days above 1d), a "no data" alarm goes to the cooperative\'s and the platform\'s alarm topics. Without it, no such alarm.',
      }),
    monitoring: z
      .strictObject({
        quarantineRatio: ratio
          .optional()
          .meta({ description: 'Share of rows sent to quarantine above which the quarantine alarm fires; overrides platform.yaml monitoring.quarantineRatio for this dataset.' }),
      })
      .optional()
      .meta({ description: 'Alarm thresholds of this dataset, overriding platform.yaml `monitoring`.' }),
    fields: z.array(field).min(1).max(COOPERATIVE_LIMITS.fieldsPerDataset),
  })
  .meta({ description: 'A dataset the cooperative pools; one Glue table per dataset.' });

/** Time grains of an aggregate's period column. */
export const TIME_GRAINS = ['day', 'month', 'year'] as const;
/** `count`, `count distinct <column>`, `sum|avg|min|max <column>`. */
export const MEASURE = /^(count|count distinct [a-z][a-z0-9_]*|(sum|avg|min|max) [a-z][a-z0-9_]*)$/;

const aggregate = z
  .strictObject({
    dimensions: z.array(snake(128)).max(COOPERATIVE_LIMITS.columnsPerAgreement).default([]).meta({ description: 'Allowed columns the statistics are grouped by.' }),
    grain: z.enum(TIME_GRAINS).meta({ description: 'Period of the statistics, from the dataset\'s timestampField.' }),
    measures: z
      .array(z.string().regex(MEASURE, { error: refusal('schema.error.measure') }))
      .min(1)
      .max(COOPERATIVE_LIMITS.columnsPerAgreement),
    k: z.int().min(2).max(1000).optional().meta({ description: 'Minimum distinct member companies per cell; only higher than the platform default.' }),
  })
  .meta({ description: 'What an aggregated agreement may see: statistics per period and dimensions, small cells suppressed.' });

const sharing = z
  .strictObject({
    consumer: dnsLabel(40).meta({ description: 'Consumer id from config/platform.yaml.' }),
    dataset: snake(64),
    purpose: z.string().min(10).max(500).meta({ description: 'Why the consumer needs the data, for the audit report.' }),
    columns: z.array(snake(128)).min(1).max(COOPERATIVE_LIMITS.columnsPerAgreement),
    level: z.enum(SHARE_LEVELS),
    expires: isoDate,
    legalBasis: z.string().min(5).max(200).meta({ description: 'e.g. "PIPA art. 28-2 (scientific research)".' }),
    sensitiveBasis: z
      .string()
      .min(5)
      .max(200)
      .optional()
      .meta({ description: 'Separate legal basis for sensitive columns (PIPA art. 23); without it they never leave the cooperative.' }),
    aggregate: aggregate.optional(),
  })
  .meta({ description: 'A data-sharing agreement with one consumer for one dataset.' });

const model = z
  .strictObject({
    name: dnsLabel(40),
    image: digestImage,
    replicas: z.int().min(1).max(50).default(1),
    port: z.int().min(1024).max(65535).default(8080),
    cpu,
    memory: bytes,
    gpu: z.strictObject({ model: gpuModel, count: z.int().min(1).max(8) }).optional(),
    expose: z
      .boolean()
      .optional()
      .meta({ description: 'Reachable from outside the cluster at <model>.<cooperative>.<platform idc.ingress.hostSuffix>, through the platform gateway or ingress.' }),
    dataLakeEgress: z
      .boolean()
      .optional()
      .meta({ description: 'May call the data-lake endpoints of platform idc.dataLakeEndpoints (and nothing else outside the namespace).' }),
    autoscale: z
      .strictObject({
        min: z.int().min(1).max(50),
        max: z.int().min(1).max(50),
        cpuPercent: z.int().min(1).max(100).meta({ description: 'Target average CPU use, in percent of the requested CPU.' }),
      })
      .optional()
      .meta({ description: 'Scale between min and max replicas on CPU use (HorizontalPodAutoscaler); replicas is then ignored and the quota must hold max.' }),
  })
  .meta({ description: 'An AI model served in the cooperative namespace.' });

const quota = z.strictObject({
  cpu,
  memory: bytes,
  storage: bytes.default('100Gi'),
  pods: z.int().min(1).max(10000).default(50),
  services: z.int().min(0).max(1000).default(10),
  pvcs: z.int().min(0).max(1000).default(10),
  gpus: z.record(gpuModel, z.int().min(0).max(1024)).default({}),
});

/** The schema of `config/cooperatives/<id>.yaml`. */
export const cooperativeSchema = z
  .strictObject({
    id: dnsLabel(40).meta({ description: 'Must equal the file name without .yaml.' }),
    name: z.strictObject({ ko: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
    ksic: z
      .string()
      .regex(/^[A-U][0-9]{2,5}$/, { error: refusal('schema.error.ksic') })
      .meta({ description: 'Korean Standard Industrial Classification code of the industry.' }),
    costCenter: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).optional(),
    cell: dnsLabel(CELL_ID_MAX)
      .optional()
      .meta({ description: 'Cell (AWS account) the cooperative is deployed to, one of platform.yaml `cells`; required once cells are declared. `coop-idc new` writes the cell with the most room. A cooperative never moves unless this line changes.' }),
    contact: z
      .strictObject({
        role: z.string().min(3).max(120).meta({ description: 'A role, never a person: no names, e-mails or phone numbers in git.' }),
        channel: z.string().max(120).optional(),
      }),
    members: z.union([
      z.strictObject({ count: z.int().min(1).max(100000) }),
      z.strictObject({ ids: z.array(z.string().regex(/^m-[0-9a-z]{4,32}$/, { error: refusal('schema.error.member-id') })).min(1) }),
    ], { error: refusal('schema.error.members') }),
    status: z
      .enum(LIFECYCLE_STATUSES)
      .default('active')
      .meta({ description: 'Lifecycle: active (default); offboarding (every grant revoked, ingestion removed, data read-only for the admin until retainUntil, then expired); removed (nothing rendered; valid only once retainUntil has passed, and only then may the file be deleted). See docs/runbook-offboarding.md.' }),
    since: isoDate.optional().meta({ description: 'The day offboarding began (required with status offboarding or removed); shared copies expire from it.' }),
    retainUntil: isoDate
      .optional()
      .meta({ description: 'Last day the data is kept after offboarding, from the retention obligations: at least since + the longest dataset retentionDays; the zones expire the day after.' }),
    datasets: z.array(dataset).max(COOPERATIVE_LIMITS.datasets).default([]),
    sharing: z.array(sharing).max(COOPERATIVE_LIMITS.agreements).default([]),
    idc: z
      .strictObject({
        quota,
        adminGroup: z.string().min(1).max(128).optional().meta({ description: 'IdP group bound to the namespace admin Role; default coop-<id>-admins.' }),
        models: z.array(model).max(COOPERATIVE_LIMITS.models).default([]),
        sharedServers: z.array(dnsLabel(40)).max(COOPERATIVE_LIMITS.sharedServers).default([]),
      })
      .optional(),
  })
  .meta({ title: 'coop-idc cooperative', description: 'One KBIZ member cooperative: its data, sharing and IDC compute.' });

const consumer = z.strictObject({
  id: dnsLabel(40),
  name: z.string().min(1).max(200),
  kind: z.enum(CONSUMER_KINDS),
  scanLimitGb: z.int().min(1).max(100000).default(100).meta({ description: 'Athena bytes-scanned limit per query, in GB.' }),
});

const sharedServer = z.strictObject({
  id: dnsLabel(40),
  description: z.string().min(1).max(255),
  industries: z.array(z.string().regex(/^[A-U][0-9]{0,5}$/)).min(1).meta({ description: 'KSIC prefixes of cooperatives that may subscribe.' }),
  image: digestImage,
  port: z.int().min(1024).max(65535).default(8080),
  replicas: z.int().min(1).max(20).default(2),
  cpu,
  memory: bytes,
  quota,
});

/** How the platform's own monthly cost is split among cooperatives (`cost.platform.split`). */
export const PLATFORM_SPLITS = ['evenly', 'byMembers', 'byStoredVolume'] as const;

/** A price in whole Korean won. */
const won = (description: string) => z.int().min(0).max(1_000_000_000).meta({ description });

const costRates = z
  .strictObject({
    idc: z.strictObject({
      vcpuMonth: won('예약 vCPU 1개의 월 단가(원) / KRW per reserved vCPU (quota) per month.'),
      memoryGibMonth: won('예약 메모리 1GiB의 월 단가(원) / KRW per reserved GiB of memory per month.'),
      storageTbMonth: won('예약 스토리지 1TB(10^12 바이트)의 월 단가(원) / KRW per reserved TB (10^12 bytes) of storage per month.'),
      gpuMonth: z
        .record(gpuModel, won('GPU 1장의 월 단가(원) / KRW per GPU per month.'))
        .default({})
        .meta({ description: 'GPU 모델별 월 단가(원); 할당량에 쓰인 모든 모델에 단가가 있어야 합니다 / KRW per GPU of each model per month; every model a quota reserves needs a rate.' }),
    }),
    cloud: z.strictObject({
      kmsKeyMonth: won('KMS 키 1개의 월 단가(원) / KRW per KMS key per month.'),
      storageGbMonth: won('저장 1GB-월 단가(원) / KRW per GB-month stored.'),
      millionRequests: won('요청 100만 건당 단가(원) / KRW per million requests.'),
      maxStoredMonths: z
        .int()
        .min(1)
        .max(1200)
        .default(120)
        .meta({ description: '정상 상태 저장량 계산에 쓰는 보존 개월 수의 상한 / Cap on the retention months in the steady-state stored volume (expectedGbPerMonth × min(retentionDays / 30, this)).' }),
    }),
    platform: z
      .strictObject({
        fixedMonthly: z
          .array(
            z.strictObject({
              item: dnsLabel(63).meta({ description: '항목 id (예: audit-trail) / Item id, e.g. audit-trail.' }),
              krw: won('월 금액(원) / KRW per month.'),
            }),
          )
          .max(50)
          .default([])
          .meta({ description: '플랫폼 고정비 (감사 추적, Athena 등) / Platform fixed costs per month (audit trail, Athena, operations), split by `split`.' }),
        split: z
          .enum(PLATFORM_SPLITS)
          .default('evenly')
          .meta({ description: '플랫폼 비용 배분 규칙: evenly(균등), byMembers(회원사 수), byStoredVolume(저장량) / How platform costs are split: evenly, by member count, or by stored volume.' }),
      })
      .default({ fixedMonthly: [], split: 'evenly' }),
  })
  .meta({
    description:
      '요금표: KBIZ 가 정한 원화 단가(AWS 정가가 아님). `coop-idc cost` 의 월 추정 근거 / The rate card: KBIZ\'s own declared prices in whole won (not AWS list prices), the basis of the monthly estimate of `coop-idc cost` (docs/cost.en.md).',
  });

const awsAccount = z.string().regex(/^[0-9]{12}$/, { error: refusal('schema.error.account') });

const raisedQuota = z
  .strictObject({
    quota: z.enum(ADJUSTABLE_QUOTA_IDS as [string, ...string[]]).meta({ description: 'Id of an adjustable quota of the model (infra/config/service-quotas.ts).' }),
    account: awsAccount.meta({ description: 'The account AWS raised the quota for.' }),
    value: z.int().min(1).meta({ description: 'The approved value.' }),
    case: z.string().min(1).max(200).meta({ description: 'Support case or Service Quotas request id that approved it, for the auditor.' }),
  })
  .refine((r) => r.value > (SERVICE_QUOTAS.find((q) => q.id === r.quota)?.value ?? 0), {
    error: refusal('schema.error.quota-increase'),
    path: ['value'],
  });

/**
 * The certificate authority factory gateways' certificates come from: IAM Roles Anywhere
 * trusts it through one trust anchor per cell (a source the platform declares, never one a
 * cooperative brings).
 */
const trustAnchor = z
  .strictObject({
    acmPcaArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm-pca:[a-z]{2}-[a-z]+-[0-9]:[0-9]{12}:certificate-authority\/[0-9a-f-]{36}$/, { error: refusal('schema.error.acm-pca') })
      .optional()
      .meta({ description: 'AWS Private CA that issues the gateways\' certificates. 게이트웨이 인증서를 발급하는 AWS Private CA.' }),
    certificateBundle: z
      .string()
      .max(8000)
      .regex(/^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, { error: refusal('schema.error.pem') })
      .optional()
      .meta({ description: 'PEM of the platform CA certificate that issues the gateways\' certificates. 게이트웨이 인증서를 발급하는 플랫폼 CA 인증서(PEM).' }),
  })
  .refine((t) => (t.acmPcaArn === undefined) !== (t.certificateBundle === undefined), { error: refusal('schema.error.trust-anchor') })
  .meta({
    description:
      'Certificate authority of the factory gateways (IAM Roles Anywhere trust anchor). Without it the uploader roles trust only their cooperative\'s admin role. 공장 게이트웨이 인증서의 CA(IAM Roles Anywhere 신뢰 앵커). 없으면 업로더 역할은 해당 조합의 관리자 역할만 신뢰합니다.',
  });

const cell = z
  .strictObject({
    id: dnsLabel(CELL_ID_MAX).meta({ description: 'Permanent id of the cell, e.g. cell-01; cooperative files name it in `cell:`.' }),
    account: awsAccount.meta({ description: 'The AWS account of the cell (its own account, never the data-lake account).' }),
    capacity: z.int().min(1).max(10000).meta({ description: 'Most cooperatives the cell may hold; sized so every service quota of the account stays under 80 % (docs/design/cells.md).' }),
    trustAnchor: trustAnchor.optional(),
  })
  .meta({ description: 'A cell: one AWS account holding the keys, zones, Glue databases, ingestion functions and roles of its cooperatives.' });

/** The schema of `config/platform.yaml`. */
export const platformSchema = z
  .strictObject({
    environment: z.strictObject({
      name: dnsLabel(8).meta({ description: 'Short environment name used in every derived name, e.g. prod.' }),
      account: awsAccount.meta({ description: 'The data-lake account: shared zone, consumers, Athena, Lake Formation administration, pseudonymization key, audit trail.' }),
      region: z.string().regex(/^[a-z]{2}-[a-z]+-[0-9]$/).default('ap-northeast-2'),
    }),
    audit: z.strictObject({
      logRetentionDays: z.int().min(1).max(3653),
      largeScalePersonalData: z
        .boolean()
        .default(false)
        .meta({ description: 'True when personal data of 50,000+ people is processed: logs must be kept 2 years.' }),
    }),
    lakeFormation: z.strictObject({
      admins: z.array(z.string().regex(/^arn:aws:iam::[0-9]{12}:role\/[\w+=,.@\-/]+$/, { error: refusal('schema.error.iam-role') })).min(1),
    }),
    idc: z.strictObject({
      capacity: z.strictObject({
        cpu,
        memory: bytes,
        storage: bytes,
        pods: z.int().min(1),
        gpus: z.record(gpuModel, z.int().min(0)).default({}),
      }),
      dnsNamespace: dnsLabel(63).default('kube-system'),
      allowedRegistries: z
        .array(registryPrefix)
        .min(1)
        .max(20)
        .meta({
          description:
            'Image registries the IDC cluster pulls from. Every model and shared-server image must come from one of them, by digest; the admission policy rendered for the cluster denies any other image in tenant namespaces.',
        }),
      ingress: z
        .strictObject({
          gateway: z
            .strictObject({ name: dnsLabel(63), namespace: dnsLabel(63) })
            .optional()
            .meta({ description: 'Gateway API Gateway that HTTPRoutes of exposed models attach to (it must allow routes from tenant namespaces).' }),
          ingressClass: dnsLabel(63).optional().meta({ description: 'IngressClass of the Ingresses of exposed models, when the platform uses Ingress instead of a Gateway.' }),
          proxyNamespace: dnsLabel(63).meta({ description: 'Namespace of the gateway or ingress controller pods that forward requests to models.' }),
          proxyPodLabels: z
            .record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/), z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/).max(63))
            .refine((r) => Object.keys(r).length > 0, { error: refusal('schema.error.proxy-labels') })
            .meta({ description: 'Labels of those pods: the network policy admits exactly them.' }),
          hostSuffix: z
            .string()
            .max(200)
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, { error: refusal('schema.error.dns-name') }),
        })
        .optional()
        .meta({ description: 'The declared way into models (expose: true): a Gateway API gateway or an ingress class; exactly one of gateway and ingressClass.' }),
      dataLakeEndpoints: z
        .array(
          z.strictObject({
            cidr: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(3[0-2]|[12]?\d)$/, { error: refusal('schema.error.cidr') }),
            port: z.int().min(1).max(65535).default(443),
          }),
        )
        .max(20)
        .default([])
        .meta({ description: 'Data-lake endpoints (e.g. the S3 interface endpoints over Direct Connect) models with dataLakeEgress may call.' }),
      imagePullSecrets: z
        .array(
          z
            .string()
            .max(253)
            .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: refusal('schema.error.secret-name') }),
        )
        .max(5)
        .default([])
        .meta({
          description:
            'Secrets (type kubernetes.io/dockerconfigjson) model pods pull images with, tried in order. The platform team provisions them in every tenant namespace; coop-idc only refers to them.',
        }),
    }),
    cells: z
      .array(cell)
      .max(100)
      .default([])
      .meta({ description: 'Cell accounts (AWS account factory workload accounts) that hold the cooperatives. Without cells every cooperative is deployed to the data-lake account.' }),
    ingestion: z
      .strictObject({
        trustAnchor: trustAnchor.optional().meta({ description: 'Trust anchor of the cooperatives without a cell (in the data-lake account). 셀이 없는 조합(데이터 레이크 계정)의 신뢰 앵커.' }),
        concurrency: z
          .strictObject({
            pushHandler: z.int().min(1).max(100).default(3).meta({ description: 'Reserved concurrent executions of each cooperative\'s push-API handler. 조합별 푸시 API 핸들러의 예약 동시 실행 수.' }),
            objectHandler: z.int().min(1).max(100).default(2).meta({ description: 'Reserved concurrent executions of each cooperative\'s object handler (S3 retries throttled events). 조합별 객체 처리 함수의 예약 동시 실행 수.' }),
          })
          .default({ pushHandler: 3, objectHandler: 2 })
          .meta({
            description:
              'Reserved concurrency per cooperative function, so one cooperative\'s flood cannot starve the others of a cell; the ServiceQuotas check holds the sum plus the unreserved pool under 80 % of the account\'s concurrent executions. 한 조합의 폭주가 같은 셀의 다른 조합을 굶기지 않도록 함수별로 예약하는 동시 실행 수.',
          }),
      })
      .default({ concurrency: { pushHandler: 3, objectHandler: 2 } })
      .meta({ description: 'Ingestion: gateways\' certificate authority and reserved concurrency. 수집: 게이트웨이 CA와 예약 동시 실행.' }),
    aggregation: z
      .strictObject({
        k: z.int().min(2).max(1000).default(5).meta({ description: 'Default minimum cell size (distinct member companies) of every aggregate.' }),
      })
      .default({ k: 5 }),
    monitoring: z
      .strictObject({
        periodMinutes: z.int().min(1).max(60).default(5).meta({ description: 'Period the function, dead-letter and quarantine alarms evaluate, in minutes.' }),
        errors: z.int().min(1).default(1).meta({ description: 'Errors of an ingestion function within one period that fire its errors alarm.' }),
        throttles: z.int().min(1).default(1).meta({ description: 'Throttled invocations of an ingestion function within one period that fire its throttles alarm.' }),
        durationOfTimeout: z.number().gt(0).max(1).default(0.8).meta({ description: 'Share of its timeout an ingestion function\'s longest run may take before its duration alarm fires.' }),
        quarantineRatio: ratio.default(0.05).meta({ description: 'Share of a dataset\'s rows sent to quarantine within one period above which its quarantine alarm fires; a dataset may override it (`monitoring.quarantineRatio`).' }),
      })
      .default({ periodMinutes: 5, errors: 1, throttles: 1, durationOfTimeout: 0.8, quarantineRatio: 0.05 })
      .meta({ description: 'Default alarm thresholds of every cooperative\'s ingestion (docs/operations.md). Alarm subscriptions are managed outside git: never an e-mail address here.' }),
    consumers: z.array(consumer).default([]),
    sharedServers: z.array(sharedServer).default([]),
    cost: costRates.optional(),
    serviceQuotas: z
      .strictObject({
        raised: z
          .array(raisedQuota)
          .default([])
          .superRefine((list, ctx) => {
            const seen = new Set<string>();
            list.forEach((r, i) => {
              const key = `${r.quota}/${r.account}`;
              if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'quota'], message: `quota ${r.quota} is raised twice for account ${r.account}; keep one entry (the approved value)` });
              seen.add(key);
            });
          })
          .meta({ description: 'Quota increases AWS approved, per account; the ServiceQuotas check holds usage to 80 % of these instead of the defaults.' }),
      })
      .default({ raised: [] }),
  })
  .meta({ title: 'coop-idc platform', description: 'The shared KBIZ data platform: environment, IDC capacity, consumers.' });

/** A cooperative file after schema validation and defaults. */
export type CooperativeConfig = z.output<typeof cooperativeSchema>;
/** The platform file after schema validation and defaults. */
export type PlatformConfig = z.output<typeof platformSchema>;
/** One dataset of a cooperative. */
export type DatasetConfig = CooperativeConfig['datasets'][number];
/** The platform's default alarm thresholds. */
export type MonitoringConfig = PlatformConfig['monitoring'];
/** One field of a dataset. */
export type FieldConfig = DatasetConfig['fields'][number];
/** One sharing agreement. */
export type SharingConfig = CooperativeConfig['sharing'][number];
/** One AI-model deployment. */
export type ModelConfig = NonNullable<CooperativeConfig['idc']>['models'][number];
/** A quota block, for a cooperative or a shared server. */
export type QuotaConfig = NonNullable<CooperativeConfig['idc']>['quota'];
/** A consumer organisation. */
export type ConsumerConfig = PlatformConfig['consumers'][number];
/** A certificate authority of factory gateways (IAM Roles Anywhere trust anchor source). */
export type TrustAnchorConfig = NonNullable<PlatformConfig['ingestion']['trustAnchor']>;
/** A cell account. */
export type CellConfig = PlatformConfig['cells'][number];
/** A shared industry server. */
export type SharedServerConfig = PlatformConfig['sharedServers'][number];
/** The statistics of an aggregated agreement. */
export type AggregateConfig = NonNullable<SharingConfig['aggregate']>;
/** A generalization rule. */
export type GeneralizeConfig = NonNullable<FieldConfig['generalize']>;
/** The rate card (`cost:` of platform.yaml). */
export type CostConfig = NonNullable<PlatformConfig['cost']>;
/** A platform split rule. */
export type PlatformSplit = (typeof PLATFORM_SPLITS)[number];
/** A time grain. */
export type TimeGrain = (typeof TIME_GRAINS)[number];
/** A PII class. */
export type PiiClass = (typeof PII_CLASSES)[number];
/** A sharing level. */
export type ShareLevel = (typeof SHARE_LEVELS)[number];
/** A consumer kind. */
export type ConsumerKind = (typeof CONSUMER_KINDS)[number];
/** A lifecycle state. */
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
/** A field type. */
export type FieldType = (typeof FIELD_TYPES)[number];
