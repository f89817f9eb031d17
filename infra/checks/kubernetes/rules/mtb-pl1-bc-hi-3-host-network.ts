import { eachWorkload, type KubernetesRule } from '../rule';
import { blocks, containersOf } from '../terraform-json';

/** No pod joins the node's network namespace or binds a node port. */
export const MtbNoHostNetwork: KubernetesRule = {
  id: 'MTB-PL1-BC-HI-3',
  controls: ['MTB-PL1-BC-HI-3 (block use of host networking and ports)', 'CIS Kubernetes 5.2.5', 'CIS Kubernetes 5.2.13', 'Pod Security Standards: baseline (Host Namespaces, Host Ports)'],
  description: 'host_network is not true and no container port sets host_port.',
  fix: 'remove host_network and host_port; use a ClusterIP Service',
  evaluate: (stack) =>
    eachWorkload(
      stack,
      (pod) => [
        ...(pod.host_network === true ? ['host_network is true'] : []),
        ...containersOf(pod).flatMap((c) => blocks(c.body.port).filter((p) => p.host_port !== undefined && Number(p.host_port) !== 0).map(() => `${c.kind} "${c.name}" sets host_port`)),
      ],
      'no host network or host ports',
    ),
};
