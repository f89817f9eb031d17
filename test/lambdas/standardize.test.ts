import fc from 'fast-check';
import { CONVERSIONS } from '../../infra/config/rules';
import type { ColumnPlan } from '../../infra/plan/types';
import { compileColumns, type Outcome } from '../../lambdas/domain/coerce';
import { ConfigurationError } from '../../lambdas/domain/errors';
import { parseDate, parseTimestamp, ZoneOffsets } from '../../lambdas/domain/time';
import { affine, UNIT_CONVERSIONS } from '../../lambdas/domain/units';
import { compileAt, sampleSources } from '../support/config';

const seoul = new ZoneOffsets('Asia/Seoul');
const ts = (s: string | number, zone = seoul) => {
  const out = { value: 0, error: undefined as string | undefined };
  return parseTimestamp(s, zone, out) ? new Date(out.value).toISOString() : out.error;
};

function column(c: Partial<ColumnPlan> & Pick<ColumnPlan, 'type'>) {
  const plan = compileAt(sampleSources()).plan!.cooperatives[0].datasets[0];
  const col = { name: 'v', glueType: '', pii: 'none', required: false, ...c } as ColumnPlan;
  const [compiled] = compileColumns({ ...plan, columns: [col] }, seoul);
  return (raw: unknown) => {
    const out: Outcome = {};
    const v = compiled.coerce(raw, out);
    return v === undefined ? `error: ${out.error}` : v;
  };
}

describe('timestamps', () => {
  test.each([
    ['2026-11-27 09:00:00', '2026-11-27T00:00:00.000Z'],
    ['2026/11/27 09:00', '2026-11-27T00:00:00.000Z'],
    ['2026.11.27 09:00:00.250', '2026-11-27T00:00:00.250Z'],
    ['2026-11-27T09:00:00Z', '2026-11-27T09:00:00.000Z'],
    ['2026-11-27T09:00:00+0530', '2026-11-27T03:30:00.000Z'],
    ['2026-11-27', '2026-11-26T15:00:00.000Z'],
    [1795741200000, '2026-11-27T01:00:00.000Z'],
    [1795741200, '2026-11-27T01:00:00.000Z'],
  ])('%s in Asia/Seoul is %s', (raw, utc) => {
    expect(ts(raw)).toBe(utc);
  });

  test('zones with daylight saving use the offset in force on that day', () => {
    const ny = new ZoneOffsets('America/New_York');
    expect(ts('2026-07-01 12:00:00', ny)).toBe('2026-07-01T16:00:00.000Z');
    expect(ts('2026-12-01 12:00:00', ny)).toBe('2026-12-01T17:00:00.000Z');
    expect(ts('2026-03-08 02:30:00', ny)).toBe('2026-03-08T07:30:00.000Z'); // in the spring-forward gap
  });

  test.each(['2026-02-30 00:00:00', '2026-11-27 24:00:00', 'yesterday', '27/11/2026'])('rejects %s', (raw) => {
    expect(ts(raw)).toMatch(/is not/);
  });

  test('dates accept compact and dotted forms and reject impossible days', () => {
    const out = { value: 0, error: undefined as string | undefined };
    expect(parseDate('20261127', out) && out.value).toBe(Date.UTC(2026, 10, 27) / 86_400_000);
    expect(parseDate('2026.11.27', out) && out.value).toBe(Date.UTC(2026, 10, 27) / 86_400_000);
    expect(parseDate('2026-02-29', out)).toBe(false);
  });

  test('fails when the time zone is unknown', () => {
    expect(() => new ZoneOffsets('Asia/Busan')).toThrow(ConfigurationError);
  });
});

