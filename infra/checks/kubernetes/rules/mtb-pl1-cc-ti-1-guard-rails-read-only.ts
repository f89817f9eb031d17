import { blocks, strings } from '../terraform-json';
import { outcome, resourcesOfType, type KubernetesRule } from '../rule';

/** Resources that make up a tenant's isolation; tenants may read but never change them. */
const GUARD_RAILS = ['resourcequotas', 'limitranges', 'networkpolicies', 'roles', 'rolebindings', 'namespaces'];
const MUTATING = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', '*'];

/** Roles never let a tenant modify its quota, limits, network policies or RBAC. */
export const MtbGuardRailsReadOnly: KubernetesRule = {
  id: 'MTB-PL1-CC-TI-1',
  controls: ['MTB-PL1-CC-TI-1 (block modification of resource quotas)', 'MTB-PL1-BC-CPI-2 (block modification of multi-tenancy resources)'],
  description: `Roles grant no mutating verb on ${GUARD_RAILS.join(', ')}.`,
  fix: 'grant only get, list and watch on quota, limit, network-policy and RBAC resources',
  evaluate: (stack) =>
    resourcesOfType(stack, 'kubernetes_role', 'kubernetes_cluster_role').map((r) =>
      outcome(
        r.address,
        blocks(r.body.rule).flatMap((rule, i) => {
          const res = strings(rule.resources).filter((x) => GUARD_RAILS.includes(x) || x === '*');
          const verbs = strings(rule.verbs).filter((v) => MUTATING.includes(v));
          return res.length && verbs.length ? [`rule[${i}] grants ${verbs.join(', ')} on ${res.join(', ')}`] : [];
        }),
        'guard rails are read-only',
      ),
    ),
};
