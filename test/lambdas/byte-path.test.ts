/**
 * The byte-level CSV path (lambdas/domain/csv-bytes.ts, fields-bytes.ts) must give exactly
 * what the text path gives: same counts, same quarantine entries and line numbers, same
 * warnings, byte-identical Parquet. These tests run both on the same generated files.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disclosureOf } from '../../infra/plan/disclosure';
import type { ColumnPlan, DatasetPlan, SharedColumnPlan } from '../../infra/plan/types';
import { parseNumberBytes } from '../../lambdas/domain/fields-bytes';
import { RejectedInputError } from '../../lambdas/domain/errors';
import { runPipeline, type PipelineResult } from '../../lambdas/domain/pipeline';
import { HmacPseudonymizer, TokenCache } from '../../lambdas/domain/pseudonymize';
import { encodeCp949 } from './support/cp949';
import { readParquetFile } from './support/s3';

const col = (c: Partial<ColumnPlan> & Pick<ColumnPlan, 'name' | 'type'>): ColumnPlan => ({ glueType: 'string', pii: 'none', required: false, ...c });

/** Every column type, conversions, ranges and both kinds of pseudonymization. */
const DATASET: DatasetPlan = {
  name: 'readings', format: 'csv', encoding: 'cp949', timeZone: 'Asia/Seoul', timestampField: 'at', retentionDays: 365,
  table: 'readings', partitionKeys: ['dt'], classification: 'identifier', sharedAt: ['pseudonymized'],
  columns: [
    col({ name: 'member_id', type: 'string', pii: 'identifier', required: true }),
    col({ name: 'region', type: 'string', pii: 'quasi-identifier', generalize: { truncate: 2 } }),
    col({ name: 'at', type: 'timestamp', required: true }),
    col({ name: 'temp', type: 'double', unit: 'celsius', convertFrom: 'fahrenheit', min: -40, max: 250 }),
    col({ name: 'rpm', type: 'int', min: 0, max: 40000 }),
    col({ name: 'energy', type: 'double', unit: 'kwh', convertFrom: 'wh' }),
    col({ name: 'big', type: 'long' }),
    col({ name: 'price', type: 'decimal' }),
    col({ name: 'day', type: 'date', pii: 'quasi-identifier', generalize: { dateTo: 'month' } }),
    col({ name: 'ok', type: 'boolean' }),
    col({ name: 'score', type: 'int', pii: 'quasi-identifier', generalize: { bucket: 10 } }),
  ],
};
// Every column shared pseudonymized, each in the form disclosureOf gives it.
Object.assign(DATASET, {
  sharedColumns: DATASET.columns.map((c) => ({ name: c.name, disclosure: disclosureOf({ level: 'pseudonymized' }, c) as SharedColumnPlan['disclosure'], agreements: [0] })),
  sharedAgreements: ['cooperatives/test.yaml#sharing[0]'],
});
const HEADER = DATASET.columns.map((c) => c.name);

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const text = fc.string({ unit: pick(['a', 'Z', ' ', ',', '"', '\n', '\r\n', '가', '각', '1', '\u3000']), maxLength: 6 });
/** Mostly valid values (so most records reach the typed columns), now and then an odd one. */
const mostly = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: odd });
const ODD_NUMBERS = ['', '-0', '.5', '5.', '+7', '1e3', '12,34', '1,2345', '72.5F', '72.5 °F', '3 kWh', ' 12', '12 ', 'abc', '-', '.', '0x1A', '1.0000000000000002', '123456789012345678', '99999', '40001', '-41', '9007199254740993', '12.5', '１２'];
const names = mostly(pick(['M001', 'M002', '서울 강남구', '경기 안산시', ' M001', 'M001 ', '\u3000M002']), fc.oneof(pick(['', ' ']), text));
const double = mostly(fc.oneof(fc.double({ min: -40, max: 480, noNaN: true }).map((d) => String(Math.round(d * 1000) / 1000)), fc.integer({ min: 1000, max: 10 ** 9 }).map((n) => n.toLocaleString('en-US'))), pick(ODD_NUMBERS));
const int = mostly(fc.integer({ min: 0, max: 40000 }).map(String), pick(ODD_NUMBERS));
const long = mostly(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), pick([...ODD_NUMBERS, '9223372036854775808']));
const decimal = mostly(fc.tuple(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.nat({ max: 10 ** 9 })).map(([w, f]) => `${w}.${f}`), pick(ODD_NUMBERS));
const timestamp = mostly(
  fc.tuple(fc.integer({ min: 25, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), pick(['-', '/', '.']), pick([' ', 'T'])).map(([d, h, m, sep, t]) => `2026${sep}11${sep}${d}${t}${p2(h)}:${p2(m)}:${p2((d * 7) % 60)}`),
  pick(['', '2026-02-30 10:00:00', '2026-11-27 24:00:00', '2026-11-27 08:59:59.5', '2026-11-27T00:00:00Z', '2026-11-27 09:00', ' 2026-11-27 10:00:00', '20261127', '2026-11-27 10:00:00+09:00', 'yesterday']),
);
const date = mostly(pick(['2026-11-27', '2026.01.05', '20261231', '']), pick(['2026-02-30', 'x']));
const bool = mostly(pick(['true', 'N', '예', '아니오', '', '1']), pick(['maybe']));

function p2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const record = fc.tuple(names, names, timestamp, double, int, double, long, decimal, date, bool, int);
const quoteIf = (always: boolean) => (f: string) => (always || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

/**
 * A CSV file: header (columns shuffled, one sometimes missing, an unknown one sometimes added),
 * records (sometimes a field short or long), random quoting and line ends.
 */
const csvFile = fc.tuple(
  fc.array(fc.tuple(record, fc.boolean(), fc.integer({ min: -1, max: 12 })), { minLength: 0, maxLength: 40 }),
  pick(['\n', '\r\n']),
  fc.boolean(),
  fc.boolean(),
  fc.shuffledSubarray(HEADER.map((_, i) => i), { minLength: HEADER.length - 1 }),
  fc.boolean(),
).map(([rows, eol, bom, trailing, order, extra]) => {
  const lines = [[...order.map((i) => HEADER[i]), ...(extra ? ['Extra Column'] : [])].join(',')];
  for (const [r, quoteAll, drop] of rows) {
    const full = [...order.map((i) => r[i]), ...(extra ? ['x'] : [])];
    const fields = drop === 0 ? full.slice(1) : drop === 1 ? [...full, 'extra'] : full;
    lines.push(fields.map(quoteIf(quoteAll && drop === 2)).join(','));
  }
  return { text: lines.join(eol) + (trailing ? eol : ''), bom };
});

/** Encodes, optionally corrupting one byte into an invalid one, then cuts into chunks. */
function bytesOf(text: string, encoding: 'utf-8' | 'cp949', corruptAt: number | undefined, bom: boolean): Buffer {
  let b = encoding === 'cp949' ? encodeCp949(text) : Buffer.from(text, 'utf8');
  if (bom && encoding === 'utf-8') b = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
  if (corruptAt !== undefined && b.length > 0) {
    b = Buffer.from(b);
    b[corruptAt % b.length] = 0xff;
  }
  return b;
}

async function* chunks(b: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  let prev = 0;
  for (const p of [...points, b.length]) {
    if (p > prev) yield b.subarray(prev, p);
    prev = p;
  }
}

/** Runs the pipeline; returns the result with file paths replaced by their contents. */
async function run(input: Buffer, cuts: number[], encoding: 'utf-8' | 'cp949', byteCsv: boolean, rowGroupRows: number) {
  const workDir = mkdtempSync(join(tmpdir(), 'byte-path-'));
  try {
    const r: PipelineResult = await runPipeline({
      dataset: { ...DATASET, encoding }, source: chunks(input, cuts), format: 'csv', encoding, workDir, byteCsv, rowGroupRows,
      tokens: new TokenCache(new HmacPseudonymizer('test-key')),
    });
    const files = Object.fromEntries(readdirSync(workDir).sort().map((f) => [f, readFileSync(join(workDir, f)).toString('base64')]));
    return { ...r, partitions: r.partitions.map((p) => ({ dt: p.dt, rows: p.rows, curatedBytes: p.curatedBytes, sharedBytes: p.sharedBytes })), quarantineFile: undefined, files };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * {@link run}, or the reason the file was rejected: a corrupted line end can join the header
 * and the first record into one header with duplicate names, and both paths must reject alike.
 */
async function outcome(...args: Parameters<typeof run>): Promise<Awaited<ReturnType<typeof run>> | { rejected: string }> {
  try {
    return await run(...args);
  } catch (e) {
    if (e instanceof RejectedInputError) return { rejected: e.message };
    throw e;
  }
}

describe('byte path = text path', () => {
  test('same counts, quarantine, warnings and byte-identical Parquet for generated CSV in UTF-8 and CP949', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, pick(['utf-8', 'cp949'] as const), fc.option(fc.nat(), { freq: 4 }), fc.array(fc.nat(), { maxLength: 5 }), fc.integer({ min: 3, max: 20 }),
        async ({ text, bom }, encoding, corruptAt, cuts, rowGroupRows) => {
          const input = bytesOf(text, encoding, corruptAt ?? undefined, bom);
          const viaText = await outcome(input, cuts, encoding, false, rowGroupRows);
          const viaBytes = await outcome(input, cuts, encoding, true, rowGroupRows);
          expect(viaBytes).toEqual(viaText);
        }),
      { numRuns: 120 },
    );
  });

  test('every cut into two chunks reads as the text path does: quoted commas, doubled quotes, empty, signed and spaced fields, CRLF, a quoted line break', async () => {
    const text = [
      HEADER.join(','),
      'M001,"서울, 강남",2026-11-27 10:00:00,"1,234.5",1,"1,000",1,1,2026-11-27,true,1',
      '"M002","",2026-11-27 10:00:01,-0,+7,1e5, 12 ,,,,',
      'M003,"say ""hi""",2026-11-27 10:00:02,,,,,,,,',
      '"",경기,"2026-11-27 10:00:03",1,1,1,1,1,,,',
      'M004,"경기\r\n안산",2026-11-27 10:00:04,1,1,1,1,1,,,',
      'M005,,2026-11-27 10:00:05,x,1,1,1,1,,,', // quarantined: its line number counts the quoted line break
    ].join('\r\n');
    const input = encodeCp949(text);
    for (let cut = 1; cut < input.length; cut++) {
      const viaBytes = await run(input, [cut], 'cp949', true, 3);
      expect([cut, viaBytes]).toEqual([cut, await run(input, [cut], 'cp949', false, 3)]);
      expect([cut, viaBytes.rowsIn, viaBytes.rowsWritten]).toEqual([cut, 6, 3]);
    }
  });

  test('timestamps before 1970 and in years below 100 read as the text path reads them', async () => {
    const text = [HEADER.join(','), ...['1969-12-31 23:59:59', '1960-02-29 08:00:00', '0012-02-29 00:00:00', '0000-02-29 00:00:00', '0099-12-31 12:00:00', '1970-01-01 09:00:00'].map((t, i) => `M00${i},,${t},1,1,1,1,1,,,`)].join('\n');
    const input = Buffer.from(text, 'utf8');
    const viaBytes = await run(input, [], 'utf-8', true, 10);
    expect(viaBytes).toEqual(await run(input, [], 'utf-8', false, 10));
    expect(viaBytes.rowsIn).toBe(6);
  });

  test('a quote never closed past the cap makes the rest of the file one quarantined record, the records before it written', async () => {
    const text = `${HEADER.join(',')}\nM001,서울,2026-11-27 10:00:00,100,1,1,1,1,2026-11-27,true,1\nM002,"${'가'.repeat(1_100_000)}`;
    for (const encoding of ['utf-8', 'cp949'] as const) {
      const input = bytesOf(text, encoding, undefined, false);
      const viaBytes = await run(input, [1 << 16, 1 << 20], encoding, true, 10);
      expect(viaBytes).toEqual(await run(input, [1 << 16, 1 << 20], encoding, false, 10));
      expect([viaBytes.rowsIn, viaBytes.rowsWritten, viaBytes.rowsQuarantined]).toEqual([2, 1, 1]);
      expect(Buffer.from(viaBytes.files['quarantine.jsonl'], 'base64').toString('utf8')).toMatch(/"line":3,"errors":\["record is longer than 1048576 characters/);
    }
  });

  test('a field spanning lines hands the rest of the file to the text reader, line numbers intact', async () => {
    const text = [HEADER.join(','), 'M001,서울,2026-11-27 10:00:00,100,1,1,1,1,2026-11-27,true,1', 'M002,"경기\n안산",2026-11-27 10:00:01,100,1,1,1,1,,,', 'M003,,2026-11-27 10:00:02,x,1,1,1,1,,,'].join('\n');
    const input = encodeCp949(text);
    const viaBytes = await run(input, [40, 90], 'cp949', true, 10);
    expect(viaBytes).toEqual(await run(input, [40, 90], 'cp949', false, 10));
    expect([viaBytes.rowsIn, viaBytes.rowsWritten, viaBytes.rowsQuarantined]).toEqual([3, 2, 1]);
    const q = JSON.parse(Buffer.from(viaBytes.files['quarantine.jsonl'], 'base64').toString('utf8'));
    expect(q).toMatchObject({ line: 5, errors: [expect.stringMatching(/^temp: "x" is not a number/)] });
  });
});

describe('parseNumberBytes', () => {
  const out = new Float64Array(2);
  /** The parsed value, or NaN when the parser leaves the text to the general path. */
  const parsed = (b: Uint8Array) => {
    out[1] = 7;
    return parseNumberBytes(b, 0, b.length, out, 1) ? out[1] : NaN;
  };

  test('gives the double Number() gives, or NaN for what it leaves to the general path', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.stringMatching(/^[+-]?[0-9]{0,9}(,[0-9]{3}){0,2}(\.[0-9]{0,8})?$/)), (s) => {
        const b = Buffer.from(s, 'latin1');
        const n = parsed(b);
        if (Number.isNaN(n)) return;
        const expected = Number(s.replace(/,/g, ''));
        expect(Object.is(n, expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test('rejects malformed thousands groups, exponents and more than 15 digits', () => {
    for (const s of ['12,34', '1,2345', ',123', '1,', '1e3', '1234567890123456', '', '-', '.', '1.2.3', '1 2']) {
      const b = Buffer.from(s, 'latin1');
      expect([s, parsed(b)]).toEqual([s, NaN]);
    }
  });
});

describe('Parquet written from column buffers', () => {
  test('DuckDB reads every type, nulls, mostly-distinct strings and row-group statistics back', async () => {
    const rows: string[] = [HEADER.join(',')];
    for (let i = 0; i < 3000; i++) {
      rows.push([
        `member-${i}`, i % 3 === 0 ? '' : `지역-${i % 5}`, `2026-11-27 ${p2(9 + (i % 2))}:00:${p2(i % 60)}`,
        i % 4 === 0 ? '' : String(32 + (i % 100)), String(i), i % 5 === 0 ? '' : `"${(i * 1000).toLocaleString('en-US')}"`,
        i % 7 === 0 ? '' : String(2n ** 53n + BigInt(i)), i % 6 === 0 ? '' : `${i}.123456789`, i % 2 === 0 ? '' : '2026-03-15', i % 3 === 0 ? '' : String(i % 2 === 0), String(i % 100),
      ].join(','));
    }
    const workDir = mkdtempSync(join(tmpdir(), 'byte-path-pq-'));
    try {
      const r = await runPipeline({
        dataset: { ...DATASET, encoding: 'utf-8' }, source: chunks(Buffer.from(rows.join('\n')), [1000, 50000]), format: 'csv', encoding: 'utf-8', workDir, rowGroupRows: 1024,
        tokens: new TokenCache(new HmacPseudonymizer('k')),
      });
      expect([r.rowsIn, r.rowsWritten, r.rowsQuarantined]).toEqual([3000, 3000, 0]);
      const curated = r.partitions[0].curatedFile;
      const { rows: [agg], types } = await readParquetFile(curated, `SELECT count(*) AS n, count(region) AS regions, count(DISTINCT member_id) AS members,
        min("at") AS first, max("at") AS last, count(temp) AS temps, round(sum(temp), 6) AS temp_sum, sum(rpm) AS rpm_sum, sum(energy) AS energy_sum,
        count(big) AS bigs, max(big) AS big_max, count(price) AS prices, max(price) AS price_max, count(day) AS days, count(ok) AS oks, sum(ok::INT) AS trues FROM t`);
      expect(types).toMatchObject({ member_id: 'VARCHAR', at: 'TIMESTAMP WITH TIME ZONE', temp: 'DOUBLE', rpm: 'INTEGER', big: 'BIGINT', price: 'DECIMAL(38,9)', day: 'DATE', ok: 'BOOLEAN' });
      let tempSum = 0;
      let energySum = 0;
      for (let i = 0; i < 3000; i++) {
        if (i % 4 !== 0) tempSum += ((32 + (i % 100) - 32) * 5) / 9;
        if (i % 5 !== 0) energySum += i;
      }
      expect(agg).toEqual({
        n: '3000', regions: '2000', members: '3000', first: '2026-11-27 00:00:00+00', last: '2026-11-27 01:00:59+00', temps: '2250', temp_sum: Math.round(tempSum * 1e6) / 1e6,
        rpm_sum: String((2999 * 3000) / 2), energy_sum: energySum, bigs: String(3000 - 429), big_max: String(2n ** 53n + 2999n), prices: '2500', price_max: '2999.123456789',
        days: '1500', oks: '2000', trues: '1000',
      });
      // Row-group statistics are what Athena skips data with: they must match the data.
      const stats = (await readParquetFile(curated, `SELECT path_in_schema AS c, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata(FILE)`)).rows;
      const of = (c: string) => stats.filter((s) => s.c === c);
      expect(of('rpm').length).toBeGreaterThan(1);
      expect([Math.min(...of('rpm').map((s) => Number(s.lo))), Math.max(...of('rpm').map((s) => Number(s.hi))), of('rpm').reduce((n, s) => n + Number(s.nulls), 0)]).toEqual([0, 2999, 0]);
      expect([of('region').map((s) => s.lo as string).sort()[0], of('region').map((s) => s.hi as string).sort().at(-1), of('region').reduce((n, s) => n + Number(s.nulls), 0)]).toEqual(['지역-0', '지역-4', 1000]);
      const shared = await readParquetFile(r.partitions[0].sharedFile!, `SELECT count(DISTINCT member_id) AS tokens, min(length(member_id)) AS len, count(DISTINCT region) AS regions, max(score) AS score, min(day) AS day FROM t`);
      expect(shared.rows[0]).toEqual({ tokens: '3000', len: '64', regions: '1', score: 90, day: '2026-03-01' });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
