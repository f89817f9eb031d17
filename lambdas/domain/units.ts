/**
 * Unit conversions applied at ingestion, and the unit spellings accepted as value suffixes.
 *
 * The set mirrors `CONVERSIONS` in infra/config/rules.ts (a test holds them equal); it is
 * repeated here rather than imported so the Lambda bundles do not pull in the config rules.
 */

/** Converts a value in the source unit to the target unit. */
export type Converter = (value: number) => number;

/**
 * A conversion as `((value - minus) * times) / over`. Every supported conversion has this
 * form, and a term that is 0 or 1 changes no bit of the result, so the byte-level CSV path can
 * compute it inline (a call would box the double it passes and the one it gets back, two
 * garbage objects per value) and still get the bits {@link UNIT_CONVERSIONS} gives.
 */
export interface Affine {
  readonly minus: number;
  readonly times: number;
  readonly over: number;
}

const PSI_TO_KPA = 6.894757293168361;

const AFFINE: Readonly<Record<string, Readonly<Record<string, Affine>>>> = {
  fahrenheit: { celsius: { minus: 32, times: 5, over: 9 } },
  kelvin: { celsius: { minus: 273.15, times: 1, over: 1 } },
  inch: { mm: { minus: 0, times: 25.4, over: 1 }, cm: { minus: 0, times: 2.54, over: 1 }, m: { minus: 0, times: 0.0254, over: 1 } },
  wh: { kwh: { minus: 0, times: 1, over: 1000 } },
  mwh: { kwh: { minus: 0, times: 1000, over: 1 } },
  psi: { kpa: { minus: 0, times: PSI_TO_KPA, over: 1 }, bar: { minus: 0, times: PSI_TO_KPA, over: 100 } },
  bar: { kpa: { minus: 0, times: 100, over: 1 } },
};

/** Every supported conversion, keyed by source unit then target unit. */
export const UNIT_CONVERSIONS: Readonly<Record<string, Readonly<Record<string, Converter>>>> = Object.fromEntries(
  Object.entries(AFFINE).map(([from, to]) => [from, Object.fromEntries(Object.entries(to).map(([unit, a]) => [unit, (v: number) => ((v - a.minus) * a.times) / a.over]))]),
);

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

/** The conversion from `from` to `to` as its three terms (see {@link Affine}), or undefined. */
export function affine(from: string, to: string): Affine | undefined {
  return AFFINE[from.toLowerCase()]?.[to.toLowerCase()];
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
