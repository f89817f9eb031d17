import { compile } from '../../../infra';
import { diagnosticText } from '../../../infra/config/diagnostics';
import { disclosureOf, type Disclosure } from '../../../infra/plan/disclosure';
import { positionOf } from '../../support/config';
import { agreement, COOP_FILE, cooperativeText, sharingSources } from '../../support/sharing-fixture';

const TODAY = '2026-12-01';
const kinds = (d: Disclosure) => (d.kind === 'refused' ? `refused:${d.code}` : d.kind === 'aggregate-only' ? `aggregate-only:${d.use}` : d.kind);

describe('disclosureOf', () => {
  const rule = { truncate: 2 } as const;
  test.each([
    // pii, generalize, level, consumer kind, sensitiveBasis → disclosure
    ['none', false, 'raw', 'finance', false, 'clear'],
    ['none', false, 'pseudonymized', 'research', false, 'clear'],
    ['none', false, 'aggregated', 'government', false, 'aggregate-only:any'],
    ['identifier', false, 'raw', 'research', false, 'clear'],
    ['identifier', false, 'raw', 'finance', false, 'refused:pii-raw-share'],
    ['identifier', false, 'raw', 'government', false, 'refused:pii-raw-share'],
    ['identifier', false, 'pseudonymized', 'finance', false, 'token'],
    ['identifier', false, 'aggregated', 'government', false, 'aggregate-only:count-distinct'],
    ['quasi-identifier', true, 'pseudonymized', 'research', false, 'generalized'],
    ['quasi-identifier', false, 'pseudonymized', 'research', false, 'refused:not-generalized'],
    ['quasi-identifier', false, 'aggregated', 'government', false, 'aggregate-only:any'],
    ['sensitive', true, 'raw', 'research', false, 'refused:sensitive-without-basis'],
    ['sensitive', true, 'pseudonymized', 'research', false, 'refused:sensitive-without-basis'],
    ['sensitive', true, 'aggregated', 'government', false, 'refused:sensitive-without-basis'],
    ['sensitive', true, 'raw', 'research', true, 'refused:sensitive-raw'],
    ['sensitive', true, 'pseudonymized', 'research', true, 'generalized'],
    ['sensitive', false, 'pseudonymized', 'research', true, 'refused:not-generalized'],
    ['sensitive', false, 'aggregated', 'government', true, 'aggregate-only:any'],
  ] as const)('%s (generalize %s) at %s for %s (basis %s) → %s', (pii, generalize, level, consumerKind, basis, expected) => {
    const d = disclosureOf({ level, consumerKind, ...(basis ? { sensitiveBasis: 'separate consent' } : {}) }, { name: 'c', pii, ...(generalize ? { generalize: rule } : {}) });
    expect(kinds(d)).toBe(expected);
    if (d.kind === 'generalized') expect(d.rule).toEqual(rule);
  });

  test('a refusal says why in Korean and English and how to fix it', () => {
    const d = disclosureOf({ level: 'pseudonymized' }, { name: 'health_flag', pii: 'sensitive' });
    expect(d).toMatchObject({ kind: 'refused', code: 'sensitive-without-basis' });
    if (d.kind !== 'refused') throw new Error('unreachable');
    expect(d.reasonKo).toContain('민감정보 컬럼 "health_flag"');
    expect(d.reason).toContain('PIPA art. 23');
    expect(d.hint).toContain('sensitiveBasis');
  });
});

/** Compiles the fixture with these agreements. */
function run(agreements: string) {
  return compile(sharingSources(agreements), { today: TODAY });
}

/** The errors of one code; the plan must be absent. */
function errorsOf(agreements: string, code: string) {
  const result = run(agreements);
  expect(result.plan).toBeUndefined();
  return result.diagnostics.filter((d) => d.code === code);
}

