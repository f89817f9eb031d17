import { eachWorkload, type KubernetesRule } from '../rule';

/** No pod shares the node's IPC namespace. */
export const MtbNoHostIpc: KubernetesRule = {
  id: 'MTB-PL1-BC-HI-5',
  controls: ['MTB-PL1-BC-HI-5 (block use of host IPC)', 'CIS Kubernetes 5.2.4', 'Pod Security Standards: baseline (Host Namespaces)'],
  description: 'host_ipc is not true.',
  fix: 'remove host_ipc from the pod spec',
  evaluate: (stack) => eachWorkload(stack, (pod) => (pod.host_ipc === true ? ['host_ipc is true'] : []), 'no host IPC namespace'),
};
