/**
 * Timestamp and date standardization: local wall-clock times in a dataset's IANA time zone
 * become UTC instants; explicit offsets are honoured.
 *
 * Offsets come from `Intl` (the ICU time-zone database that ships with Node), memoised per
 * UTC hour so a file of a million readings costs a few `Intl` calls, not a million.
 */
import { ConfigurationError } from './errors';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Offsets of one zone, memoised by UTC hour. */
export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  /** Set when the zone never changes offset (Asia/Seoul since 1988), so lookups skip the cache. */
  private readonly fixed?: number;

  constructor(readonly zone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new ConfigurationError(`unknown time zone "${zone}" in the dataset definition; use an IANA name such as Asia/Seoul`);
    }
    // A zone whose offset is the same at both solstices of several recent years has no DST.
    const probes = [2020, 2023, 2026].flatMap((y) => [Date.UTC(y, 0, 15), Date.UTC(y, 6, 15)]).map((t) => this.compute(t));
    if (probes.every((o) => o === probes[0])) this.fixed = probes[0];
  }

  /** Offset (local − UTC) in milliseconds at a UTC instant. */
  at(utcMs: number): number {
    if (this.fixed !== undefined && utcMs >= FIXED_FROM) return this.fixed;
    const hour = Math.floor(utcMs / HOUR);
    let off = this.cache.get(hour);
    if (off === undefined) {
      off = this.compute(hour * HOUR);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hour, off);
    }
    return off;
  }

  /** Local times read so far that fell in a daylight-saving gap (they do not exist on the clock). */
  dstGap = 0;
  /** Local times read so far that fell in an overlap (they happen twice). */
  dstOverlap = 0;

  /**
   * {@link toUtc} in place on `a[i]`: on the byte path's hot loop a fixed zone then costs a
   * subtraction and no boxed double (see ./fields-bytes.ts `LocalTimestampBytes.parse`).
   */
  toUtcAt(a: Float64Array, i: number): void {
    const local = a[i];
    a[i] = this.fixed !== undefined && local >= FIXED_FROM + DAY ? local - this.fixed : this.toUtc(local);
  }

  /**
   * The UTC instant of a local wall-clock time (given as if it were UTC), by the rule of
   * Temporal's 'compatible' disambiguation (and of java.time and dateutil): a time in a gap
   * is read with the offset before the change, which moves it forward by the gap's length
   * (New York 02:30 on the spring-forward day is 03:30 EDT); a time in an overlap takes the
   * earlier of its two instants, the offset before the change. Each is counted in
   * {@link dstGap} / {@link dstOverlap} unless `count` is false.
   */
  toUtc(localAsUtcMs: number, count = true): number {
    if (this.fixed !== undefined && localAsUtcMs >= FIXED_FROM + DAY) return localAsUtcMs - this.fixed;
    // The offsets a day before and after bracket any one change (zones change at most once a day).
    const before = this.at(localAsUtcMs - DAY);
    const after = this.at(localAsUtcMs + DAY);
    const early = localAsUtcMs - before;
    if (before === after) {
      if (this.at(early) === before) return early;
    }
    const late = localAsUtcMs - after;
    const earlyOk = this.at(early) === before;
    const lateOk = this.at(late) === after;
    if (earlyOk && lateOk && early !== late) {
      if (count) this.dstOverlap++;
      return Math.min(early, late);
    }
    if (earlyOk) return early;
    if (lateOk) return late;
    if (count) this.dstGap++;
    return early;
  }

  private compute(utcMs: number): number {
    const parts = this.format.formatToParts(new Date(utcMs));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return local - Math.floor(utcMs / 1000) * 1000;
  }
}

/** Before this instant even "fixed" zones are looked up (historic offsets differ: Seoul had DST in 1987–88). */
const FIXED_FROM = Date.UTC(1990, 0, 1);

