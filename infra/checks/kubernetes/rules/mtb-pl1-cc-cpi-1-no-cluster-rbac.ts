import { baseType, block, resourcesOf } from '../terraform-json';
import { outcome, type KubernetesRule } from '../rule';

/** Tenancy stacks grant nothing cluster-wide: no ClusterRole(Binding), no binding to a ClusterRole. */
export const MtbNoClusterRbac: KubernetesRule = {
  id: 'MTB-PL1-CC-CPI-1',
  controls: ['MTB-PL1-CC-CPI-1 (block access to cluster resources)', 'ISMS-P 2.5.1'],
  description: 'No kubernetes_cluster_role(_binding); every RoleBinding refers to a namespaced Role.',
  fix: 'use a namespaced Role and RoleBinding (NamespaceAdmin)',
  evaluate: (stack) =>
    resourcesOf(stack.json)
      .filter((r) => ['kubernetes_cluster_role', 'kubernetes_cluster_role_binding', 'kubernetes_role_binding'].includes(baseType(r.type)))
      .map((r) => {
        const t = baseType(r.type);
        if (t !== 'kubernetes_role_binding') return outcome(r.address, [`${t} grants cluster-scoped access`], '');
        const kind = block(r.body.role_ref).kind;
        return outcome(r.address, kind === 'Role' ? [] : [`binds a ${String(kind)}, not a namespaced Role`], 'binds a namespaced Role');
      }),
};
