/**
 * Text decoding of uploaded files: UTF-8 with or without BOM, UTF-16 with BOM, and the Korean
 * legacy encodings CP949 / EUC-KR that ERP and MES software still exports.
 *
 * The WHATWG `euc-kr` decoder in Node is CP949 (Unified Hangul Code), a superset of EUC-KR, so
 * both labels decode with it. A byte-order mark wins over the declared encoding: Excel's
 * "CSV UTF-8" export writes one, and uploaders switch between exports without telling anyone.
 * Invalid bytes become U+FFFD; the pipeline quarantines any record that contains one, so a
 * mis-declared file is rejected row by row with a reason instead of being stored garbled.
 */

/** Encodings a dataset may declare. */
export type DeclaredEncoding = 'utf-8' | 'cp949' | 'euc-kr';

/** What the decoder settled on, for the manifest. */
export type EffectiveEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'cp949';

/** The replacement character decoders emit for invalid bytes. */
export const REPLACEMENT = '\uFFFD';

/** Maps a declared or `charset=` label to a WHATWG decoder label; undefined when unknown. */
export function encodingOf(label: string): EffectiveEncoding | undefined {
  const l = label.trim().toLowerCase().replace(/^"|"$/g, '');
  if (l === 'utf-8' || l === 'utf8') return 'utf-8';
  if (l === 'cp949' || l === 'euc-kr' || l === 'euckr' || l === 'ms949' || l === 'x-windows-949' || l === 'ks_c_5601-1987' || l === 'uhc') return 'cp949';
  if (l === 'utf-16le') return 'utf-16le';
  if (l === 'utf-16be') return 'utf-16be';
  return undefined;
}

/** The `charset` parameter of a Content-Type, when present. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType ? /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType) : null;
  return m?.[2];
}

/** Result of decoding: the text chunks and, once the first bytes were seen, the encoding used. */
export interface DecodeState {
  encoding?: EffectiveEncoding;
  /** Whether any decoded chunk contained U+FFFD. */
  sawReplacement: boolean;
}

/**
 * The raw bytes of a stream after its byte-order mark, if any; sets `state.encoding` before
 * the first chunk is yielded. `fallback` is used unless the stream starts with a BOM.
 */
export async function* sniffed(input: AsyncIterable<Uint8Array>, fallback: EffectiveEncoding, state: DecodeState): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | undefined;
  let sniffedYet = false;
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    if (sniffedYet) {
      yield chunk;
      continue;
    }
    // A BOM can straddle the first two chunks only in pathological streams; buffer up to 3 bytes.
    const bytes = head ? concat(head, chunk) : chunk;
    if (bytes.length < 3 && !isBomPrefixComplete(bytes)) {
      head = bytes;
      continue;
    }
    head = undefined;
    sniffedYet = true;
    const { encoding, skip } = sniff(bytes, fallback);
    state.encoding = encoding;
    if (bytes.length > skip) yield bytes.subarray(skip);
  }
  if (!sniffedYet && head) {
    const { encoding, skip } = sniff(head, fallback);
    state.encoding = encoding;
    if (head.length > skip) yield head.subarray(skip);
  }
}

/** A streaming decoder for an encoding; invalid bytes become U+FFFD. */
export function decoderFor(encoding: EffectiveEncoding): InstanceType<typeof TextDecoder> {
  return new TextDecoder(whatwgLabel(encoding), { fatal: false, ignoreBOM: true });
}

/**
 * Decodes a byte stream to text chunks without holding more than one chunk. `fallback` is used
 * unless the stream starts with a byte-order mark.
 */
export async function* decodeStream(input: AsyncIterable<Uint8Array>, fallback: EffectiveEncoding, state: DecodeState): AsyncGenerator<string> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  for await (const bytes of sniffed(input, fallback, state)) {
    decoder ??= decoderFor(state.encoding!);
    const text = decoder.decode(bytes, { stream: true });
    if (text.length > 0) {
      if (!state.sawReplacement && text.includes(REPLACEMENT)) state.sawReplacement = true;
      yield text;
    }
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest.length > 0) {
      if (rest.includes(REPLACEMENT)) state.sawReplacement = true;
      yield rest;
    }
  }
}

function sniff(b: Uint8Array, fallback: EffectiveEncoding): { encoding: EffectiveEncoding; skip: number } {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return { encoding: fallback, skip: 0 };
}

/** True when `b` (shorter than 3 bytes) can no longer become a BOM, so sniffing need not wait. */
function isBomPrefixComplete(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  if (b[0] === 0xef) return b.length >= 2 && b[1] !== 0xbb;
  if (b[0] === 0xff || b[0] === 0xfe) return b.length >= 2;
  return true;
}

/** `a` followed by `b`, in a new array. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** WHATWG decoder label: Node's "euc-kr" decoder is CP949. */
function whatwgLabel(e: EffectiveEncoding): string {
  return e === 'cp949' ? 'euc-kr' : e;
}
