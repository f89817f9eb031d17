/**
 * A self-contained configuration for sharing tests: one platform and one cooperative written
 * here, so the tests never depend on what `config/` holds. `cooperative(...)` takes the
 * agreements' YAML so each test writes exactly the agreement it is about.
 */
import type { ConfigSources } from '../../infra';

/** A platform with one consumer of each kind. */
export const PLATFORM = `environment: { name: test, account: "111122223333" }
audit: { logRetentionDays: 731 }
lakeFormation: { admins: [arn:aws:iam::111122223333:role/admin] }
idc: { capacity: { cpu: "8", memory: 32Gi, storage: 1Ti, pods: 100 }, allowedRegistries: [registry.idc.kbiz.or.kr] }
aggregation: { k: 5 }
consumers:
  - { id: kiet, name: Research institute, kind: research }
  - { id: ibk-bank, name: Bank, kind: finance }
  - { id: mss, name: Ministry, kind: government }
`;

/** The cooperative's file before its `sharing:` list. */
export const COOPERATIVE_HEAD = `id: test-coop
name: { ko: 시험조합, en: Test cooperative }
ksic: C29
contact: { role: Data steward }
members: { count: 40 }
datasets:
  - name: readings
    format: csv
    timestampField: measured_at
    memberField: member_company_id
    retentionDays: 365
    fields:
      - { name: machine_id, type: string, required: true }
      - { name: member_company_id, type: string, pii: identifier, required: true }
      - { name: measured_at, type: timestamp, required: true }
      - { name: energy_kwh, type: double }
      - { name: factory_region, type: string, pii: quasi-identifier, generalize: { truncate: 2 } }
      - { name: postcode, type: string, pii: quasi-identifier }
      - { name: owner_age, type: int, pii: sensitive, generalize: { bucket: 10 } }
      - { name: health_flag, type: boolean, pii: sensitive }
sharing:
`;

/** Display path of the cooperative file in diagnostics. */
export const COOP_FILE = 'config/cooperatives/test-coop.yaml';

/** The cooperative file with these agreements (YAML list items, indented two spaces). */
export function cooperativeText(agreements: string): string {
  return COOPERATIVE_HEAD + agreements;
}

/** Sources of the platform and the cooperative with these agreements. */
export function sharingSources(agreements: string): ConfigSources {
  return {
    platform: { displayPath: 'config/platform.yaml', relativePath: 'platform.yaml', text: PLATFORM },
    cooperatives: [{ displayPath: COOP_FILE, relativePath: 'cooperatives/test-coop.yaml', text: cooperativeText(agreements) }],
  };
}

/** One agreement as YAML; `extra` lines (already indented four spaces) are appended. */
export function agreement(o: { consumer?: string; level: string; columns: string; extra?: string }): string {
  return `  - consumer: ${o.consumer ?? 'kiet'}
    dataset: readings
    purpose: Research on machine energy use
    columns: [${o.columns}]
    level: ${o.level}
    expires: "2030-12-31"
    legalBasis: PIPA art. 28-2
${o.extra ?? ''}`;
}

/** An aggregated agreement with `mss`: monthly statistics per machine (count, energy sum, distinct members). */
export const STATS_AGREEMENT = agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id',
  extra: '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh, count distinct member_company_id] }\n' });

/** One row of {@link STATS_ROWS}. */
export interface StatsRow { machine: string; member: string; at: string; kwh: number }
/** M-BIG: 6 companies in November, 5 in December; M-SMALL: 4 companies (below k = 5). */
export const STATS_ROWS: StatsRow[] = [
  ...[1, 2, 3, 4, 5, 6].flatMap((m) => [1, 2].map((r) => ({ machine: 'M-BIG', member: `m-0${m}`, at: `2026-11-${10 + r} 12:00:00`, kwh: m * 10 + r }))),
  ...[1, 2, 3, 4, 5].map((m) => ({ machine: 'M-BIG', member: `m-0${m}`, at: '2026-12-03 12:00:00', kwh: m })),
  ...[1, 2, 3, 4].map((m) => ({ machine: 'M-SMALL', member: `m-0${m}`, at: '2026-11-20 12:00:00', kwh: 1000 })),
];
/** {@link STATS_ROWS} as the UTF-8 CSV an upload carries, with the fixture's other columns. */
export const STATS_CSV = ['machine_id,member_company_id,measured_at,energy_kwh,factory_region,postcode,owner_age,health_flag',
  ...STATS_ROWS.map((r, i) => `${r.machine},${r.member},${r.at},${r.kwh},서울 강남구,0${6000 + i},${30 + i},${i % 2 === 0}`)].join('\n');
