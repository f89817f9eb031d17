import fc from 'fast-check';
import { compareFindings, type CheckFinding } from '../../../infra';

/** The order as first defined: the NUL-joined keys compared as strings. */
function joinedOrder(a: CheckFinding, b: CheckFinding): number {
  const key = (f: CheckFinding) => [f.pack, f.rule, f.stack, f.resource, f.status, f.message].join('\u0000');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// Small alphabets (NUL included) so that equal fields, prefixes and NULs inside fields all occur.
const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u0000', '가'), maxLength: 4 });
const finding = fc.record({
  pack: text,
  rule: text,
  controls: fc.constant([]),
  status: fc.constantFrom('pass' as const, 'fail' as const, 'acknowledged' as const),
  stack: text,
  resource: text,
  message: text,
});

describe('compareFindings', () => {
  test('orders exactly as comparing the NUL-joined keys', () => {
    fc.assert(
      fc.property(finding, finding, (a, b) => {
        expect(Math.sign(compareFindings(a, b))).toBe(joinedOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  test('sorts a list into the same order as the joined keys', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 30 }), (list) => {
        expect([...list].sort(compareFindings)).toEqual([...list].sort(joinedOrder));
      }),
    );
  });
});
