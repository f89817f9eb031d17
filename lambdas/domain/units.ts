/**
 * Unit conversions applied at ingestion, and the unit spellings accepted as value suffixes.
 *
 * The set mirrors `CONVERSIONS` in infra/config/rules.ts (a test holds them equal); it is
 * repeated here rather than imported so the Lambda bundles do not pull in the config rules.
 */

/** Converts a value in the source unit to the target unit. */
export type Converter = (value: number) => number;

const PSI_TO_KPA = 6.894757293168361;

/** Every supported conversion, keyed by source unit then target unit. */
export const UNIT_CONVERSIONS: Readonly<Record<string, Readonly<Record<string, Converter>>>> = {
  fahrenheit: { celsius: (f) => ((f - 32) * 5) / 9 },
  kelvin: { celsius: (k) => k - 273.15 },
  inch: { mm: (i) => i * 25.4, cm: (i) => i * 2.54, m: (i) => i * 0.0254 },
  wh: { kwh: (w) => w / 1000 },
  mwh: { kwh: (m) => m * 1000 },
  psi: { kpa: (p) => p * PSI_TO_KPA, bar: (p) => (p * PSI_TO_KPA) / 100 },
  bar: { kpa: (b) => b * 100 },
};

/**
 * Suffixes a sender may append to a number ("72.5°F", "3 kWh"), by canonical unit. Matching is
 * case-insensitive.
 */
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  celsius: ['c', '°c', '℃', 'degc', 'celsius'],
  fahrenheit: ['f', '°f', '℉', 'degf', 'fahrenheit'],
  kelvin: ['k', 'kelvin'],
  mm: ['mm'],
  cm: ['cm'],
  m: ['m'],
  inch: ['in', 'inch', 'inches', '"'],
  wh: ['wh'],
  kwh: ['kwh'],
  mwh: ['mwh'],
  psi: ['psi'],
  kpa: ['kpa'],
  bar: ['bar'],
  mm_s: ['mm/s', 'mm_s'],
};

/** The converter from `from` to `to`, or undefined when the pair is not supported. */
export function converter(from: string, to: string): Converter | undefined {
  return UNIT_CONVERSIONS[from.toLowerCase()]?.[to.toLowerCase()];
}

/** Spellings accepted as a suffix for a unit; the unit's own name always counts. */
export function unitSuffixes(unit: string): readonly string[] {
  const u = unit.toLowerCase();
  return SUFFIXES[u] ?? [u];
}

/** Whether `suffix` names some other known unit than `unit` (used to explain rejections). */
export function knownUnitOf(suffix: string): string | undefined {
  const s = suffix.toLowerCase();
  for (const [unit, list] of Object.entries(SUFFIXES)) if (list.includes(s)) return unit;
  return undefined;
}
