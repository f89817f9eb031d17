import { eachContainer, type KubernetesRule } from '../rule';
import { block, strings } from '../terraform-json';

/** Containers drop ALL capabilities and add back at most NET_BIND_SERVICE. */
export const PssRestrictedCapabilities: KubernetesRule = {
  id: 'PSS-restricted-capabilities',
  controls: ['Pod Security Standards: restricted (Capabilities)', 'CIS Kubernetes 5.2.8', 'CIS Kubernetes 5.2.10'],
  description: 'capabilities.drop contains ALL; capabilities.add is empty or NET_BIND_SERVICE only.',
  fix: 'set security_context.capabilities.drop = ["ALL"] and remove added capabilities',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c) => {
        const caps = block(block(c.body.security_context).capabilities);
        const problems: string[] = [];
        if (!strings(caps.drop).includes('ALL')) problems.push('capabilities.drop does not contain ALL');
        const extra = strings(caps.add).filter((a) => a !== 'NET_BIND_SERVICE');
        if (extra.length) problems.push(`adds ${extra.join(', ')}`);
        return problems;
      },
      'every container drops ALL capabilities',
    ),
};
