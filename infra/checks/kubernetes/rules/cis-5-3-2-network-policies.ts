import { baseType, block, blocks, stringMap, strings, type TfObject } from '../terraform-json';
import { eachNamespace, type KubernetesRule } from '../rule';

/** A policy selecting every pod and allowing nothing in the given direction. */
function deniedDirections(spec: TfObject): string[] {
  const sel = block(spec.pod_selector);
  const selectsAll = Object.keys(stringMap(sel.match_labels)).length === 0 && blocks(sel.match_expressions).length === 0;
  if (!selectsAll) return [];
  const types = strings(spec.policy_types);
  return [
    ...(types.includes('Ingress') && blocks(spec.ingress).length === 0 ? ['Ingress'] : []),
    ...(types.includes('Egress') && blocks(spec.egress).length === 0 ? ['Egress'] : []),
  ];
}

/** Every namespace starts from deny-all for ingress and egress; allows are added explicitly. */
export const Cis532NetworkPolicies: KubernetesRule = {
  id: 'CIS-5.3.2',
  controls: ['CIS Kubernetes 5.3.2 (all namespaces have network policies)', 'ISMS-P 2.6.1', 'MTB-PL1-CC-TI-2'],
  description: 'Each namespace has a NetworkPolicy selecting all pods that denies ingress and egress by default.',
  fix: 'add a default-deny NetworkPolicy (empty pod_selector, policy_types Ingress and Egress, no rules)',
  evaluate: (stack) =>
    eachNamespace(
      stack,
      (ns) => {
        const denied = new Set(
          ns.members.filter((m) => baseType(m.type) === 'kubernetes_network_policy').flatMap((m) => deniedDirections(block(m.body.spec))),
        );
        return ['Ingress', 'Egress'].filter((d) => !denied.has(d)).map((d) => `namespace "${ns.name}" has no default-deny ${d} policy`);
      },
      'default-deny ingress and egress',
    ),
};
