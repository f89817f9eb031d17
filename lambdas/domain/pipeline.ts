/**
 * The ingestion pipeline for one input object: decode → parse → validate and standardize →
 * partition by date → Parquet (curated, and pseudonymized for the shared zone) plus a
 * quarantine file of rejected records, all as local files in a work folder.
 *
 * It knows nothing of S3 or Lambda: the handler streams the object in and publishes the
 * files (./ingest.ts). Memory is bounded by the row-group buffers, not the input: rows are
 * buffered per partition and written out as row groups when a partition reaches
 * `rowGroupRows` or all buffers together reach `maxBufferedRows`.
 *
 * Two ways in, one result. CSV in UTF-8 or CP949 takes the byte path: records split on bytes
 * (./csv-bytes.ts), numbers and timestamps parsed from bytes (./fields-bytes.ts), strings
 * interned per row group (./columns.ts). Every record the byte path is unsure of — and JSON
 * Lines, UTF-16, and CSV after a quoted line break — takes the text path: decoded text, the
 * RFC 4180 reader (./csv.ts) and the general coercers (./coerce.ts). The byte path only
 * takes records whose every field it reads exactly as the text path would, so results and
 * messages never depend on which path read a record (test/lambdas/byte-path.test.ts).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { headerKey } from '../../infra/plan/headers';
import { sharedColumnPlans } from '../../infra/plan/disclosure';
import type { DatasetPlan } from '../../infra/plan/types';
import { affineConversionOf, compileColumns, type Outcome, type Value } from './coerce';
import { F64Buffer, I32Buffer, StringBuffer, StringFlag, ValueBuffer, type ColumnBuffer } from './columns';
import { CsvReader, MAX_RECORD_CHARS, splitQuotedLine } from './csv';
import { ByteCsvReader } from './csv-bytes';
import { decoderFor, REPLACEMENT, sniffed, type DecodeState, type EffectiveEncoding } from './decode';
import { ConfigurationError, RejectedInputError } from './errors';
import { isAsciiRange, LocalTimestampBytes, parseNumberBytes } from './fields-bytes';
import { JsonLinesReader } from './jsonl';
import { bufferFor, encodeColumn, parquetSchema, PartFile, type EncodedChunk, type SchemaElement } from './parquet';
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
  /**
   * Read CSV in UTF-8 or CP949 on bytes (./csv-bytes.ts) rather than decoded text. Same
   * results either way; tests turn it off to compare the two.
   * @default true
   */
  readonly byteCsv?: boolean;
  /**
   * Longest record (CSV) or line (JSON Lines) read, in characters; a longer one is
   * quarantined and reading goes on after it. Tests lower it.
   * @default MAX_RECORD_CHARS (1 MiB)
   */
  readonly maxRecordChars?: number;
}

