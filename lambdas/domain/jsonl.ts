/**
 * Streaming JSON Lines reader: one JSON object per line, LF or CRLF, blank lines skipped.
 *
 * A line that cannot be a record — not JSON, not an object, longer than the cap, nested
 * deeper than {@link MAX_JSON_DEPTH} — is reported with its line number and the reader goes
 * on with the next line; nothing a line holds can fail the whole object. The length rule
 * looks at the line as a whole, so where the input's chunks are cut never changes it.
 */

/**
 * How deep a record's JSON may nest. Records are flat rows; the cap keeps a hostile value
 * (a million "[") from exhausting the stack of JSON.stringify when the line is quarantined.
 */
export const MAX_JSON_DEPTH = 64;

/** Receives one record object and its 1-based line number. */
export type JsonRecordSink = (record: Record<string, unknown>, line: number) => void;
/** Receives a line that is not a JSON object. */
export type JsonErrorSink = (reason: string, line: number, text: string) => void;

/** Incremental JSON Lines reader. */
export class JsonLinesReader {
  private buf = '';
  private line = 1;

  constructor(
    private readonly onRecord: JsonRecordSink,
    private readonly onError: JsonErrorSink,
    private readonly maxLineChars = 1 << 20,
  ) {}

  /** Reads every complete line in `text` plus what was left from earlier chunks. */
  push(text: string): void {
    const buf = this.buf.length === 0 ? text : this.buf + text;
    let pos = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', pos)) {
      this.one(buf, pos, nl);
      pos = nl + 1;
    }
    this.buf = buf.slice(pos);
    // +1: a pending CR may still turn out to be the line break's.
    if (this.buf.length > this.maxLineChars + 1) {
      if (!this.skipping) this.onError(`line is longer than ${this.maxLineChars} characters`, this.line, this.buf.slice(0, this.excerpt));
      // Skip the rest of the over-long line: drop text until the next line break arrives.
      this.buf = '';
      this.skipping = true;
    }
  }

  private skipping = false;
  /** How much of an over-long line is quoted: never more than every chunking has seen of it. */
  private get excerpt(): number {
    return Math.min(200, this.maxLineChars);
  }

  /** Reads a final line without a line break. */
  end(): void {
    if (this.buf.length > 0) this.one(this.buf, 0, this.buf.length);
    this.buf = '';
  }

  private one(buf: string, start: number, nl: number): void {
    const line = this.line++;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const text = buf.slice(start, nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    if (text.length > this.maxLineChars) {
      this.onError(`line is longer than ${this.maxLineChars} characters`, line, text.slice(0, this.excerpt));
      return;
    }
    if (text.trim() === '') return;
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
      this.onError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels; send flat records`, line, text.slice(0, 200));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.onError(`not valid JSON: ${(e as Error).message}`, line, text.slice(0, 200));
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.onError(`each line must be a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`, line, text.slice(0, 200));
      return;
    }
    this.onRecord(value as Record<string, unknown>, line);
  }
}

/** Whether the JSON text nests arrays and objects deeper than `max` (brackets inside strings do not count). */
function nestedDeeperThan(text: string, max: number): boolean {
  // Flat records have one "{": count openers first, scan only when they could reach the cap.
  let openers = 0;
  for (let i = text.indexOf('{'); i >= 0 && openers <= max; i = text.indexOf('{', i + 1)) openers++;
  for (let i = text.indexOf('['); i >= 0 && openers <= max; i = text.indexOf('[', i + 1)) openers++;
  if (openers <= max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string, honouring backslash escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `max` (a flat record is
 * depth 1). Iterative: the value may be as deep as the parser allowed.
 */
export function valueDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
