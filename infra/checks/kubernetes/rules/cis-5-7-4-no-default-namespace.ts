import { baseType, CLUSTER_SCOPED, namespaceOf, resourcesOf } from '../terraform-json';
import { outcome, type KubernetesRule } from '../rule';

/** Namespaces tenants must never write into. */
const FORBIDDEN = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Every namespaced resource names a tenant namespace: never default (nor a system namespace). */
export const Cis574NoDefaultNamespace: KubernetesRule = {
  id: 'CIS-5.7.4',
  controls: ['CIS Kubernetes 5.7.4 (the default namespace should not be used)'],
  description: 'Namespaced resources set metadata.namespace to a namespace other than default and the kube-* system namespaces.',
  fix: 'set metadata.namespace to the tenant namespace',
  evaluate: (stack) =>
    resourcesOf(stack.json)
      .filter((r) => !CLUSTER_SCOPED.has(baseType(r.type)) && r.type.startsWith('kubernetes_') && r.body.metadata !== undefined)
      .map((r) => {
        const ns = namespaceOf(r);
        const problems = ns === undefined || ns === '' ? ['no metadata.namespace: lands in "default"'] : FORBIDDEN.has(ns) ? [`placed in "${ns}"`] : [];
        return outcome(r.address, problems, `in namespace "${ns}"`);
      }),
};
