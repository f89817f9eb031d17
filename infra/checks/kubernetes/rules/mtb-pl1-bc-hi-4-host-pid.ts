import { eachWorkload, type KubernetesRule } from '../rule';

/** No pod sees the node's processes. */
export const MtbNoHostPid: KubernetesRule = {
  id: 'MTB-PL1-BC-HI-4',
  controls: ['MTB-PL1-BC-HI-4 (block use of host PID)', 'CIS Kubernetes 5.2.3', 'Pod Security Standards: baseline (Host Namespaces)'],
  description: 'host_pid is not true.',
  fix: 'remove host_pid from the pod spec',
  evaluate: (stack) => eachWorkload(stack, (pod) => (pod.host_pid === true ? ['host_pid is true'] : []), 'no host PID namespace'),
};
