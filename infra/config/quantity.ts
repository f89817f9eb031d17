/**
 * Kubernetes resource quantities (`500m`, `4`, `16Gi`, `2Ti`) as exact integers.
 *
 * Capacity checks sum the quotas of hundreds of cooperatives, so quantities are
 * normalized once to integers (milli-CPU, bytes) instead of being compared as
 * strings or floats. The grammar follows the Kubernetes `resource.Quantity`
 * serialization, limited to the suffixes a quota file actually uses.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

/** Pattern accepted for CPU quantities, shared with the JSON Schema. */
export const CPU_PATTERN = '^[0-9]+(\\.[0-9]+)?m?$';
/** Pattern accepted for memory and storage quantities, shared with the JSON Schema. */
export const BYTES_PATTERN = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$';

/**
 * Parses a CPU quantity into milli-CPU. `"500m"` → 500, `"4"` → 4000, `2` → 2000.
 * @returns undefined when the text is not a CPU quantity.
 */
export function parseCpuMillis(value: string | number): number | undefined {
  const text = String(value).trim();
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === 'm') return Number.isInteger(n) ? n : undefined;
  if (m[2] !== undefined) return undefined;
  return Math.round(n * 1000);
}

/**
 * Parses a memory or storage quantity into bytes. `"16Gi"` → 17179869184.
 * @returns undefined when the text is not a byte quantity.
 */
export function parseBytes(value: string | number): number | undefined {
  const text = String(value).trim();
  const m = QUANTITY.exec(text);
  if (!m || m[2] === 'm') return undefined;
  const suffix = m[2] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return Math.round(Number(m[1]) * factor);
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
