import type { CooperativePlan } from '../plan/types';
import type { DateExpiration } from './data-bucket';

/**
 * Lifecycle rules that expire offboarding cooperatives' copies in one shared-zone bucket
 * (their row-level shared tables and statistics tables), from the day offboarding began:
 * their grants are revoked, so nobody may read them any more, and without a rule the
 * objects would outlive the per-table expiry rules that left with the tables.
 */
export function offboardedCopyExpirations(cooperatives: readonly Pick<CooperativePlan, 'lifecycle'>[], bucket: string): DateExpiration[] {
  return cooperatives.flatMap((c) =>
    (c.lifecycle?.sharedPrefixes ?? []).filter((p) => p.bucket === bucket).map((p) => ({ id: `offboarded-${p.table}`, prefix: p.prefix, date: c.lifecycle!.since })),
  );
}
