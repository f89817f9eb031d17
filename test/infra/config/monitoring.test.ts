import { parse, stringify } from 'yaml';
import type { ConfigSources } from '../../../infra';
import { MAX_DURATION_SECONDS, parseDuration } from '../../../infra/config/duration';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt, positionOf, korean } from '../../support/config';

// Generated sources, not config/: adding a cooperative file must never change this test.
const base = generateSources({ n: 6, seed: 17 });
const target = base.cooperatives.find((c) => /datasets:\n\s+- /.test(c.text))!;
const id = /id: (\S+)/.exec(target.text)![1];
const env = /name: (\S+)/.exec(base.platform.text)![1];

/** The sources with the target cooperative's first dataset edited. */
function withDataset(edit: (dataset: any) => void): { sources: ConfigSources; text: string } {
  const doc = parse(target.text);
  edit(doc.datasets[0]);
  const text = stringify(doc);
  return { sources: { ...base, cooperatives: base.cooperatives.map((c) => (c === target ? { ...c, text } : c)) }, text };
}
function withPlatform(edit: (platform: any) => void): ConfigSources {
  const doc = parse(base.platform.text);
  edit(doc);
  return { ...base, platform: { ...base.platform, text: stringify(doc) } };
}
const monitoringOf = (sources: ConfigSources) => compileAt(sources).plan!.cooperatives.find((c) => c.id === id)!.monitoring;

describe('monitoring defaults', () => {
  test('every dataset takes the platform quarantine ratio and has no silence limit', () => {
    const plan = compileAt(base).plan!;
    expect(plan.platform.monitoring).toEqual({ periodSeconds: 300, errors: 1, throttles: 1, durationOfTimeout: 0.8, quarantineRatio: 0.05, platformAlarmTopic: `kbiz-${env}-platform-alarms` });
    const m = monitoringOf(base);
    expect(m.alarmTopic).toBe(`kbiz-${env}-${id}-alarms`);
    expect(m.datasets.length).toBeGreaterThan(0);
    for (const d of m.datasets) expect(d).toEqual({ dataset: d.dataset, quarantineRatio: 0.05 });
  });
});

describe('monitoring from config', () => {
  test('expectedEvery becomes seconds and a dataset overrides the quarantine ratio', () => {
    const { sources } = withDataset((d) => {
      d.expectedEvery = '6h';
      d.monitoring = { quarantineRatio: 0.2 };
    });
    const name = parse(target.text).datasets[0].name;
    expect(monitoringOf(sources).datasets.find((d) => d.dataset === name)).toEqual({ dataset: name, quarantineRatio: 0.2, expectedEverySeconds: 21600 });
  });
  test('platform.yaml monitoring sets the defaults', () => {
    const sources = withPlatform((p) => (p.monitoring = { periodMinutes: 15, quarantineRatio: 0.1 }));
    const plan = compileAt(sources).plan!;
    expect(plan.platform.monitoring).toMatchObject({ periodSeconds: 900, quarantineRatio: 0.1, errors: 1 });
    expect(monitoringOf(sources).datasets[0].quarantineRatio).toBe(0.1);
  });
  test.each([['30m', 1800], ['1d', 86400], ['7d', MAX_DURATION_SECONDS], ['24h', 86400], ['5m', 300]])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ seconds });
  });
});

describe('expectedEvery validation', () => {
  test.each([
    ['6 hours', /정수와 단위.*must be a duration/],
    ['PT6H', /must be a duration/],
    ['1.5h', /must be a duration/],
    ['0h', /must be a duration/],
    ['2m', /5분.*between 5m and 7d/],
    ['8d', /7일.*between 5m and 7d/],
    ['36h', /일 단위.*whole days/],
  ])('fails on %s, at the value, in Korean and English, with a fix', (value, message) => {
    const { sources, text } = withDataset((d) => (d.expectedEvery = value));
    const result = compileAt(sources);
    expect(result.plan).toBeUndefined();
    const found = result.diagnostics.filter((x) => x.code === 'invalid-duration');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: target.displayPath, severity: 'error', ...positionOf(text, value, 'expectedEvery') });
    expect(`${korean(found[0]).message} / ${found[0].message}`).toMatch(message);
    expect(found[0].message).toContain(`"${value}"`);
    expect(korean(found[0]).hint).toMatch(/[가-힣]/);
    expect(found[0].hint).toMatch(/^[^가-힣]+$/);
  });
  test('36h suggests whole days', () => {
    const { sources } = withDataset((d) => (d.expectedEvery = '36h'));
    expect(compileAt(sources).diagnostics.find((x) => x.code === 'invalid-duration')!.hint).toContain('"2d"');
  });
  test('fails when a quarantine ratio is not a share', () => {
    const { sources } = withDataset((d) => (d.monitoring = { quarantineRatio: 5 }));
    expect(compileAt(sources).diagnostics.map((x) => x.code)).toContain('schema');
  });
  test('fails on an unknown monitoring key (an e-mail address has no place here)', () => {
    const sources = withPlatform((p) => (p.monitoring = { email: 'ops@example.com' }));
    expect(compileAt(sources).diagnostics.map((x) => x.code)).toContain('unknown-key');
  });
});
