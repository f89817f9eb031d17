/**
 * The ingestion pipeline for one input object: decode → parse → validate and standardize →
 * partition by date → Parquet (curated, and pseudonymized for the shared zone) plus a
 * quarantine file of rejected records, all as local files in a work folder.
 *
 * It knows nothing of S3 or Lambda: the handler streams the object in and publishes the
 * files (lambdas/domain/publish.ts). Memory is bounded by the row-group buffers, not the
 * input: rows are buffered per partition and written out as row groups when a partition
 * reaches `rowGroupRows` or all buffers together reach `maxBufferedRows`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetPlan } from '../../infra/plan/types';
import { compileColumns, type Outcome, type Value } from './coerce';
import { CsvReader } from './csv';
import { decodeStream, REPLACEMENT, type DecodeState, type EffectiveEncoding } from './decode';
import { ConfigurationError } from './errors';
import { JsonLinesReader } from './jsonl';
import { parquetSchema, PartFile } from './parquet';
import { sharedTransform, type SharedTransform, type TokenCache } from './pseudonymize';
import { DayFormatter, ZoneOffsets } from './time';

/** What to ingest and how. */
export interface PipelineOptions {
  readonly dataset: DatasetPlan;
  /** The object's bytes, streamed. */
  readonly source: AsyncIterable<Uint8Array>;
  readonly format: 'csv' | 'jsonl';
  /** Used unless the file starts with a byte-order mark. */
  readonly encoding: EffectiveEncoding;
  /** Empty folder for the output files; the caller removes it. */
  readonly workDir: string;
  /** Set when the dataset has a shared-zone table: identifiers are tokenised through it. */
  readonly tokens?: TokenCache;
  /** Rows per Parquet row group. @default 65536 */
  readonly rowGroupRows?: number;
  /** Rows buffered across all partitions before the largest is written out. @default 131072 */
  readonly maxBufferedRows?: number;
}

/** One date partition's output files. */
export interface PartitionOutput {
  /** `YYYY-MM-DD` (UTC date of the dataset's timestamp field). */
  readonly dt: string;
  readonly rows: number;
  readonly curatedFile: string;
  readonly curatedBytes: number;
  readonly sharedFile?: string;
  readonly sharedBytes?: number;
}

/** What one input object produced. `rowsIn === rowsWritten + rowsQuarantined` always holds. */
export interface PipelineResult {
  readonly rowsIn: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  /** Sorted by date. */
  readonly partitions: readonly PartitionOutput[];
  /** JSON Lines of rejected records, when there were any. */
  readonly quarantineFile?: string;
  readonly format: 'csv' | 'jsonl';
  /** Encoding actually used (a byte-order mark overrides the declared one). */
  readonly encoding: EffectiveEncoding;
  /** Things worth telling the uploader that did not reject rows (ignored columns). */
  readonly warnings: readonly string[];
}

/** One rejected record as written to the quarantine zone. */
export interface QuarantineEntry {
  /** 1-based line where the record starts in the input object. */
  readonly line: number;
  /** Every problem found, `column: reason`, or one reason for unreadable records. */
  readonly errors: readonly string[];
  /** The raw values by column name, when the record could be split into fields. */
  readonly record?: Readonly<Record<string, unknown>>;
  /** The raw text (first 200 characters), when it could not. */
  readonly text?: string;
}

/**
 * Values of one column for one partition's pending row group. Numeric columns go into typed
 * arrays (no boxed doubles for the garbage collector to chase); the rest into plain arrays.
 */
class ColumnBuffer {
  private typed?: Float64Array | Int32Array;
  private nulls?: Uint8Array;
  private hasNull = false;
  private plain?: Value[];
  n = 0;

  constructor(private readonly kind: 'f64' | 'i32' | 'plain') {
    if (kind === 'plain') this.plain = [];
  }

  push(v: Value): void {
    if (this.plain) {
      this.plain.push(v);
      this.n++;
      return;
    }
    if (!this.typed || this.n === this.typed.length) this.grow();
    if (v === null) {
      this.nulls![this.n] = 1;
      this.hasNull = true;
    } else {
      this.typed![this.n] = v as number;
    }
    this.n++;
  }

  /** The values for hyparquet: a typed view when there are no nulls, else an array with nulls. */
  values(): Value[] {
    if (this.plain) return this.plain;
    const t = this.typed!.subarray(0, this.n);
    if (!this.hasNull) return t as unknown as Value[];
    const nulls = this.nulls!;
    return Array.from(t, (v, i) => (nulls[i] ? null : v));
  }

  /** Empties the buffer and frees its arrays: a partition that goes quiet should cost nothing. */
  reset(): void {
    if (this.plain) this.plain = [];
    this.typed = undefined;
    this.nulls = undefined;
    this.hasNull = false;
    this.n = 0;
  }

