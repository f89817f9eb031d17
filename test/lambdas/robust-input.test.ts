/**
 * Hostile and unusual input to the ingestion pipeline: keys that are Object.prototype's names,
 * lines that are too deep or too long, fields over the size cap at every chunking, headers
 * that collide after normalisation, local times in daylight-saving gaps and overlaps, and
 * source column names (`header:`) in Korean. Each case runs the real pipeline and reads the
 * Parquet back with DuckDB.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnPlan, DatasetPlan } from '../../infra/plan/types';
import { RejectedInputError } from '../../lambdas/domain/errors';
import { runPipeline, type PipelineOptions, type PipelineResult } from '../../lambdas/domain/pipeline';
import { encodeCp949 } from './support/cp949';
import { readParquetFile } from './support/s3';

const col = (c: Partial<ColumnPlan> & Pick<ColumnPlan, 'name' | 'type'>): ColumnPlan => ({ glueType: c.type, pii: 'none', required: false, ...c });

const dataset = (columns: ColumnPlan[], extra: Partial<DatasetPlan> = {}): DatasetPlan => ({
  name: 'd', format: 'csv', encoding: 'utf-8', timeZone: 'Asia/Seoul', timestampField: 'at', retentionDays: 30,
  table: 'd', partitionKeys: ['dt'], classification: 'none', sharedAt: [], columns, ...extra,
});

async function* chunks(b: Uint8Array, cuts: readonly number[] = []): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  let prev = 0;
  for (const p of [...points, b.length]) {
    if (p > prev) yield b.subarray(prev, p);
    prev = p;
  }
}

interface Run {
  readonly result: PipelineResult;
  /** Quarantine entries, parsed. */
  readonly quarantine: { line: number; errors: string[]; record?: Record<string, unknown>; text?: string }[];
  /** Every curated row, ordered by `at`, read back by DuckDB. */
  readonly rows: Record<string, unknown>[];
  /** Output files by name, base64: for byte-for-byte comparisons across chunkings. */
  readonly files: Record<string, string>;
}

