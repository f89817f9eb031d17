/** Cost fixtures: configurations small enough to price by hand. */
import type { ConfigSources } from '../../infra';

/** Date the cost fixtures compile at. */
export const COST_TODAY = '2026-11-27';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/**
 * A small platform with a rate card and two cooperatives, whose estimate
 * test/infra/cost/estimate.test.ts computes by hand.
 */
export function costSources(opts: { split?: string; subscribe?: boolean } = {}): ConfigSources {
  const platform = `
environment: { name: test, account: "111122223333", region: ap-northeast-2 }
audit: { logRetentionDays: 731, largeScalePersonalData: true }
lakeFormation: { admins: ["arn:aws:iam::111122223333:role/admin"] }
idc:
  capacity: { cpu: "64", memory: 256Gi, storage: 10Ti, pods: 100, gpus: { gpu-a: 4 } }
  allowedRegistries: [registry.example.kr]
sharedServers:
  - id: s1
    description: shared
    industries: [C29]
    image: registry.example.kr/s1@${DIGEST}
    cpu: "1"
    memory: 1Gi
    quota: { cpu: "2", memory: 4Gi, storage: 1Ti, pods: 10 }
cost:
  idc: { vcpuMonth: 1000, memoryGibMonth: 100, storageTbMonth: 10000, gpuMonth: { gpu-a: 50000 } }
  cloud: { kmsKeyMonth: 1000, storageGbMonth: 10, millionRequests: 3000, maxStoredMonths: 12 }
  platform:
    fixedMonthly: [{ item: ops, krw: 1000 }]
    split: ${opts.split ?? 'evenly'}
`;
  const coop = (id: string, ksic: string, members: number, retention: number, gb: number, requests: number, idc: string) => `
id: ${id}
name: { ko: 조합 ${id}, en: Coop ${id} }
ksic: ${ksic}
contact: { role: data steward }
members: { count: ${members} }
datasets:
  - name: readings
    format: csv
    timestampField: at
    retentionDays: ${retention}
    expectedGbPerMonth: ${gb}
    expectedRequestsPerMonth: ${requests}
    fields: [{ name: at, type: timestamp }]
${idc}`;
  const idcA = `idc:
  quota: { cpu: 1500m, memory: 2Gi, storage: 500Gi, gpus: { gpu-a: 1 } }
  sharedServers: [${opts.subscribe === false ? '' : 's1'}]`;
  return {
    platform: { displayPath: 'platform.yaml', relativePath: 'platform.yaml', text: platform },
    cooperatives: [
      { displayPath: 'cooperatives/coop-a.yaml', relativePath: 'cooperatives/coop-a.yaml', text: coop('coop-a', 'C29', 10, 365, 10, 1_500_000, idcA) },
      { displayPath: 'cooperatives/coop-b.yaml', relativePath: 'cooperatives/coop-b.yaml', text: coop('coop-b', 'C10', 30, 90, 20, 500_000, '') },
    ],
  };
}