describe('numbers and units', () => {
  test('thousands separators, unit suffixes and conversions', () => {
    const temp = column({ type: 'double', unit: 'celsius', convertFrom: 'fahrenheit' });
    expect(temp('212')).toBe(100);
    expect(temp('"212"')).toMatch(/^error: is not a number/);
    expect(temp('212 °F')).toBe(100);
    expect(temp('100°C')).toMatch(/^error: has unit "°C" \(celsius\) but the dataset expects fahrenheit/);
    const energy = column({ type: 'double', unit: 'kwh', convertFrom: 'wh' });
    expect(energy('1,234,000')).toBe(1234);
    expect(energy('1,23,4')).toMatch(/^error/);
    expect(energy('0x10')).toMatch(/^error/);
    expect(energy('Infinity')).toMatch(/^error/);
  });

  test('integers and ranges', () => {
    const rpm = column({ type: 'int', min: 0, max: 40000 });
    expect(rpm('12,500')).toBe(12500);
    expect(rpm('1.5')).toBe('error: is not an integer');
    expect(rpm('-1')).toBe('error: is below the minimum 0');
    expect(column({ type: 'int' })('3000000000')).toBe('error: is outside the 32-bit integer range');
    expect(column({ type: 'long' })('9,007,199,254,740,993')).toBe(9007199254740993n);
  });

  test('decimals are exact to nine places, rounding half away from zero', () => {
    const d = column({ type: 'decimal' });
    expect(d('1,234.567891234')).toBe(1234567891234n);
    expect(d('-0.0000000005')).toBe(-1n);
    expect(d('12345678901234567890123456789.5')).toBe(12345678901234567890123456789500000000n);
    expect(d('123456789012345678901234567890')).toBe('error: has more than 29 digits before the point');
  });

  test('booleans accept common spellings', () => {
    const b = column({ type: 'boolean' });
    expect([b('Y'), b('no'), b('1'), b(true), b('예')]).toEqual([true, false, true, true, true]);
    expect(b('maybe')).toMatch(/^error/);
  });

  test('the converters cover exactly the conversions the config allows', () => {
    expect(Object.fromEntries(Object.entries(UNIT_CONVERSIONS).map(([k, v]) => [k, Object.keys(v).sort()]))).toEqual(
      Object.fromEntries(Object.entries(CONVERSIONS).map(([k, v]) => [k, [...v].sort()])),
    );
    expect(UNIT_CONVERSIONS.psi.bar(14.5038)).toBeCloseTo(1, 4);
    expect(UNIT_CONVERSIONS.kelvin.celsius(273.15)).toBe(0);
    expect(UNIT_CONVERSIONS.inch.cm(1)).toBe(2.54);
    expect(UNIT_CONVERSIONS.mwh.kwh(1.5)).toBe(1500);
    expect(UNIT_CONVERSIONS.bar.kpa(2)).toBe(200);
  });

  test('each conversion, and its terms computed inline as the byte path does, gives the bits of its plain formula', () => {
    const psi = 6.894757293168361;
    const plain: Record<string, Record<string, (v: number) => number>> = {
      fahrenheit: { celsius: (f) => ((f - 32) * 5) / 9 },
      kelvin: { celsius: (k) => k - 273.15 },
      inch: { mm: (i) => i * 25.4, cm: (i) => i * 2.54, m: (i) => i * 0.0254 },
      wh: { kwh: (w) => w / 1000 },
      mwh: { kwh: (m) => m * 1000 },
      psi: { kpa: (p) => p * psi, bar: (p) => (p * psi) / 100 },
      bar: { kpa: (b) => b * 100 },
    };
    const pairs = Object.entries(plain).flatMap(([from, to]) => Object.keys(to).map((unit) => [from, unit] as const));
    expect(pairs.map(([from, unit]) => `${from}>${unit}`).sort()).toEqual(Object.entries(UNIT_CONVERSIONS).flatMap(([from, to]) => Object.keys(to).map((unit) => `${from}>${unit}`)).sort());
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.constantFrom(-0, 0, 32, 273.15, -1e308)), (v) => {
        for (const [from, unit] of pairs) {
          const a = affine(from, unit)!;
          const want = plain[from][unit](v);
          expect([from, unit, v, UNIT_CONVERSIONS[from][unit](v)]).toEqual([from, unit, v, want]);
          expect(Object.is(((v - a.minus) * a.times) / a.over, want)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
