/**
 * Rewrites a Parquet file the pipeline wrote (./parquet.ts) without some of its rows, with
 * the pipeline's own writer: every surviving row group is re-encoded from its values by
 * `encodeColumn` into a `PartFile`, under the file's own schema. A file from which no row is
 * dropped comes out byte for byte as it went in (test/lambdas/erase.test.ts), so a rewritten
 * file is exactly what the pipeline writes for those rows in those row groups.
 *
 * Values are read with hyparquet as the pipeline buffers them, not as hyparquet presents
 * them to users: timestamps as epoch milliseconds, dates as days, decimals as the unscaled
 * bigint (hyparquet would divide them into a lossy double), longs as bigint.
 */
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetRead } from 'hyparquet';
import type { Value } from './coerce';
import { F64Buffer, I32Buffer, StringBuffer, ValueBuffer, type ColumnBuffer } from './columns';
import { encodeColumn, PartFile, type SchemaElement } from './parquet';

/** One file's rows, column by column, in its row groups. */
export interface ParquetTable {
  /** The file's schema as written (root first). */
  readonly schema: SchemaElement[];
  /** Column names in schema order. */
  readonly columns: readonly string[];
  /** Per row group: `values[c][r]` is column c of row r. */
  readonly groups: readonly { readonly rows: number; readonly values: readonly (readonly Value[])[] }[];
}

const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  dateFromDays: (v: number) => v,
};

/** Reads a Parquet file written by the pipeline (GZIP pages, flat schema). */
export async function readParquetTable(bytes: Uint8Array): Promise<ParquetTable> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const schema = metadata.schema as unknown as SchemaElement[];
  // A copy that reads decimals as their raw bytes; the written schema keeps the original.
  const readMetadata = { ...metadata, schema: metadata.schema.map((e) => (e.converted_type === 'DECIMAL' ? { ...e, converted_type: undefined, logical_type: undefined } : e)) };
  const columns = schema.slice(1).map((e) => e.name);
  const groups: { rows: number; values: Value[][] }[] = [];
  let start = 0;
  for (const rg of metadata.row_groups) {
    const rows = Number(rg.num_rows);
    const values: Value[][] = columns.map(() => new Array<Value>(rows));
    if (rows > 0) {
      await parquetRead({
        file, metadata: readMetadata as typeof metadata, rowStart: start, rowEnd: start + rows, rowFormat: 'array',
        parsers: RAW_PARSERS, compressors: { GZIP: (b: Uint8Array) => new Uint8Array(gunzipSync(b)) },
        onComplete: (data: unknown[][]) => {
          for (let r = 0; r < data.length; r++) for (let c = 0; c < columns.length; c++) values[c][r] = normalize(schema[c + 1], data[r][c]);
        },
      });
    }
    groups.push({ rows, values });
    start += rows;
  }
  return { schema, columns, groups };
}

function normalize(e: SchemaElement, v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (e.converted_type === 'DECIMAL') return decimalOf(v as Uint8Array);
  if (e.type === 'INT64' && e.converted_type !== 'TIMESTAMP_MILLIS') return typeof v === 'bigint' ? v : BigInt(v as number);
  return v as Value;
}

/** A big-endian two's-complement FIXED_LEN_BYTE_ARRAY as a bigint. */
function decimalOf(b: Uint8Array): bigint {
  let x = 0n;
  for (const byte of b) x = (x << 8n) | BigInt(byte);
  return b.length > 0 && b[0] & 0x80 ? x - (1n << BigInt(b.length * 8)) : x;
}

/** The buffer the pipeline collects a column of this Parquet type in (./parquet.ts `bufferFor`). */
function bufferOf(e: SchemaElement): ColumnBuffer {
  if (e.type === 'BYTE_ARRAY') return new StringBuffer();
  if (e.type === 'DOUBLE' || (e.type === 'INT64' && e.converted_type === 'TIMESTAMP_MILLIS')) return new F64Buffer();
  if (e.type === 'INT32') return new I32Buffer();
  return new ValueBuffer();
}

/**
 * Writes the rows of `table` that `keep(group, row)` accepts to `dir/name`, one row group per
 * input row group that keeps a row. Returns the path and the rows written.
 */
export function writeParquetTable(table: ParquetTable, keep: (group: number, row: number) => boolean, dir: string, name: string): { path: string; rows: number; bytes: number } {
  const path = join(dir, name);
  const file = new PartFile(path, table.schema);
  table.groups.forEach((g, gi) => {
    const cols = table.schema.slice(1).map(bufferOf);
    let n = 0;
    for (let r = 0; r < g.rows; r++) {
      if (!keep(gi, r)) continue;
      for (let c = 0; c < cols.length; c++) cols[c].pushValue(g.values[c][r]);
      n++;
    }
    if (n > 0) file.writeGroup(cols.map((col, c) => encodeColumn(table.schema[c + 1], col)), n);
  });
  const bytes = file.finish();
  return { path, rows: file.rows, bytes };
}