/** How local times (without an offset) were read, for the manifest. */
export interface LocalTimes {
  /** The dataset's IANA time zone. */
  readonly timeZone: string;
  /** Values that fell in a daylight-saving gap: read with the offset before it (moved forward by the gap). */
  readonly dstGap: number;
  /** Values that fell in an overlap: the earlier instant (the offset before the change). */
  readonly dstOverlap: number;
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
  /** Things worth telling the uploader that did not reject rows (ignored columns, DST). */
  readonly warnings: readonly string[];
  readonly localTimes: LocalTimes;
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

class Partition {
  readonly cols: ColumnBuffer[];
  n = 0;
  curated?: PartFile;
  shared?: PartFile;
  constructor(readonly dt: string, dataset: DatasetPlan) {
    this.cols = dataset.columns.map(bufferFor);
  }
}

/** How the byte path reads a column: straight from bytes, or decoded and coerced like text. */
const enum FastKind {
  Double,
  Int,
  Timestamp,
  String,
  /** Dates, longs, decimals, booleans: decode the field, then the general coercer. */
  Decoded,
}

/**
 * Runs the pipeline over one object. Throws {@link RejectedInputError} when the object as a
 * whole cannot be read as the dataset (an ambiguous header), otherwise only for
 * configuration faults and I/O errors.
 */
export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const { dataset, workDir } = o;
  const rowGroupRows = o.rowGroupRows ?? 65_536;
  const maxBufferedRows = Math.max(o.maxBufferedRows ?? 131_072, rowGroupRows);
  const maxRecordChars = o.maxRecordChars ?? MAX_RECORD_CHARS;
  const zone = new ZoneOffsets(dataset.timeZone);
  const columns = compileColumns(dataset, zone);
  const width = columns.length;
  const tsIndex = columns.findIndex((c) => c.name === dataset.timestampField);
  if (tsIndex < 0) throw new ConfigurationError(`dataset "${dataset.name}": timestampField "${dataset.timestampField}" is not a column`);
  const tsType = columns[tsIndex].plan.type;
  if (tsType !== 'timestamp' && tsType !== 'date') throw new ConfigurationError(`dataset "${dataset.name}": timestampField "${dataset.timestampField}" must be a timestamp or date column, not ${tsType}`);
  const curatedSchema = parquetSchema(dataset.columns);
  // The shared copy holds only what disclosureOf lets leave, in that form (infra/plan/disclosure.ts).
  const sharedColumns = o.tokens ? dataset.sharedColumns ?? [] : [];
  const sharedSchema = sharedColumns.length > 0 ? parquetSchema(sharedColumnPlans(dataset)) : undefined;
  const sharedIndex = sharedColumns.map((sc) => dataset.columns.findIndex((c) => c.name === sc.name));
  const transforms: SharedTransform[] = sharedColumns.map((sc, i) => sharedTransform(dataset.columns[sharedIndex[i]], sc.disclosure, zone));
  const days = new DayFormatter();

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

  let lastDay = NaN;
  let lastPartition: Partition | undefined;
  /**
   * The partition of a record by its day: its date, or its timestamp's days since the epoch.
   * A day, not the timestamp: a small integer passes to a call as it is, a timestamp in
   * milliseconds would be boxed.
   */
  const partitionOf = (day: number): Partition => {
    if (day === lastDay) return lastPartition!;
    const dt = days.day(day);
    let p = partitions.get(dt);
    if (!p) {
      p = new Partition(dt, dataset);
      partitions.set(dt, p);
    }
    lastDay = day;
    lastPartition = p;
    return p;
  };

  /**
   * Validates one record and buffers or quarantines it. `values[index[i]]` is column i's raw
   * value (undefined when absent); `raw` is the record as quarantined.
   */
  const accept = (values: readonly unknown[], index: readonly number[], line: number, raw: () => Readonly<Record<string, unknown>>) => {
    rowsIn++;
    let errors: string[] | undefined;
    for (let i = 0; i < width; i++) {
      const c = columns[i];
      let v: unknown = index[i] < 0 ? undefined : values[index[i]];
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
      if (value === undefined) (errors ??= []).push(`${c.name}: ${String(JSON.stringify(v)).slice(0, 80)} ${out.error}`);
      else row[i] = value;
    }
    const ts = row[tsIndex];
    if (!errors && ts === null) errors = [`${dataset.timestampField}: is needed to partition the record by date`];
    if (errors) {
      quarantine({ line, errors, record: raw() });
      return;
    }
    const p = partitionOf(tsType === 'date' ? (ts as number) : Math.floor((ts as number) / DAY));
    for (let i = 0; i < width; i++) p.cols[i].pushValue(row[i]);
    p.n++;
    buffered++;
    rowsWritten++;
  };

