/**
 * Numbers and timestamps read straight from a field's bytes, for the byte-level CSV path.
 *
 * Each parser accepts only a shape whose meaning is beyond doubt and returns false for
 * anything else; the caller then decodes the field and runs the general coercer
 * (./coerce.ts), so what is accepted, what is rejected and every error message stay those of
 * the general path. A property test holds the two to the same values.
 *
 * A parser writes its value to a Float64Array slot rather than returning it: a double returned
 * from a call that is not inlined is a new heap object, and at several per record those
 * objects were most of what the pipeline allocated (and the young-generation collections
 * they caused).
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A decimal number: optional sign, digits with optional "," thousands groups (1–3 digits,
 * then groups of exactly 3), optional fraction, written to `out[at]`. No exponent, spaces or
 * units (false).
 *
 * Exact: with at most 15 significant digits the mantissa is an exact double, and so is 10^k
 * for k ≤ 22, so one division is correctly rounded — the same double `Number(text)` gives
 * (Clinger's fast path). Longer numbers return false and take the general path.
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number, out: Float64Array, at: number): boolean {
  let i = s;
  let neg = false;
  const c0 = b[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) {
    i++;
  }
  let mant = 0;
  let digits = 0;
  let group = 0;
  let grouped = false;
  for (; i < e; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      group++;
    } else if (c === 44) {
      if (grouped ? group !== 3 : group < 1 || group > 3) return false;
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (grouped && group !== 3) return false;
  let frac = 0;
  if (i < e && b[i] === 46) {
    for (i++; i < e; i++) {
      const c = b[i];
      if (c < 48 || c > 57) break;
      mant = mant * 10 + (c - 48);
      digits++;
      frac++;
    }
  }
  if (i !== e || digits === 0 || digits > 15 || frac > 22) return false;
  const v = frac === 0 ? mant : mant / POW10[frac];
  out[at] = neg ? -v : v;
  return true;
}

/**
 * `YYYY-MM-DD HH:MM:SS` (separators "-", "/" or "."; "T" or a space) without fraction or
 * offset — what sensor exports write — as local wall-clock milliseconds read as if UTC. The
 * day's start is memoised: a file's rows share a handful of days.
 */
export class LocalTimestampBytes {
  private lastDay = -1;
  private lastDayMs = 0;

  /**
   * Writes the time to `out[at]` and returns true, or returns false for any other shape or
   * an impossible date. Through a typed array, not a return value: epoch milliseconds are
   * not small integers, and a double returned from a call is a new heap object each time.
   */
  parse(b: Uint8Array, s: number, e: number, out: Float64Array, at: number): boolean {
    if (e - s !== 19) return false;
    const sep = b[s + 4];
    if ((sep !== 45 && sep !== 47 && sep !== 46) || b[s + 7] !== sep || b[s + 13] !== 58 || b[s + 16] !== 58) return false;
    const t = b[s + 10];
    if (t !== 32 && t !== 84) return false;
    const y = d4(b, s);
    const mo = d2(b, s + 5);
    const d = d2(b, s + 8);
    const h = d2(b, s + 11);
    const mi = d2(b, s + 14);
    const se = d2(b, s + 17);
    if ((y | mo | d | h | mi | se) < 0 || h > 23 || mi > 59 || se > 59) return false;
    const key = y * 10000 + mo * 100 + d;
    if (key !== this.lastDay) {
      if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return false;
      this.lastDay = key;
      this.lastDayMs = Date.UTC(y, mo - 1, d);
    }
    out[at] = this.lastDayMs + h * 3_600_000 + mi * 60_000 + se * 1000;
    return true;
  }
}

/** Two ASCII digits as a number, or -1. */
function d2(b: Uint8Array, i: number): number {
  const a = b[i] - 48;
  const c = b[i + 1] - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

function d4(b: Uint8Array, i: number): number {
  const hi = d2(b, i);
  const lo = d2(b, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** Whether `b[s, e)` is all ASCII (then Latin-1 decoding is exact for UTF-8 and CP949 alike). */
export function isAsciiRange(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] >= 0x80) return false;
  return true;
}
