/**
 * The Parquet writer's numeric columns, read back by DuckDB: dictionary-encoded when a row
 * group holds few distinct values, PLAIN otherwise, the same values either way (nulls,
 * negatives, fractions, -0, timestamps, dates). The zlib strategy for PLAIN integers; the
 * ids' RLE/bit-packing against hyparquet-writer's own.
 */
import fc from 'fast-check';
import { ByteWriter } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { join } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import type { ColumnPlan } from '../../infra/plan/types';
import { bufferFor, encodeColumn, integerZlib, parquetSchema, PartFile, rleBitPacked } from '../../lambdas/domain/parquet';
import { tempDirs } from '../support/files';
import { readParquetFile } from './support/s3';

const tmp = tempDirs();
const ROWS = 4096;

type Row = { few_int: number | null; few_double: number | null; distinct_double: number; with_negative_zero: number; ts: number; day: number | null; distinct_int: number; walk: number };

const COLUMNS = [
  { name: 'few_int', type: 'int', required: false },
  { name: 'few_double', type: 'double', required: false },
  { name: 'distinct_double', type: 'double', required: true },
  { name: 'with_negative_zero', type: 'double', required: true },
  { name: 'ts', type: 'timestamp', required: true },
  { name: 'day', type: 'date', required: false },
  { name: 'distinct_int', type: 'int', required: false },
  { name: 'walk', type: 'int', required: true },
] as unknown as ColumnPlan[];

/**
 * Row `i` of row group `g`: few distinct values except `distinct_double`, `distinct_int` (like
 * rpm readings: Huffman-coded) and `walk` (a slowly moving counter: LZ77); every 7th null
 * where allowed.
 */
function row(g: number, i: number): Row {
  return {
    few_int: i % 7 === 3 ? null : ((i * 31) % 40) - 20,
    few_double: i % 7 === 5 ? null : [-1.5, 0.25, 1e-9, 36.6, -273.15][i % 5] + g,
    distinct_double: i * 0.001 - 2 + g * 10,
    with_negative_zero: i === 17 ? -0 : i % 3,
    ts: Date.UTC(2026, 11, 6) + ((i * 1000) % 60_000) + g * 3_600_000,
    day: i % 7 === 6 ? null : 20_000 + (i % 3) - g,
    distinct_int: (Math.imul(i + g * ROWS, 0x9e3779b1) >>> 0) % 24_000 - 100,
    walk: 5_000 + Math.round(300 * Math.sin((i + g * ROWS) / 50) + (i % 5)),
  };
}

async function writeAndRead(): Promise<{ file: string; rows: Record<string, unknown>[] }> {
  const file = join(tmp('parquet-numeric-'), 'part.parquet');
  const schema = parquetSchema(COLUMNS);
  const part = new PartFile(file, schema);
  for (let g = 0; g < 2; g++) {
    const buffers = COLUMNS.map(bufferFor);
    for (let i = 0; i < ROWS; i++) {
      const r = row(g, i);
      COLUMNS.forEach((c, k) => buffers[k].pushValue(r[c.name as keyof Row]));
    }
    part.writeGroup(buffers.map((b, k) => encodeColumn(schema[k + 1], b)), ROWS);
  }
  part.finish();
  const { rows } = await readParquetFile(file, `SELECT few_int, few_double, distinct_double, with_negative_zero, epoch_ms(ts) AS ts, CAST(day AS VARCHAR) AS day, signbit(with_negative_zero) AS negative, distinct_int, walk FROM t`);
  return { file, rows };
}

test('numeric columns come back from DuckDB value for value, nulls and -0 included', async () => {
  const { rows } = await writeAndRead();
  expect(rows).toHaveLength(2 * ROWS);
  const day = (n: number | null) => (n === null ? null : new Date(n * 86_400_000).toISOString().slice(0, 10));
  for (let g = 0; g < 2; g++) {
    for (let i = 0; i < ROWS; i++) {
      const want = row(g, i);
      const got = rows[g * ROWS + i];
      expect(got).toEqual({
        few_int: want.few_int,
        few_double: want.few_double,
        distinct_double: want.distinct_double,
        with_negative_zero: want.with_negative_zero,
        ts: String(want.ts),
        day: day(want.day),
        negative: i === 17,
        distinct_int: want.distinct_int,
        walk: want.walk,
      });
    }
  }
});

test('few distinct values are dictionary-encoded per row group (-0 an entry of its own), mostly distinct ones PLAIN', async () => {
  const { file } = await writeAndRead();
  const { rows } = await readParquetFile(file, `SELECT row_group_id, path_in_schema, encodings FROM parquet_metadata(FILE) ORDER BY row_group_id, column_id`);
  const encodings = Object.fromEntries(rows.filter((r) => String(r.row_group_id) === '0').map((r) => [r.path_in_schema, r.encodings]));
  expect(encodings).toEqual({
    few_int: expect.stringContaining('RLE_DICTIONARY'),
    few_double: expect.stringContaining('RLE_DICTIONARY'),
    distinct_double: expect.not.stringContaining('DICTIONARY'),
    with_negative_zero: expect.stringContaining('RLE_DICTIONARY'),
    ts: expect.stringContaining('RLE_DICTIONARY'),
    day: expect.stringContaining('RLE_DICTIONARY'),
    distinct_int: expect.not.stringContaining('DICTIONARY'),
    walk: expect.not.stringContaining('DICTIONARY'),
  });
  expect(rows.filter((r) => String(r.row_group_id) === '1').map((r) => r.encodings)).toEqual(rows.filter((r) => String(r.row_group_id) === '0').map((r) => r.encodings));
});

test('PLAIN integers are Huffman-coded alone when LZ77 would not make them smaller, LZ77-coded when it would', () => {
  const chunk = (f: (i: number) => number) => new Uint8Array(Int32Array.from({ length: ROWS }, (_, i) => f(i)).buffer);
  const strategy = (data: Uint8Array) => integerZlib(data).strategy ?? zlibConstants.Z_DEFAULT_STRATEGY;
  expect(strategy(chunk((i) => row(0, i).distinct_int))).toBe(zlibConstants.Z_HUFFMAN_ONLY);
  expect(strategy(chunk((i) => row(0, i).walk))).toBe(zlibConstants.Z_DEFAULT_STRATEGY);
  expect(strategy(chunk((i) => i % 3))).toBe(zlibConstants.Z_DEFAULT_STRATEGY);
});

describe('rleBitPacked', () => {
  test("writes the bytes of hyparquet-writer's RLE/bit-packed hybrid: runs, groups, padding, every width up to 17 bits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20 })), { maxLength: 60 }), (bitWidth, runs) => {
        const values = Int32Array.from(runs.flatMap(([v, n]) => Array<number>(n).fill(bitWidth === 0 ? 0 : v % (1 << bitWidth))));
        const w = new ByteWriter();
        writeRleBitPackedHybrid(w, values, bitWidth);
        const out = new Uint8Array(Math.ceil(values.length / 8) * (bitWidth + 10) + 16);
        expect(Buffer.from(out.subarray(0, rleBitPacked(values, bitWidth, out, 0)))).toEqual(Buffer.from(w.getBytes()));
      }),
      { numRuns: 500 },
    );
  });
});
