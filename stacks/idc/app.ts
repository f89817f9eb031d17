/**
 * Composes the IDC (Kubernetes) tenancy of a plan into one CDKTF app: a stack per
 * cooperative with an `idc` section plus the platform stack, written as Terraform JSON.
 * Which stacks, and from what, is `layout.ts`.
 */
import type { TenancyPlan } from '../../infra';
import { CooperativeIdcStack, IdcApp, PlatformIdcStack } from '../../infra/idc';
import { cooperativeIdcProps, idcStacksOf, PLATFORM_STACK, statePathFor, type IdcStackInfo } from './layout';

export { allowedCidrsOf, allowedPeersOf, idcStackInputs, idcStacksOf, PLATFORM_STACK, statePathFor, type IdcStackInfo } from './layout';

/**
 * Builds (without synthesizing) the app for a plan: the platform stack and every
 * cooperative's, or with `only`, the platform stack and the stacks of those cooperatives.
 * A cooperative's stack reads the plan's platform and its own section alone, so it comes out
 * the same in either app (a CI shard builds its cells' stacks this way); the platform stack
 * reads every cooperative and is always built from the whole plan.
 */
export function buildIdcApp(plan: TenancyPlan, outdir: string, only?: ReadonlySet<string>): { app: IdcApp; stacks: IdcStackInfo[] } {
  const app = new IdcApp({ outdir });
  const stacks = idcStacksOf(plan).filter((s) => s.cooperative === undefined || only === undefined || only.has(s.cooperative));
  const platform = new PlatformIdcStack(app, PLATFORM_STACK, { plan, statePath: statePathFor(PLATFORM_STACK) });
  const byId = new Map(plan.cooperatives.map((c) => [c.id, c]));
  for (const { stack: name, cooperative } of stacks) {
    if (cooperative === undefined) continue;
    // Applied after the platform: its admission guardrails must hold before tenant workloads
    // exist, and its shared servers before subscribers' policies name them (manifest.json).
    const stack = new CooperativeIdcStack(app, name, cooperativeIdcProps(plan, byId.get(cooperative)!));
    stack.addDependency(platform);
  }
  return { app, stacks };
}

/**
 * Synthesizes the IDC stacks of a plan into `outdir` (`<out>/cdktf.out`); with `only`, the
 * platform's and those cooperatives' (see {@link buildIdcApp}).
 *
 * cdktf records a full stack trace for every token it creates (dozens per stack). Under
 * tsx, source maps are on and each trace is mapped back to TypeScript, which made synth
 * 2-4× slower (bench:idc). The traces are never shown, so mapping is switched off for the
 * duration of the synth and restored after.
 */
export function synthesizeIdc(plan: TenancyPlan, outdir: string, only?: ReadonlySet<string>): IdcStackInfo[] {
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const { app, stacks } = buildIdcApp(plan, outdir, only);
    app.synth();
    return stacks;
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}