  const flush = async (p: Partition) => {
    if (p.n === 0) return;
    const curated = p.cols.map((c, i) => encodeColumn(curatedSchema[i + 1], c));
    p.curated ??= new PartFile(join(workDir, `curated-${p.dt}.parquet`), curatedSchema);
    p.curated.writeGroup(curated, p.n);
    if (o.tokens && sharedSchema) {
      p.shared ??= new PartFile(join(workDir, `shared-${p.dt}.parquet`), sharedSchema);
      p.shared.writeGroup(await sharedChunks(p.cols, curated, sharedIndex, transforms, sharedSchema, o.tokens), p.n);
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

  // CSV: the first record is the header, whichever reader reads it. Cells and fields meet by
  // headerKey (a field's `header:` when it has one, else its name).
  const keys = columns.map((c) => headerKey(c.plan.header ?? c.name));
  const columnOfKey = new Map(keys.map((k, i) => [k, i]));
  let header: string[] | undefined;
  let index: number[] = [];
  const onHeader = (fields: string[]) => {
    const cells = fields.map((f) => f.normalize('NFC').trim());
    header = fields.map(headerKey);
    const firstOf = new Map<string, number>();
    const clashes: string[] = [];
    header.forEach((h, k) => {
      if (h === '') return;
      const first = firstOf.get(h);
      if (first === undefined) firstOf.set(h, k);
      else clashes.push(`"${fields[first]}" (column ${first + 1}) and "${fields[k]}" (column ${k + 1}) both read as "${h}"`);
    });
    if (clashes.length > 0) throw new RejectedInputError(`duplicate column headers (헤더 중복): ${clashes.join('; ')}; rename or remove one and upload again (하나의 이름을 바꾸거나 지운 뒤 다시 올리세요)`);
    index = keys.map((k) => firstOf.get(k) ?? -1);
    const extra = header.flatMap((h, k) => (columnOfKey.has(h) ? [] : [h === '' ? `(column ${k + 1} has no name)` : cells[k]]));
    if (extra.length > 0) warnings.push(`ignored columns not in the dataset: ${extra.join(', ')}`);
    const missing = columns.flatMap((c, i) => (index[i] >= 0 ? [] : [c.plan.header === undefined ? c.name : `${c.name} (header "${c.plan.header}")`]));
    if (missing.length > 0) warnings.push(`columns missing from the header: ${missing.join(', ')}`);
  };
  /** A CSV record as quarantined: fromEntries defines keys as data, so "__proto__" stays a column. */
  const csvRecord = (fields: readonly string[]) => () => Object.fromEntries(header!.map((name, i) => [name, fields[i]]));
  const onCsvRecord = (fields: string[], line: number) => {
    if (!header) return onHeader(fields);
    if (fields.length !== header.length) {
      onUnreadable(`has ${fields.length} fields but the header has ${header.length}; quote fields that contain commas`, line, fields.join(',').slice(0, 200));
      return;
    }
    accept(fields, index, line, csvRecord(fields));
  };

  // JSON Lines: keys meet fields by headerKey too; what a key maps to is remembered per key.
  const columnOfJsonKey = new Map<string, number>();
  const jsonValues: unknown[] = new Array(width);
  const jsonKeyOf: string[] = new Array(width);
  const identity = columns.map((_, i) => i);
  const onJsonRecord = (record: Record<string, unknown>, line: number) => {
    jsonValues.fill(undefined);
    let clash: string | undefined;
    for (const k of Object.keys(record)) {
      let i = columnOfJsonKey.get(k);
      if (i === undefined) {
        i = columnOfKey.get(headerKey(k)) ?? -1;
        if (columnOfJsonKey.size > 10_000) columnOfJsonKey.clear(); // keys chosen by the sender: bound the memo
        columnOfJsonKey.set(k, i);
      }
      if (i < 0) continue;
      if (jsonValues[i] !== undefined) clash ??= `keys "${jsonKeyOf[i]}" and "${k}" both name column ${columns[i].name}; keep one`;
      jsonValues[i] = record[k];
      jsonKeyOf[i] = k;
    }
    if (clash !== undefined) {
      rowsIn++;
      quarantine({ line, errors: [clash], record });
      return;
    }
    accept(jsonValues, identity, line, () => record);
  };

  // The byte path (CSV in UTF-8 or CP949): see ./csv-bytes.ts and ./fields-bytes.ts.
  let fieldDecoder: InstanceType<typeof TextDecoder> | undefined;
  const decodeField = (b: Uint8Array, s: number, e: number): string => {
    if (isAsciiRange(b, s, e)) return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
    const text = fieldDecoder!.decode(b.subarray(s, e));
    if (text.includes(REPLACEMENT)) state.sawReplacement = true;
    return text;
  };
  const fast = columns.map((c) => {
    const conversion = c.plan.type === 'double' || c.plan.type === 'int' ? affineConversionOf(c.plan) : undefined;
    return {
      kind: c.plan.type === 'double' ? FastKind.Double : c.plan.type === 'int' ? FastKind.Int : c.plan.type === 'timestamp' ? FastKind.Timestamp : c.plan.type === 'string' ? FastKind.String : FastKind.Decoded,
      // The conversion's terms, applied inline (./units.ts `Affine`).
      converts: conversion !== undefined,
      minus: conversion?.minus ?? 0,
      times: conversion?.times ?? 1,
      over: conversion?.over ?? 1,
      min: c.plan.min ?? -Infinity,
      max: c.plan.max ?? Infinity,
      required: c.required,
    };
  });
  const localTime = new LocalTimestampBytes();
  /** The record being read: numbers (NaN for null) and string ids; decoded kinds also in `vals`. */
  const nums = new Float64Array(width);
  const vals: Value[] = new Array(width).fill(null);
  /**
   * One field of the byte path into `nums`/`vals`: true when read, false when the record must
   * take the general path (anything unusual, invalid or rejected — the general path says why).
   */
  const readField = (i: number, p: Partition | undefined, b: Uint8Array, s: number, e: number): boolean => {
    const f = fast[i];
    if (s === e) {
      if (f.required) return false;
      nums[i] = NaN;
      vals[i] = null;
      return true;
    }
    switch (f.kind) {
      case FastKind.Double:
      case FastKind.Int: {
        if (!parseNumberBytes(b, s, e, nums, i)) return false;
        let n = nums[i];
        if (f.kind === FastKind.Int && (!Number.isInteger(n) || n < -2147483648 || n > 2147483647)) return false;
        if (f.converts) {
          n = ((n - f.minus) * f.times) / f.over;
          if (f.kind === FastKind.Int) n = Math.round(n);
        }
        if (n < f.min || n > f.max) return false;
        nums[i] = n; // numbers stay unboxed: `vals` is only for the decoded kinds
        return true;
      }
      case FastKind.Timestamp: {
        if (!localTime.parse(b, s, e, nums, i)) return false;
        zone.toUtcAt(nums, i);
        return true;
      }
      case FastKind.String: {
        const col = p!.cols[i] as StringBuffer;
        const id = col.internBytes(b, s, e, decodeField);
        if (col.flags[id] !== StringFlag.Ok) return false;
        nums[i] = id;
        return true;
      }
      default: {
        const text = decodeField(b, s, e).trim();
        if (text === '' || (state.sawReplacement && text.includes(REPLACEMENT))) return false;
        const v = columns[i].coerce(text, out);
        if (v === undefined) return false;
        vals[i] = v;
        nums[i] = typeof v === 'number' ? v : NaN;
        return true;
      }
    }
  };
  const decodeAll = (b: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): string[] => {
    const fields = new Array<string>(count);
    for (let k = 0; k < count; k++) fields[k] = decodeField(b, starts[k], ends[k]);
    return fields;
  };
  // DST counts as they were before the record: a record the byte path hands to the general
  // path is read (and counted) again there, so what the byte path counted is taken back.
  let dstGap0 = 0;
  let dstOverlap0 = 0;
  const slow = (b: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, line: number) => {
    zone.dstGap = dstGap0;
    zone.dstOverlap = dstOverlap0;
    onCsvRecord(decodeAll(b, starts, ends, count), line);
  };
  const onByteRecord = (b: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, line: number) => {
    dstGap0 = zone.dstGap;
    dstOverlap0 = zone.dstOverlap;
    if (!header || count !== header.length) return slow(b, starts, ends, count, line);
    // The timestamp first: it picks the partition whose string dictionaries the row uses.
    const ti = index[tsIndex];
    if (ti < 0 || !readField(tsIndex, undefined, b, starts[ti], ends[ti]) || nums[tsIndex] !== nums[tsIndex]) return slow(b, starts, ends, count, line);
    const p = partitionOf(tsType === 'date' ? nums[tsIndex] : Math.floor(nums[tsIndex] / DAY));
    for (let i = 0; i < width; i++) {
      if (i === tsIndex) continue;
      const k = index[i];
      if (k < 0) {
        if (fast[i].required) return slow(b, starts, ends, count, line);
        nums[i] = NaN;
        vals[i] = null;
      } else if (!readField(i, p, b, starts[k], ends[k])) {
        return slow(b, starts, ends, count, line);
      }
    }
    for (let i = 0; i < width; i++) {
      const col = p.cols[i];
      const kind = fast[i].kind;
      if (kind === FastKind.String) (col as StringBuffer).pushId(nums[i] !== nums[i] ? -1 : nums[i]);
      else if (kind === FastKind.Decoded) col.pushValue(vals[i]);
      else if (nums[i] !== nums[i]) col.pushNull();
      else (col as F64Buffer | I32Buffer).push(nums[i]);
    }
    rowsIn++;
    p.n++;
    buffered++;
    rowsWritten++;
  };
  const onQuotedLine = (b: Uint8Array, s: number, e: number, line: number) => {
    const text = decodeField(b, s, e);
    const fields = splitQuotedLine(text);
    if (typeof fields === 'string') onUnreadable(fields, line, text.slice(0, 200));
    else onCsvRecord(fields, line);
  };

  // The text path: JSON Lines, UTF-16, and CSV from wherever the byte reader handed off.
  let textDecoder: InstanceType<typeof TextDecoder> | undefined;
  let textReader: { push(t: string): void; end(): void } | undefined;
  const startText = (firstLine: number) => {
    textDecoder = decoderFor(state.encoding ?? o.encoding);
    textReader = o.format === 'csv'
      ? new CsvReader(onCsvRecord, onUnreadable, maxRecordChars, firstLine)
      : new JsonLinesReader(onJsonRecord, onUnreadable, maxRecordChars);
  };
  const feedText = (bytes: Uint8Array | undefined) => {
    const text = bytes ? textDecoder!.decode(bytes, { stream: true }) : textDecoder!.decode();
    if (text.length === 0) return;
    if (!state.sawReplacement && text.includes(REPLACEMENT)) state.sawReplacement = true;
    textReader!.push(text);
  };

  /** When the byte reader met a record it leaves to the text reader, the text reader goes on from there. */
  const continueAsText = (r: ByteCsvReader) => {
    if (!r.handoff) return;
    startText(r.handoff.line);
    feedText(r.handoff.rest);
  };

  let byteReader: ByteCsvReader | undefined;
  const files = () => [...partitions.values()].flatMap((p) => [p.curated, p.shared]).filter((f): f is PartFile => f !== undefined);
  try {
    for await (const chunk of sniffed(o.source, o.encoding, state)) {
      if (!byteReader && !textReader) {
        if (o.format === 'csv' && o.byteCsv !== false && (state.encoding === 'utf-8' || state.encoding === 'cp949')) {
          fieldDecoder = decoderFor(state.encoding);
          byteReader = new ByteCsvReader(onByteRecord, onQuotedLine, maxRecordChars);
        } else {
          startText(1);
        }
      }
      if (byteReader && !byteReader.handoff) {
        byteReader.push(chunk);
        continueAsText(byteReader);
      } else {
        feedText(chunk);
      }
      await flushIfNeeded();
    }
    if (byteReader && !byteReader.handoff) {
      byteReader.end();
      continueAsText(byteReader);
    }
    if (textReader) {
      feedText(undefined);
      textReader.end();
    }
    for (const p of partitions.values()) await flush(p);
    flushQuarantine();
    const outputs: PartitionOutput[] = [...partitions.values()]
      .filter((p) => p.curated)
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
    if (zone.dstGap + zone.dstOverlap > 0) warnings.push(dstWarning(zone));
    return {
      rowsIn,
      rowsWritten,
      rowsQuarantined,
      partitions: outputs,
      ...(qfd !== undefined ? { quarantineFile: quarantinePath } : {}),
      format: o.format,
      encoding: state.encoding ?? o.encoding,
      warnings,
      localTimes: { timeZone: zone.zone, dstGap: zone.dstGap, dstOverlap: zone.dstOverlap },
    };
  } catch (e) {
    for (const f of files()) f.abort();
    throw e;
  } finally {
    if (qfd !== undefined) closeSync(qfd);
  }
}

const DAY = 86_400_000;


/** What the manifest says about local times that fell in a daylight-saving gap or overlap. */
function dstWarning(zone: ZoneOffsets): string {
  const times = (n: number) => `${n} local time${n === 1 ? '' : 's'}`;
  const gap = zone.dstGap > 0 ? `${times(zone.dstGap)} fell in a daylight-saving gap of ${zone.zone} and ${zone.dstGap === 1 ? 'was' : 'were'} moved forward by the gap's length` : undefined;
  const overlap = zone.dstOverlap > 0 ? (gap ? `${zone.dstOverlap} fell in an overlap` : `${times(zone.dstOverlap)} fell in a daylight-saving overlap of ${zone.zone}`) + ' and took the earlier offset' : undefined;
  return [gap, overlap].filter((x) => x !== undefined).join('; ');
}

/**
 * The shared copy's chunks, one per shared column (`index` into the dataset's columns): a
 * column kept as is reuses the curated chunk (encoded once, written twice); identifiers get
 * the token of each distinct value in place of the value; generalized columns are
 * generalized once per distinct string or per value.
 */
async function sharedChunks(cols: readonly ColumnBuffer[], curated: readonly EncodedChunk[], index: readonly number[], transforms: readonly SharedTransform[], schema: readonly SchemaElement[], tokens: TokenCache): Promise<EncodedChunk[]> {
  const out: EncodedChunk[] = [];
  for (let s = 0; s < index.length; s++) {
    const i = index[s];
    const t = transforms[s];
    const element = schema[s + 1];
    if (t.kind === 'keep') {
      out.push(curated[i]);
    } else if (t.kind === 'mac') {
      const col = cols[i] instanceof StringBuffer ? (cols[i] as StringBuffer) : asStrings(cols[i]);
      const used = usedValues(col);
      await tokens.prepare(used.values());
      out.push(encodeColumn(element, col, col.dict.map((v, id) => (used.has(id) ? tokens.get(v) : ''))));
    } else {
      const g = generalized(cols[i], t.apply);
      out.push(encodeColumn(element, g));
      g.reset(); // its arrays back to the pool for the next row group: the chunk holds copies
    }
  }
  return out;
}

/** The distinct values a string column's rows use (ids of rejected records are left out). */
function usedValues(col: StringBuffer): Map<number, string> {
  const used = new Map<number, string>();
  for (let r = 0; r < col.n; r++) {
    const id = col.ids[r];
    if (id >= 0 && !used.has(id)) used.set(id, col.dict[id]);
  }
  return used;
}

/** A non-string identifier column as strings, the type its tokens have. */
function asStrings(col: ColumnBuffer): StringBuffer {
  const s = new StringBuffer();
  forEachValue(col, (v) => s.pushValue(v === null ? null : String(v)));
  return s;
}

/** A copy of a column with `apply` on every value (once per distinct value for strings). */
function generalized(col: ColumnBuffer, apply: (v: Value) => Value): ColumnBuffer {
  if (col instanceof StringBuffer) {
    const s = new StringBuffer();
    const memo = new Map<number, number>();
    for (let r = 0; r < col.n; r++) {
      const id = col.ids[r];
      if (id < 0) {
        s.pushNull();
        continue;
      }
      let g = memo.get(id);
      if (g === undefined) {
        const v = apply(col.dict[id]);
        g = v === null ? -1 : s.intern(v as string);
        memo.set(id, g);
      }
      s.pushId(g);
    }
    return s;
  }
  const copy = col instanceof F64Buffer ? new F64Buffer() : col instanceof I32Buffer ? new I32Buffer() : new ValueBuffer();
  forEachValue(col, (v) => copy.pushValue(v === null ? null : apply(v)));
  return copy;
}

function forEachValue(col: ColumnBuffer, f: (v: Value) => void): void {
  if (col instanceof StringBuffer) {
    for (let r = 0; r < col.n; r++) f(col.ids[r] < 0 ? null : col.dict[col.ids[r]]);
  } else if (col instanceof ValueBuffer) {
    for (let r = 0; r < col.n; r++) f(col.values[r]);
  } else {
    const typed = col as F64Buffer | I32Buffer;
    for (let r = 0; r < col.n; r++) f(col.nullCount > 0 && col.nulls[r] === 1 ? null : typed.values[r]);
  }
}
