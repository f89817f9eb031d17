/**
 * A CP949 encoder for making test and bench inputs. Node ships a CP949 decoder (WHATWG
 * "euc-kr") but no encoder, so the table is built once by decoding every two-byte code.
 */
let table: Map<string, number[]> | undefined;

function build(): Map<string, number[]> {
  const t = new Map<string, number[]>();
  const dec = new TextDecoder('euc-kr', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x41; trail <= 0xfe; trail++) {
      try {
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && !t.has(ch)) t.set(ch, [lead, trail]);
      } catch {
        // not a valid code
      }
    }
  }
  return t;
}

/** Encodes text as CP949; throws on characters CP949 cannot represent. */
export function encodeCp949(text: string): Buffer {
  table ??= build();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const b = table.get(ch);
    if (!b) throw new Error(`U+${c.toString(16)} has no CP949 encoding`);
    out.push(...b);
  }
  return Buffer.from(out);
}
