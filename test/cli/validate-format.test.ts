/** `validate --format text|json|sarif`: the same problems, as lines, as JSON, as SARIF 2.1.0. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { copySamples, positionOf, sampleCooperativeIds, TODAY } from '../support/config';
import { sarifErrors } from '../support/sarif';

let dir: string;
let file: string;
let at: { line: number; col: number };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-format-'));
  copySamples(join(dir, 'config'));
  const id = sampleCooperativeIds()[0];
  file = `config/cooperatives/${id}.yaml`;
  const text = readFileSync(join(dir, file), 'utf8').replace(/^ksic: (.*)$/m, 'ksic: nonsense');
  writeFileSync(join(dir, file), text);
  at = positionOf(text, 'nonsense');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('text (the default) prints located lines on stderr', async () => {
  const r = await run('validate', file, '--format', 'text');
  expect(r.code).toBe(1);
  expect(r.err).toContain(`${file}:${at.line}:${at.col} error schema`);
  expect(r.out).toBe('');
});

test('json prints one document on stdout with every diagnostic, exit code unchanged', async () => {
  const r = await run('validate', file, '--format', 'json');
  expect(r.code).toBe(1);
  const doc = JSON.parse(r.out);
  expect(doc).toMatchObject({ version: 1, errors: 1, warnings: 0, valid: [] });
  expect(doc.diagnostics).toEqual([expect.objectContaining({ file, line: at.line, col: at.col, code: 'schema', severity: 'error' })]);
});

test.each([
  ['ko', /^값의 유형·형식 오류\n해결: 메시지와 템플릿 참고$/, /의 값 "nonsense"/],
  ['en', /^a value has the wrong type or format\nFix: follow the message; see the template$/, / is "nonsense"/],
])('sarif --lang %s prints a valid SARIF 2.1.0 log with file, line, column, rule id, message and help in that language', async (lang, help, message) => {
  const r = await run('validate', file, '--format', 'sarif', '--lang', lang);
  expect(r.code).toBe(1);
  const log = JSON.parse(r.out);
  expect(sarifErrors(log)).toEqual([]);
  const [result] = log.runs[0].results;
  expect(result).toMatchObject({ ruleId: 'schema', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: { startLine: at.line, startColumn: at.col } } }] });
  expect(result.message.text).toMatch(message);
  const rule = log.runs[0].tool.driver.rules[result.ruleIndex];
  expect(rule.help.text).toMatch(help);
});

test('json --lang ko gives the messages in Korean, the codes and positions as they are', async () => {
  const r = await run('validate', file, '--format', 'json', '--lang', 'ko');
  const doc = JSON.parse(r.out);
  expect(doc).toMatchObject({ version: 1, lang: 'ko', errors: 1 });
  expect(doc.diagnostics).toEqual([expect.objectContaining({ file, line: at.line, col: at.col, code: 'schema', message: 'ksic의 값 "nonsense": KSIC 코드여야 합니다: 대분류 영문자 뒤에 숫자 2~5자리. 예: C29', hint: 'config/templates/cooperative.yaml 의 예를 참고하세요' })]);
  expect(doc.diagnostics[0]).not.toHaveProperty('text');
});

test('a valid folder gives an empty SARIF run and exit 0', async () => {
  const clean = mkdtempSync(join(tmpdir(), 'coop-idc-format-'));
  try {
    copySamples(join(clean, 'config'));
    const out: string[] = [];
    const code = await main(['validate', '--format', 'sarif'], { cwd: clean, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(0);
    const log = JSON.parse(out.join('\n'));
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
  } finally {
    rmSync(clean, { recursive: true, force: true });
  }
});

test('fails with a usage error on an unknown format', async () => {
  const r = await run('validate', '--format', 'xml');
  expect(r.code).toBe(2);
  expect(r.err).toContain('--format is "xml"; expected one of text, json, sarif');
});
