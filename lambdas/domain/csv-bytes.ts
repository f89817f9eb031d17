/**
 * CSV records read from raw bytes, before any decoding: the fast path of the ingestion.
 *
 * Why bytes: decoding a CP949 file to JS strings costs about as much as the whole budget for
 * ingesting it, and almost every field is a number, a timestamp or one of a few hundred
 * repeated names. In UTF-8 and CP949/EUC-KR the bytes CSV cares about (`,` `"` CR LF) never
 * occur inside a multi-byte character (UTF-8 continuation bytes and CP949 lead bytes are
 * ≥ 0x80; CP949 trail bytes are letters or ≥ 0x81), so records and fields can be split on
 * bytes and only the fields that need it are decoded.
 *
 * The reader gives the same records as {@link CsvReader} (./csv.ts) on the decoded text,
 * by covering only the shapes that are unambiguous on one line and handing everything else
 * to the text path:
 * - a line without quotes, or whose quoted fields are whole fields without inner quotes,
 *   becomes byte ranges (`onRecord`);
 * - any other line with an even number of quotes is passed whole (`onQuotedLine`) for
 *   ./csv.ts `splitQuotedLine`;
 * - a line with an odd number of quotes (a field spanning lines, or a stray quote), or a
 *   line longer than `maxRecordBytes` (the text reader quarantines it and resynchronises),
 *   stops the reader: `handoff` then holds the unread
 *   bytes from that line on and its line number, for a {@link CsvReader} to continue.
 * A property test holds the two paths to the same records.
 */

import { concat } from './decode';

/** Receives a record as byte ranges of `bytes` (quotes already removed) and its 1-based line. */
export type ByteRecordSink = (bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, line: number) => void;

/** Receives a one-line record with quotes the fast path does not split (`bytes[start, end)`, no line break). */
export type QuotedLineSink = (bytes: Uint8Array, start: number, end: number, line: number) => void;

/** Where the byte reader stopped and the text reader takes over. */
export interface Handoff {
  /** The unread bytes, starting at the first byte of `line`. */
  readonly rest: Uint8Array;
  readonly line: number;
}

/** {@link ByteCsvReader.record}: the line's quotes need the general reader. */
const QUOTED = -1;
/** {@link ByteCsvReader.record}: the input ends before the line does. */
const INCOMPLETE = -2;
/** {@link ByteCsvReader.record}: the line is over the cap; the text reader decides what it is. */
const TOO_LONG = -3;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

/** Incremental byte-level CSV reader; feed chunks with {@link push}, then call {@link end}. */
export class ByteCsvReader {
  /** Set once the reader stopped; later input belongs to the text reader. */
  handoff?: Handoff;
  private carry: Uint8Array = new Uint8Array(0);
  private line = 1;
  private starts = new Int32Array(64);
  /** Where the line being split starts, for the length check in {@link emit}. */
  private lineStart = 0;
  private ends = new Int32Array(64);

  constructor(
    private readonly onRecord: ByteRecordSink,
    private readonly onQuotedLine: QuotedLineSink,
    private readonly maxRecordBytes: number,
  ) {}

