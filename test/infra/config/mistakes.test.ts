/**
 * What a person gets wrong: template text left in, personal data in free text, unit case,
 * abbreviations. On a synthetic platform with one cooperative made from the template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, diagnosticText, fillTemplate, type ConfigSources, type Diagnostic } from '../../../infra';
import { formatMessage, msg } from '../../../infra/config/messages';
import { personalDataIn, TEMPLATE_PLACEHOLDERS } from '../../../infra/config/mistakes';
import { KNOWN_UNITS } from '../../../infra/config/units';
import { generateSources } from '../../../infra/testing/synthetic';
import { korean, positionOf, replaceOnce, TODAY } from '../../support/config';

const TEMPLATE = readFileSync(join(__dirname, '..', '..', '..', 'config', 'templates', 'cooperative.yaml'), 'utf8');
const generated = generateSources({ n: 1 } as never);
// Named as in a repository, so messages read as the guides show them.
const base: ConfigSources = { ...generated, platform: { ...generated.platform, displayPath: 'config/platform.yaml' } };

/** The template as `coop-idc new onboard-x` writes it, edited. */
function withFile(edit: (t: string) => string): { sources: ConfigSources; text: string } {
  const text = edit(fillTemplate(TEMPLATE, 'onboard-x', base)!);
  const file = { ...base.cooperatives[0], relativePath: 'cooperatives/onboard-x.yaml', displayPath: 'config/cooperatives/onboard-x.yaml', text };
  return { sources: { ...base, cooperatives: [...base.cooperatives, file] }, text };
}
const filled = (t: string) => TEMPLATE_PLACEHOLDERS.reduce((x, p, i) => x.replace(p, ['온보딩시험협동조합', 'Onboarding Test Cooperative', '설비 센서의 1분 단위 측정값', '업종별 설비 가동률 통계 연구'][i]), t);
const mine = (sources: ConfigSources): Diagnostic[] => compile(sources, { today: TODAY }).diagnostics.filter((d) => d.file.endsWith('onboard-x.yaml'));

test('the filled-in template validates', () => {
  expect(mine(withFile(filled).sources)).toEqual([]);
});

test('fails on every placeholder of the unedited template, at its line', () => {
  const { sources, text } = withFile((t) => t);
  const found = mine(sources);
  expect(found.map((d) => d.code)).toEqual(TEMPLATE_PLACEHOLDERS.map(() => 'template-placeholder'));
  expect(found.map((d) => [d.line, d.col])).toEqual(TEMPLATE_PLACEHOLDERS.map((p) => { const at = positionOf(text, p); return [at.line, at.col]; }));
  expect(diagnosticText(found[0], 'ko').message).toBe('name → ko: "협동조합 이름" — 템플릿의 예시 문구가 그대로 남아 있습니다');
  expect(found[0].message).toBe('name → ko still holds the template\'s placeholder "협동조합 이름"');
  // A list item is named as the user sees it: one-based, with its name.
  expect(diagnosticText(found[2], 'ko').message).toMatch(/^datasets\[1\] \(이름: [a-z_]+\) → description: /);
  expect(diagnosticText(found[2], 'en').message).toMatch(/^datasets\[1\] \(name: [a-z_]+\) → description still holds/);
});

test('every placeholder listed is in the template (the list cannot go stale)', () => {
  for (const p of TEMPLATE_PLACEHOLDERS) expect(TEMPLATE).toContain(p);
});

