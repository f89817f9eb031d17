import fc from 'fast-check';
import { jsonChunks, jsonLineChunks } from '../../infra/stable-json';

describe('jsonChunks', () => {
  test('joins to exactly JSON.stringify(value, null, 2) plus a newline, at every split depth', () => {
    const withHoles = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.constant(undefined),
        fc.constant(() => 1),
        fc.date({ noInvalidDate: true }),
        fc.string({ unit: fc.constantFrom('a', '\n', '"', '\\', '가', '\u2028', ' ') }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.oneof(fc.array(withHoles, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 4 }), withHoles, { maxKeys: 5 })), fc.integer({ min: 0, max: 4 }), (value, depth) => {
        expect([...jsonChunks(value, depth)].join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 2000 },
    );
  });

  test('no piece is larger than one element of a split array', () => {
    const findings = Array.from({ length: 1000 }, (_, i) => ({ rule: `R${i}`, message: 'x'.repeat(100) }));
    const pieces = [...jsonChunks({ findings })];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
    expect(pieces.join('')).toBe(`${JSON.stringify({ findings }, null, 2)}\n`);
  });

  test('fails like JSON.stringify on a value with no JSON form', () => {
    expect(() => [...jsonChunks(undefined)]).toThrow(TypeError);
    expect(() => [...jsonChunks({ n: 1n })]).toThrow(TypeError);
  });
});

describe('jsonLineChunks', () => {
  test('parses back to what JSON.stringify gives, over random values', () => {
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.string({ unit: fc.constantFrom('a', '\n', '"', '\\', '가', '\u2028', ' ') }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 5 }), (v) => {
        const text = [...jsonLineChunks(v)].join('');
        expect(text.endsWith('\n')).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 1000 },
    );
  });

  test('writes each record of an array on its own line, indents what holds records, and keeps a table of rows on one line', () => {
    const v = { version: 3, tags: ['a', 'b'], controls: [{ id: 'c1', refs: [1, 2], evidence: [{ rule: 'R1' }, { rule: 'R2' }] }], empty: [], stacks: [{ stack: 'S', rows: [['t', 'l'], ['u', 'm', { k: 'v' }]] }], table: [['x', 1], ['y', 2]] };
    expect([...jsonLineChunks(v)].join('')).toBe(
      [
        '{',
        '  "version": 3,',
        '  "tags": ["a","b"],',
        '  "controls": [',
        '    {',
        '      "id": "c1",',
        '      "refs": [1,2],',
        '      "evidence": [',
        '        {"rule":"R1"},',
        '        {"rule":"R2"}',
        '      ]',
        '    }',
        '  ],',
        '  "empty": [],',
        '  "stacks": [',
        '    {"stack":"S","rows":[["t","l"],["u","m",{"k":"v"}]]}',
        '  ],',
        '  "table": [["x",1],["y",2]]',
        '}',
        '',
      ].join('\n'),
    );
  });
});
