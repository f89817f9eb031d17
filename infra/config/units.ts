/**
 * Units of measurement, one canonical spelling each: lowercase ids, as ingestion
 * (lambdas/domain/units.ts, a test holds the two lists equal) and `convertFrom` write them.
 * Unit names are compared ignoring case, so the SI spelling `kWh` is the unit `kwh`.
 */

/** Every unit ingestion knows, canonical spelling. */
export const KNOWN_UNITS: readonly string[] = ['celsius', 'fahrenheit', 'kelvin', 'mm', 'cm', 'm', 'inch', 'wh', 'kwh', 'mwh', 'psi', 'kpa', 'bar', 'mm_s'];

const BY_LOWER = new Map(KNOWN_UNITS.map((u) => [u.toLowerCase(), u]));

/** The canonical spelling of a known unit written in any case; any other unit as written. */
export function canonicalUnit(unit: string): string {
  return BY_LOWER.get(unit.toLowerCase()) ?? unit;
}
