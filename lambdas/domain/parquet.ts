/**
 * Parquet output: the schema of a dataset, column chunks encoded straight from the pipeline's
 * column buffers (./columns.ts), and a part file written one row group at a time to local
 * disk, so memory holds one row group, never the whole file.
 *
 * Types follow the Glue types of the plan (infra/plan/build.ts): int → INT32, long → INT64,
 * double → DOUBLE, decimal → decimal(38,9) as a 16-byte FIXED_LEN_BYTE_ARRAY, date → DATE,
 * timestamp → INT64 milliseconds adjusted to UTC, string → UTF8. Athena, Spark and DuckDB read
 * all of them natively.
 *
 * Why not hyparquet-writer's `ParquetWriter` for the column data (it was used until the
 * ingestion bench showed it at ~330k rows/s per copy, a third of the budget): it takes
 * generic JS arrays, so it re-derives per value what the buffers already know — it
 * re-dictionaries strings the pipeline has already interned, turns every timestamp into a
 * BigInt, builds definition levels one array entry per row, and compresses with a JS Snappy.
 * Here each column is one typed-array copy or one dictionary of ids, compressed with Node's
 * native zlib (GZIP, level 1), and a column that is the same in the curated and the shared
 * copy is encoded once and written twice. hyparquet-writer still does everything that
 * is format rather than speed: Thrift page headers and footer, RLE/bit-packing,
 * PLAIN encoding of the rarer types, statistics serialization.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { constants as zlib, deflateRawSync, gzipSync, type ZlibOptions } from 'node:zlib';
import { ByteWriter, type SchemaElement } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { writePlain } from 'hyparquet-writer/src/plain.js';
import { unconvert } from 'hyparquet-writer/src/unconvert.js';
import type { ColumnPlan } from '../../infra/plan/types';
import { DECIMAL_PRECISION, DECIMAL_SCALE, type Value } from './coerce';
import { F64Buffer, I32Buffer, StringBuffer, ValueBuffer, type ColumnBuffer } from './columns';

export type { SchemaElement };

// Parquet metadata types as hyparquet-writer's own hyparquet declares them (a nested copy).
type FileMetaData = Parameters<typeof writeMetadata>[1];
type RowGroup = FileMetaData['row_groups'][number];
type ColumnChunk = RowGroup['columns'][number];
type ColumnMetaData = NonNullable<ColumnChunk['meta_data']>;
type Statistics = NonNullable<ColumnMetaData['statistics']>;
type Encoding = ColumnMetaData['encodings'][number];

/** Written into every file's footer so readers can tell which pipeline produced it. */
export const CREATED_BY = 'coop-idc ingest';

// Typed arrays are written to disk as they sit in memory; Parquet is little-endian.
if (endianness() !== 'LE') throw new Error('coop-idc ingest writes Parquet from little-endian memory only');

/**
 * The Parquet schema of some columns (a dataset's, or its shared copy's from
 * `sharedColumnPlans`, where tokens are already string columns).
 */
export function parquetSchema(columns: readonly ColumnPlan[]): SchemaElement[] {
  const root: SchemaElement = { name: 'schema', num_children: columns.length };
  return [root, ...columns.map(element)];
}

