import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvReader } from '../../lambdas/domain/csv';

function read(chunks: readonly string[], maxRecordChars?: number) {
  const records: [string[], number][] = [];
  const errors: [string, number][] = [];
  const r = new CsvReader((f, line) => records.push([f, line]), (reason, line) => errors.push([reason, line]), maxRecordChars);
  for (const c of chunks) r.push(c);
  r.end();
  return { records, errors };
}

/** Splits text at the given cut points. */
function cut(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', '가', '1') , maxLength: 8 });
const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);

describe('CsvReader', () => {
  test('reads what csv-parse reads, however the input is chunked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((w) => fc.tuple(fc.array(fc.array(field, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }))),
        ([rows, eol, trailing, cuts]) => {
          const text = rows.map((r) => r.map(quote).join(',')).join(eol) + (trailing ? eol : '');
          const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
          const { records, errors } = read(cut(text, cuts));
          expect(errors).toEqual([]);
          expect(records.map(([f]) => f)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('reports the line each record starts on, counting line breaks inside quotes', () => {
    const { records } = read(['h1,h2\r\n', 'a,"x\r\ny"\r\n', '\r\n', 'b,c']);
    expect(records.map(([f, l]) => [f[0], l])).toEqual([['h1', 1], ['a', 2], ['b', 5]]);
  });

  test('fails when a quote is never closed, reading nothing after it', () => {
    const { records, errors } = read(['a,b\n', 'c,"open\n', 'd,e\n']);
    expect(records.map(([f]) => f)).toEqual([['a', 'b']]);
    expect(errors).toEqual([['a quoted field is never closed before the end of the file', 2]]);
  });

  test('fails when an unclosed quote would make a record longer than the cap', () => {
    const { errors } = read(['a,"', 'x'.repeat(100), 'y'.repeat(100)], 150);
    expect(errors[0][0]).toMatch(/longer than 150 characters/);
  });

  test('fails when a record over the cap is not reported once at its line and skipped to its end, at every chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { maxLength: 4 }), fc.integer({ min: 41, max: 120 }), fc.boolean(), fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }),
        (before, n, quoted, after, cuts) => {
          const long = quoted ? `"${'a,"" \n'.repeat(Math.ceil(n / 6))}",x` : `${'b'.repeat(n)},x`;
          const rows = (rs: string[][]) => rs.map((r) => r.map(quote).join(','));
          const lines = [...rows(before), long, ...rows(after)];
          const text = lines.join('\n') + '\n';
          const { records, errors } = read(cut(text, cuts), 40);
          const lineOfLong = 1 + rows(before).map((r) => `${r}\n`).join('').split('\n').length - 1;
          expect(errors).toEqual([[expect.stringMatching(/^record is longer than 40 characters \(a field over the size cap\)/), lineOfLong]]);
          // The records around it: each field is short enough (≤ 8 characters, quoted ≤ 18 each, two per record).
          expect(records.map(([f]) => f)).toEqual([...before, ...after]);
        }),
      { numRuns: 300 },
    );
  });

  test('fails when text follows a closing quote, and goes on with the next line', () => {
    const { records, errors } = read(['"a"b,c\n', 'd,e\n']);
    expect(errors).toEqual([[expect.stringMatching(/unexpected character after a closing quote/), 1]]);
    expect(records.map(([f, l]) => [f, l])).toEqual([[['d', 'e'], 2]]);
  });
});
