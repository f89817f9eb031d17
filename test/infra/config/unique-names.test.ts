import { ATHENA_RESERVED_WORDS, findNameClashes, Names, PARTITION_KEYS, type DerivedName } from '../../../infra';
import { positionOf, replaceOnce, korean } from '../../support/config';
import { BASE_COOP, baseText, compileCorpus, withCooperatives } from '../../support/corpus';

const names = new Names({ env: 'prod', account: '111122223333', region: 'ap-northeast-2' });

/** A cooperative file of the corpus fixture under another id, with its dataset renamed. */
function coop(id: string, dataset = 'readings'): string {
  return baseText(BASE_COOP).replace(/base-coop/g, id).replace(/readings/g, dataset);
}

describe('derived names are unique across the plan', () => {
  test('fails when cooperative id "a--x" with dataset "y" and id "a" with dataset "x__y" derive one shared table, at both dataset names', () => {
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), { 'a--x': coop('a--x', 'y'), a: coop('a', 'x__y') }));
    expect(result.plan).toBeUndefined();
    const clashes = result.diagnostics.filter((d) => d.code === 'name-clash');
    expect(clashes.map((d) => d.file)).toEqual(['cooperatives/a--x.yaml', 'cooperatives/a.yaml']);
    const ax = positionOf(coop('a--x', 'y'), 'y', 'datasets:');
    const a = positionOf(coop('a', 'x__y'), 'x__y', 'datasets:');
    expect(clashes[0]).toMatchObject({ ...ax, severity: 'error' });
    expect(clashes[1]).toMatchObject(a);
    expect(korean(clashes[0]).message).toMatch(/^파생 이름 충돌: Glue table "a__x__y" \(데이터베이스 "kbiz_prod_shared"\)/);
    expect(clashes[0].message).toMatch(/Glue table "a__x__y" in database "kbiz_prod_shared" is also derived from cooperatives\/a\.yaml:\d+:\d+ \(`datasets\[1\] \(name: x__y\) → name`\)/);
    expect(clashes[1].message).toContain(`also derived from cooperatives/a--x.yaml:${ax.line}:${ax.col}`);
    expect(result.diagnostics.filter((d) => d.code !== 'name-clash')).toEqual([]);
  });

  test('fails when a cooperative role equals a consumer role, in the platform file and the cooperative file', () => {
    const platform = baseText('platform.yaml').replace('consumers:\n', 'consumers:\n  - id: x-admin\n    name: Example\n    kind: research\n');
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), { 'consumer-x': coop('consumer-x') }, platform));
    const clashes = result.diagnostics.filter((d) => d.code === 'name-clash');
    expect(clashes.map((d) => [d.file, d.line])).toEqual([
      ['cooperatives/consumer-x.yaml', positionOf(coop('consumer-x'), 'consumer-x').line],
      ['platform.yaml', positionOf(platform, 'x-admin').line],
    ]);
    expect(clashes[0].message).toMatch(/IAM role "kbiz-prod-consumer-x-admin"/);
  });

  test('compares names case-insensitively where the provider does', () => {
    const list: DerivedName[] = [
      { kind: 'iamRole', scope: '', name: 'Kbiz-Role', source: { of: 'consumer', id: 'a' } },
      { kind: 'iamRole', scope: '', name: 'kbiz-role', source: { of: 'consumer', id: 'b' } },
      { kind: 'cfnStack', scope: '', name: 'Stack', source: { of: 'consumer', id: 'a' } },
      { kind: 'cfnStack', scope: '', name: 'stack', source: { of: 'consumer', id: 'b' } },
      { kind: 'terraformStack', scope: '', name: 'Coop-A', source: { of: 'cooperative', coop: 'a' } },
      { kind: 'terraformStack', scope: '', name: 'coop-a', source: { of: 'cooperative', coop: 'b' } },
    ];
    expect(findNameClashes(list).map((c) => c.map((n) => n.name))).toEqual([['Kbiz-Role', 'kbiz-role'], ['Coop-A', 'coop-a']]);
  });

  test('tables of different databases do not clash', () => {
    const list: DerivedName[] = [
      { kind: 'glueTable', scope: 'db_a', name: 't', source: { of: 'cooperative', coop: 'a', dataset: 't' } },
      { kind: 'glueTable', scope: 'db_b', name: 't', source: { of: 'cooperative', coop: 'b', dataset: 't' } },
    ];
    expect(findNameClashes(list)).toEqual([]);
  });

  test('fails when one cell\'s shared-zone stack is another cell\'s shared-table stack, at both cell ids', () => {
    const platform = baseText('platform.yaml').replace('consumers:', 'cells:\n  - { id: a, account: "222233334444", capacity: 10 }\n  - { id: a-tables-03, account: "333344445555", capacity: 10 }\nconsumers:');
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), {}, platform));
    const clashes = result.diagnostics.filter((d) => d.code === 'name-clash');
    expect(clashes.map((d) => [d.file, d.line])).toEqual([
      ['platform.yaml', positionOf(platform, 'a,').line],
      ['platform.yaml', positionOf(platform, 'a-tables-03').line],
    ]);
    expect(clashes[0].message).toMatch(/CloudFormation stack "CoopIdc-DataLake-a-tables-03"/);
  });

  test('names each cell\'s shared bucket, key alias, data-lake and monitoring stacks, and a cooperative\'s buckets in its cell\'s account', () => {
    const cell = names.platformNames({ consumers: [], sharedServers: [], cells: ['cell-01'] }).filter((n) => n.source.of === 'cell');
    expect(cell.map((n) => n.name)).toEqual([
      'kbiz-prod-shared-cell-01-111122223333',
      'alias/kbiz/prod/shared/cell-01',
      'CoopIdc-DataLake-cell-01',
      'CoopIdc-Monitoring-cell-01',
      'CoopIdc-Cell-cell-01-ingest',
      'CoopIdc-Cell-cell-01-gateways',
      ...Array.from({ length: 8 }, (_, i) => `CoopIdc-DataLake-cell-01-tables-0${i}`),
    ]);
    const buckets = names.cooperativeNames({ id: 'x', idc: false, sharedDatasets: [], account: '999988887777' }).filter((n) => n.kind === 'bucket');
    expect(buckets.map((n) => n.name)).toEqual(['raw', 'curated', 'quarantine'].map((z) => `kbiz-prod-x-${z}-999988887777`));
  });

  test('derives every kind of physical name the renderers create', () => {
    const kinds = new Set([...names.platformNames({ consumers: ['c'], sharedServers: ['s'] }), ...names.cooperativeNames({ id: 'x', idc: true, sharedDatasets: ['d'], aggregates: [{ dataset: 'd', consumer: 'c' }] })].map((n) => n.kind));
    expect([...kinds].sort()).toEqual(['athenaWorkgroup', 'bucket', 'cfnStack', 'commonName', 'glueDatabase', 'glueTable', 'iamRole', 'kmsAlias', 'lambdaFunction', 'namespace', 'schedule', 'terraformStack']);
  });

  test('registers the statistics job of each aggregated agreement: its table, schedule, role, function and workgroup', () => {
    const n = names.cooperativeNames({ id: 'x', idc: false, sharedDatasets: [], aggregates: [{ dataset: 'd', consumer: 'mss' }] });
    expect(n.filter((x) => ['schedule', 'lambdaFunction', 'athenaWorkgroup'].includes(x.kind) || x.name.endsWith('-stats') || x.name.includes('__stats_')).map((x) => [x.kind, x.name])).toEqual([
      ['iamRole', 'kbiz-prod-x-stats'],
      ['lambdaFunction', 'kbiz-prod-x-push'],
      ['lambdaFunction', 'kbiz-prod-x-stats'],
      ['athenaWorkgroup', 'kbiz-prod-x-stats'],
      ['athenaWorkgroup', 'kbiz-prod-x-admin'],
      ['glueTable', 'x__d__stats_mss'],
      ['schedule', 'kbiz-prod-x.d.mss'],
    ]);
  });

  test('a schedule name over 64 characters keeps its start and ends in a hash of the whole', () => {
    const long = names.statsSchedule('a'.repeat(30), 'b'.repeat(30), 'c');
    const other = names.statsSchedule('a'.repeat(30), 'b'.repeat(30), 'd');
    expect(long).toHaveLength(64);
    expect(long.startsWith(`kbiz-prod-${'a'.repeat(30)}.b`)).toBe(true);
    expect(long).not.toBe(other);
  });

  test('fails when a consumer\'s workgroup equals a cooperative admin\'s query workgroup, in both files', () => {
    const platform = baseText('platform.yaml').replace('consumers:\n', 'consumers:\n  - id: adm-x-admin\n    name: Example\n    kind: research\n');
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), { 'adm-x': coop('adm-x') }, platform));
    const clashes = result.diagnostics.filter((d) => d.code === 'name-clash' && /Athena workgroup/.test(d.message));
    expect(clashes.map((d) => d.file)).toEqual(['cooperatives/adm-x.yaml', 'platform.yaml']);
    expect(clashes[0].message).toMatch(/Athena workgroup "kbiz-prod-adm-x-admin"/);
  });

  test('fails when a consumer\'s workgroup equals a cooperative\'s statistics workgroup, in both files', () => {
    const platform = baseText('platform.yaml').replace('consumers:\n', 'consumers:\n  - id: stat-x-stats\n    name: Example\n    kind: research\n');
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), { 'stat-x': coop('stat-x') }, platform));
    const clashes = result.diagnostics.filter((d) => d.code === 'name-clash');
    expect(clashes.map((d) => d.file)).toEqual(['cooperatives/stat-x.yaml', 'platform.yaml']);
    expect(clashes[0].message).toMatch(/Athena workgroup "kbiz-prod-stat-x-stats"/);
  });
});

