import { compile, loadSources, type ConfigSources } from '../../../infra';
import { compileAt, patch, positionOf, replaceOnce, sampleSources, korean } from '../../support/config';

const MACH = 'config/cooperatives/korea-machinery.yaml';

function diagnosticsFor(id: string, from: string, to: string) {
  let text = '';
  const sources = patch(sampleSources(), id, (t) => (text = replaceOnce(t, from, to)));
  const result = compileAt(sources);
  expect(result.plan).toBeUndefined();
  return { diagnostics: result.diagnostics, text };
}

describe('schema errors', () => {
  test('fails on an unknown key, pointing at the key and suggesting the right one', () => {
    const { diagnostics, text } = diagnosticsFor('korea-machinery', 'retentionDays: 1825', 'retentionDay: 1825');
    const unknown = diagnostics.find((d) => d.code === 'unknown-key')!;
    expect(unknown).toMatchObject({ file: MACH, ...positionOf(text, 'retentionDay:') });
    expect(unknown.message).toBe('unknown key `retentionDay` in datasets[1] (name: spindle_telemetry)');
    expect(korean(unknown).message).toBe('datasets[1] (이름: spindle_telemetry)에 알 수 없는 키 `retentionDay`');
    // The suggestion first.
    expect(unknown.hint).toMatch(/^did you mean `retentionDays`\? allowed keys: description, encoding, /);
    // One typo, one report: the required key it leaves missing is the one suggested.
    expect(diagnostics.map((d) => d.code)).toEqual(['unknown-key']);
  });

  test('fails on a missing key with no look-alike beside it, one-based and named', () => {
    const { diagnostics, text } = diagnosticsFor('korea-machinery', 'retentionDays: 1825', 'retention: 1825');
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['missing-key', 'unknown-key']);
    const missing = diagnostics.find((d) => d.code === 'missing-key')!;
    expect(missing).toMatchObject({ file: MACH, ...positionOf(text, 'name: spindle_telemetry') });
    expect(missing.message).toBe('missing required key datasets[1] (name: spindle_telemetry) → retentionDays');
  });

  test('fails on a wrong type, saying what was found and what is expected', () => {
    const { diagnostics, text } = diagnosticsFor('korea-machinery', 'count: 412', 'count: many');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'schema', ...positionOf(text, 'many') });
    expect(diagnostics[0].message).toBe('members → count is "many"; expected number');
    expect(korean(diagnostics[0]).message).toBe('members → count의 값 "many": number 유형이어야 합니다');
  });

  test('fails on a value outside an enum, listing the allowed values', () => {
    const { diagnostics, text } = diagnosticsFor('korea-machinery', 'encoding: cp949', 'encoding: shift-jis');
    expect(diagnostics[0]).toMatchObject({ code: 'schema', ...positionOf(text, 'shift-jis') });
    expect(diagnostics[0].message).toBe('datasets[1] (name: spindle_telemetry) → encoding is "shift-jis"; allowed: utf-8, cp949, euc-kr');
  });

  test('fails on an unpinned image, explaining why digests are required', () => {
    const { diagnostics } = diagnosticsFor('korea-food', /@sha256:[0-9a-f]+/.exec(sampleSources().cooperatives.find((c) => c.relativePath.endsWith('korea-food.yaml'))!.text)![0], ':latest');
    expect(diagnostics[0].message).toMatch(/must be pinned by digest/);
  });

  test('fails on an unquoted account id with a hint to quote it', () => {
    let text = '';
    const sources = patch(sampleSources(), 'platform', (t) => (text = replaceOnce(t, 'account: "111122223333"', 'account: 111122223333')));
    const [d] = compileAt(sources).diagnostics;
    expect(d).toMatchObject({ file: 'config/platform.yaml', ...positionOf(text, '111122223333') });
    expect(d.hint).toMatch(/quote the value/);
  });

  test('fails on an invalid id with the DNS-1123 rule', () => {
    const { diagnostics } = diagnosticsFor('korea-textile', 'id: korea-textile', 'id: Korea_Textile');
    expect(diagnostics[0].message).toMatch(/DNS-1123 label/);
  });

  test('fails on a calendar date that does not exist', () => {
    const { diagnostics } = diagnosticsFor('korea-machinery', 'expires: "2027-12-31"', 'expires: "2027-02-30"');
    expect(diagnostics[0].message).toMatch(/is not a calendar date/);
  });

  test('fails on a YAML syntax error at its line and column', () => {
    const { diagnostics } = diagnosticsFor('korea-machinery', 'ksic: C29', 'ksic: [C29');
    expect(diagnostics[0]).toMatchObject({ file: MACH, code: 'yaml-syntax' });
    expect(diagnostics[0].line).toBeGreaterThan(1);
  });

  test('fails on duplicate keys', () => {
    const { diagnostics, text } = diagnosticsFor('korea-machinery', 'ksic: C29', 'ksic: C29\nksic: C28');
    expect(diagnostics[0]).toMatchObject({ code: 'yaml-syntax', message: 'duplicated mapping key', line: positionOf(text, 'ksic: C28').line });
    expect(diagnostics[0].hint).toMatch(/remove or merge/);
  });

  test('fails on an empty file', () => {
    const sources = patch(sampleSources(), 'korea-machinery', () => '# nothing yet\n');
    const [d] = compileAt(sources).diagnostics;
    expect(d).toMatchObject({ file: MACH, line: 1, col: 1, code: 'empty-file' });
  });

  test('fails on alias expansion bombs without exhausting memory', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    const sources = patch(sampleSources(), 'korea-machinery', () => bomb);
    const [d] = compileAt(sources).diagnostics;
    expect(d.code).toBe('yaml-syntax');
  });

  test('still runs cross-file rules on the valid files when one file is broken', () => {
    let sources: ConfigSources = patch(sampleSources(), 'korea-machinery', (t) => replaceOnce(t, 'ksic: C29', 'ksic: [C29'));
    sources = patch(sources, 'korea-food', (t) => replaceOnce(t, 'consumer: mss', 'consumer: nobody'));
    const codes = compileAt(sources).diagnostics.map((d) => d.code).sort();
    expect(codes).toEqual(['unknown-consumer', 'yaml-syntax']);
  });
});

describe('loadSources', () => {
  test('applies schema defaults', () => {
    const { config } = loadSources(sampleSources());
    const textile = config!.cooperatives.find((c) => c.value.id === 'korea-textile')!.value;
    expect(textile.idc?.quota.services).toBe(10);
    expect(textile.idc?.models).toEqual([]);
    expect(textile.datasets[0].timeZone).toBe('Asia/Seoul');
  });

  test('reports a missing platform file position-free problems at 1:1', () => {
    const sources = { ...sampleSources(), platform: { displayPath: 'x/platform.yaml', relativePath: 'platform.yaml', text: '' } };
    const result = compile(sources, { today: '2026-11-27' });
    expect(result.diagnostics[0]).toMatchObject({ file: 'x/platform.yaml', line: 1, col: 1, code: 'empty-file' });
  });
});
