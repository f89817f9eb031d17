import type { Diagnostic } from '../../../infra';
import { addDays, earliestRetainUntil } from '../../../infra/config/lifecycle';
import { BASE_COOP, CORPUS_TODAY, baseText, compileCorpus, withCooperatives } from '../../support/corpus';
import { positionOf, replaceOnce, korean } from '../../support/config';

// The fixture cooperative's only dataset keeps 365 days; CORPUS_TODAY is 2026-12-05.
const lifecycle = (lines: string) => replaceOnce(baseText(BASE_COOP), 'ksic: C29\n', `ksic: C29\n${lines}`);
const diagnosticsOf = (text: string, today = CORPUS_TODAY) => {
  const r = today === CORPUS_TODAY ? compileCorpus(withCooperatives(text)) : require('../../../infra').compile(withCooperatives(text), { today });
  return r.diagnostics as Diagnostic[];
};
const only = (text: string, code: string, today?: string) => {
  const ds = diagnosticsOf(text, today);
  expect(ds.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([code]);
  return ds.find((d) => d.code === code)!;
};

describe('lifecycle keys: valid', () => {
  test('a cooperative without status is active and needs no dates', () => {
    const r = compileCorpus(withCooperatives(baseText(BASE_COOP)));
    expect(r.diagnostics).toEqual([]);
    expect(r.plan!.cooperatives[0].lifecycle).toBeUndefined();
  });

  test('offboarding with dates covering the retention compiles', () => {
    const r = compileCorpus(withCooperatives(lifecycle('status: offboarding\nsince: "2026-12-01"\nretainUntil: "2027-12-01"\n')));
    expect(r.diagnostics).toEqual([]);
    expect(r.plan!.cooperatives[0].lifecycle).toMatchObject({ status: 'offboarding', since: '2026-12-01', retainUntil: '2027-12-01' });
  });

  test('an agreement that expired during offboarding is no error: it was revoked anyway', () => {
    const text = replaceOnce(lifecycle('status: offboarding\nsince: "2026-01-01"\nretainUntil: "2027-01-01"\n'), 'expires: "2099-12-31"', 'expires: "2026-01-31"');
    expect(diagnosticsOf(text)).toEqual([]);
  });

  test('removed compiles once retainUntil has passed', () => {
    const text = lifecycle('status: removed\nsince: "2025-01-01"\nretainUntil: "2026-01-01"\n');
    expect(diagnosticsOf(text)).toEqual([]);
  });

  test('earliestRetainUntil: since plus the longest retention; since without datasets', () => {
    expect(earliestRetainUntil({ datasets: [{ name: 'a', retentionDays: 10 }, { name: 'b', retentionDays: 365 }] as never }, '2026-03-01')).toEqual({ date: '2027-03-01', dataset: 'b', days: 365 });
    expect(earliestRetainUntil({ datasets: [] }, '2026-03-01')).toEqual({ date: '2026-03-01', days: 0 });
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('lifecycle keys: fails when', () => {
  test('fails when status is not one of the three states (schema, at the value)', () => {
    const text = lifecycle('status: leaving\n');
    const d = diagnosticsOf(text).find((x) => x.code === 'schema')!;
    expect(d).toBeDefined();
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, 'leaving'));
    expect(d.message).toMatch(/offboarding/);
  });

  test('fails when since is not a calendar date', () => {
    const text = lifecycle('status: offboarding\nsince: "2026-02-30"\nretainUntil: "2027-12-01"\n');
    const d = diagnosticsOf(text).find((x) => x.code === 'schema')!;
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, '"2026-02-30"'));
  });

  test('fails when an active cooperative declares since or retainUntil (at each key)', () => {
    const text = lifecycle('since: "2026-12-01"\nretainUntil: "2027-12-01"\n');
    const ds = diagnosticsOf(text).filter((d) => d.severity === 'error');
    expect(ds.map((d) => d.code)).toEqual(['lifecycle-date-without-offboarding', 'lifecycle-date-without-offboarding']);
    expect(ds.map((d) => ({ line: d.line, col: d.col }))).toEqual([positionOf(text, 'since:'), positionOf(text, 'retainUntil:')]);
    expect(korean(ds[0]).message).toMatch(/^`since`은\(는\) status가 offboarding/);
    expect(ds[0].message).toMatch(/^`since` only applies with status offboarding/);
  });

  test('fails when offboarding has no retainUntil (at the status value)', () => {
    const text = lifecycle('status: offboarding\nsince: "2026-12-01"\n');
    const d = only(text, 'lifecycle-date-missing');
    expect({ file: d.file, line: d.line, col: d.col }).toEqual({ file: BASE_COOP, ...positionOf(text, 'offboarding') });
    expect(d.message).toContain('`retainUntil`');
  });

  test('fails when removed has neither date', () => {
    const text = lifecycle('status: removed\n');
    const d = only(text, 'lifecycle-date-missing');
    expect(d.message).toMatch(/`since` and `retainUntil`/);
  });

  test('fails when offboarding begins after today (at since)', () => {
    const text = lifecycle('status: offboarding\nsince: "2026-12-06"\nretainUntil: "2027-12-06"\n');
    const d = only(text, 'offboarding-in-future');
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, '"2026-12-06"'));
    expect(d.message).toContain('today is 2026-12-05');
  });

  test('fails when retainUntil is before since (at retainUntil)', () => {
    const text = lifecycle('status: offboarding\nsince: "2026-12-01"\nretainUntil: "2026-11-30"\n');
    const d = only(text, 'retain-until-before-since');
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, '"2026-11-30"'));
  });

  test('fails when retainUntil does not cover the longest dataset retention (one day short)', () => {
    const text = lifecycle('status: offboarding\nsince: "2026-12-01"\nretainUntil: "2027-11-30"\n');
    const d = only(text, 'retain-until-too-short');
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, '"2027-11-30"'));
    expect(d.message).toContain('dataset "readings"');
    expect(d.hint).toContain('2027-12-01');
  });

  test('fails when status is removed before retainUntil has passed, including on retainUntil itself', () => {
    const text = lifecycle('status: removed\nsince: "2025-12-05"\nretainUntil: "2026-12-05"\n');
    const d = only(text, 'removed-before-retain-until');
    expect({ line: d.line, col: d.col }).toEqual(positionOf(text, 'removed'));
    expect(d.hint).toContain('2026-12-06');
    // The day after, the same file is valid: the date comes from the caller's today.
    expect(diagnosticsOf(text, '2026-12-06')).toEqual([]);
  });
});
