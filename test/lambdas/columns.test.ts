/**
 * The string column buffer's byte-keyed table (lambdas/domain/columns.ts): one id per distinct
 * byte string, whatever its length against the 8 bytes kept as words, and through rehashing.
 */
import fc from 'fast-check';
import { StringBuffer } from '../../lambdas/domain/columns';

/** Decodes to hex, so distinct bytes are distinct values (no trimming folds two together). */
const hex = (b: Uint8Array, s: number, e: number) => Buffer.from(b.subarray(s, e)).toString('hex');

describe('StringBuffer.internBytes', () => {
  test('keys alike in their first 4 or 8 bytes stay apart in a full table (ids of 30,000 keys, twice)', () => {
    const keys = Array.from({ length: 10_000 }, (_, n) => [`CNC-${String(n).padStart(4, '0')}`, `CNC-0000${n}`, `${n}`]).flat();
    const bytes = Buffer.from(keys.join(''), 'latin1');
    const col = new StringBuffer();
    for (let pass = 0; pass < 2; pass++) {
      let at = 0;
      keys.forEach((k, i) => {
        expect([k, col.dict[col.internBytes(bytes, at, at + k.length, hex)]]).toEqual([k, Buffer.from(k, 'latin1').toString('hex')]);
        expect(col.internBytes(bytes, at, at + k.length, hex)).toBe(i);
        at += k.length;
      });
    }
  });

  test('gives equal ids exactly to equal byte strings: short, 8-byte and longer keys, zero and high bytes, past a rehash', () => {
    const byte = fc.constantFrom(0, 1, 0x20, 0x41, 0x42, 0x80, 0xb0, 0xff);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 12 }).chain((head) => fc.array(byte, { maxLength: 14 }).map((tail) => Uint8Array.from([...head.subarray(0, 3), ...tail]))), { minLength: 1, maxLength: 1500 }), (keys) => {
        // Every key at an odd offset of one buffer, as fields sit in a chunk.
        const starts: number[] = [];
        let at = 1;
        for (const k of keys) {
          starts.push(at);
          at += k.length + 1;
        }
        const bytes = new Uint8Array(at);
        keys.forEach((k, i) => bytes.set(k, starts[i]));
        const col = new StringBuffer();
        const ids = keys.map((k, i) => col.internBytes(bytes, starts[i], starts[i] + k.length, hex));
        const idOf = new Map<string, number>();
        keys.forEach((k, i) => {
          const key = Buffer.from(k).toString('hex');
          if (!idOf.has(key)) idOf.set(key, ids[i]);
          expect([key, ids[i]]).toEqual([key, idOf.get(key)]);
          expect(col.dict[ids[i]]).toBe(key);
        });
        expect(new Set(ids).size).toBe(idOf.size);
      }),
      { numRuns: 200 },
    );
  });
});