describe('reserved cooperative ids', () => {
  test.each(['shared', 'platform'])('fails when a cooperative has the id "%s"', (id) => {
    const text = coop(id);
    const result = compileCorpus(withCooperatives(baseText(BASE_COOP), { [id]: text }));
    expect(result.plan).toBeUndefined();
    const d = result.diagnostics.filter((x) => x.file === `cooperatives/${id}.yaml`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ ...positionOf(text, id), code: 'reserved-id' });
    expect(korean(d[0]).message).toMatch(new RegExp(`^예약된 id입니다: "${id}"`));
    expect(d[0].message).toMatch(new RegExp(`"${id}" is reserved`));
    expect(d[0].hint).toMatch(/reserved: platform, shared/);
  });

  test('derives the reserved ids from the names: each one makes a cooperative name equal a platform name, or is the platform owner tag', () => {
    const reserved = names.reservedCooperativeIds();
    expect(reserved).toEqual(['platform', 'shared']);
    const platform = new Set(names.platformNames({ consumers: [], sharedServers: [] }).map((n) => `${n.kind}:${n.scope}:${n.name}`));
    const collides = (id: string) => names.cooperativeNames({ id, idc: true, sharedDatasets: [] }).some((n) => platform.has(`${n.kind}:${n.scope}:${n.name}`));
    expect(collides('shared')).toBe(true);
    expect(collides('shared-zone')).toBe(false);
  });
});

