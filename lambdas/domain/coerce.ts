/**
 * Validation and standardization of one field: raw text (CSV) or a JSON value in, a typed
 * value in the dataset's standard units out, or a reason the value was rejected.
 *
 * Each column is compiled once into a closure so the per-row work is a switch-free call; the
 * hot path allocates nothing for valid values (errors are rare and go through `Outcome`).
 */
import type { ColumnPlan, DatasetPlan } from '../../infra/plan/types';
import { ConfigurationError } from './errors';
import { parseDate, parseTimestamp, ZoneOffsets, type TimeParse } from './time';
import { affine, converter, knownUnitOf, unitSuffixes, type Affine, type Converter } from './units';

/** A standardized value as stored in Parquet: strings, numbers (int, double, date days, timestamp ms), bigint (long, decimal), booleans. */
export type Value = string | number | bigint | boolean | null;

/** Where a coercer reports a rejection; reused across calls to avoid allocating. */
export interface Outcome {
  error?: string;
}

/** Turns a raw value into a standardized one, or returns `undefined` and sets `out.error`. */
export type Coercer = (raw: unknown, out: Outcome) => Value | undefined;

/** Decimal columns are decimal(38,9) in the plan (infra/plan/build.ts GLUE_TYPES). */
export const DECIMAL_PRECISION = 38;
/** Digits after the point kept for decimal columns. */
export const DECIMAL_SCALE = 9;
const DECIMAL_LIMIT = 10n ** BigInt(DECIMAL_PRECISION);

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// A plain number, or one with "," thousands separators in valid groups; optional unit suffix.
const NUMBER_WITH_UNIT = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?|[+-]?\.\d+(?:[eE][+-]?\d+)?)\s*([^\d\s].*)?$/;
const INTEGER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)$/;
const DECIMAL = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

const TRUE = new Set(['true', 't', 'yes', 'y', '1', '예', 'o']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '아니오', 'x']);

/** A column compiled for ingestion. */
export interface CompiledColumn {
  readonly plan: ColumnPlan;
  readonly name: string;
  readonly required: boolean;
  readonly coerce: Coercer;
}

/** Compiles every column of a dataset; throws {@link ConfigurationError} for definitions no value could satisfy. */
export function compileColumns(dataset: DatasetPlan, zone: ZoneOffsets): CompiledColumn[] {
  return dataset.columns.map((c) => ({ plan: c, name: c.name, required: c.required, coerce: compileColumn(c, zone) }));
}

function compileColumn(c: ColumnPlan, zone: ZoneOffsets): Coercer {
  switch (c.type) {
    case 'string':
      return (raw, out) => {
        if (typeof raw === 'string') return raw;
        if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
        return reject(out, `must be a string, found ${jsonType(raw)}`);
      };
    case 'boolean':
      return (raw, out) => {
        if (typeof raw === 'boolean') return raw;
        const s = String(raw).toLowerCase();
        if (TRUE.has(s)) return true;
        if (FALSE.has(s)) return false;
        return reject(out, 'is not a boolean (true/false, yes/no, y/n, 1/0)');
      };
    case 'int':
      return numeric(c, (raw, out) => {
        const n = integerOf(raw, out);
        if (n === undefined) return undefined;
        if (n < INT32_MIN || n > INT32_MAX) return reject(out, 'is outside the 32-bit integer range');
        return n;
      }, true);
    case 'long':
      return (raw, out) => {
        let v: bigint;
        if (typeof raw === 'number') {
          if (!Number.isSafeInteger(raw)) return reject(out, 'is not an exact integer');
          v = BigInt(raw);
        } else if (typeof raw === 'string' && INTEGER.test(raw)) {
          v = BigInt(raw.includes(',') ? raw.replace(/,/g, '') : raw);
        } else {
          return reject(out, 'is not an integer');
        }
        if (v < INT64_MIN || v > INT64_MAX) return reject(out, 'is outside the 64-bit integer range');
        if (c.min !== undefined && Number(v) < c.min) return reject(out, `is below the minimum ${c.min}`);
        if (c.max !== undefined && Number(v) > c.max) return reject(out, `is above the maximum ${c.max}`);
        return v;
      };
    case 'double':
      return numeric(c, (raw, out) => numberOf(raw, out), false);
    case 'decimal':
      return decimal(c);
    case 'date': {
      const t: TimeParse = { value: 0 };
      return (raw, out) => {
        if (typeof raw !== 'string') return reject(out, `must be a date string, found ${jsonType(raw)}`);
        if (!parseDate(raw, t)) return reject(out, t.error!);
        return t.value;
      };
    }
    case 'timestamp': {
      const t: TimeParse = { value: 0 };
      return (raw, out) => {
        if (typeof raw !== 'string' && typeof raw !== 'number') return reject(out, `must be a timestamp, found ${jsonType(raw)}`);
        if (!parseTimestamp(raw, zone, t)) return reject(out, t.error!);
        return t.value;
      };
    }
    default:
      throw new ConfigurationError(`column "${(c as ColumnPlan).name}" has unsupported type "${(c as ColumnPlan).type}"`);
  }
}

