/**
 * Escaping for the report's pages and diagrams: every page's text goes through `esc`, so it
 * must turn exactly the five characters HTML gives meaning to into their references, and
 * leave everything else (Korean text, paths) as it was.
 */
import fc from 'fast-check';
import { esc } from '../../../infra/report/svg';

/** The five replacements, one after the other: `&` first, so no reference is escaped twice. */
function reference(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

describe('esc', () => {
  test('escapes the five characters and nothing else', () => {
    expect(esc(`<a href="x">'협동조합' & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;협동조합&#39; &amp; co&lt;/a&gt;');
    expect(esc('&amp;')).toBe('&amp;amp;');
    expect(esc('CoopIdc-Coop-coop-0150/RawZone/Resource')).toBe('CoopIdc-Coop-coop-0150/RawZone/Resource');
    expect(esc(1234)).toBe('1234');
  });

  test('gives what the five replacements give, on any text', () => {
    const text = fc.string({ unit: fc.constantFrom('&', '<', '>', '"', "'", 'a', '가', ' ', ';', '#') });
    fc.assert(fc.property(fc.oneof(text, fc.string({ unit: 'grapheme' })), (t) => esc(t) === reference(t)), { numRuns: 500 });
  });
});
