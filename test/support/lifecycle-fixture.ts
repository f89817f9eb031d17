/**
 * A self-contained configuration for lifecycle tests: a platform with one cell and two
 * cooperatives, `leaving-coop` (datasets, a pseudonymized and an aggregated agreement, IDC
 * models with a GPU and an autoscaler) and `staying-coop`, so nothing depends on config/.
 */

/** The platform file. */
export const LIFECYCLE_PLATFORM = `environment: { name: test, account: "111122223333" }
audit: { logRetentionDays: 731 }
lakeFormation: { admins: [arn:aws:iam::111122223333:role/admin] }
idc:
  capacity: { cpu: "16", memory: 64Gi, storage: 1Ti, pods: 100, gpus: { nvidia-l40s: 2 } }
  allowedRegistries: [registry.idc.kbiz.or.kr]
cells:
  - { id: cell-01, account: "222200000000", capacity: 10 }
consumers:
  - { id: kiet, name: Research institute, kind: research }
  - { id: mss, name: Ministry, kind: government }
`;

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** The leaving cooperative's file; `lifecycle` lines (e.g. `status: offboarding`) go after `cell:`. */
export function leavingCoop(lifecycle = ''): string {
  return `id: leaving-coop
name: { ko: 떠나는조합, en: Leaving cooperative }
ksic: C29
cell: cell-01
${lifecycle}contact: { role: Data steward }
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
sharing:
  - consumer: kiet
    dataset: readings
    purpose: Research on machine energy use
    columns: [machine_id, member_company_id, measured_at, energy_kwh]
    level: pseudonymized
    expires: "2030-12-31"
    legalBasis: PIPA art. 28-2
  - consumer: mss
    dataset: readings
    purpose: Energy statistics for SME policy
    columns: [measured_at, energy_kwh]
    level: aggregated
    expires: "2030-12-31"
    legalBasis: PIPA art. 28-2 (statistics)
    aggregate: { grain: month, measures: [count, sum energy_kwh] }
idc:
  quota: { cpu: "4", memory: 16Gi, gpus: { nvidia-l40s: 1 } }
  models:
    - { name: forecaster, image: "registry.idc.kbiz.or.kr/forecast@${DIGEST}", cpu: "1", memory: 4Gi, gpu: { model: nvidia-l40s, count: 1 } }
    - { name: scorer, image: "registry.idc.kbiz.or.kr/score@${DIGEST}", cpu: 500m, memory: 1Gi, autoscale: { min: 1, max: 2, cpuPercent: 70 } }
`;
}

/** The cooperative that stays. */
export const STAYING_COOP = `id: staying-coop
name: { ko: 남는조합, en: Staying cooperative }
ksic: C29
cell: cell-01
contact: { role: Data steward }
members: { count: 12 }
datasets:
  - name: batches
    format: csv
    timestampField: started_at
    retentionDays: 730
    fields:
      - { name: batch_id, type: string, required: true }
      - { name: started_at, type: timestamp, required: true }
sharing:
  - consumer: kiet
    dataset: batches
    purpose: Research on production batches
    columns: [batch_id, started_at]
    level: pseudonymized
    expires: "2030-12-31"
    legalBasis: PIPA art. 28-2
`;