  /** Reads every complete line of `chunk` (plus what was left from earlier chunks). */
  push(chunk: Uint8Array): void {
    if (this.handoff) throw new Error('internal: push after handoff');
    let from = 0;
    if (this.carry.length > 0) {
      // Only the straddling line is copied; the rest of the chunk is read in place.
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        if (this.carry.length > this.maxRecordBytes) this.stop(this.carry, 0);
        return;
      }
      const joined = concat(this.carry, chunk.subarray(0, nl + 1));
      this.carry = new Uint8Array(0);
      if (!this.lines(joined, false)) {
        this.handoff = { rest: concat(this.handoff!.rest, chunk.subarray(nl + 1)), line: this.handoff!.line };
        return;
      }
      from = nl + 1;
    }
    this.lines(from === 0 ? chunk : chunk.subarray(from), false);
  }

  /** Reads the last line, which may lack its line break. */
  end(): void {
    if (this.handoff) return;
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    if (rest.length > 0) this.lines(rest, true);
  }

  /**
   * Reads the lines of `b`; keeps an unterminated tail unless `final`. False when it handed off.
   *
   * One pass per byte: fields are delimited while looking for the line break, so a line
   * costs no separate search for its end.
   */
  private lines(b: Uint8Array, final: boolean): boolean {
    const len = b.length;
    let pos = 0;
    while (pos < len) {
      this.lineStart = pos;
      const r = this.record(b, pos, final);
      if (r >= 0) {
        pos = r;
        this.line++;
        continue;
      }
      if (r === TOO_LONG) return this.stop(b, pos);
      // No line break before the end of the input, or quotes the fast path leaves alone.
      let nl = b.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) {
          this.carry = b.slice(pos);
          if (this.carry.length > this.maxRecordBytes) return this.stop(this.carry, 0);
          return true;
        }
        nl = len;
      }
      // (An INCOMPLETE line with a line break ahead has a quoted field running over it: odd quotes.)
      const end = nl > pos && b[nl - 1] === CR ? nl - 1 : nl;
      if (nl - pos > this.maxRecordBytes) return this.stop(b, pos);
      if (evenQuotes(b, pos, end)) this.onQuotedLine(b, pos, end, this.line);
      else return this.stop(b, pos);
      pos = nl + 1;
      this.line++;
    }
    return true;
  }

  /**
   * Splits the line starting at `pos` into fields and reports it (or skips it when empty);
   * returns the position after its line break, or {@link QUOTED} when its quotes need the
   * general reader, or {@link INCOMPLETE} when the input ends first (and it is not `final`).
   */
  private record(b: Uint8Array, pos: number, final: boolean): number {
    const len = b.length;
    let starts = this.starts;
    let ends = this.ends;
    let count = 0;
    let i = pos;
    for (;;) {
      if (count === starts.length) {
        this.growFields();
        starts = this.starts;
        ends = this.ends;
      }
      if (i < len && b[i] === QUOTE) {
        // The closing quote by a loop, not indexOf: a quoted field is a few bytes, and a
        // Buffer's indexOf is a call into C++ that costs more than reading them.
        let q = i + 1;
        let inner = 0;
        for (; q < len; q++) {
          inner = b[q];
          if (inner === QUOTE || inner === LF) break;
        }
        if (q >= len) return final ? QUOTED : INCOMPLETE;
        if (inner === LF) return QUOTED; // a quoted line break
        const after = q + 1;
        starts[count] = i + 1;
        ends[count] = q;
        count++;
        if (after >= len) return final ? this.emit(b, count, len) : INCOMPLETE;
        const c = b[after];
        if (c === COMMA) {
          i = after + 1;
          continue;
        }
        if (c === LF) return this.emit(b, count, after + 1);
        if (c === CR) {
          if (after + 1 >= len) return final ? this.emit(b, count, len) : INCOMPLETE;
          if (b[after + 1] === LF) return this.emit(b, count, after + 2);
        }
        return QUOTED; // "" escape, text after the quote, or a quoted line break
      }
      let j = i;
      let c = 0;
      for (; j < len; j++) {
        c = b[j];
        // All three bytes that end a field are ≤ ",": one comparison passes over digits,
        // letters and multi-byte characters.
        if (c <= COMMA && (c === COMMA || c === LF || c === QUOTE)) break;
      }
      if (j >= len) {
        if (!final) return INCOMPLETE;
        starts[count] = i;
        ends[count] = j > i && b[j - 1] === CR ? j - 1 : j;
        count++;
        return count === 1 && starts[0] === ends[0] ? len : this.emit(b, count, len);
      }
      if (c === QUOTE) return QUOTED;
      starts[count] = i;
      ends[count] = j;
      count++;
      if (c === COMMA) {
        i = j + 1;
        continue;
      }
      // Line break: drop the CR of CRLF; a line with nothing on it is no record.
      if (j > i && b[j - 1] === CR) ends[count - 1] = j - 1;
      if (count === 1 && starts[0] === ends[0]) return j + 1;
      return this.emit(b, count, j + 1);
    }
  }

  private emit(b: Uint8Array, count: number, next: number): number {
    // Bytes are never fewer than characters: a line within the cap in bytes is within it as
    // text, and a longer one is left to the text reader, which measures the record as decoded.
    if (next - this.lineStart - (b[next - 1] === LF ? 1 : 0) > this.maxRecordBytes) return TOO_LONG;
    this.onRecord(b, this.starts, this.ends, count, this.line);
    return next;
  }

  private stop(b: Uint8Array, pos: number): false {
    this.handoff = { rest: b.slice(pos), line: this.line };
    this.carry = new Uint8Array(0);
    return false;
  }

  private growFields(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }
}

function evenQuotes(b: Uint8Array, from: number, to: number): boolean {
  let n = 0;
  for (let i = b.indexOf(QUOTE, from); i >= 0 && i < to; i = b.indexOf(QUOTE, i + 1)) n++;
  return (n & 1) === 0;
}
