import { eachContainer, type KubernetesRule } from '../rule';
import { block } from '../terraform-json';

/** Containers must run as a non-root user (pod or container level), never as UID 0. */
export const PssRestrictedRunAsNonRoot: KubernetesRule = {
  id: 'PSS-restricted-run-as-non-root',
  controls: ['Pod Security Standards: restricted (Running as Non-root, Running as Non-root user)', 'CIS Kubernetes 5.2.7', 'MTB-PL1-BC-CPI-4'],
  description: 'runAsNonRoot is true for every container and no container runs as UID 0.',
  fix: 'set security_context.run_as_non_root = true and a non-zero run_as_user',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c, pod) => {
        const p = block(pod.security_context);
        const s = block(c.body.security_context);
        const problems: string[] = [];
        const nonRoot = s.run_as_non_root ?? p.run_as_non_root;
        if (nonRoot !== true) problems.push('run_as_non_root is not true');
        const uid = s.run_as_user ?? p.run_as_user;
        if (uid !== undefined && String(uid) === '0') problems.push('run_as_user is 0 (root)');
        return problems;
      },
      'every container runs as non-root',
    ),
};