describe('validate refuses what disclosureOf refuses, at the column', () => {
  test('the fixture passes with a valid agreement of each level', () => {
    const text = agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region' }) +
      agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id', extra: '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh, count distinct member_company_id] }\n' });
    const result = run(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.plan).toBeDefined();
  });

  test.each(['pseudonymized', 'aggregated'])('fails when a sensitive column is shared %s without a sensitiveBasis', (level) => {
    const agreements = agreement({ consumer: 'kiet', level, columns: 'measured_at, health_flag', extra: level === 'aggregated' ? '    aggregate: { dimensions: [health_flag], grain: year, measures: [count] }\n' : '' });
    const [d] = errorsOf(agreements, 'sensitive-without-basis');
    expect(d).toMatchObject({ file: COOP_FILE, severity: 'error', ...positionOf(cooperativeText(agreements), 'health_flag]') });
    expect(diagnosticText(d, 'ko').message).toMatch(/^민감정보 컬럼 "health_flag"/);
    expect(diagnosticText(d, 'en').message).toMatch(/^column "health_flag" is sensitive data \(PIPA art\. 23\)/);
  });

  test('fails when a sensitive column is shared raw even with a sensitiveBasis', () => {
    const agreements = agreement({ level: 'raw', columns: 'measured_at, owner_age', extra: '    sensitiveBasis: Separate consent of each member company\n' });
    const [d] = errorsOf(agreements, 'sensitive-raw');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'owner_age]'));
  });

  test('fails when a sensitive column without a generalize rule is shared pseudonymized with a sensitiveBasis', () => {
    const agreements = agreement({ level: 'pseudonymized', columns: 'health_flag, measured_at', extra: '    sensitiveBasis: Separate consent of each member company\n' });
    const [d] = errorsOf(agreements, 'not-generalized');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'health_flag,', 'columns: ['));
  });

  test('a sensitive column with a sensitiveBasis and a generalize rule is shared generalized', () => {
    const result = run(agreement({ level: 'pseudonymized', columns: 'owner_age, measured_at', extra: '    sensitiveBasis: Separate consent of each member company\n' }));
    expect(result.diagnostics).toEqual([]);
    expect(result.plan!.grants[0].disclosures).toEqual([
      { column: 'measured_at', disclosure: { kind: 'clear' } },
      { column: 'owner_age', disclosure: { kind: 'generalized', rule: { bucket: 10 } } },
    ]);
  });

  test('fails when a quasi-identifier without generalize is shared pseudonymized', () => {
    const agreements = agreement({ level: 'pseudonymized', columns: 'measured_at, postcode, machine_id' });
    const [d] = errorsOf(agreements, 'not-generalized');
    expect(d).toMatchObject({ file: COOP_FILE, ...positionOf(cooperativeText(agreements), 'postcode,', 'columns: [') });
    expect(diagnosticText(d, 'ko').message).toContain('준식별자 컬럼 "postcode"');
  });

  test.each(['ibk-bank', 'mss'])('fails when an identifier is shared raw with %s', (consumer) => {
    const agreements = agreement({ consumer, level: 'raw', columns: 'member_company_id, measured_at' });
    const [d] = errorsOf(agreements, 'pii-raw-share');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'member_company_id,', 'columns: ['));
  });
});

describe('aggregated agreements', () => {
  const agg = (aggregate: string, columns = 'measured_at, energy_kwh, machine_id, member_company_id') =>
    agreement({ consumer: 'mss', level: 'aggregated', columns, extra: `    aggregate: ${aggregate}\n` });

  test('fails when level aggregated declares no aggregate', () => {
    const agreements = agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at' });
    const [d] = errorsOf(agreements, 'invalid-aggregate');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'aggregated'));
  });

  test('fails when an aggregate is declared at another level', () => {
    const agreements = agreement({ level: 'pseudonymized', columns: 'measured_at', extra: '    aggregate: { grain: day, measures: [count] }\n' });
    const [d] = errorsOf(agreements, 'invalid-aggregate');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'aggregate:'));
  });

  test('fails when an identifier is a dimension', () => {
    const agreements = agg('{ dimensions: [member_company_id], grain: month, measures: [count] }');
    const [d] = errorsOf(agreements, 'aggregate-identifier');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'member_company_id]', 'dimensions:'));
  });

  test('fails when an identifier is measured other than count distinct', () => {
    const agreements = agg('{ grain: month, measures: [count, min member_company_id] }');
    const [d] = errorsOf(agreements, 'aggregate-identifier');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'min member_company_id'));
  });

  test('fails when a dimension is not an allowed column', () => {
    const agreements = agg('{ dimensions: [factory_region], grain: month, measures: [count] }');
    const [d] = errorsOf(agreements, 'invalid-aggregate');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'factory_region]'));
    expect(d.hint).toContain('energy_kwh, machine_id');
  });

  test('fails when sum is asked of a string column', () => {
    const agreements = agg('{ grain: month, measures: [sum machine_id] }');
    const [d] = errorsOf(agreements, 'invalid-aggregate');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), 'sum machine_id'));
  });

  test('fails when the period column is not allowed', () => {
    const agreements = agg('{ grain: month, measures: [count] }', 'energy_kwh');
    const [d] = errorsOf(agreements, 'invalid-aggregate');
    expect(d.message).toContain('timestampField "measured_at"');
  });

  test('fails when k is below the platform minimum', () => {
    const agreements = agg('{ grain: month, measures: [count], k: 3 }');
    const [d] = errorsOf(agreements, 'k-below-platform');
    expect(d).toMatchObject(positionOf(cooperativeText(agreements), '3 }'));
  });

  test('fails when the dataset names no member field', () => {
    const agreements = agg('{ grain: month, measures: [count] }');
    const sources = sharingSources(agreements);
    const text = sources.cooperatives[0].text.replace('    memberField: member_company_id\n', '');
    const result = compile({ ...sources, cooperatives: [{ ...sources.cooperatives[0], text }] }, { today: TODAY });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'aggregate-needs-member-field', severity: 'error', ...positionOf(text, 'aggregate:') })]);
  });

  test('a higher k is kept; the grant names only the statistics table and its columns', () => {
    const result = run(agg('{ dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh], k: 7 }'));
    expect(result.diagnostics).toEqual([]);
    const g = result.plan!.grants[0];
    expect(g.table).toBe('test_coop__readings__stats_mss');
    expect(g.aggregate!.k).toBe(7);
    expect(g.grantedColumns).toEqual(['period', 'machine_id', 'count', 'sum_energy_kwh']);
    expect(result.plan!.platform.sharedZone.tables).toEqual([]);
  });
});