/** The unit conversion a numeric column declares, if any; throws when the pair is unsupported. */
export function conversionOf(c: ColumnPlan): Converter | undefined {
  const convert = c.convertFrom && c.unit ? converter(c.convertFrom, c.unit) : undefined;
  if (c.convertFrom && c.unit && !convert) throw new ConfigurationError(`column "${c.name}": no conversion from ${c.convertFrom} to ${c.unit}`);
  return convert;
}

/** {@link conversionOf} as its three terms, for code that computes it inline (same bits). */
export function affineConversionOf(c: ColumnPlan): Affine | undefined {
  return conversionOf(c) && affine(c.convertFrom!, c.unit!);
}

/** Wraps a number parser with unit handling, conversion and range checks. */
function numeric(c: ColumnPlan, parse: (raw: unknown, out: Outcome) => number | undefined, integer: boolean): Coercer {
  const source = c.convertFrom ?? c.unit;
  const convert = conversionOf(c);
  const accepted = source ? new Set(unitSuffixes(source)) : undefined;
  const { min, max } = c;
  return (raw, out) => {
    let text = raw;
    // Fast path: a plain decimal number (no separators, no unit, not hex/octal/binary).
    if (typeof raw === 'string' && !(raw.length > 1 && (raw.charCodeAt(1) | 32) >= 98 && (raw.charCodeAt(1) | 32) <= 120)) {
      const n0 = +raw;
      if (n0 === n0 && n0 !== Infinity && n0 !== -Infinity) text = n0;
    }
    if (typeof text === 'string') {
      const m = NUMBER_WITH_UNIT.exec(text);
      if (!m) return reject(out, 'is not a number');
      if (m[2] !== undefined) {
        const suffix = m[2].trim().toLowerCase();
        if (!accepted?.has(suffix)) {
          const known = knownUnitOf(suffix);
          return reject(out, source
            ? `has unit "${m[2].trim()}"${known ? ` (${known})` : ''} but the dataset expects ${source}`
            : `has unit "${m[2].trim()}" but the column declares no unit`);
        }
        text = m[1];
      }
    }
    let n = parse(text, out);
    if (n === undefined) return undefined;
    if (convert) {
      n = convert(n);
      if (integer) n = Math.round(n);
    }
    if (min !== undefined && n < min) return reject(out, `is below the minimum ${min}${c.unit ? ` ${c.unit}` : ''}`);
    if (max !== undefined && n > max) return reject(out, `is above the maximum ${max}${c.unit ? ` ${c.unit}` : ''}`);
    return n;
  };
}

function numberOf(raw: unknown, out: Outcome): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : reject(out, 'is not a finite number');
  if (typeof raw !== 'string') return reject(out, `must be a number, found ${jsonType(raw)}`);
  const n = Number(raw.includes(',') ? raw.replace(/,/g, '') : raw);
  return Number.isFinite(n) ? n : reject(out, 'is not a number');
}

function integerOf(raw: unknown, out: Outcome): number | undefined {
  const n = numberOf(raw, out);
  if (n === undefined) return undefined;
  return Number.isInteger(n) ? n : reject(out, 'is not an integer');
}

/** Decimals are parsed exactly into a scaled bigint: no float rounding on money or weights. */
function decimal(c: ColumnPlan): Coercer {
  const scale = 10n ** BigInt(DECIMAL_SCALE);
  const convert = c.convertFrom && c.unit ? converter(c.convertFrom, c.unit) : undefined;
  return (raw, out) => {
    let v: bigint;
    const text = typeof raw === 'number' ? (Number.isFinite(raw) ? raw.toFixed(DECIMAL_SCALE) : '') : typeof raw === 'string' ? raw : undefined;
    if (text === undefined) return reject(out, `must be a number, found ${jsonType(raw)}`);
    const m = DECIMAL.exec(text);
    if (!m || (m[2] === undefined && !m[3])) return reject(out, 'is not a decimal number');
    const whole = (m[2] ?? '0').replace(/,/g, '');
    let frac = m[3] ?? '';
    let roundUp = false;
    if (frac.length > DECIMAL_SCALE) {
      roundUp = frac.charCodeAt(DECIMAL_SCALE) >= 53; // half away from zero
      frac = frac.slice(0, DECIMAL_SCALE);
    }
    v = BigInt(whole) * scale + BigInt(frac.padEnd(DECIMAL_SCALE, '0')) + (roundUp ? 1n : 0n);
    if (m[1] === '-') v = -v;
    if (convert) v = BigInt(Math.round(convert(Number(v) / Number(scale)) * Number(scale)));
    if (v >= DECIMAL_LIMIT || v <= -DECIMAL_LIMIT) return reject(out, `has more than ${DECIMAL_PRECISION - DECIMAL_SCALE} digits before the point`);
    const n = Number(v) / Number(scale);
    if (c.min !== undefined && n < c.min) return reject(out, `is below the minimum ${c.min}`);
    if (c.max !== undefined && n > c.max) return reject(out, `is above the maximum ${c.max}`);
    return v;
  };
}

function reject(out: Outcome, error: string): undefined {
  out.error = error;
  return undefined;
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
