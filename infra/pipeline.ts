/**
 * The core pipeline: sources → validated config → tenancy plan. Everything downstream
 * (renderers, checks, report) starts from the `TenancyPlan` this returns.
 */
import { compareDiagnostics, type Diagnostic } from './config/diagnostics';
import { loadSources, type ConfigSources } from './config/load';
import { checkCells } from './config/cells';
import { checkLifecycle } from './config/lifecycle';
import { checkRules } from './config/rules';
import { buildPlan } from './plan/build';
import type { CapacityPlan, TenancyPlan } from './plan/types';

/** Options that make compilation reproducible. */
export interface CompileOptions {
  /** Date for agreement expiry checks, YYYY-MM-DD. Only entry points read the clock. */
  readonly today: string;
}

/** A plan when the configuration is valid, and every diagnostic either way. */
export interface CompileResult {
  readonly plan?: TenancyPlan;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Who reserves what on the IDC cluster, when some resource is over capacity: shown with
   * `formatCapacityTable` in the run's language.
   */
  readonly capacityExceeded?: CapacityPlan;
}

/** Validates every file and, when nothing is wrong, derives the tenancy plan. Never throws on bad input. */
export function compile(sources: ConfigSources, options: CompileOptions): CompileResult {
  const loaded = loadSources(sources);
  if (!loaded.config) return { diagnostics: [...loaded.diagnostics].sort(compareDiagnostics) };
  const rules = checkRules(loaded.config, options);
  const diagnostics = [...loaded.diagnostics, ...rules.diagnostics, ...checkCells(loaded.config), ...checkLifecycle(loaded.config, options)].sort(compareDiagnostics);
  const capacity = rules.capacity.rows.some((r) => r.requested > r.capacity) ? { capacityExceeded: rules.capacity } : {};
  if (!loaded.complete || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, ...capacity };
  return { plan: buildPlan(loaded.config), diagnostics, ...capacity };
}
