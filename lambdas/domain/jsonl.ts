/**
 * Streaming JSON Lines reader: one JSON object per line, LF or CRLF, blank lines skipped.
 */

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
    if (this.buf.length > this.maxLineChars) {
      if (!this.skipping) this.onError(`line is longer than ${this.maxLineChars} characters`, this.line, this.buf.slice(0, 200));
      // Skip the rest of the over-long line: drop text until the next line break arrives.
      this.buf = '';
      this.skipping = true;
    }
  }

  private skipping = false;

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
    if (text.trim() === '') return;
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
