import { block, blocks } from '../terraform-json';
import { outcome, resourcesOfType, type KubernetesRule } from '../rule';

/** Services stay inside the cluster network: ClusterIP only. */
export const MtbNoNodePort: KubernetesRule = {
  id: 'MTB-PL1-BC-HI-1-nodeport',
  controls: ['MTB-PL1-BC-HI-1 (block use of NodePort services)', 'ISMS-P 2.6.1'],
  description: 'Every Service is of type ClusterIP (the default) and sets no node_port.',
  fix: 'set spec.type = "ClusterIP"; expose through the platform ingress, never on node ports or load balancers',
  evaluate: (stack) =>
    resourcesOfType(stack, 'kubernetes_service').map((r) => {
      const spec = block(r.body.spec);
      const type = spec.type ?? 'ClusterIP';
      const problems: string[] = [];
      if (type !== 'ClusterIP') problems.push(`type is ${String(type)}`);
      if (blocks(spec.port).some((p) => p.node_port !== undefined)) problems.push('a port sets node_port');
      return outcome(r.address, problems, 'ClusterIP only');
    }),
};
