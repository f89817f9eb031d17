import { eachContainer, type KubernetesRule } from '../rule';
import { block } from '../terraform-json';

/** Containers cannot write to their image: tampering does not survive and needs a declared volume. */
export const Cis573ReadOnlyRootFilesystem: KubernetesRule = {
  id: 'CIS-5.7.3',
  controls: ['CIS Kubernetes 5.7.3 (security context on pods and containers)', 'NSA/CISA Kubernetes Hardening: immutable container filesystems'],
  description: 'readOnlyRootFilesystem is true for every container.',
  fix: 'set security_context.read_only_root_filesystem = true and mount an empty_dir where the app writes',
  evaluate: (stack) =>
    eachContainer(
      stack,
      (c) => (block(c.body.security_context).read_only_root_filesystem === true ? [] : ['read_only_root_filesystem is not true']),
      'every container has a read-only root filesystem',
    ),
};