/** Runs the pipeline over `input` cut at `cuts`; reads the outputs back. */
async function run(ds: DatasetPlan, input: Uint8Array, o: Partial<PipelineOptions> & { cuts?: readonly number[]; readRows?: boolean } = {}): Promise<Run> {
  const workDir = mkdtempSync(join(tmpdir(), 'robust-'));
  try {
    const result = await runPipeline({ dataset: ds, source: chunks(input, o.cuts), format: ds.format, encoding: ds.encoding === 'utf-8' ? 'utf-8' : 'cp949', workDir, ...o });
    const quarantine = result.quarantineFile ? readFileSync(result.quarantineFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    const rows: Record<string, unknown>[] = [];
    // Property runs compare files byte for byte and read rows once, from their reference.
    if (o.readRows !== false) for (const p of result.partitions) rows.push(...(await readParquetFile(p.curatedFile, 'SELECT * FROM t')).rows);
    rows.sort((a, b) => (String(a.at) < String(b.at) ? -1 : 1));
    const files = Object.fromEntries(readdirSync(workDir).sort().map((f) => [f, readFileSync(join(workDir, f)).toString('base64')]));
    return { result: { ...result, partitions: result.partitions.map((p) => ({ ...p, curatedFile: '', sharedFile: '' })), quarantineFile: undefined }, quarantine, rows, files };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe("keys named like Object.prototype's members", () => {
  const ds = dataset([
    col({ name: 'constructor', type: 'string' }),
    col({ name: 'proto', type: 'string', header: '__proto__' }),
    col({ name: 'to_string', type: 'string', header: 'toString' }),
    col({ name: 'at', type: 'timestamp', required: true }),
  ]);

  test('a JSON Lines column named constructor, __proto__ or toString is read as data, and absent as null', async () => {
    const text = [
      '{"at":"2026-01-01 09:00:00","constructor":"c1","__proto__":"p1","toString":"t1"}',
      '{"at":"2026-01-01 09:00:01"}',
      '{"at":"2026-01-01 09:00:02","constructor":{"a":1},"hasOwnProperty":"x"}',
    ].join('\n');
    const r = await run({ ...ds, format: 'jsonl' }, utf8(text));
    expect([r.result.rowsIn, r.result.rowsWritten, r.result.rowsQuarantined]).toEqual([3, 2, 1]);
    expect(r.rows.map((x) => [x.constructor, x.proto, x.to_string])).toEqual([['c1', 'p1', 't1'], [null, null, null]]);
    expect(r.quarantine).toEqual([{ line: 3, errors: ['constructor: {"a":1} must be a string, found an object'], record: { at: '2026-01-01 09:00:02', constructor: { a: 1 }, hasOwnProperty: 'x' } }]);
  });

  test.each([true, false])('CSV headers constructor, __proto__ and toString are columns like any other (byte path: %s)', async (byteCsv) => {
    const text = 'constructor,__proto__,toString,at\nc1,p1,t1,2026-01-01 09:00:00\n,,,2026-01-01 09:00:01\nc3,p3,t3,not a time\n';
    const r = await run(ds, utf8(text), { byteCsv });
    expect(r.rows.map((x) => [x.constructor, x.proto, x.to_string])).toEqual([['c1', 'p1', 't1'], [null, null, null]]);
    expect(r.quarantine).toHaveLength(1);
    expect(r.quarantine[0].line).toBe(4);
    // The quarantined record keeps "__proto__" as an own key, not as its prototype.
    expect(Object.keys(r.quarantine[0].record!)).toEqual(['constructor', '__proto__', 'tostring', 'at']);
    expect(r.quarantine[0].record!['__proto__']).toBe('p3');
  });
});

describe('per-line failures quarantine one line', () => {
  const ds = dataset([col({ name: 'v', type: 'string' }), col({ name: 'at', type: 'timestamp', required: true })], { format: 'jsonl' });

  test('fails when a very deep JSON value is not quarantined with its line number (the other lines written)', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `{"at":"2026-01-01 09:00:00","v":"a"}\n{"at":"2026-01-01 09:00:01","v":${deep}}\n{"at":"2026-01-01 09:00:02","v":"c"}\n`;
    const r = await run(ds, utf8(text), { cuts: [7, 5000, 150_000] });
    expect([r.result.rowsIn, r.result.rowsWritten, r.result.rowsQuarantined]).toEqual([3, 2, 1]);
    expect(r.rows.map((x) => x.v)).toEqual(['a', 'c']);
    expect(r.quarantine).toEqual([{ line: 2, errors: ['JSON nests deeper than 64 levels; send flat records'], text: expect.stringMatching(/^\{"at":"2026-01-01 09:00:01","v":\[\[\[/) }]);
  });

  test('nesting up to the limit is read (and rejected as a value, not as a line)', async () => {
    const v = '['.repeat(63) + ']'.repeat(63);
    const r = await run(ds, utf8(`{"at":"2026-01-01 09:00:00","v":${v}}\n{"at":"2026-01-01 09:00:01","v":"[[[[\\"{{{"}\n`));
    expect(r.quarantine).toEqual([{ line: 1, errors: [`v: ${JSON.stringify(JSON.parse(v)).slice(0, 80)} must be a string, found an array`], record: { at: '2026-01-01 09:00:00', v: JSON.parse(v) } }]);
    expect(r.rows.map((x) => x.v)).toEqual(['[[[["{{{']);
  });

  test('fails when a JSON line over the size cap is treated differently at some chunking', async () => {
    const long = `{"at":"2026-01-01 09:00:01","v":"${'x'.repeat(300)}"}`;
    const text = `{"at":"2026-01-01 09:00:00","v":"a"}\r\n${long}\r\n{"at":"2026-01-01 09:00:02","v":"c"}`;
    const input = utf8(text);
    const reference = await run(ds, input, { maxRecordChars: 100 });
    expect(reference.quarantine).toEqual([{ line: 2, errors: ['line is longer than 100 characters'], text: long.slice(0, 100) }]);
    expect(reference.rows.map((x) => x.v)).toEqual(['a', 'c']);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat({ max: input.length }), { maxLength: 6 }), async (cuts) => {
      expect(await run(ds, input, { maxRecordChars: 100, cuts, readRows: false })).toEqual({ ...reference, rows: [] });
    }), { numRuns: 40 });
  }, 300_000);
});

describe('a field over the size cap', () => {
  const ds = dataset([col({ name: 'id', type: 'int', required: true }), col({ name: 'note', type: 'string' }), col({ name: 'at', type: 'timestamp', required: true })]);
  const row = (i: number, note = `n${i}`) => `${i},${note},2026-01-01 09:00:${String(i % 60).padStart(2, '0')}`;
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

  /** A long field: quoted (with commas, quotes and line breaks inside) or not. */
  const longField = fc.tuple(fc.boolean(), fc.integer({ min: 65, max: 400 }), fc.array(fc.constantFrom('x', '가', ',', '"', '\n', '\r\n', ' '), { minLength: 1, maxLength: 8 }))
    .map(([quoted, n, alphabet]) => {
      const body = Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');
      return quoted ? quote(body) : body.replace(/[,"\r\n]/g, 'y');
    });

  test('fails when a record over the cap is not quarantined alone, or the rows after it are lost, at any chunking, on either read path', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 4 }), longField, fc.integer({ min: 1, max: 5 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('utf-8', 'cp949'), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(),
      async (before, field, after, eol, encoding, cuts, byteCsv) => {
        const lines = ['id,note,at', ...Array.from({ length: before }, (_, i) => row(i + 1)), row(100, field), ...Array.from({ length: after }, (_, i) => row(200 + i))];
        const text = lines.join(eol) + eol;
        const input = encoding === 'cp949' ? encodeCp949(text) : utf8(text);
        const d = { ...ds, encoding } as DatasetPlan;
        const r = await run(d, input, { maxRecordChars: 64, cuts, byteCsv, readRows: false });
        // One reference per file: the text path reading it in one piece.
        const reference = await run(d, input, { maxRecordChars: 64, byteCsv: false });
        expect({ ...r, rows: reference.rows }).toEqual(reference);
        expect([r.result.rowsIn, r.result.rowsWritten, r.result.rowsQuarantined]).toEqual([before + after + 1, before + after, 1]);
        expect(reference.rows.map((x) => x.id)).toEqual([...Array.from({ length: before }, (_, i) => i + 1), ...Array.from({ length: after }, (_, i) => 200 + i)]);
        expect(r.quarantine).toEqual([{ line: before + 2, errors: ['record is longer than 64 characters (a field over the size cap); it was skipped up to the end of its record'], text: expect.any(String) }]);
      }), { numRuns: 40 });
  }, 300_000);

  test.each([
    ['quoted, with commas and line breaks inside', quote('ab,"c"\n'.repeat(1_500_000))],
    ['unquoted', 'x'.repeat(10 * 1024 * 1024)],
  ])('a 10 MB field (%s) is quarantined and the valid rows after it are kept, at random chunk cuts, on both read paths', async (_, field) => {
    const text = ['id,note,at', row(1), row(2, field), row(3), row(4)].join('\r\n') + '\r\n';
    const input = utf8(text);
    expect(input.length).toBeGreaterThan(10 * 1024 * 1024 - 1);
    const seen: Run[] = [];
    for (const cuts of fc.sample(fc.array(fc.nat({ max: input.length }), { minLength: 1, maxLength: 30 }), { numRuns: 3, seed: 12 })) {
      for (const byteCsv of [true, false]) seen.push(await run(ds, input, { cuts, byteCsv, readRows: seen.length === 0 }));
    }
    for (const r of seen) expect({ ...r, rows: seen[0].rows }).toEqual(seen[0]);
    expect([seen[0].result.rowsIn, seen[0].result.rowsWritten, seen[0].result.rowsQuarantined]).toEqual([4, 3, 1]);
    expect(seen[0].rows.map((x) => x.id)).toEqual([1, 3, 4]);
    expect(seen[0].quarantine).toEqual([{ line: 3, errors: ['record is longer than 1048576 characters (a field over the size cap); it was skipped up to the end of its record'], text: text.split('\r\n')[2].slice(0, 200) }]);
  }, 300_000);

  test('a quote never closed makes the rest of the file one over-long record, quarantined with the reason', async () => {
    const text = ['id,note,at', row(1), `2,"${'가'.repeat(100)}`, row(3)].join('\n');
    for (const byteCsv of [true, false]) {
      const r = await run(ds, utf8(text), { maxRecordChars: 64, byteCsv, cuts: [30, 70] });
      expect([r.result.rowsIn, r.result.rowsWritten, r.result.rowsQuarantined]).toEqual([2, 1, 1]);
      expect(r.quarantine).toEqual([{ line: 3, errors: ['record is longer than 64 characters: a quote is never closed, so the rest of the file was read as one field; close the quote and upload again'], text: expect.stringMatching(/^2,"가가/) }]);
    }
  });
});

describe('duplicate headers', () => {
  const ds = dataset([col({ name: 'temp', type: 'double' }), col({ name: 'at', type: 'timestamp', required: true })]);

  test.each([
    ['case', 'at,Temp,temp', '"Temp" (column 2) and "temp" (column 3) both read as "temp"'],
    ['whitespace', 'at, temp,temp ', '" temp" (column 2) and "temp " (column 3) both read as "temp"'],
    ['dashes and spaces', 'at,Temp-C,temp c', '"Temp-C" (column 2) and "temp c" (column 3) both read as "temp_c"'],
    ['Unicode normalisation (NFC and NFD)', `at,온도,${'온도'.normalize('NFD')}`, `"온도" (column 2) and "${'온도'.normalize('NFD')}" (column 3) both read as "온도"`],
  ])('fails when headers differ only by %s: the object is rejected with the reason', async (_, header, why) => {
    for (const byteCsv of [true, false]) {
      const input = utf8(`${header}\n2026-01-01 09:00:00,1,2\n`);
      const e = await run(ds, input, { byteCsv }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RejectedInputError);
      expect((e as Error).message).toBe(`duplicate column headers (헤더 중복): ${why}; rename or remove one and upload again (하나의 이름을 바꾸거나 지운 뒤 다시 올리세요)`);
    }
  });

  test('empty header cells are not duplicates: their columns are ignored with a warning', async () => {
    const r = await run(ds, utf8('at,temp,,\n2026-01-01 09:00:00,1,x,y\n'));
    expect(r.rows.map((x) => x.temp)).toEqual([1]);
    expect(r.result.warnings).toEqual(['ignored columns not in the dataset: (column 3 has no name), (column 4 has no name)']);
  });

  test('fails when two JSON keys of one line name the same column: that line is quarantined', async () => {
    const r = await run({ ...ds, format: 'jsonl' }, utf8('{"at":"2026-01-01 09:00:00","temp":1}\n{"at":"2026-01-01 09:00:01","temp":1,"Temp ":2}\n'));
    expect(r.rows.map((x) => x.temp)).toEqual([1]);
    expect(r.quarantine).toEqual([{ line: 2, errors: ['keys "temp" and "Temp " both name column temp; keep one'], record: { at: '2026-01-01 09:00:01', temp: 1, 'Temp ': 2 } }]);
  });
});

describe('local times in daylight-saving gaps and overlaps', () => {
  const ds = (timeZone: string) => dataset([col({ name: 'at', type: 'timestamp', required: true }), col({ name: 'v', type: 'int' })], { timeZone });
  const iso = (r: Record<string, unknown>) => String(r.at);

  test.each([
    // New York: 2026-03-08 02:00 → 03:00 (gap), 2026-11-01 02:00 → 01:00 (overlap).
    ['America/New_York', '2026-03-08 02:30:00', '2026-03-08 07:30:00+00', '2026-11-01 01:30:00', '2026-11-01 05:30:00+00'],
    // Berlin: 2026-03-29 02:00 → 03:00 (gap), 2026-10-25 03:00 → 02:00 (overlap).
    ['Europe/Berlin', '2026-03-29 02:30:00', '2026-03-29 01:30:00+00', '2026-10-25 02:30:00', '2026-10-25 00:30:00+00'],
  ])('%s: a gap time moves forward by the gap, an overlap time takes the earlier offset, and both are counted', async (zone, gap, gapUtc, overlap, overlapUtc) => {
    const text = `at,v\n${gap},1\n${overlap},2\n2026-06-01 12:00:00,3\n${gap.slice(0, 10)}T${gap.slice(11)}Z,4\n`;
    for (const byteCsv of [true, false]) {
      const r = await run(ds(zone), utf8(text), { byteCsv });
      expect(r.rows.filter((x) => x.v === 1 || x.v === 2).map((x) => [x.v, iso(x)])).toEqual([[1, gapUtc], [2, overlapUtc]]);
      // An explicit offset is never in a gap: only the two local times count.
      expect(r.result.localTimes).toEqual({ timeZone: zone, dstGap: 1, dstOverlap: 1 });
      expect(r.result.warnings).toEqual([`1 local time fell in a daylight-saving gap of ${zone} and was moved forward by the gap's length; 1 fell in an overlap and took the earlier offset`]);
    }
  });

  test('fails when a record that is quarantined for another field counts its gap time twice', async () => {
    const r = await run(ds('America/New_York'), utf8('at,v\n2026-03-08 02:30:00,not a number\n2026-03-08 02:15:00,1\n'));
    expect(r.result.rowsQuarantined).toBe(1);
    expect(r.result.localTimes).toEqual({ timeZone: 'America/New_York', dstGap: 2, dstOverlap: 0 });
  });

  test('fails when a record the byte path cannot split takes back the count of the record before it', async () => {
    const r = await run(ds('America/New_York'), utf8('at,v\n2026-03-08 02:30:00,1\n2026-03-08 02:45:00,1,extra\n'));
    expect([r.result.rowsWritten, r.result.rowsQuarantined]).toEqual([1, 1]);
    expect(r.result.localTimes).toEqual({ timeZone: 'America/New_York', dstGap: 1, dstOverlap: 0 });
  });

  test('the warning counts in the plural', async () => {
    const r = await run(ds('America/New_York'), utf8('at,v\n2026-11-01 01:30:00,1\n2026-11-01 01:31:00,1\n'));
    expect(r.result.warnings).toEqual(["2 local times fell in a daylight-saving overlap of America/New_York and took the earlier offset"]);
  });

  test('Asia/Seoul has no gap or overlap today: nothing is counted, nothing is said', async () => {
    const r = await run(ds('Asia/Seoul'), utf8('at,v\n2026-03-08 02:30:00,1\n'));
    expect(r.result.localTimes).toEqual({ timeZone: 'Asia/Seoul', dstGap: 0, dstOverlap: 0 });
    expect(r.result.warnings).toEqual([]);
  });
});

describe('source column names (header:)', () => {
  const ds = dataset([
    col({ name: 'measured_at', type: 'timestamp', required: true, header: '측정시각' }),
    col({ name: 'machine_id', type: 'string', required: true, header: '설비ID' }),
    col({ name: 'temp_c', type: 'double', header: '온도(°C)' }),
  ], { timestampField: 'measured_at', encoding: 'cp949' });
  const text = '측정시각, 설비ID ,온도(°C),비고\r\n2026-11-27 09:00:00,CNC-01,21.5,정상\r\n2026-11-27 09:00:01,CNC-02,,\r\n';

  test.each([true, false])('a Korean-header CP949 file lands with the right values (byte path: %s)', async (byteCsv) => {
    const r = await run(ds, encodeCp949(text), { byteCsv, cuts: [3, 9] });
    expect([r.result.rowsIn, r.result.rowsWritten]).toEqual([2, 2]);
    const rows = r.rows.map((x) => [String(x.measured_at), x.machine_id, x.temp_c]);
    expect(rows).toEqual([['2026-11-27 00:00:00+00', 'CNC-01', 21.5], ['2026-11-27 00:00:01+00', 'CNC-02', null]]);
    expect(r.result.warnings).toEqual(['ignored columns not in the dataset: 비고']);
  });

  test('the header matches after NFC normalisation (a file with decomposed Hangul) and in UTF-8', async () => {
    const r = await run({ ...ds, encoding: 'utf-8' }, utf8(text.normalize('NFD')));
    expect(r.rows.map((x) => x.machine_id)).toEqual(['CNC-01', 'CNC-02']);
  });

  test('fails when a declared header is missing: the manifest warning names the header as the file should spell it', async () => {
    const r = await run(ds, encodeCp949(text.replace('온도(°C)', '온도(°F)')));
    expect(r.result.warnings).toEqual(['ignored columns not in the dataset: 온도(°F), 비고', 'columns missing from the header: temp_c (header "온도(°C)")']);
  });

  test('JSON Lines keys match the header the same way', async () => {
    const r = await run({ ...ds, format: 'jsonl', encoding: 'utf-8' }, utf8('{"측정시각":"2026-11-27 09:00:00","설비ID ":"CNC-01","온도(°C)":21.5}\n'));
    expect(r.rows.map((x) => [x.machine_id, x.temp_c])).toEqual([['CNC-01', 21.5]]);
  });
});