describe('field names', () => {
  test.each(PARTITION_KEYS)('fails when a field is named like the partition key "%s"', (key) => {
    const text = replaceOnce(baseText(BASE_COOP), '{ name: value, type: double }', `{ name: ${key}, type: string }`).replace('[sensor_id, value]', `[sensor_id, ${key}]`);
    const result = compileCorpus(withCooperatives(text));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ file: BASE_COOP, ...positionOf(text, key, 'name: measured_at'), code: 'reserved-field' });
    expect(korean(result.diagnostics[0]).message).toMatch(/파티션 키/);
    expect(result.diagnostics[0].message).toMatch(/partition key/);
  });

  test.each(['select', 'date', 'timestamp', 'unnest', 'values'])('fails when a field is the Athena reserved word "%s"', (word) => {
    const text = replaceOnce(baseText(BASE_COOP), '{ name: value, type: double }', `{ name: ${word}, type: double }`).replace('[sensor_id, value]', `[sensor_id, ${word}]`);
    const result = compileCorpus(withCooperatives(text));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['reserved-field']);
    expect(result.diagnostics[0].message).toMatch(new RegExp(`"${word}" is an Athena reserved word`));
    expect(result.diagnostics[0].hint).toMatch(/e\.g\. "\w+_value"|rename/);
  });

  test('the reserved words hold both Athena lists (DDL and SELECT)', () => {
    expect(ATHENA_RESERVED_WORDS.has('partition')).toBe(true); // DDL only
    expect(ATHENA_RESERVED_WORDS.has('unnest')).toBe(true); // SELECT only
    expect(ATHENA_RESERVED_WORDS.has('value')).toBe(false);
  });
});
