import { eachContainer, type KubernetesRule } from '../rule';
import { block } from '../terraform-json';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/** Every container runs under a seccomp profile (pod default or its own), never Unconfined. */
export const PssRestrictedSeccomp: KubernetesRule = {
  id: 'PSS-restricted-seccomp',
  controls: ['Pod Security Standards: restricted (Seccomp)', 'CIS Kubernetes 5.7.2'],
  description: 'seccompProfile.type is RuntimeDefault or Localhost for every container.',
  fix: 'set security_context.seccomp_profile.type = "RuntimeDefault" on the pod',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c, pod) => {
        const own = block(block(c.body.security_context).seccomp_profile).type;
        const type = own ?? block(block(pod.security_context).seccomp_profile).type;
        return typeof type === 'string' && ALLOWED.has(type) ? [] : [`seccomp profile is ${type ?? '(unset)'}`];
      },
      'every container runs under a seccomp profile',
    ),
};
