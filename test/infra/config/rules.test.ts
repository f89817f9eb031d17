import type { ConfigSources } from '../../../infra';
import { compileAt, patch, positionOf, replaceOnce, sampleSources, sampleTotals } from '../../support/config';
import { formatCapacityTable } from '../../../infra/plan/capacity';

const MACH = 'config/cooperatives/korea-machinery.yaml';
const PLATFORM = 'config/platform.yaml';

/** Compiles, expects no plan, and returns the diagnostics of one code. */
function errorsOf(sources: ConfigSources, code: string) {
  const result = compileAt(sources);
  expect(result.plan).toBeUndefined();
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found.length).toBeGreaterThan(0);
  return found;
}

/** Edits a cooperative (by id) and returns the sources and the edited text. */
function edit(id: string, from: string, to: string) {
  let text = '';
  const sources = patch(sampleSources(), id, (t) => (text = replaceOnce(t, from, to)));
  return { sources, text };
}

function editPlatform(from: string, to: string) {
  let text = '';
  const sources = patch(sampleSources(), 'platform', (t) => (text = replaceOnce(t, from, to)));
  return { sources, text };
}

describe('cross-file rules', () => {
  test('the samples pass every rule', () => {
    expect(compileAt(sampleSources()).diagnostics).toEqual([]);
  });

  test('fails when the id differs from the file name', () => {
    const { sources, text } = edit('korea-machinery', 'id: korea-machinery', 'id: korea-machine');
    const [d] = errorsOf(sources, 'id-mismatch');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, 'korea-machine\n') });
    expect(d.hint).toMatch(/rename the file to korea-machine\.yaml/);
  });

  test('fails when two files declare the same id', () => {
    const base = sampleSources();
    const copy = base.cooperatives.find((c) => c.relativePath.endsWith('korea-food.yaml'))!;
    const sources = { ...base, cooperatives: [...base.cooperatives, { ...copy, displayPath: 'config/cooperatives/zz/korea-food.yaml', relativePath: 'cooperatives/zz/korea-food.yaml' }] };
    const [d] = errorsOf(sources, 'duplicate-id');
    expect(d.file).toBe('config/cooperatives/zz/korea-food.yaml');
    expect(d.message).toMatch(/already used by config\/cooperatives\/korea-food\.yaml/);
  });

  test('fails when a consumer id is declared twice', () => {
    const { sources } = editPlatform('  - id: mss\n', '  - id: kiet\n');
    const [d] = errorsOf(sources, 'duplicate-id');
    expect(d.file).toBe(PLATFORM);
  });

  test('fails when an agreement names an unknown consumer, with a suggestion', () => {
    const { sources, text } = edit('korea-machinery', 'consumer: ibk-bank', 'consumer: ibk-bnak');
    const [d] = errorsOf(sources, 'unknown-consumer');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, 'ibk-bnak') });
    expect(d.hint).toMatch(/did you mean "ibk-bank"\?/);
  });

  test('fails when an agreement names an unknown dataset', () => {
    const { sources, text } = edit('korea-machinery', 'dataset: maintenance_events', 'dataset: maintenance_log');
    const [d] = errorsOf(sources, 'unknown-dataset');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, 'maintenance_log') });
  });

  test('fails when an allowed column does not exist', () => {
    const { sources, text } = edit('korea-machinery', 'columns: [failure_code,', 'columns: [failure_kode,');
    const [d] = errorsOf(sources, 'unknown-column');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, 'failure_kode') });
    expect(d.hint).toMatch(/did you mean "failure_code"/);
  });

  test('fails when timestampField is not a field', () => {
    const { sources, text } = edit('korea-machinery', 'timestampField: occurred_at', 'timestampField: happened_at');
    const [d] = errorsOf(sources, 'unknown-column');
    expect(d).toMatchObject(positionOf(text, 'happened_at'));
  });

  test('fails when timestampField is not a timestamp or date', () => {
    const { sources } = edit('korea-machinery', 'timestampField: occurred_at', 'timestampField: failure_code');
    errorsOf(sources, 'invalid-timestamp-field');
  });

  test('fails when the time zone is unknown', () => {
    const { sources, text } = edit('korea-machinery', 'timeZone: Asia/Seoul', 'timeZone: Asia/Busan');
    const [d] = errorsOf(sources, 'invalid-time-zone');
    expect(d).toMatchObject(positionOf(text, 'Asia/Busan'));
  });

  test('fails when an agreement expired more than 30 days ago', () => {
    const { sources, text } = edit('korea-machinery', 'expires: "2027-12-31"', 'expires: "2026-10-27"');
    const [d] = errorsOf(sources, 'agreement-expired');
    expect(d).toMatchObject({ file: MACH, severity: 'error', ...positionOf(text, '"2026-10-27"') });
    expect(d.message).toContain('today is 2026-11-27');
  });

  test('an agreement expired up to 30 days ago is a warning at its line, and the plan is still built', () => {
    for (const expires of ['2026-11-26', '2026-10-28']) {
      const { sources, text } = edit('korea-machinery', 'expires: "2027-12-31"', `expires: "${expires}"`);
      const result = compileAt(sources);
      expect(result.plan).toBeDefined();
      expect(result.diagnostics).toEqual([expect.objectContaining({ file: MACH, severity: 'warning', code: 'agreement-expired', ...positionOf(text, `"${expires}"`) })]);
      expect(result.diagnostics[0].message).toMatch(/access already ended/);
    }
  });

  test('an agreement expiring today is still valid', () => {
    const { sources } = edit('korea-machinery', 'expires: "2027-12-31"', 'expires: "2026-11-27"');
    expect(compileAt(sources).diagnostics).toEqual([]);
  });

  test.each([
    ['finance', 'ibk-bank'],
    ['government', 'mss'],
  ])('fails when identifier columns are shared raw with a %s consumer', (_kind, consumer) => {
    let text = '';
    const sources = patch(sampleSources(), 'korea-machinery', (t) => {
      text = replaceOnce(t, 'consumer: kiet\n    dataset: spindle_telemetry', `consumer: ${consumer}\n    dataset: spindle_telemetry`);
      text = replaceOnce(text, 'level: pseudonymized', 'level: raw');
      return text;
    });
    const found = errorsOf(sources, 'pii-raw-share');
    expect(found.map((d) => d.message)).toEqual([expect.stringContaining('column "member_company_id" is identifier data')]);
    expect(found[0]).toMatchObject(positionOf(text, 'member_company_id', 'columns: [machine_id'));
  });

  test('fails when sensitive columns are shared raw with the ministry', () => {
    const { sources } = edit('kbiz-federation', 'representative_age]\n    level: aggregated', 'disability_owned]\n    level: raw');
    const [d] = errorsOf(sources, 'sensitive-without-basis');
    expect(d.message).toMatch(/"disability_owned" is sensitive data/);
  });

  test('allows identifier columns raw for research consumers', () => {
    const { sources } = edit('korea-machinery', 'level: pseudonymized', 'level: raw');
    expect(compileAt(sources).diagnostics).toEqual([]);
  });

  test('fails when a derived name exceeds its limit, saying how much to cut', () => {
    const long = 'a-very-long-cooperative-identifier-x';
    const base = sampleSources();
    const src = base.cooperatives.find((c) => c.relativePath.endsWith('korea-textile.yaml'))!;
    const sources = {
      ...base,
      cooperatives: [...base.cooperatives.filter((c) => c !== src), { displayPath: `config/cooperatives/${long}.yaml`, relativePath: `cooperatives/${long}.yaml`, text: src.text.replace('id: korea-textile', `id: ${long}`) }],
    };
    const [d] = errorsOf(sources, 'name-too-long');
    expect(d.message).toMatch(/derived bucket name "kbiz-prod-a-very-long-cooperative-identifier-x-quarantine-111122223333" is 70 characters; the limit is 63/);
    expect(d.hint).toBe('shorten the id by 7 characters');
  });

  test('fails when quotas exceed the cluster, with a table of who uses what', () => {
    const { sources, text } = editPlatform('nvidia-a100-80gb: 16', 'nvidia-a100-80gb: 3');
    const result = compileAt(sources);
    const [d] = result.diagnostics.filter((x) => x.code === 'capacity-exceeded');
    expect(d).toMatchObject({ file: PLATFORM, ...positionOf(text, '3', 'nvidia-a100-80gb: ') });
    expect(d.message).toBe('quotas reserve 4 gpu/nvidia-a100-80gb but the cluster has 3');
    const table = (lang: 'ko' | 'en') => formatCapacityTable(result.capacityExceeded!, lang, { onlyExceeded: true });
    expect(table('en')).toMatch(/gpu\/nvidia-a100-80gb\s+requested\s+4 of\s+3 \(133\.3%\)\s+EXCEEDED\n\s+korea-machinery\s+4/);
    expect(table('en')).not.toMatch(/^cpu/m);
    // The same rows in Korean, aligned the same way (the words between the columns are fixed).
    expect(table('ko')).toMatch(/gpu\/nvidia-a100-80gb\s+요청\s+4 \/ 용량\s+3 \(133\.3%\)  초과\n\s+korea-machinery\s+4/);
  });

  test('fails when CPU quotas exceed the cluster', () => {
    const { sources } = editPlatform('cpu: "512"', 'cpu: "100"');
    const [d] = errorsOf(sources, 'capacity-exceeded');
    expect(d.message).toBe(`quotas reserve ${sampleTotals().cpu} cpu but the cluster has 100`);
  });

  test('fails when a quota names a GPU model the cluster does not have', () => {
    const { sources, text } = edit('korea-machinery', '      nvidia-a100-80gb: 4', '      nvidia-h100: 4');
    const found = errorsOf(sources, 'unknown-gpu-model');
    expect(found[0]).toMatchObject(positionOf(text, 'nvidia-h100'));
  });

  test('fails when models need more than the quota', () => {
    const { sources } = edit('korea-machinery', 'replicas: 2\n      port: 8080\n      cpu: "8"', 'replicas: 7\n      port: 8080\n      cpu: "8"');
    const found = errorsOf(sources, 'model-exceeds-quota');
    expect(found.map((d) => d.message)).toEqual([
      'models request 56 CPU in total but the quota is 48',
      'models request 336Gi memory in total but the quota is 192Gi',
      'models request 7 nvidia-a100-80gb GPU(s) but the quota allows 4',
    ]);
  });

  test('fails when subscribing to an unknown shared server', () => {
    const { sources, text } = edit('korea-machinery', 'sharedServers: [machinery-common-data]', 'sharedServers: [machinery-common]');
    const [d] = errorsOf(sources, 'unknown-shared-server');
    expect(d).toMatchObject(positionOf(text, 'machinery-common]'));
    expect(d.hint).toMatch(/did you mean "machinery-common-data"/);
  });

  test("fails when subscribing to another industry's shared server", () => {
    const { sources } = edit('korea-food', 'sharedServers: [food-traceability]', 'sharedServers: [machinery-common-data]');
    const [d] = errorsOf(sources, 'shared-server-not-eligible');
    expect(d.message).toMatch(/serves industries C24, C25, C29; this cooperative's KSIC code is C10/);
  });

  test('fails when log retention is below what sensitive data requires', () => {
    const { sources, text } = editPlatform('logRetentionDays: 731', 'logRetentionDays: 400');
    const [d] = errorsOf(sources, 'retention-too-short');
    expect(d).toMatchObject({ file: PLATFORM, ...positionOf(text, '400') });
    expect(d.message).toMatch(/at least 731 are required/);
  });

  test('requires only 365 days without sensitive or large-scale data', () => {
    let sources = patch(sampleSources(), 'platform', (t) => replaceOnce(replaceOnce(t, 'logRetentionDays: 731', 'logRetentionDays: 365'), 'largeScalePersonalData: true', 'largeScalePersonalData: false'));
    expect(compileAt(sources).diagnostics.map((d) => d.code)).toEqual(['retention-too-short']);
    sources = patch(sources, 'kbiz-federation', (t) => replaceOnce(t, 'pii: sensitive', 'pii: none'));
    expect(compileAt(sources).diagnostics).toEqual([]);
  });

  test('fails when min is greater than max', () => {
    const { sources } = edit('korea-machinery', 'min: -40, max: 250', 'min: 300, max: 250');
    errorsOf(sources, 'invalid-range');
  });

  test('fails when a text field declares numeric bounds', () => {
    const { sources } = edit('korea-machinery', '{ name: failure_code, type: string, required: true }', '{ name: failure_code, type: string, required: true, min: 1 }');
    errorsOf(sources, 'invalid-field');
  });

  test('fails when a unit conversion is impossible', () => {
    const { sources } = edit('korea-machinery', 'unit: celsius, convertFrom: fahrenheit', 'unit: kwh, convertFrom: fahrenheit');
    const [d] = errorsOf(sources, 'invalid-conversion');
    expect(d.hint).toBe('convert fahrenheit to one of: celsius');
  });

  test('fails when a conversion has no target unit', () => {
    const { sources } = edit('korea-machinery', 'unit: celsius, convertFrom: fahrenheit', 'convertFrom: fahrenheit');
    errorsOf(sources, 'invalid-field');
  });

  test('fails when a non-quasi-identifier is generalized', () => {
    const { sources } = edit('korea-machinery', 'pii: quasi-identifier, generalize', 'pii: none, generalize');
    errorsOf(sources, 'invalid-generalization');
  });

  test('fails when a generalization does not fit the type', () => {
    const { sources } = edit('korea-machinery', 'generalize: { truncate: 2 }', 'generalize: { bucket: 10 }');
    const [d] = errorsOf(sources, 'invalid-generalization');
    expect(d.message).toBe('"bucket" cannot generalize a string field');
  });

  test('fails when the same agreement is declared twice', () => {
    const agreement = (level: string) =>
      `  - consumer: kiet\n    dataset: maintenance_events\n    purpose: A second agreement on the same data\n    columns: [failure_code, occurred_at]\n    level: ${level}\n    expires: "2027-12-31"\n    legalBasis: PIPA art. 28-2\n${level === 'aggregated' ? '    aggregate: { dimensions: [failure_code], grain: month, measures: [count] }\n' : ''}`;
    const add = (level: string) => patch(sampleSources(), 'korea-machinery', (t) => replaceOnce(t, '\nidc:\n', `\n${agreement('aggregated')}${agreement(level)}\nidc:\n`));
    // The same consumer and dataset at two levels is two agreements, not a duplicate.
    expect(compileAt(add('pseudonymized')).diagnostics).toEqual([]);
    const [d] = errorsOf(add('aggregated'), 'duplicate-agreement');
    expect(d.message).toBe('an agreement at level aggregated for consumer "kiet" on dataset "maintenance_events" already exists');
  });

  test('fails when a dataset or field name repeats', () => {
    errorsOf(edit('korea-machinery', '- name: maintenance_events', '- name: spindle_telemetry').sources, 'duplicate-name');
    errorsOf(edit('korea-machinery', '{ name: spindle_rpm,', '{ name: spindle_temp,').sources, 'duplicate-name');
  });

  test('a field may name its source column with header: in any Unicode', () => {
    const { sources } = edit('korea-machinery', '{ name: spindle_temp, type: double,', '{ name: spindle_temp, header: "온도(°C)", type: double,');
    expect(compileAt(sources).diagnostics).toEqual([]);
  });

  test('fails when two fields read the same source column once headers are normalised', () => {
    const { sources, text } = edit('korea-machinery', '{ name: vibration_rms, type: double,', '{ name: vibration_rms, header: " Spindle-Temp ", type: double,');
    const [d] = errorsOf(sources, 'duplicate-header');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, '" Spindle-Temp "') });
    expect(d.message).toBe('field "vibration_rms" reads source column " Spindle-Temp ", which field "spindle_temp" already reads (both are "spindle_temp" once Unicode NFC, trimming, case, spaces and dashes are set aside)');
  });

  test('fails when two headers differ only by Unicode normalisation (composed and decomposed Hangul)', () => {
    let text = '';
    const sources = patch(sampleSources(), 'korea-machinery', (t) => (text = replaceOnce(replaceOnce(t,
      '{ name: spindle_temp, type: double,', '{ name: spindle_temp, header: "온도", type: double,'),
      '{ name: vibration_rms, type: double,', `{ name: vibration_rms, header: "${'온도'.normalize('NFD')}", type: double,`)));
    const [d] = errorsOf(sources, 'duplicate-header');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, `"${'온도'.normalize('NFD')}"`) });
  });

  test('fails when a header is blank', () => {
    const { sources, text } = edit('korea-machinery', '{ name: spindle_temp, type: double,', '{ name: spindle_temp, header: "  ", type: double,');
    const [d] = errorsOf(sources, 'schema');
    expect(d).toMatchObject({ file: MACH, ...positionOf(text, '"  "'), message: 'datasets[1] (name: spindle_telemetry) → fields[4] (name: spindle_temp) → header is "  "; must name the column (it is blank)' });
  });

  test('reports every problem in one run, sorted by file and position', () => {
    let sources = patch(sampleSources(), 'korea-machinery', (t) => replaceOnce(replaceOnce(t, 'consumer: ibk-bank', 'consumer: nobody'), 'expires: "2028-06-30"', 'expires: "2020-01-01"'));
    sources = patch(sources, 'korea-food', (t) => replaceOnce(t, 'dataset: production_lots', 'dataset: lots'));
    const codes = compileAt(sources).diagnostics.map((d) => `${d.file.split('/').pop()}:${d.code}`);
    expect(codes).toEqual(['korea-food.yaml:unknown-dataset', 'korea-machinery.yaml:agreement-expired', 'korea-machinery.yaml:unknown-consumer']);
  });
});
