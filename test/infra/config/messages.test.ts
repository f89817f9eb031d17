/**
 * The message catalogue: every entry in both languages, none empty, the same placeholders in
 * both, every rule code with its help; the language a run resolves; paths as a person reads
 * them.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { RULE_CODES, RULE_HELP } from '../../../infra/config/rule-help';
import { CATALOGUE, formatMessage, formatUserPath, LANGS, langOfLocale, msg, resolveLang, userPathOf, type MessageId } from '../../../infra/config/messages';

/** Argument names anywhere in an ICU message (a count may be plural in one language, plain in the other). */
function placeholders(text: string, lang: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: readonly unknown[]) => {
    for (const n of nodes as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      // Types of @formatjs/icu-messageformat-parser: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural.
      if (n.type >= 1 && n.type <= 6 && n.value !== undefined) found.add(n.value);
      for (const o of Object.values(n.options ?? {})) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).getAst());
  return [...found].sort();
}

const entries = Object.entries(CATALOGUE) as [MessageId, { ko: string; en: string }][];

describe('the catalogue', () => {
  test('holds the messages (not a stub)', () => {
    expect(entries.length).toBeGreaterThan(300);
  });

  test.each(entries)('%s is in both languages, not empty, with the same placeholders', (_id, entry) => {
    for (const lang of LANGS) {
      expect(typeof entry[lang]).toBe('string');
      expect(entry[lang].trim()).not.toBe('');
    }
    expect(placeholders(entry.ko, 'ko')).toEqual(placeholders(entry.en, 'en'));
  });

  test('has only the two languages', () => {
    expect(entries.filter(([, e]) => Object.keys(e).sort().join() !== 'en,ko').map(([id]) => id)).toEqual([]);
  });

  test('every rule code has its meaning and fix in both languages', () => {
    expect(RULE_CODES.length).toBeGreaterThan(60);
    for (const code of RULE_CODES) {
      expect(Object.hasOwn(CATALOGUE, `fix.${code}`)).toBe(true);
      const h = RULE_HELP[code];
      expect([h.ko, h.en, h.fixKo, h.fixEn].every((t) => t.trim().length > 0)).toBe(true);
      // The Korean text is Korean; the English text is not.
      expect(`${h.ko}${h.fixKo}`).toMatch(/[가-힣]/);
      expect(`${h.en}${h.fixEn}`).not.toMatch(/[가-힣]/);
    }
  });

  test('every fix.<code> belongs to a rule.<code>', () => {
    const fixes = entries.map(([id]) => id).filter((id) => id.startsWith('fix.')).map((id) => id.slice(4));
    expect(fixes.filter((c) => !RULE_CODES.includes(c))).toEqual([]);
  });

  test('the check fails on an entry that lacks a language or a placeholder (the check can fail)', () => {
    expect(() => placeholders('{a', 'ko')).toThrow();
    expect(placeholders('{n, plural, one {# error} other {# errors}} in {file}', 'en')).not.toEqual(placeholders('오류 {n}개', 'ko'));
  });
});

describe('rendering', () => {
  test('counts with the plural rules of each language', () => {
    expect(formatMessage('en', msg('common.errors', { errors: 1, hidden: 0 }))).toBe('1 error');
    expect(formatMessage('en', msg('common.errors', { errors: 3, hidden: 2 }))).toBe("3 errors (and 2 in other files; run 'coop-idc validate' to see them)");
    expect(formatMessage('ko', msg('common.errors', { errors: 3, hidden: 0 }))).toBe('오류 3개');
    expect(formatMessage('ko', msg('common.errors', { errors: 1, hidden: 2 }))).toBe("오류 1개 (다른 파일에 2개 더 있습니다. 'coop-idc validate'로 확인하세요)");
  });

  test('renders nested messages in the same language', () => {
    const ref = msg('mistakes.personal', { path: { path: ['contact', 'role'] }, kind: msg('personal.email'), found: 'a@b.kr' });
    expect(formatMessage('ko', ref)).toBe('contact → role: "a@b.kr" — 개인정보(이메일 주소)로 보이는 값이 있습니다');
    expect(formatMessage('en', ref)).toBe('contact → role holds what looks like an e-mail address: "a@b.kr"');
  });

  test('shows paths one-based, each list item with its name', () => {
    const doc = { datasets: [{ name: 'a' }, { name: 'spindle_telemetry', fields: [{ name: 'x' }, { name: 'temp' }] }], sharing: [{}] };
    const path = userPathOf(['datasets', 1, 'fields', 1, 'pii'], doc);
    expect(formatUserPath('ko', path)).toBe('datasets[2] (이름: spindle_telemetry) → fields[2] (이름: temp) → pii');
    expect(formatUserPath('en', path)).toBe('datasets[2] (name: spindle_telemetry) → fields[2] (name: temp) → pii');
    expect(formatUserPath('en', userPathOf(['sharing', 0, 'purpose'], doc))).toBe('sharing[1] → purpose');
    expect(formatUserPath('ko', userPathOf([], doc))).toBe('문서 전체');
  });
});

describe('the language of a run', () => {
  test.each([
    ['ko_KR.UTF-8', 'ko'],
    ['ko', 'ko'],
    ['en_US.UTF-8', 'en'],
    ['en_GB', 'en'],
    ['C', undefined],
    ['C.UTF-8', undefined],
    ['POSIX', undefined],
    ['ja_JP.UTF-8', undefined],
    ['', undefined],
  ])('locale %p gives %p', (locale, lang) => {
    expect(langOfLocale(locale)).toBe(lang);
  });

  test('--lang wins, then LC_ALL, then LANG, then Korean', () => {
    expect(resolveLang('en', { LC_ALL: 'ko_KR.UTF-8', LANG: 'ko_KR.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'ko_KR.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LC_ALL: 'ko_KR.UTF-8', LANG: 'C' })).toBe('ko');
    expect(resolveLang(undefined, { LANG: 'C' })).toBe('ko');
    expect(resolveLang(undefined, { LANG: 'C.UTF-8' })).toBe('ko');
    expect(resolveLang(undefined, { LC_ALL: 'C.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ko');
    expect(resolveLang(undefined, { LANG: 'ja_JP.UTF-8' })).toBe('ko');
    expect(resolveLang(undefined, {})).toBe('ko');
  });
});

describe("the schema's own refusals", () => {
  const schemaSource = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', '..', 'infra', 'config', 'schema.ts'), 'utf8') as string;
  const ids = entries.map(([id]) => id).filter((id) => id.startsWith('schema.error.'));

  test.each(ids)('%s is used by schema.ts (no entry left behind)', (id) => {
    expect(schemaSource).toContain(`refusal('${id}')`);
  });

  test('every { error } of schema.ts names a catalogue id, never English text', () => {
    const errors = [...schemaSource.matchAll(/\berror:\s*([^,}\n]+)/g)].map((m) => m[1].trim());
    const named = errors.filter((e) => /^refusal\('schema\.error\.[a-z-]+'\)$/.test(e) || /^[A-Z_]+_MESSAGE$/.test(e));
    expect(errors.filter((e) => !named.includes(e))).toEqual([]);
    expect(schemaSource).not.toMatch(/error:\s*['"`]/);
  });
});
