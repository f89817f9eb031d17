/**
 * The string column buffer's byte-keyed table (lambdas/domain/columns.ts): one id per distinct
 * byte string, whatever its length against the 8 bytes kept as words, and through rehashing;
 * and the arrays a reset buffer hands on to the next one that grows.
 */
import fc from 'fast-check';
import { F64Buffer, I32Buffer, StringBuffer } from '../../lambdas/domain/columns';

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

describe('arrays reused across row groups', () => {
  test('a reset buffer hands its values to the next that grows, which sees only its own rows and nulls', () => {
    const a = new F64Buffer();
    for (let i = 0; i < 3000; i++) a.push(i + 0.5);
    const used = a.values.buffer;
    a.reset();
    expect(a.values.length).toBe(0);
    const b = new F64Buffer();
    b.push(7);
    b.pushNull();
    b.push(8);
    expect(b.values.buffer).toBe(used);
    expect([b.n, b.nullCount, Array.from(b.values.subarray(0, 3)), Array.from(b.nulls.subarray(0, 3))]).toEqual([3, 1, [7, 0, 8], [0, 1, 0]]);
  });

  test('no two live buffers share an array: each write stays in its own buffer', () => {
    const reset = [new I32Buffer(), new I32Buffer()];
    reset.forEach((c, k) => {
      for (let i = 0; i < 2000; i++) c.push(k);
      c.reset();
    });
    const ids = [new StringBuffer(), new StringBuffer()];
    ids[0].pushId(1);
    ids[0].reset();
    const live = [new I32Buffer(), new I32Buffer(), new I32Buffer()];
    const strings = [new StringBuffer(), new StringBuffer()];
    for (let i = 0; i < 1500; i++) {
      live.forEach((c, k) => c.push(k * 10_000 + i));
      strings.forEach((c, k) => c.pushId(k === 0 ? i : -1));
    }
    const arrays = [...live.map((c) => c.values.buffer), ...strings.map((c) => c.ids.buffer)];
    expect(new Set(arrays).size).toBe(arrays.length);
    live.forEach((c, k) => expect(Array.from(c.values.subarray(0, c.n))).toEqual(Array.from({ length: 1500 }, (_, i) => k * 10_000 + i)));
    expect(Array.from(strings[0].ids.subarray(0, 1500))).toEqual(Array.from({ length: 1500 }, (_, i) => i));
    expect([strings[1].nullCount, Array.from(strings[1].ids.subarray(0, 1500)).every((id) => id === -1)]).toEqual([1500, true]);
  });
});
