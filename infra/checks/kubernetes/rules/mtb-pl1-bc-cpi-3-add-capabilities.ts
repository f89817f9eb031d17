import { eachContainer, type KubernetesRule } from '../rule';
import { block, strings } from '../terraform-json';

/** No container adds a capability (stricter than PSS restricted, which allows NET_BIND_SERVICE). */
export const MtbNoAddedCapabilities: KubernetesRule = {
  id: 'MTB-PL1-BC-CPI-3',
  controls: ['MTB-PL1-BC-CPI-3 (block add capabilities)', 'CIS Kubernetes 5.2.9'],
  description: 'capabilities.add is empty for every container.',
  fix: 'remove security_context.capabilities.add; listen on a port above 1024 instead of adding NET_BIND_SERVICE',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c) => {
        const add = strings(block(block(c.body.security_context).capabilities).add);
        return add.length ? [`adds ${add.join(', ')}`] : [];
      },
      'no capability added',
    ),
};