describe('personal data in free text', () => {
  test.each([
    ['010-1234-5678', '휴대전화 번호'],
    ['+82 10 1234 5678', '휴대전화 번호'],
    ['02-123-4567', '전화번호'],
    ['031-987-6543', '전화번호'],
    ['hong@coop.or.kr', '이메일 주소'],
    ['900101-1234567', '주민등록번호'],
    ['홍길동 과장', '사람 이름과 직함'],
    ['김철수 팀장', '사람 이름과 직함'],
    ['팀장 김철수', '사람 이름과 직함'],
    ['김철수대리', '사람 이름과 직함'],
    ['대리 이영희', '사람 이름과 직함'],
  ])('finds %s (%s)', (text, kind) => {
    const found = personalDataIn(`Data steward ${text}, 데이터팀`);
    expect(found && formatMessage('ko', msg(found.kind.kind))).toBe(kind);
  });

  test.each(['Data steward, Digital Transformation Team', '데이터 담당, 디지털전환팀', '디지털전환팀장', 'PIPA art. 28-2 (scientific research)', 'expires 2027-12-31', 'KBIZ 서비스데스크 큐 DATA', '정보보호팀장',
    // A team's head written as one word: the team's name is no person's (a surname syllable starts it).
    '정보팀장', '품질팀장', '생산관리팀장', '전산실장', '기획과장', '안전팀장 (공용 메일함)'])('leaves %s alone', (text) => {
    expect(personalDataIn(text)).toBeUndefined();
  });

  test('fails on a phone number in the contact role, at its line, with a hint', () => {
    const { sources, text } = withFile((t) => filled(t).replace('role: Data steward, Digital Transformation Team', 'role: 홍길동 과장 010-1234-5678'));
    const [d] = mine(sources);
    expect(d).toMatchObject({ code: 'personal-data', ...positionOf(text, '홍길동') });
    expect(diagnosticText(d, 'ko').message).toBe('contact → role: "010-1234-5678" — 개인정보(휴대전화 번호)로 보이는 값이 있습니다');
    expect(d.message).toBe('contact → role holds what looks like a mobile phone number: "010-1234-5678"');
    expect(korean(d).hint).toContain('데이터 담당, 디지털전환팀');
  });
});

describe('units', () => {
  test('are compared ignoring case: kWh next to convertFrom: wh is kwh, written once in the plan', () => {
    const { sources } = withFile((t) => replaceOnce(filled(t), '      - { name: temperature, type: double, unit: celsius, min: -40, max: 200 }', '      - { name: temperature, type: double, unit: Celsius, min: -40, max: 200 }\n      - { name: power, type: double, unit: kWh, convertFrom: wh }'));
    const result = compile(sources, { today: TODAY });
    expect(result.diagnostics).toEqual([]);
    const cols = result.plan!.cooperatives.find((c) => c.id === 'onboard-x')!.datasets[0].columns;
    expect(cols.filter((c) => c.unit).map((c) => c.unit)).toEqual(['celsius', 'kwh']);
  });

  test('still fail on a conversion that does not exist', () => {
    const { sources } = withFile((t) => replaceOnce(filled(t), 'unit: celsius, min', 'unit: kWh, convertFrom: psi, min'));
    expect(mine(sources).map((d) => d.code)).toEqual(['invalid-conversion']);
  });

  test('are the units ingestion knows', () => {
    const { unitSuffixes } = require('../../../lambdas/domain/units') as typeof import('../../../lambdas/domain/units');
    for (const u of KNOWN_UNITS) expect(unitSuffixes(u)).toContain(u === 'mm_s' ? 'mm_s' : u);
  });
});

describe('"did you mean"', () => {
  test('suggests the consumer an abbreviation begins (ibk → ibk-bank)', () => {
    const { sources } = withFile((t) => filled(t).replace('consumer: kiet', 'consumer: ibk'));
    expect(mine(sources).find((d) => d.code === 'unknown-consumer')?.hint).toBe('did you mean "ibk-bank"? known: ibk-bank, kiet, mss');
  });

  test('suggests the lowercase value of an enumeration (CSV → csv)', () => {
    const { sources } = withFile((t) => filled(t).replace('format: csv', 'format: CSV'));
    expect(mine(sources)[0].hint).toBe('did you mean `csv`?');
  });

  test.each(['docs/onboarding.en.md', 'docs/onboarding.ko.md'])('%s: every "did you mean" example is what the tool says', (doc) => {
    const text = readFileSync(join(__dirname, '..', '..', '..', doc), 'utf8');
    const examples = [...text.matchAll(/^config\/cooperatives\/[a-z0-9-]+\.yaml:\d+:\d+ error ([a-z-]+) ((?:consumer|이용기관) "([^"]+)".*\(((?:did you mean|"[^"]+"인가요\?).*)\))$/gm)];
    expect(examples.length).toBeGreaterThan(0);
    for (const [, code, message, value, hint] of examples) {
      const { sources } = withFile((t) => filled(t).replace('consumer: kiet', `consumer: ${value}`));
      const d = mine(sources).find((x) => x.code === code)!;
      // Each guide shows the messages in its own language.
      const t = diagnosticText(d, doc.endsWith('.ko.md') ? 'ko' : 'en');
      expect(`${t.message} (${t.hint})`).toBe(message.replace(/ \((did you mean|"[^"]+"인가요\?).*$/, ` (${hint})`));
    }
  });
});
