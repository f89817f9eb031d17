import { compile } from '../../../infra';
import { compileAt, patch, replaceOnce, sampleSources } from '../../support/config';

const plan = compileAt(sampleSources()).plan!;
const coop = (id: string) => plan.cooperatives.find((c) => c.id === id)!;

describe('buildPlan', () => {
  test('is byte-identical for the same input, whatever the file order', () => {
    const sources = sampleSources();
    const reversed = { ...sources, cooperatives: [...sources.cooperatives].reverse() };
    expect(JSON.stringify(compileAt(reversed).plan)).toBe(JSON.stringify(plan));
  });

  test('does not depend on the date once valid', () => {
    expect(JSON.stringify(compile(sampleSources(), { today: '2027-01-01' }).plan)).toBe(JSON.stringify(plan));
  });

  test('derives every physical name of a cooperative in one scheme', () => {
    expect(coop('korea-machinery').cloud).toEqual({
      keyAlias: 'alias/kbiz/prod/coop/korea-machinery',
      pushFunction: 'kbiz-prod-korea-machinery-push',
      erasureRole: 'kbiz-prod-korea-machinery-erasure',
      gatewayCommonName: 'kbiz-prod-korea-machinery',
      gatewayProfile: 'kbiz-prod-korea-machinery-gateway',
      buckets: {
        raw: 'kbiz-prod-korea-machinery-raw-777788889999',
        curated: 'kbiz-prod-korea-machinery-curated-777788889999',
        quarantine: 'kbiz-prod-korea-machinery-quarantine-777788889999',
      },
      database: 'kbiz_prod_korea_machinery',
      roles: { admin: 'kbiz-prod-korea-machinery-admin', uploader: 'kbiz-prod-korea-machinery-uploader', ingestion: 'kbiz-prod-korea-machinery-ingestion' },
      // Its shared tables live in its cell's shared zone, in the data-lake account.
      sharedBucket: 'kbiz-prod-shared-cell-02-111122223333',
      sharedKeyAlias: 'alias/kbiz/prod/shared/cell-02',
      maxRetentionDays: 3650,
    });
    expect(coop('korea-machinery').idc).toMatchObject({ namespace: 'coop-korea-machinery', adminGroup: 'coop-korea-machinery-admins' });
  });

  test('resolves grants: raw reads the cooperative database, other levels the shared zone', () => {
    const textile = plan.grants.find((g) => g.cooperative === 'korea-textile')!;
    expect(textile).toMatchObject({ level: 'raw', database: 'kbiz_prod_korea_textile', table: 'dyeing_batches' });
    const kiet = plan.grants.find((g) => g.cooperative === 'korea-machinery' && g.consumer === 'kiet')!;
    expect(kiet).toMatchObject({ level: 'pseudonymized', database: 'kbiz_prod_shared', table: 'korea_machinery__spindle_telemetry', consumerKind: 'research' });
    expect(kiet.columns).toEqual([...kiet.columns].sort());
    expect(kiet.source).toBe('cooperatives/korea-machinery.yaml#sharing[0]');
  });

  test('sorts grants by consumer, cooperative and dataset', () => {
    const keys = plan.grants.map((g) => `${g.consumer}/${g.cooperative}/${g.dataset}`);
    expect(keys).toEqual([...keys].sort());
  });

  test('lists a row-level shared table only for datasets shared pseudonymized (aggregated ones get statistics, raw none)', () => {
    // The samples named here; a cooperative added to config/ adds its own tables.
    const named = /^(kbiz_federation|korea_electronics|korea_food|korea_machinery|korea_textile)__/;
    expect(plan.platform.sharedZone.tables.map((t) => t.name).filter((n) => named.test(n))).toEqual([
      'korea_electronics__inspection_results',
      'korea_food__cold_chain_readings',
      'korea_machinery__spindle_telemetry',
    ]);
  });

  test('classifies datasets and cooperatives by their most sensitive column', () => {
    expect(coop('kbiz-federation').classification).toBe('sensitive');
    expect(coop('korea-textile').datasets[0].classification).toBe('identifier');
  });

  test('normalizes quotas to exact integers and sums capacity per GPU model', () => {
    expect(coop('korea-machinery').idc!.quota).toEqual({ cpuMillis: 48000, memoryBytes: 192 * 2 ** 30, storageBytes: 4 * 2 ** 40, pods: 60, services: 10, pvcs: 10, gpus: { 'nvidia-a100-80gb': 4 } });
    const l40s = plan.capacity.rows.find((r) => r.resource === 'gpu/nvidia-l40s')!;
    expect(l40s).toEqual({ resource: 'gpu/nvidia-l40s', capacity: 32, requested: 5, byTenant: { 'korea-electronics': 4, 'korea-food': 1 } });
    const cpu = plan.capacity.rows.find((r) => r.resource === 'cpu')!;
    expect(cpu.byTenant['shared:machinery-common-data']).toBe(8000);
  });

  test('resolves shared-server subscribers', () => {
    expect(plan.platform.idc.sharedServers.map((s) => [s.id, s.subscribers])).toEqual([
      ['food-traceability', ['korea-food']],
      ['machinery-common-data', ['korea-machinery']],
    ]);
  });

  test('requires two-year log retention when sensitive data is processed', () => {
    const sources = patch(sampleSources(), 'platform', (t) => replaceOnce(t, 'largeScalePersonalData: true', 'largeScalePersonalData: false'));
    const p = compileAt(sources).plan!;
    expect(p.platform.audit.requiredRetentionDays).toBe(731);
    expect(p.platform.audit.requiredRetentionReason).toMatch(/kbiz-federation\.support_programmes\.disability_owned/);
  });

  test('carries a field\'s source column name (header:) to the dataset the Lambda reads, and omits it when absent', () => {
    const sources = patch(sampleSources(), 'korea-machinery', (t) => replaceOnce(t, '{ name: spindle_temp, type: double,', '{ name: spindle_temp, header: "온도(°C)", type: double,'));
    const d = compileAt(sources).plan!.cooperatives.find((c) => c.id === 'korea-machinery')!.datasets.find((x) => x.name === 'spindle_telemetry')!;
    expect(d.columns.find((c) => c.name === 'spindle_temp')).toMatchObject({ name: 'spindle_temp', header: '온도(°C)' });
    expect(Object.keys(d.columns.find((c) => c.name === 'vibration_rms')!)).not.toContain('header');
  });

  test('omits the IDC tenancy of cooperatives without one', () => {
    expect(coop('kbiz-federation').idc).toBeUndefined();
  });
});