// YYYY-MM-DD with "-", "/" or "." separators (Korean exports use "2026.11.27"), optional time,
// optional fraction (up to ns, kept to ms), optional Z or ±HH[:MM] offset.
const TIMESTAMP = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\.?(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Why a value was not a timestamp or date; undefined on success (then `value` holds the result). */
export interface TimeParse {
  value: number;
  error?: string;
}

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Parses a timestamp to epoch milliseconds (UTC). Values without an offset are read in `zone`.
 * Numbers are epoch time: milliseconds from 1e11 up (after 1973), seconds below.
 */
export function parseTimestamp(raw: string | number, zone: ZoneOffsets, out: TimeParse): boolean {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(out, 'is not a finite epoch time');
    out.value = Math.round(Math.abs(raw) >= 1e11 ? raw : raw * 1000);
    return true;
  }
  const fast = fastLocal(raw);
  if (fast >= 0) {
    out.value = zone.toUtc(fast);
    return true;
  }
  const m = TIMESTAMP.exec(raw);
  if (!m) return fail(out, 'is not a timestamp (expected YYYY-MM-DD HH:MM[:SS[.fff]] with an optional Z or ±HH:MM offset)');
  const y = +m[1], mo = +m[3], d = +m[4];
  const h = m[5] ? +m[5] : 0, mi = m[6] ? +m[6] : 0, s = m[7] ? +m[7] : 0;
  const ms = m[8] ? Math.floor(+m[8].padEnd(3, '0').slice(0, 3)) : 0;
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return fail(out, 'is not a valid calendar date and time');
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const tz = m[9];
  if (tz === undefined) {
    out.value = zone.toUtc(local);
  } else if (tz === 'Z' || tz === 'z') {
    out.value = local;
  } else {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offMin = +digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2) : 0);
    if (offMin > 18 * 60) return fail(out, 'has an offset beyond ±18:00');
    out.value = local - sign * offMin * 60_000;
  }
  return true;
}

/**
 * Fast path for the overwhelmingly common `YYYY-MM-DD HH:MM:SS` (or `T`) without offset or
 * fraction: digits read by char code, no regex match object. Returns the local time as if it
 * were UTC, or -1 to fall back to the general parser.
 */
function fastLocal(s: string): number {
  if (s.length !== 19) return -1;
  const c = (i: number) => s.charCodeAt(i) - 48;
  const sep = s.charCodeAt(4);
  if ((sep !== 45 && sep !== 47 && sep !== 46) || s.charCodeAt(7) !== sep || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1;
  const t = s.charCodeAt(10);
  if (t !== 32 && t !== 84) return -1;
  let bad = 0;
  for (const i of DIGITS) {
    const d = c(i);
    if (d < 0 || d > 9) bad = 1;
  }
  if (bad) return -1;
  const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
  const mo = c(5) * 10 + c(6), d = c(8) * 10 + c(9);
  const h = c(11) * 10 + c(12), mi = c(14) * 10 + c(15), se = c(17) * 10 + c(18);
  if (mo < 1 || mo > 12 || d < 1 || (d > 28 && !validYmd(y, mo, d)) || h > 23 || mi > 59 || se > 59) return -1;
  return Date.UTC(y, mo - 1, d, h, mi, se);
}
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** Parses a calendar date to days since 1970-01-01 (Parquet DATE). */
export function parseDate(raw: string, out: TimeParse): boolean {
  const c = COMPACT_DATE.exec(raw);
  const m = c ? null : TIMESTAMP.exec(raw);
  const parts = c ? [+c[1], +c[2], +c[3]] : m && !m[5] && !m[9] ? [+m[1], +m[3], +m[4]] : undefined;
  if (!parts) return fail(out, 'is not a date (expected YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYYMMDD)');
  const [y, mo, d] = parts;
  if (!validYmd(y, mo, d)) return fail(out, 'is not a valid calendar date');
  out.value = Date.UTC(y, mo - 1, d) / DAY;
  return true;
}

function fail(out: TimeParse, error: string): false {
  out.error = error;
  return false;
}

/** `YYYY-MM-DD` of a day number, memoised because partitions repeat for every row. */
export class DayFormatter {
  private readonly cache = new Map<number, string>();
  /** The date of a day number (days since 1970-01-01). */
  day(days: number): string {
    let s = this.cache.get(days);
    if (s === undefined) {
      s = new Date(days * DAY).toISOString().slice(0, 10);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(days, s);
    }
    return s;
  }
  /** The UTC date of an epoch-millisecond instant. */
  instant(ms: number): string {
    return this.day(Math.floor(ms / DAY));
  }
}

/** Start of the month or year containing a UTC instant, in `zone`'s calendar, as a UTC instant. */
export function truncateInstant(ms: number, to: 'month' | 'year', zone: ZoneOffsets): number {
  const local = new Date(ms + zone.at(ms));
  const start = Date.UTC(local.getUTCFullYear(), to === 'month' ? local.getUTCMonth() : 0, 1);
  return zone.toUtc(start, false);
}

/** Start of the month or year containing a day number. */
export function truncateDay(days: number, to: 'month' | 'year'): number {
  const d = new Date(days * DAY);
  return Date.UTC(d.getUTCFullYear(), to === 'month' ? d.getUTCMonth() : 0, 1) / DAY;
}
