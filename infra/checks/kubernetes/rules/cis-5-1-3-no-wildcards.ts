import { outcome, resourcesOfType, type KubernetesRule } from '../rule';
import { blocks, strings } from '../terraform-json';

/** Roles list API groups, resources and verbs explicitly: a wildcard grants future APIs too. */
export const Cis513NoWildcards: KubernetesRule = {
  id: 'CIS-5.1.3',
  controls: ['CIS Kubernetes 5.1.3 (minimize wildcard use in Roles and ClusterRoles)', 'ISMS-P 2.5.1'],
  description: 'No Role or ClusterRole rule contains "*" in api_groups, resources, verbs or resource_names.',
  fix: 'list the API groups, resources and verbs explicitly',
  evaluate: (stack) =>
    resourcesOfType(stack, 'kubernetes_role', 'kubernetes_cluster_role').map((r) =>
      outcome(
        r.address,
        blocks(r.body.rule).flatMap((rule, i) =>
          (['api_groups', 'resources', 'verbs', 'resource_names'] as const)
            .filter((k) => strings(rule[k]).some((v) => v.includes('*')))
            .map((k) => `rule[${i}].${k} contains a wildcard`),
        ),
        'no wildcards',
      ),
    ),
};
