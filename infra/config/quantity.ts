/**
 * Kubernetes resource quantities (`500m`, `4`, `16Gi`, `2Ti`) as exact integers.
 *
 * Capacity checks sum the quotas of hundreds of cooperatives, so quantities are
 * normalized once to integers (milli-CPU, bytes) instead of being compared as
 * strings or floats. The grammar follows the Kubernetes `resource.Quantity`
 * serialization, limited to the suffixes a quota file actually uses.
 */
import { msg, type MessageRef } from './messages';

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

/** Pattern accepted for CPU quantities, shared with the JSON Schema. */
export const CPU_PATTERN = '^[0-9]+(\\.[0-9]+)?m?$';
/** Pattern accepted for memory and storage quantities, shared with the JSON Schema. */
export const BYTES_PATTERN = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$';

/**
 * Parses a CPU quantity into milli-CPU. `"500m"` → 500, `"4"` → 4000, `2` → 2000.
 * Exact: a value that is not a whole number of millicores (`"0.5m"`, `"0.0005"`) is not a
 * quantity, so a positive request is never rounded to 0.
 * @returns undefined when the text is not a CPU quantity in whole millicores.
 */
export function parseCpuMillis(value: string | number): number | undefined {
  const q = exact(value);
  const factor = q && unitFactor(q.suffix, 'cpu');
  return q && factor !== undefined ? whole(q, factor) : undefined;
}

/**
 * Parses a memory or storage quantity into bytes. `"16Gi"` → 17179869184. Exact: a value
 * that is not a whole number of bytes (`"0.4"`, `"0.3Ki"`) is not a quantity.
 * @returns undefined when the text is not a byte quantity in whole bytes.
 */
export function parseBytes(value: string | number): number | undefined {
  const q = exact(value);
  const factor = q && unitFactor(q.suffix, 'bytes');
  return q && factor !== undefined ? whole(q, factor) : undefined;
}

/**
 * Why a value of the quantity grammar is still no quantity (less than one unit, not whole
 * in the smallest unit, or too large), for the schema's message; undefined when it parses
 * or is not of the grammar at all (the schema's pattern reports that).
 */
export function quantityProblem(value: string | number, kind: 'cpu' | 'bytes'): { readonly message: MessageRef; readonly hint: MessageRef } | undefined {
  if ((kind === 'cpu' ? parseCpuMillis(value) : parseBytes(value)) !== undefined) return undefined;
  // A YAML number such as 1e-7 prints in exponent form; its plain digits are close enough here.
  const q = exact(typeof value === 'number' ? value.toFixed(20) : value);
  const factor = q && unitFactor(q.suffix, kind);
  if (!q || factor === undefined) return undefined;
  const unit = kind === 'cpu'
    ? { text: msg('quantity.cpu-unit'), of: 'millicores', fix: msg('quantity.cpu.hint') }
    : { text: msg('quantity.bytes-unit'), of: 'bytes', fix: msg('quantity.bytes.hint') };
  const scaled = q.digits * factor;
  const den = 10n ** BigInt(q.decimals);
  if (scaled > 0n && scaled < den) return { message: msg('quantity.below-one', { unit: unit.text }), hint: unit.fix };
  if (scaled % den !== 0n) return { message: msg('quantity.not-whole', { unit: unit.text, of: unit.of }), hint: unit.fix };
  return { message: msg('quantity.too-large', { of: unit.of }), hint: msg('quantity.too-large.hint') };
}

interface Exact {
  /** The digits without the decimal point, and how many of them are decimals. */
  readonly digits: bigint;
  readonly decimals: number;
  readonly suffix: string;
}

function exact(value: string | number): Exact | undefined {
  const m = QUANTITY.exec(String(value).trim());
  if (!m) return undefined;
  const [int, frac = ''] = m[1].split('.');
  return { digits: BigInt(int + frac), decimals: frac.length, suffix: m[2] ?? '' };
}

/** How many of the smallest unit (millicore, byte) one of `suffix` is; undefined when the suffix does not apply. */
function unitFactor(suffix: string, kind: 'cpu' | 'bytes'): bigint | undefined {
  if (kind === 'cpu') return suffix === 'm' ? 1n : suffix === '' ? 1000n : undefined;
  if (suffix === 'm') return undefined;
  return BigInt(BINARY[suffix] ?? DECIMAL[suffix]);
}

/** `q` in the smallest unit when it is a whole, exactly representable number; else undefined. */
function whole(q: Exact, factor: bigint): number | undefined {
  const scaled = q.digits * factor;
  const den = 10n ** BigInt(q.decimals);
  if (scaled % den !== 0n) return undefined;
  const n = scaled / den;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

/** Formats milli-CPU for people and for Kubernetes manifests: 4000 → "4", 500 → "500m". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes with the largest binary suffix that divides them exactly: 17179869184 → "16Gi". */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const f = BINARY[suffix];
    if (bytes >= f && bytes % f === 0) return `${bytes / f}${suffix}`;
  }
  return String(bytes);
}
