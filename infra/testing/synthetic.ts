/**
 * A deterministic generator of synthetic cooperatives, for benchmarks and property tests.
 *
 * Produces YAML text (not objects) so that what is measured or fuzzed is the same path a
 * real onboarding takes: parse, schema, rules, plan. Seeded: the same (n, seed) always
 * gives the same files. The platform's capacity is sized from the generated quotas so the
 * result is valid; nothing here is committed as data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ConfigSources } from '../config/load';
import { COOPERATIVE_LIMITS as MAX } from '../config/schema';
import type { SourceFile } from '../config/source';

/** Options of the generator. */
export interface SyntheticOptions {
  /** Number of cooperatives. */
  readonly n: number;
  /** @default 1 */
  readonly seed?: number;
  /**
   * Every cooperative is the largest the schema allows (`COOPERATIVE_LIMITS`: datasets,
   * fields, agreements with every column, models), to probe CloudFormation's limits.
   * @default false
   */
  readonly large?: boolean;
  /**
   * Capacity of each generated cell: the cooperatives are spread evenly over
   * ceil(n / cellCapacity) cell accounts (cooperative i in cell i mod cells). 0 declares no
   * cells: every cooperative in the data-lake account, as before cells existed.
   * @default DEFAULT_CELL_CAPACITY
   */
  readonly cellCapacity?: number;
  /**
   * Adds a rate card (`cost:`, example prices) to the platform with this platform split,
   * and declared volumes (`expectedGbPerMonth`, `expectedRequestsPerMonth`) to the datasets.
   * Derived from the indices, not the random stream, so the rest of the output is unchanged.
   * @default - no rate card, no volumes
   */
  readonly cost?: { readonly split: 'evenly' | 'byMembers' | 'byStoredVolume' };
}

/** The example rate card of generated platforms (whole won; not real prices). */
export const SYNTHETIC_RATES = {
  idc: { vcpuMonth: 25000, memoryGibMonth: 3000, storageTbMonth: 40000, gpuMonth: { 'nvidia-a100-80gb': 2000000, 'nvidia-l40s': 900000 } },
  cloud: { kmsKeyMonth: 1500, storageGbMonth: 40, millionRequests: 6000, maxStoredMonths: 36 },
  platform: { fixedMonthly: [{ item: 'audit-trail', krw: 300001 }, { item: 'operations', krw: 1000003 }] },
} as const;

/**
 * Cooperatives per generated cell. A cooperative stack with every function holds eight IAM
 * roles (admin, uploader, ingestion, push handler, erasure, statistics, Lake Formation
 * location, CDK's bucket-notification handler) and takes eight of Lambda's concurrent
 * executions (five reserved, three functions without a reservation), so 96 keeps a full cell
 * under the ServiceQuotas check's 80 % of 1,000 each.
 */
export const DEFAULT_CELL_CAPACITY = 96;

/** Account number of generated cell k (0-based): 12 digits, never the data-lake account. */
export function syntheticCellAccount(k: number): string {
  return String(222200000000 + k);
}

/** ARN of a generated AWS Private CA in `account` (its id derived from k): the gateways' CA of a generated cell. */
export function syntheticCertificateAuthority(account: string, k: number): string {
  const hex = (k + 1).toString(16).padStart(12, '0');
  return `arn:aws:acm-pca:ap-northeast-2:${account}:certificate-authority/0c0a1d0c-0000-4000-8000-${hex}`;
}

/** Id of generated cell k (0-based). */
export function syntheticCellId(k: number): string {
  return `cell-${String(k + 1).padStart(2, '0')}`;
}

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INDUSTRIES = ['C10', 'C13', 'C20', 'C22', 'C24', 'C25', 'C26', 'C28', 'C29', 'C30', 'C31'];
const GPU_MODELS = ['nvidia-a100-80gb', 'nvidia-l40s'];
const CONSUMERS = [
  { id: 'kiet', name: 'Korea Institute for Industrial Economics and Trade', kind: 'research' },
  { id: 'ibk-bank', name: 'Industrial Bank of Korea', kind: 'finance' },
  { id: 'mss', name: 'Ministry of SMEs and Startups', kind: 'government' },
];
const DIGEST = (i: number) => `sha256:${(i.toString(16).padStart(8, '0')).repeat(8)}`;

