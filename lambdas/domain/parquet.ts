/**
 * Parquet output: the schema of a dataset and a part file written one row group at a time to
 * local disk, so memory holds one row group, never the whole file.
 *
 * Types follow the Glue types of the plan (infra/plan/build.ts): int → INT32, long → INT64,
 * double → DOUBLE, decimal → decimal(38,9) as a 16-byte FIXED_LEN_BYTE_ARRAY, date → DATE,
 * timestamp → INT64 milliseconds adjusted to UTC, string → UTF8. Athena, Spark and DuckDB read
 * all of them natively.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ColumnPlan } from '../../infra/plan/types';
import { DECIMAL_PRECISION, DECIMAL_SCALE, type Value } from './coerce';

/** Written into every file's footer so readers can tell which pipeline produced it. */
export const CREATED_BY = 'coop-idc ingest';

/**
 * The Parquet schema of a dataset. In the shared copy identifiers hold HMAC tokens, so they
 * are strings whatever their source type.
 */
export function parquetSchema(columns: readonly ColumnPlan[], options: { tokenizedIdentifiers?: boolean } = {}): SchemaElement[] {
  const root: SchemaElement = { name: 'schema', num_children: columns.length };
  return [root, ...columns.map((c) => element(c, options.tokenizedIdentifiers === true && c.pii === 'identifier'))];
}

function element(c: ColumnPlan, token: boolean): SchemaElement {
  const repetition_type = c.required ? 'REQUIRED' : 'OPTIONAL';
  if (token) return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
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

const FLUSH_BYTES = 4 << 20;
const IDLE_BYTES = 64 << 10;

/**
 * A hyparquet writer that appends to a file and gives its buffer back after each row group:
 * with many partitions open at once, an idle part file costs 64 KiB, not the size of its
 * largest row group.
 */
class FileSink extends ByteWriter {
  constructor(private readonly path: string) {
    super(IDLE_BYTES);
    closeSync(openSync(path, 'w'));
  }
  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.writeOut();
    super.ensure(size);
  }
  flush(): void {
    this.writeOut();
    if (this.buffer.byteLength > IDLE_BYTES) {
      this.buffer = new ArrayBuffer(IDLE_BYTES);
      this.view = new DataView(this.buffer);
    }
  }
  override finish(): void {
    this.writeOut();
  }
  /** Appends the buffer and closes the file again: a file spanning hundreds of days must not hold hundreds of descriptors. */
  private writeOut(): void {
    if (this.index === 0) return;
    const fd = openSync(this.path, 'a');
    try {
      let done = 0;
      while (done < this.index) done += writeSync(fd, new Uint8Array(this.buffer, done, this.index - done));
    } finally {
      closeSync(fd);
    }
    this.index = 0;
  }
}

/** One Parquet file on local disk, filled one row group at a time. */
export class PartFile {
  private readonly sink: FileSink;
  private readonly writer: ParquetWriter;
  private readonly names: string[];
  /** Rows written so far. */
  rows = 0;

  constructor(readonly path: string, schema: SchemaElement[]) {
    this.sink = new FileSink(path);
    this.names = schema.slice(1).map((s) => s.name);
    this.writer = new ParquetWriter({ writer: this.sink, schema, createdBy: CREATED_BY, statistics: true });
  }

  /** Appends one row group; `columns[i]` holds the values of schema column i. */
  writeGroup(columns: Value[][], rows: number): void {
    if (rows === 0) return;
    const columnData = this.names.map((name, i) => ({ name, data: columns[i] as never }));
    // Statistics stay on: Athena uses row-group min/max to skip data.
    this.writer.write({ columnData, rowGroupSize: rows });
    this.rows += rows;
  }

  /** Writes the footer and closes the file; returns its size in bytes. */
  finish(): number {
    this.writer.finish();
    return this.sink.offset;
  }

  /** Drops the file without a footer (the caller deletes the work folder); nothing is held open. */
  abort(): void {
    this.sink.index = 0;
  }
}
