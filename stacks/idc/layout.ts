/**
 * The IDC app's layout: which stacks a plan gives, what each is built from, and what its
 * network policies may name. Pure functions of the plan, apart from the app itself
 * (`app.ts`): the build reads them on its main thread, which need not load cdktf and the
 * Kubernetes provider (~1.5 s) when the IDC step synthesizes on a worker thread.
 */
import { join } from 'node:path';
import type { TenancyPlan } from '../../infra';
import { IDC_PLATFORM_STACK } from '../../infra/plan/names';
import type { CooperativeIdcStackProps } from '../../infra/idc';

/** Name of the platform stack; cooperative stacks are named after their namespace. */
export const PLATFORM_STACK = IDC_PLATFORM_STACK;

/**
 * Where state lives, relative to a stack's working directory `<out>/cdktf.out/stacks/<name>`:
 * `idc-state/` beside the output folder, which every build replaces. State kept inside it
 * would be deleted by the next `npm start`.
 */
export function statePathFor(stack: string): string {
  return join('..', '..', '..', '..', 'idc-state', `${stack}.tfstate`).split('\\').join('/');
}

/** One synthesized stack. */
export interface IdcStackInfo {
  readonly stack: string;
  /** Owning cooperative; absent for the platform stack. */
  readonly cooperative?: string;
  /** Path of the Terraform JSON relative to the app's outdir. */
  readonly file: string;
}

/**
 * The stacks of a plan's IDC app, in the order the app builds them: the platform's, then one
 * per cooperative with an `idc` section, in plan order. Constructs nothing.
 */
export function idcStacksOf(plan: TenancyPlan): IdcStackInfo[] {
  const stacks: IdcStackInfo[] = [{ stack: PLATFORM_STACK, file: `stacks/${PLATFORM_STACK}/cdk.tf.json` }];
  for (const coop of plan.cooperatives) {
    if (!coop.idc) continue;
    const name = coop.idc.namespace;
    if (name === PLATFORM_STACK) throw new Error(`cooperative ${coop.id}: namespace "${name}" collides with the platform stack`);
    stacks.push({ stack: name, cooperative: coop.id, file: `stacks/${name}/cdk.tf.json` });
  }
  return stacks;
}

/** Everything a cooperative's IDC stack is constructed from: its own section and the platform settings it reads. */
export function cooperativeIdcProps(plan: TenancyPlan, cooperative: TenancyPlan['cooperatives'][number]): CooperativeIdcStackProps {
  const { dnsNamespace, sharedServers, imagePullSecrets, ingress, dataLakeEndpoints } = plan.platform.idc;
  return { cooperative, dnsNamespace, sharedServers, imagePullSecrets, ingress, dataLakeEndpoints, statePath: statePathFor(cooperative.idc!.namespace) };
}

/**
 * What each stack of the IDC app is built from, in {@link idcStacksOf}'s order: the whole
 * plan for the platform stack (it reads every cooperative), a cooperative's stack props
 * otherwise. Nothing else reaches a stack's constructs, so its output is a function of this
 * and the code: the build caches each stack under it (`build/idc-step.ts`).
 */
export function idcStackInputs(plan: TenancyPlan): { readonly info: IdcStackInfo; readonly input: unknown }[] {
  const byId = new Map(plan.cooperatives.map((c) => [c.id, c]));
  return idcStacksOf(plan).map((info) => ({ info, input: info.cooperative === undefined ? plan : cooperativeIdcProps(plan, byId.get(info.cooperative)!) }));
}

/**
 * Per stack and namespace, the namespaces its network policies may name besides itself:
 * cluster DNS everywhere, a cooperative's subscribed shared servers and (when it exposes a
 * model) the platform's ingress proxies, a shared server's subscribers. The conformance check MTB-PL1-CC-TI-2 holds the synthesized policies to it.
 */
export function allowedPeersOf(plan: TenancyPlan): Map<string, Record<string, string[]>> {
  const { dnsNamespace, sharedServers } = plan.platform.idc;
  const out = new Map<string, Record<string, string[]>>();
  const nsOf = new Map(plan.cooperatives.flatMap((c) => (c.idc ? [[c.id, c.idc.namespace] as const] : [])));
  const platform: Record<string, string[]> = {};
  for (const s of sharedServers) platform[s.namespace] = [dnsNamespace, ...s.subscribers.flatMap((id) => nsOf.get(id) ?? [])];
  out.set(PLATFORM_STACK, platform);
  for (const c of plan.cooperatives) {
    if (!c.idc) continue;
    const servers = c.idc.sharedServers.flatMap((id) => sharedServers.find((s) => s.id === id)?.namespace ?? []);
    const proxy = plan.platform.idc.ingress && c.idc.models.some((m) => m.expose) ? [plan.platform.idc.ingress.proxyNamespace] : [];
    out.set(c.idc.namespace, { [c.idc.namespace]: [dnsNamespace, ...servers, ...proxy] });
  }
  return out;
}

/**
 * Per stack and namespace, the address blocks its network policies may name: the
 * platform's data-lake endpoints, for a cooperative with a model declaring `dataLakeEgress`.
 */
export function allowedCidrsOf(plan: TenancyPlan): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  const cidrs = plan.platform.idc.dataLakeEndpoints.map((e) => e.cidr);
  for (const c of plan.cooperatives) {
    if (c.idc?.models.some((m) => m.dataLakeEgress)) out.set(c.idc.namespace, { [c.idc.namespace]: cidrs });
  }
  return out;
}