/** Generates a platform file and `n` cooperative files. */
export function generateSources(options: SyntheticOptions): ConfigSources {
  const rand = prng(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const large = options.large ?? false;
  const cooperatives: SourceFile[] = [];
  let cpu = 0;
  let memGi = 0;
  let storageGi = 0;
  let pods = 0;
  const gpus: Record<string, number> = Object.fromEntries(GPU_MODELS.map((m) => [m, 0]));
  const cellCapacity = options.cellCapacity ?? DEFAULT_CELL_CAPACITY;
  const nCells = cellCapacity > 0 ? Math.max(1, Math.ceil(options.n / cellCapacity)) : 0;

  for (let i = 0; i < options.n; i++) {
    const id = `coop-${String(i).padStart(4, '0')}`;
    const ksic = pick(INDUSTRIES);
    const nDatasets = large ? MAX.datasets : int(1, 3);
    const datasets = Array.from({ length: nDatasets }, (_, d) => {
      const extra = large ? MAX.fieldsPerDataset - 4 : int(2, 8);
      return {
        name: `dataset_${d}`,
        format: rand() < 0.7 ? 'csv' : 'jsonl',
        encoding: pick(['utf-8', 'utf-8', 'cp949', 'euc-kr']),
        timestampField: 'measured_at',
        memberField: 'member_company_id',
        retentionDays: pick([365, 1095, 1825]),
        ...(options.cost ? { expectedGbPerMonth: (i * 7 + d * 3) % 50, expectedRequestsPerMonth: ((i * 31 + d * 17) % 97) * 10_007 } : {}),
        fields: [
          { name: 'machine_id', type: 'string', required: true },
          { name: 'member_company_id', type: 'string', pii: 'identifier', required: true },
          { name: 'measured_at', type: 'timestamp', required: true },
          { name: 'region', type: 'string', pii: 'quasi-identifier', generalize: { truncate: 2 } },
          ...Array.from({ length: extra }, (_, f) => ({ name: `metric_${f}`, type: 'double', unit: 'celsius', min: -50, max: 500 })),
        ],
      };
    });
    const sharing = datasets.flatMap((d, di) =>
      (large ? CONSUMERS : rand() < 0.6 ? [pick(CONSUMERS)] : []).map((c) => ({
        consumer: c.id,
        dataset: d.name,
        purpose: `Synthetic agreement ${i}-${di} for industry statistics`,
        columns: large
          ? d.fields.map((f) => f.name).filter((f) => c.kind === 'research' || f !== 'member_company_id')
          : c.kind === 'research' ? ['member_company_id', 'measured_at', 'metric_0', 'region'] : ['measured_at', 'metric_0', 'metric_1'],
        level: c.kind === 'research' ? 'pseudonymized' : 'aggregated',
        expires: '2030-12-31',
        legalBasis: 'PIPA art. 28-2 (statistics and scientific research)',
        ...(c.kind === 'research' ? {} : { aggregate: { dimensions: large ? ['machine_id', 'region'] : [], grain: 'month', measures: ['count', 'sum metric_0', 'avg metric_1'] } }),
      })),
    ).slice(0, MAX.agreements);
    const hasIdc = large || rand() < 0.8;
    const gpuModel = pick(GPU_MODELS);
    const withGpu = hasIdc && (large || rand() < 0.3);
    const quotaCpu = int(2, 16);
    const quotaMem = quotaCpu * 4;
    const storage = int(1, 10) * 100;
    const nModels = large ? MAX.models : withGpu ? 1 : 0;
    // Large: room for every model (1 CPU, 2Gi each) on top of the usual headroom.
    const cpuQ = large ? quotaCpu * 4 + nModels : quotaCpu;
    const memQ = large ? quotaMem * 4 + 2 * nModels : quotaMem;
    const idc = hasIdc
      ? {
          quota: {
            cpu: String(cpuQ),
            memory: `${memQ}Gi`,
            storage: `${storage}Gi`,
            pods: 30,
            ...(withGpu ? { gpus: { [gpuModel]: nModels } } : {}),
          },
          models: Array.from({ length: nModels }, (_, m) => ({
            name: `model-${m}`,
            image: `registry.idc.kbiz.or.kr/${id}/model-${m}@${DIGEST(i * 10 + m)}`,
            replicas: 1,
            cpu: '1',
            memory: '2Gi',
            gpu: { model: gpuModel, count: 1 },
          })),
          sharedServers: ksic.startsWith('C29') || ksic.startsWith('C25') ? ['machinery-common-data'] : [],
        }
      : undefined;
    if (idc) {
      cpu += cpuQ;
      memGi += memQ;
      storageGi += storage;
      pods += 30;
      if (withGpu) gpus[gpuModel] += nModels;
    }
    const doc = {
      id,
      name: { ko: `합성 협동조합 ${i}`, en: `Synthetic Cooperative ${i}` },
      ksic,
      ...(nCells > 0 ? { cell: syntheticCellId(i % nCells) } : {}),
      contact: { role: 'Synthetic data steward' },
      members: { count: int(5, 500) },
      datasets,
      sharing,
      ...(idc ? { idc } : {}),
    };
    cooperatives.push({ displayPath: `synthetic/cooperatives/${id}.yaml`, relativePath: `cooperatives/${id}.yaml`, text: stringify(doc) });
  }

  const platform = {
    environment: { name: 'bench', account: '111122223333', region: 'ap-northeast-2' },
    audit: { logRetentionDays: 731, largeScalePersonalData: true },
    lakeFormation: { admins: ['arn:aws:iam::111122223333:role/kbiz-platform-data-admin'] },
    ...(nCells > 0 ? { cells: Array.from({ length: nCells }, (_, k) => ({ id: syntheticCellId(k), account: syntheticCellAccount(k), capacity: cellCapacity, trustAnchor: { acmPcaArn: syntheticCertificateAuthority(syntheticCellAccount(k), k) } })) } : {}),
    ingestion: { trustAnchor: { acmPcaArn: syntheticCertificateAuthority('111122223333', 999) } },
    idc: {
      capacity: {
        cpu: String(cpu + 64),
        memory: `${memGi + 256}Gi`,
        storage: `${storageGi + 4096}Gi`,
        pods: pods + 100,
        gpus: Object.fromEntries(GPU_MODELS.map((m) => [m, gpus[m] + 8])),
      },
      allowedRegistries: ['registry.idc.kbiz.or.kr'],
    },
    consumers: CONSUMERS,
    ...(options.cost ? { cost: { ...SYNTHETIC_RATES, platform: { ...SYNTHETIC_RATES.platform, split: options.cost.split } } } : {}),
    sharedServers: [
      {
        id: 'machinery-common-data',
        description: 'Synthetic shared server',
        industries: ['C25', 'C29'],
        image: `registry.idc.kbiz.or.kr/shared/machinery@${DIGEST(999999)}`,
        cpu: '1',
        memory: '2Gi',
        quota: { cpu: '4', memory: '16Gi', storage: '1Ti', pods: 10 },
      },
    ],
  };
  return {
    platform: { displayPath: 'synthetic/platform.yaml', relativePath: 'platform.yaml', text: stringify(platform) },
    cooperatives,
  };
}

/** Writes generated sources as a config folder (`platform.yaml`, `cooperatives/*.yaml`), to run the real CLI or build on them. */
export function writeSources(sources: ConfigSources, dir: string): void {
  mkdirSync(join(dir, 'cooperatives'), { recursive: true });
  writeFileSync(join(dir, 'platform.yaml'), sources.platform.text);
  for (const c of sources.cooperatives) writeFileSync(join(dir, c.relativePath), c.text);
}
