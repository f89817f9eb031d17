import { baseType, block, blocks, CLUSTER_SCOPED, namespaceOf, resourcesOf, stringMap, strings, type TfObject } from '../terraform-json';
import { namespacesOf, outcome, type KubernetesRule } from '../rule';
import { NAMESPACE_NAME_LABEL } from '../../../idc/labels';

/**
 * Namespaces a peer selector can reach, or a reason it cannot be bounded. Only selection by
 * `kubernetes.io/metadata.name` is trusted: the API server sets it and tenants cannot forge
 * it, whereas any other namespace label could be copied by another tenant.
 */
function peerNamespaces(peer: TfObject, own: string, cidrs: readonly string[]): { namespaces: string[] } | { unbounded: string } {
  const ip = block(peer.ip_block);
  if (Object.keys(ip).length > 0) {
    // A declared endpoint block names no namespace; anything else may reach any pod or host.
    if (typeof ip.cidr === 'string' && cidrs.includes(ip.cidr) && blocks(ip.except).length === 0 && strings(ip.except).length === 0) return { namespaces: [] };
    return { unbounded: `an ip_block peer ${String(ip.cidr)} that is not a declared endpoint (may reach any pod or host)` };
  }
  if (peer.namespace_selector === undefined) return { namespaces: [own] };
  const sel = block(peer.namespace_selector);
  const labels = stringMap(sel.match_labels);
  const exprs = blocks(sel.match_expressions);
  const otherLabels = Object.keys(labels).filter((k) => k !== NAMESPACE_NAME_LABEL);
  if (otherLabels.length) return { unbounded: `a namespace selector on ${otherLabels.join(', ')} (a label tenants can set)` };
  let names: string[] | undefined = labels[NAMESPACE_NAME_LABEL] !== undefined ? [labels[NAMESPACE_NAME_LABEL]] : undefined;
  for (const e of exprs) {
    if (e.key !== NAMESPACE_NAME_LABEL || e.operator !== 'In') return { unbounded: `a namespace selector expression ${String(e.key)} ${String(e.operator)}` };
    const vs = strings(e.values);
    names = names === undefined ? vs : names.filter((n) => vs.includes(n));
  }
  if (names === undefined) return { unbounded: 'an empty namespace selector (every namespace)' };
  return { namespaces: names };
}

/**
 * Nothing in a tenant's stack reaches another tenant: every namespaced resource sits in a
 * namespace the stack creates, RoleBindings name only local ServiceAccounts, and network
 * policy peers are the policy's own namespace or its declared peers (cluster DNS, subscribed
 * shared servers, the platform's ingress proxies, a shared server's subscribers) or declared
 * data-lake endpoint blocks.
 */
export const MtbTenantIsolation: KubernetesRule = {
  id: 'MTB-PL1-CC-TI-2',
  controls: ['MTB-PL1-CC-TI-2 (block access to other tenant resources)', 'ISMS-P 2.6.1'],
  description: 'Resources, RoleBinding subjects and NetworkPolicy peers stay within the stack’s namespaces and its declared peers.',
  fix: 'reach other tenants only through a shared server both sides declare (platform sharedServers and the cooperative idc.sharedServers)',
  evaluate: (stack) => {
    const own = new Set(namespacesOf(stack).map((n) => n.name));
    return resourcesOf(stack.json)
      .filter((r) => r.type.startsWith('kubernetes_') && !CLUSTER_SCOPED.has(baseType(r.type)) && r.body.metadata !== undefined)
      .map((r) => {
        const ns = namespaceOf(r) ?? 'default';
        const problems: string[] = [];
        if (!own.has(ns)) problems.push(`placed in namespace "${ns}", which this stack does not own`);
        const t = baseType(r.type);
        if (t === 'kubernetes_role_binding') {
          for (const s of blocks(r.body.subject)) {
            if (s.kind === 'ServiceAccount' && !own.has(String(s.namespace ?? ns))) problems.push(`binds ServiceAccount ${String(s.namespace)}/${String(s.name)} of another namespace`);
          }
        }
        if (t === 'kubernetes_network_policy') {
          const spec = block(r.body.spec);
          const peers = [
            ...blocks(spec.ingress).flatMap((rule) => blocks(rule.from).map((p) => ({ dir: 'ingress from', p }))),
            ...blocks(spec.egress).flatMap((rule) => blocks(rule.to).map((p) => ({ dir: 'egress to', p }))),
          ];
          const allowed = new Set([ns, ...(stack.allowedPeers?.[ns] ?? [])]);
          for (const { dir, p } of peers) {
            const reach = peerNamespaces(p, ns, stack.allowedCidrs?.[ns] ?? []);
            if ('unbounded' in reach) problems.push(`${dir} ${reach.unbounded}`);
            else for (const n of reach.namespaces) if (!allowed.has(n)) problems.push(`${dir} namespace "${n}", not a declared peer`);
          }
        }
        return outcome(r.address, problems, 'stays within the tenant and its declared peers');
      });
  },
};
