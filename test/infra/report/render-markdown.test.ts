/**
 * Escaping for report.md's tables and lines: a value from config (a reason, a path, a
 * cooperative's name) must not break a table or inject markup, and a value with nothing to
 * escape must come out as it went in.
 */
import fc from 'fast-check';
import { md } from '../../../infra/report/render-markdown';

/** What each character becomes, read one character at a time (a line break, CRLF or LF, is a space). */
const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', '|': '\\|', '&': '&amp;', '<': '&lt;', '>': '&gt;', '*': '\\*', '`': '\\`', '[': '\\[', ']': '\\]', '#': '\\#', '\n': ' ' };

function reference(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    out += ESCAPED[text[i]] ?? text[i];
  }
  return out;
}

describe('md', () => {
  test('escapes what would break a table or add markup, and leaves the rest', () => {
    expect(md('a | b')).toBe('a \\| b');
    expect(md('*굵게* [링크](x) #1 `코드` <b>&</b>')).toBe('\\*굵게\\* \\[링크\\](x) \\#1 \\`코드\\` &lt;b&gt;&amp;&lt;/b&gt;');
    expect(md('한 줄\r\n두 줄\n세 줄')).toBe('한 줄 두 줄 세 줄');
    expect(md('C:\\path')).toBe('C:\\\\path');
    expect(md('CoopIdc-Coop-coop-0150/RawZone/Resource')).toBe('CoopIdc-Coop-coop-0150/RawZone/Resource');
    expect(md(42)).toBe('42');
  });

  test('gives, on any text, what escaping it one character at a time gives', () => {
    const text = fc.string({ unit: fc.constantFrom('\\', '|', '&', '<', '>', '*', '`', '[', ']', '#', '\r', '\n', 'a', '가', ' ') });
    fc.assert(fc.property(fc.oneof(text, fc.string({ unit: 'grapheme' })), (t) => md(t) === reference(t)), { numRuns: 500 });
  });
});
