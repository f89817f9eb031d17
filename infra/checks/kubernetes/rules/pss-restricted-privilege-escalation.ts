import { eachContainer, type KubernetesRule } from '../rule';
import { block } from '../terraform-json';

/** No container may gain more privileges than its parent process (setuid binaries). */
export const PssRestrictedPrivilegeEscalation: KubernetesRule = {
  id: 'PSS-restricted-privilege-escalation',
  controls: ['Pod Security Standards: restricted (Privilege Escalation)', 'CIS Kubernetes 5.2.6', 'MTB-PL1-BC-CPI-6'],
  description: 'allowPrivilegeEscalation is false for every container.',
  fix: 'set security_context.allow_privilege_escalation = false on the container',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c) => (block(c.body.security_context).allow_privilege_escalation === false ? [] : ['allow_privilege_escalation is not false']),
      'no container may escalate privileges',
    ),
};