  private grow(): void {
    const size = Math.max(1024, (this.typed?.length ?? 0) * 2);
    const next = this.kind === 'f64' ? new Float64Array(size) : new Int32Array(size);
    const nulls = new Uint8Array(size);
    if (this.typed) {
      next.set(this.typed as never);
      nulls.set(this.nulls!);
    }
    this.typed = next;
    this.nulls = nulls;
  }
}

class Partition {
  readonly cols: ColumnBuffer[];
  n = 0;
  curated?: PartFile;
  shared?: PartFile;
  constructor(readonly dt: string, kinds: readonly ('f64' | 'i32' | 'plain')[]) {
    this.cols = kinds.map((k) => new ColumnBuffer(k));
  }
}

/** Runs the pipeline over one object. Throws only for configuration faults and I/O errors. */
export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const { dataset, workDir } = o;
  const rowGroupRows = o.rowGroupRows ?? 65_536;
  const maxBufferedRows = Math.max(o.maxBufferedRows ?? 131_072, rowGroupRows);
  const zone = new ZoneOffsets(dataset.timeZone);
  const columns = compileColumns(dataset, zone);
  const width = columns.length;
  const tsIndex = columns.findIndex((c) => c.name === dataset.timestampField);
  if (tsIndex < 0) throw new ConfigurationError(`dataset "${dataset.name}": timestampField "${dataset.timestampField}" is not a column`);
  const tsType = columns[tsIndex].plan.type;
  if (tsType !== 'timestamp' && tsType !== 'date') throw new ConfigurationError(`dataset "${dataset.name}": timestampField "${dataset.timestampField}" must be a timestamp or date column, not ${tsType}`);
  const curatedSchema = parquetSchema(dataset.columns);
  const sharedSchema = o.tokens ? parquetSchema(dataset.columns, { tokenizedIdentifiers: true }) : undefined;
  const transforms: SharedTransform[] = dataset.columns.map((c) => sharedTransform(c, zone));
  const days = new DayFormatter();
  // Timestamps stay plain arrays: hyparquet turns them into INT64 itself.
  const kinds = columns.map((c) => (c.plan.type === 'double' ? 'f64' : c.plan.type === 'int' || c.plan.type === 'date' ? 'i32' : 'plain') as 'f64' | 'i32' | 'plain');

  const partitions = new Map<string, Partition>();
  let buffered = 0;
  let rowsIn = 0;
  let rowsWritten = 0;
  let rowsQuarantined = 0;
  const warnings: string[] = [];

  // Quarantine lines go through a small buffer to one file.
  let qfd: number | undefined;
  let qbuf = '';
  const quarantinePath = join(workDir, 'quarantine.jsonl');
  const quarantine = (e: QuarantineEntry) => {
    rowsQuarantined++;
    qbuf += JSON.stringify(e) + '\n';
    if (qbuf.length > 1 << 20) flushQuarantine();
  };
  const flushQuarantine = () => {
    if (qbuf.length === 0) return;
    qfd ??= openSync(quarantinePath, 'w');
    writeSync(qfd, qbuf);
    qbuf = '';
  };

  const state: DecodeState = { sawReplacement: false };
  const row: Value[] = new Array(width).fill(null);
  const out: Outcome = {};

  /**
   * Validates one record and buffers or quarantines it. CSV records come as `fields` with the
   * header mapping `index`; JSON records as `record` (then `fields` is undefined).
   */
  const accept = (fields: string[] | undefined, index: readonly number[], record: Record<string, unknown> | undefined, line: number, header?: readonly string[]) => {
    rowsIn++;
    let errors: string[] | undefined;
    for (let i = 0; i < width; i++) {
      const c = columns[i];
      let v: unknown = fields ? (index[i] < 0 ? undefined : fields[index[i]]) : record![c.name];
      if (typeof v === 'string') {
        v = v.trim();
        if (state.sawReplacement && (v as string).includes(REPLACEMENT)) {
          (errors ??= []).push(`${c.name}: contains bytes that are not valid ${state.encoding}; re-export the file as ${dataset.encoding === 'utf-8' ? 'UTF-8' : dataset.encoding.toUpperCase()} or fix the dataset's encoding`);
          continue;
        }
      }
      if (v === undefined || v === null || v === '') {
        row[i] = null;
        if (c.required) (errors ??= []).push(`${c.name}: is required`);
        continue;
      }
      const value = c.coerce(v, out);
      if (value === undefined) (errors ??= []).push(`${c.name}: ${JSON.stringify(v).slice(0, 80)} ${out.error}`);
      else row[i] = value;
    }
    const ts = row[tsIndex];
    if (!errors && ts === null) errors = [`${dataset.timestampField}: is needed to partition the record by date`];
    if (errors) {
      quarantine({ line, errors, record: fields ? Object.fromEntries(header!.map((name, i) => [name, fields[i]])) : record! });
      return;
    }
    const dt = tsType === 'date' ? days.day(ts as number) : days.instant(ts as number);
    let p = partitions.get(dt);
    if (!p) {
      p = new Partition(dt, kinds);
      partitions.set(dt, p);
    }
    for (let i = 0; i < width; i++) p.cols[i].push(row[i]);
    p.n++;
    buffered++;
    rowsWritten++;
  };

  const flush = async (p: Partition) => {
    if (p.n === 0) return;
    const values = p.cols.map((c) => c.values());
    p.curated ??= new PartFile(join(workDir, `curated-${p.dt}.parquet`), curatedSchema);
    p.curated.writeGroup(values, p.n);
    if (o.tokens && sharedSchema) {
      p.shared ??= new PartFile(join(workDir, `shared-${p.dt}.parquet`), sharedSchema);
      p.shared.writeGroup(await sharedColumns(values, transforms, o.tokens), p.n);
    }
    buffered -= p.n;
    p.n = 0;
    for (const c of p.cols) c.reset();
  };

  const flushIfNeeded = async () => {
    for (const p of partitions.values()) if (p.n >= rowGroupRows) await flush(p);
    while (buffered > maxBufferedRows) {
      let largest: Partition | undefined;
      for (const p of partitions.values()) if (!largest || p.n > largest.n) largest = p;
      await flush(largest!);
    }
  };

  const onUnreadable = (reason: string, line: number, text: string) => {
    rowsIn++;
    quarantine({ line, errors: [reason], text });
  };

  let reader: { push(t: string): void; end(): void };
  if (o.format === 'csv') {
    let header: string[] | undefined;
    let index: number[] = [];
    reader = new CsvReader((fields, line) => {
      if (!header) {
        header = fields.map(normalizeHeader);
        index = columns.map((c) => header!.indexOf(c.name));
        const known = new Set(columns.map((c) => c.name));
        const extra = header.filter((h) => !known.has(h));
        if (extra.length > 0) warnings.push(`ignored columns not in the dataset: ${extra.join(', ')}`);
        const missing = columns.filter((_, i) => index[i] < 0).map((c) => c.name);
        if (missing.length > 0) warnings.push(`columns missing from the header: ${missing.join(', ')}`);
        return;
      }
      const h = header;
      if (fields.length !== h.length) {
        onUnreadable(`has ${fields.length} fields but the header has ${h.length}; quote fields that contain commas`, line, fields.join(',').slice(0, 200));
        return;
      }
      accept(fields, index, undefined, line, h);
    }, onUnreadable);
  } else {
    reader = new JsonLinesReader((record, line) => {
      accept(undefined, NO_INDEX, record, line);
    }, onUnreadable);
  }

  const files = () => [...partitions.values()].flatMap((p) => [p.curated, p.shared]).filter((f): f is PartFile => f !== undefined);
  try {
    for await (const text of decodeStream(o.source, o.encoding, state)) {
      reader.push(text);
      await flushIfNeeded();
    }
    reader.end();
    for (const p of partitions.values()) await flush(p);
    flushQuarantine();
    const outputs: PartitionOutput[] = [...partitions.values()]
      .sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0))
      .map((p) => {
        const curatedBytes = p.curated!.finish();
        const sharedBytes = p.shared?.finish();
        return {
          dt: p.dt,
          rows: p.curated!.rows,
          curatedFile: p.curated!.path,
          curatedBytes,
          ...(p.shared ? { sharedFile: p.shared.path, sharedBytes } : {}),
        };
      });
    return {
      rowsIn,
      rowsWritten,
      rowsQuarantined,
      partitions: outputs,
      ...(qfd !== undefined ? { quarantineFile: quarantinePath } : {}),
      format: o.format,
      encoding: state.encoding ?? o.encoding,
      warnings,
    };
  } catch (e) {
    for (const f of files()) f.abort();
    throw e;
  } finally {
    if (qfd !== undefined) closeSync(qfd);
  }
}

const NO_INDEX: readonly number[] = [];

/** Header cells as column names: trimmed, lower-case, spaces and dashes as underscores. */
export function normalizeHeader(cell: string): string {
  return cell.trim().replace(/^\uFEFF/, '').toLowerCase().replace(/[\s-]+/g, '_');
}

async function sharedColumns(cols: Value[][], transforms: readonly SharedTransform[], tokens: TokenCache): Promise<Value[][]> {
  const out: Value[][] = [];
  for (let i = 0; i < cols.length; i++) {
    const t = transforms[i];
    const col = cols[i];
    if (t.kind === 'keep') {
      out.push(col);
    } else if (t.kind === 'mac') {
      const strings = Array.from(col, (v) => (v === null ? null : String(v)));
      await tokens.prepare(strings.filter((v): v is string => v !== null));
      out.push(strings.map((v) => (v === null ? null : tokens.get(v))));
    } else {
      out.push(Array.from(col, (v) => (v === null ? null : t.apply(v))));
    }
  }
  return out;
}
