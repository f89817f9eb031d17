/** Tag keys, declared with the other names shared across seams. */
export { DEFAULT_COST_SPLIT, TAG } from '../shared-names';

/** The `coopidc:cooperative` value of platform-owned resources (declared with the names it reserves). */
export { PLATFORM_OWNER } from '../plan/names';
