import { eachContainer, type KubernetesRule } from '../rule';
import { block } from '../terraform-json';

/** No container runs privileged (root on the node in all but name). */
export const MtbNoPrivileged: KubernetesRule = {
  id: 'MTB-PL1-BC-CPI-5',
  controls: ['MTB-PL1-BC-CPI-5 (block privileged containers)', 'CIS Kubernetes 5.2.2', 'Pod Security Standards: baseline (Privileged Containers)'],
  description: 'privileged is not true for any container.',
  fix: 'remove security_context.privileged or set it to false',
  evaluate: (stack) => eachContainer(stack, (c) => (block(c.body.security_context).privileged === true ? ['privileged is true'] : []), 'no privileged container'),
};