function element(c: ColumnPlan): SchemaElement {
  const repetition_type = c.required ? 'REQUIRED' : 'OPTIONAL';
  switch (c.type) {
    case 'string':
      return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
    case 'int':
      return { name: c.name, type: 'INT32', repetition_type };
    case 'long':
      return { name: c.name, type: 'INT64', repetition_type };
    case 'double':
      return { name: c.name, type: 'DOUBLE', repetition_type };
    case 'boolean':
      return { name: c.name, type: 'BOOLEAN', repetition_type };
    case 'decimal':
      return {
        name: c.name, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL',
        precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE, repetition_type,
        logical_type: { type: 'DECIMAL', precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE },
      };
    case 'date':
      return { name: c.name, type: 'INT32', converted_type: 'DATE', repetition_type, logical_type: { type: 'DATE' } };
    case 'timestamp':
      return {
        name: c.name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type,
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
  }
}

/** The buffer a column of this plan type is collected in. */
export function bufferFor(c: Pick<ColumnPlan, 'type'>): ColumnBuffer {
  switch (c.type) {
    case 'double':
    case 'timestamp':
      return new F64Buffer();
    case 'int':
    case 'date':
      return new I32Buffer();
    case 'string':
      return new StringBuffer();
    default:
      return new ValueBuffer();
  }
}

/** One column chunk of one row group, encoded and position-independent: it can go into any file. */
export interface EncodedChunk {
  /** Page headers and page data, in file order. */
  readonly pieces: readonly Uint8Array[];
  /** Bytes of the dictionary page (header included) before the data page; 0 without one. */
  readonly dictionaryBytes: number;
  readonly totalBytes: number;
  readonly uncompressedBytes: number;
  readonly meta: Omit<ColumnMetaData, 'data_page_offset' | 'dictionary_page_offset' | 'total_compressed_size' | 'total_uncompressed_size'>;
}

/**
 * zlib level 1: ~3:1 on sensor doubles at ~130 MB/s; higher levels cost far more than they
 * save. memLevel 9 (more memory for the match state, 256 KiB) was ~15 % faster here, same size.
 */
const GZIP: ZlibOptions = { level: 1, memLevel: 9 };

/** Huffman coding without LZ77 matching: ~2.5× faster, and as small on integers that repeat no byte strings. */
const HUFFMAN: ZlibOptions = { ...GZIP, strategy: zlib.Z_HUFFMAN_ONLY };

/** Bytes of a chunk compressed both ways to choose between them (a 64th of a full row group of INT32). */
const SAMPLE_BYTES = 4096;

/**
 * The zlib settings for a PLAIN integer chunk. Integers that took no dictionary are mostly
 * distinct: readings such as rpm, where LZ77 finds few repeats and Huffman coding alone gives
 * the same size (60.5 against 60.7 % of 4-byte random values) at ~2.5× the speed; slowly
 * moving counters are the opposite (25 against 45 %). A sample from the chunk's start decides;
 * Huffman only when its size is within 2 % of LZ77's. Doubles always take LZ77: their
 * repeated exponent-and-mantissa byte strings are what zlib finds (41 against 91 %).
 */
export function integerZlib(data: Uint8Array): ZlibOptions {
  if (data.length < SAMPLE_BYTES * 4) return GZIP;
  const sample = data.subarray(0, SAMPLE_BYTES);
  return deflateRawSync(sample, HUFFMAN).length <= deflateRawSync(sample, GZIP).length * 1.02 ? HUFFMAN : GZIP;
}

/**
 * Encodes one column of a row group. `element` is the column's schema element; `dict` replaces
 * a string column's dictionary values (the shared copy's tokens) while keeping its ids.
 */
export function encodeColumn(element: SchemaElement, col: ColumnBuffer, dict?: readonly string[]): EncodedChunk {
  const n = col.n;
  const required = element.repetition_type === 'REQUIRED';
  if (required && col.nullCount > 0) throw new Error(`internal: required column ${element.name} has nulls`);
  const levels = required ? EMPTY : definitionLevels(col);
  const present = n - col.nullCount;
  let stats: Statistics = { null_count: BigInt(col.nullCount) };
  const pieces: Uint8Array[] = [];
  let dictionaryBytes = 0;
  let uncompressed = 0;
  let encoding: Encoding = 'PLAIN';
  let data: Uint8Array;
  let compress = true;
  let zlibOptions = GZIP;

  if (col instanceof StringBuffer) {
    const r = encodeStrings(col, dict ?? col.dict, present);
    stats = { ...stats, ...r.stats };
    data = r.data;
    if (r.dictionary) {
      encoding = 'RLE_DICTIONARY';
      compress = false; // bit-packed ids: zlib spends time and saves nothing
      ({ bytes: dictionaryBytes, uncompressed } = dictionaryPage(pieces, r.dictionary, r.dictionarySize));
    }
  } else if (col instanceof F64Buffer || col instanceof I32Buffer) {
    const v = compact<Float64Array | Int32Array>(col.values, col, present);
    const mm = minMax(v);
    const int64 = col instanceof F64Buffer && element.type === 'INT64';
    if (col instanceof F64Buffer && !int64 && element.type !== 'DOUBLE') throw new Error(`internal: column ${element.name} of type ${element.type} has no encoder for F64Buffer`);
    stats = { ...stats, ...(int64 && mm.min_value !== undefined ? { min_value: BigInt(mm.min_value as number), max_value: BigInt(mm.max_value as number) } : mm) };
    const plain = (a: Float64Array | Int32Array) => (int64 ? int64Bytes(a as Float64Array) : bytesOf(a));
    const d = numericDictionary(v);
    if (d) {
      // A few distinct values (machine ids, status codes, whole-degree readings): bit-packed
      // ids are a fraction of the bytes, and zlib need not see 8 bytes per value.
      const dictionary = plain(v instanceof Float64Array ? Float64Array.from(d.values) : Int32Array.from(d.values));
      encoding = 'RLE_DICTIONARY';
      compress = false;
      ({ bytes: dictionaryBytes, uncompressed } = dictionaryPage(pieces, dictionary, d.values.length));
      data = bitPackedIds(d.ids, d.values.length);
    } else {
      data = plain(v);
      if (col instanceof I32Buffer) zlibOptions = integerZlib(data);
    }
  } else if (col instanceof ValueBuffer) {
    const values = col.nullCount === 0 ? col.values : col.values.filter((v) => v !== null);
    stats = { ...stats, ...minMax(values) };
    const w = new ByteWriter();
    writePlain(w, unconvert(element, values as never), element.type!, element.type_length);
    data = w.getBytes();
  } else {
    throw new Error(`internal: column ${element.name} of type ${element.type} has no encoder for ${col.constructor.name}`);
  }

  const body = compress ? gzipSync(data, zlibOptions) : data;
  const header = pageHeader({
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: levels.length + data.length,
    compressed_page_size: levels.length + body.length,
    data_page_header_v2: {
      num_values: n, num_nulls: col.nullCount, num_rows: n, encoding,
      definition_levels_byte_length: levels.length, repetition_levels_byte_length: 0, is_compressed: compress,
    },
  });
  pieces.push(header, levels, body);
  uncompressed += header.length + levels.length + data.length;
  const totalBytes = pieces.reduce((s, p) => s + p.length, 0);
  return {
    pieces,
    dictionaryBytes,
    totalBytes,
    uncompressedBytes: uncompressed,
    meta: {
      type: element.type!,
      encodings: dictionaryBytes > 0 ? ['PLAIN', 'RLE', encoding] : ['RLE', encoding],
      path_in_schema: [element.name],
      codec: 'GZIP',
      num_values: BigInt(n),
      statistics: stats,
      encoding_stats: [
        ...(dictionaryBytes > 0 ? [{ page_type: 'DICTIONARY_PAGE' as const, encoding: 'PLAIN' as const, count: 1 }] : []),
        { page_type: 'DATA_PAGE_V2' as const, encoding, count: 1 },
      ],
    },
  };
}

const EMPTY = new Uint8Array(0);

function pageHeader(header: Parameters<typeof writePageHeader>[1]): Uint8Array {
  const w = new ByteWriter(64);
  writePageHeader(w, header);
  return w.getBytes();
}

/** RLE-encoded definition levels (bit width 1): one run when nothing is null. */
function definitionLevels(col: ColumnBuffer): Uint8Array {
  const w = new ByteWriter(col.nullCount === 0 ? 16 : (col.n >> 3) + 64);
  if (col.nullCount === 0) {
    if (col.n > 0) {
      w.appendVarInt(col.n << 1);
      w.appendUint8(1);
    }
  } else {
    const levels = new Uint8Array(col.n);
    for (let i = 0; i < col.n; i++) levels[i] = 1 - col.nulls[i];
    writeRleBitPackedHybrid(w, levels, 1);
  }
  return w.getBytes();
}

/** The non-null values of a typed buffer, as a view when there are no nulls. */
function compact<A extends Float64Array | Int32Array>(values: A, col: ColumnBuffer, present: number): A {
  if (col.nullCount === 0) return values.subarray(0, col.n) as A;
  const out = new (values.constructor as { new (n: number): A })(present);
  const nulls = col.nulls;
  for (let i = 0, j = 0; i < col.n; i++) if (nulls[i] === 0) out[j++] = values[i];
  return out;
}

function bytesOf(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Epoch milliseconds (exact integers in a double) as little-endian INT64, without BigInt. */
function int64Bytes(v: Float64Array): Uint8Array {
  const out = new Uint32Array(v.length * 2);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const hi = Math.floor(x / 4294967296);
    out[2 * i] = x - hi * 4294967296;
    out[2 * i + 1] = hi; // two's complement by the Uint32 conversion
  }
  return new Uint8Array(out.buffer);
}

function minMax(v: ArrayLike<number | Value>): Pick<Statistics, 'min_value' | 'max_value'> {
  if (v.length === 0) return {};
  let min = v[0];
  let max = v[0];
  for (let i = 1; i < v.length; i++) {
    const x = v[i] as number;
    if (x < (min as number)) min = x;
    if (x > (max as number)) max = x;
  }
  return { min_value: min as never, max_value: max as never };
}

const encoder = new TextEncoder();

/**
 * A string column: the ids used in this row group, renumbered in order of first use, as a
 * dictionary page plus bit-packed ids; or PLAIN values when nearly every value is distinct.
 */
function encodeStrings(col: StringBuffer, values: readonly string[], present: number): { data: Uint8Array; dictionary?: Uint8Array; dictionarySize: number; stats: Pick<Statistics, 'min_value' | 'max_value'> } {
  const { order, idx } = firstUseOrder(col, values.length, present);
  const bytes = order.map((id) => encoder.encode(values[id]));
  let min: Uint8Array | undefined;
  let max: Uint8Array | undefined;
  for (const b of bytes) {
    if (!min || Buffer.compare(b, min) < 0) min = b;
    if (!max || Buffer.compare(b, max) > 0) max = b;
  }
  const stats = min && max ? { min_value: min as never, max_value: max as never } : {};
  if (order.length * 2 > present) {
    // Mostly distinct: a dictionary would only add the ids.
    const w = new ByteWriter(present * 16 + 64);
    for (let j = 0; j < present; j++) {
      const b = bytes[idx[j]];
      w.appendUint32(b.length);
      w.appendBytes(b);
    }
    return { data: w.getBytes(), dictionarySize: 0, stats };
  }
  const dw = new ByteWriter(bytes.reduce((s, b) => s + b.length + 4, 64));
  for (const b of bytes) {
    dw.appendUint32(b.length);
    dw.appendBytes(b);
  }
  return { data: bitPackedIds(idx, order.length), dictionary: dw.getBytes(), dictionarySize: order.length, stats };
}

/**
 * The ids a string column's rows use, renumbered in order of first use: `order[local]` is the
 * buffer's id, `idx` the rows' local ids (nulls left out).
 */
function firstUseOrder(col: StringBuffer, dictionarySize: number, present: number): { order: readonly number[]; idx: Int32Array } {
  const ids = col.ids;
  // The buffer hands out ids in order of first use, so they are usually numbered so already
  // (unless a record that was then rejected took an id): one read per row to see it.
  let next = 0;
  for (let i = 0; i < col.n; i++) {
    const id = ids[i];
    if (id >= next) {
      if (id !== next) return renumber(col, dictionarySize, present);
      next++;
    }
  }
  const idx = col.nullCount === 0 ? ids.subarray(0, col.n) : ids.subarray(0, col.n).filter((id) => id >= 0);
  return { order: Array.from({ length: next }, (_, id) => id), idx };
}

function renumber(col: StringBuffer, dictionarySize: number, present: number): { order: readonly number[]; idx: Int32Array } {
  const local = new Int32Array(dictionarySize).fill(-1);
  const order: number[] = [];
  const idx = new Int32Array(present);
  for (let i = 0, j = 0; i < col.n; i++) {
    const id = col.ids[i];
    if (id < 0) continue;
    let l = local[id];
    if (l < 0) {
      l = local[id] = order.length;
      order.push(id);
    }
    idx[j++] = l;
  }
  return { order, idx };
}

/** An RLE_DICTIONARY data page's body: the ids' bit width, then the ids RLE/bit-packed. */
function bitPackedIds(ids: Int32Array, dictionarySize: number): Uint8Array {
  const bitWidth = dictionarySize <= 1 ? 0 : 32 - Math.clz32(dictionarySize - 1);
  // Each group of 8 ids takes at most its header (5), its packed bytes and a run's value bytes.
  const out = new Uint8Array(1 + Math.ceil(ids.length / 8) * (bitWidth + 10) + 16);
  out[0] = bitWidth;
  return out.subarray(0, rleBitPacked(ids, bitWidth, out, 1));
}

/**
 * hyparquet-writer's `writeRleBitPackedHybrid`, the same runs and the same bytes, written into
 * `out` from `at` instead of a byte at a time through its ByteWriter (which checked capacity
 * for every byte: 3 % of the ingestion bench's profile). Returns the end. Runs of 8 or more
 * equal values are RLE; the rest is bit-packed in groups of 8, the last padded with zeros.
 */
export function rleBitPacked(values: Int32Array, bitWidth: number, out: Uint8Array, at: number): number {
  const n = values.length;
  let pos = at;
  let pending = 0;
  let packedStart = 0;
  const flushPacked = () => {
    pos = varInt(out, pos, (pending << 1) | 1);
    if (bitWidth > 0) {
      const mask = (1 << bitWidth) - 1;
      const end = packedStart + pending * 8;
      let buffer = 0;
      let bits = 0;
      for (let i = packedStart; i < end; i++) {
        buffer |= ((i < n ? values[i] : 0) & mask) << bits;
        bits += bitWidth;
        while (bits >= 8) {
          out[pos++] = buffer & 0xff;
          buffer >>>= 8;
          bits -= 8;
        }
      }
      if (bits > 0) out[pos++] = buffer & 0xff;
    }
    pending = 0;
  };
  let i = 0;
  while (i < n) {
    const first = values[i];
    let run = 1;
    while (i + run < n && values[i + run] === first) run++;
    if (run >= 8) {
      if (pending > 0) flushPacked();
      pos = varInt(out, pos, run << 1);
      for (let j = 0, width = (bitWidth + 7) >> 3; j < width; j++) out[pos++] = (first >> (j << 3)) & 0xff;
      i += run;
    } else {
      if (pending === 0) packedStart = i;
      pending++;
      i += 8;
    }
  }
  if (pending > 0) flushPacked();
  return pos;
}

/** ULEB128, as ByteWriter's appendVarInt writes it; returns the end. */
function varInt(out: Uint8Array, pos: number, value: number): number {
  while ((value & ~0x7f) !== 0) {
    out[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

/** Appends a GZIP dictionary page (header, then PLAIN values) to `pieces`; returns its size in the file and uncompressed. */
function dictionaryPage(pieces: Uint8Array[], plainValues: Uint8Array, size: number): { readonly bytes: number; readonly uncompressed: number } {
  const page = gzipSync(plainValues, GZIP);
  const header = pageHeader({
    type: 'DICTIONARY_PAGE', uncompressed_page_size: plainValues.length, compressed_page_size: page.length,
    dictionary_page_header: { num_values: size, encoding: 'PLAIN' },
  });
  pieces.push(header, page);
  return { bytes: header.length + page.length, uncompressed: header.length + plainValues.length };
}

/**
 * The distinct values of a numeric column chunk and each value's id, when there are few:
 * at most one per 16 values (and 65,536). Gives up as soon as there are more, so a column of
 * mostly distinct readings costs a sixteenth of a pass. Values are told apart by their bits
 * (an open-addressing table over typed arrays: a Map of numbers cost three times as much, and
 * would take -0 for 0), so every value comes back bit for bit.
 */
function numericDictionary(v: Float64Array | Int32Array): { readonly ids: Int32Array; readonly values: readonly number[] } | undefined {
  const limit = Math.min(65_536, v.length >> 4);
  if (limit < 2) return undefined;
  const log2 = 32 - Math.clz32(limit * 2 - 1); // a table at most half full
  const shift = 32 - log2;
  const mask = (1 << log2) - 1;
  const slots = new Int32Array(1 << log2).fill(-1);
  const ids = new Int32Array(v.length);
  const values: number[] = [];
  // A double as its two 32-bit halves; an int as itself with a zero high half.
  const words = v instanceof Float64Array ? new Uint32Array(v.buffer, v.byteOffset, v.length * 2) : undefined;
  const lows = new Int32Array(limit);
  const highs = new Int32Array(limit);
  for (let i = 0; i < v.length; i++) {
    const lo = words ? words[2 * i] | 0 : (v[i] | 0);
    const hi = words ? words[2 * i + 1] | 0 : 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
    for (;;) {
      const s = slots[h];
      if (s < 0) {
        if (values.length === limit) return undefined;
        slots[h] = values.length;
        lows[values.length] = lo;
        highs[values.length] = hi;
        ids[i] = values.length;
        values.push(v[i]);
        break;
      }
      if (lows[s] === lo && highs[s] === hi) {
        ids[i] = s;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return { ids, values };
}

/** One Parquet file on local disk, filled one row group at a time. */
export class PartFile {
  private offset = 0;
  private readonly groups: RowGroup[] = [];
  /** Rows written so far. */
  rows = 0;

  constructor(readonly path: string, private readonly schema: SchemaElement[]) {
    const fd = openSync(path, 'w');
    try {
      this.offset = writeSync(fd, MAGIC);
    } finally {
      closeSync(fd);
    }
  }

  /** Appends one row group; `chunks[i]` is schema column i, encoded by {@link encodeColumn}. */
  writeGroup(chunks: readonly EncodedChunk[], rows: number): void {
    if (rows === 0) return;
    const start = this.offset;
    const columns: ColumnChunk[] = [];
    // Reopened per row group: a file spanning hundreds of days must not hold hundreds of descriptors.
    const fd = openSync(this.path, 'a');
    try {
      for (const c of chunks) {
        const at = BigInt(this.offset);
        for (const p of c.pieces) {
          let done = 0;
          while (done < p.length) done += writeSync(fd, p, done, p.length - done);
        }
        this.offset += c.totalBytes;
        columns.push({
          file_offset: at,
          meta_data: {
            ...c.meta,
            total_compressed_size: BigInt(c.totalBytes),
            total_uncompressed_size: BigInt(c.uncompressedBytes),
            data_page_offset: at + BigInt(c.dictionaryBytes),
            ...(c.dictionaryBytes > 0 ? { dictionary_page_offset: at } : {}),
          },
        });
      }
    } finally {
      closeSync(fd);
    }
    this.groups.push({
      columns,
      total_byte_size: chunks.reduce((s, c) => s + BigInt(c.uncompressedBytes), 0n),
      num_rows: BigInt(rows),
      file_offset: BigInt(start),
      total_compressed_size: BigInt(this.offset - start),
    });
    this.rows += rows;
  }

  /** Writes the footer; returns the file's size in bytes. */
  finish(): number {
    const w = new ByteWriter(4096);
    const metadata: FileMetaData = {
      version: 2, created_by: CREATED_BY, schema: this.schema, num_rows: BigInt(this.rows), row_groups: this.groups,
    } as FileMetaData;
    writeMetadata(w, metadata);
    w.appendBytes(MAGIC);
    const bytes = w.getBytes();
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    this.offset += bytes.length;
    return this.offset;
  }

  /** Drops the file without a footer (the caller deletes the work folder); nothing is held open. */
  abort(): void {
    this.groups.length = 0;
  }
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
