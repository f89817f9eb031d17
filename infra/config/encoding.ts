/**
 * Configuration files are UTF-8. Windows tools in Korean offices save CP949 (EUC-KR) by
 * default, which a lenient decoder turns into mojibake that then passes validation as a
 * cooperative's name: so decode strictly and say where the first bad byte is.
 */
import { diagnostic, type Diagnostic } from './diagnostics';
import { msg } from './messages';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// WHATWG "euc-kr" is CP949 (the Windows superset), the encoding those tools write.
const eucKr = new TextDecoder('euc-kr', { fatal: true });
const HANGUL = /[\uac00-\ud7a3]/;

/** The text of a UTF-8 file (a byte-order mark is dropped), or a diagnostic at its first invalid byte. */
export function decodeConfigText(bytes: Uint8Array, displayPath: string): { text: string } | { error: Diagnostic } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    const { line, col, start, end } = firstInvalid(bytes);
    // Judged on the bad line alone: a file may mix a pasted CP949 line into UTF-8 text.
    let korean = false;
    try {
      korean = HANGUL.test(eucKr.decode(bytes.subarray(start, end)));
    } catch {
      korean = false;
    }
    return {
      error: diagnostic({ file: displayPath, line, col }, 'error', 'wrong-encoding', msg(korean ? 'encoding.cp949' : 'encoding.invalid'), msg('encoding.hint')),
    };
  }
}

/** 1-based line and column (in UTF-16 units, as the YAML positions are) of the first invalid byte, and that line's bytes. */
function firstInvalid(bytes: Uint8Array): { line: number; col: number; start: number; end: number } {
  // Newlines are ASCII and never part of a multi-byte sequence, so lines can be checked alone.
  let start = 0;
  let line = 1;
  for (;;) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const col = firstInvalidIn(bytes.subarray(start, end), start === 0);
    if (col !== undefined) return { line, col, start, end };
    if (end >= bytes.length) return { line, col: 1, start: 0, end: bytes.length };
    start = end + 1;
    line++;
  }
}

/** Column of the first invalid character of one line, or undefined when the line is valid. */
function firstInvalidIn(line: Uint8Array, first: boolean): number | undefined {
  if (valid(line, false)) return undefined;
  // In streaming mode a prefix that ends inside a character is still valid, and a prefix is
  // invalid from its first bad byte on: binary-search the shortest invalid prefix.
  let lo = 1;
  let hi = line.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (valid(line.subarray(0, mid), true)) lo = mid + 1;
    else hi = mid;
  }
  // The complete characters before it; an unfinished sequence they leave is the bad character.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: !first });
  return decoder.decode(line.subarray(0, lo - 1), { stream: true }).length + 1;
}

function valid(bytes: Uint8Array, streaming: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: streaming });
    return true;
  } catch {
    return false;
  }
}
