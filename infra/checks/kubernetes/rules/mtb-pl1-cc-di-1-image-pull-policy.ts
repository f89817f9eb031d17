import { eachContainer, type KubernetesRule } from '../rule';

/**
 * Images are pulled on every start, so the registry checks the pod's credentials each time
 * and a tenant cannot run another tenant's private image from a node's cache.
 */
export const MtbImagePullAlways: KubernetesRule = {
  id: 'MTB-PL1-CC-DI-1',
  controls: ['MTB-PL1-CC-DI-1 (require always imagePullPolicy)'],
  description: 'image_pull_policy is Always for every container.',
  fix: 'set image_pull_policy = "Always" (cheap with digest-pinned images: layers stay cached)',
  evaluate: (stack) =>
    eachContainer(stack, (c) => (c.body.image_pull_policy === 'Always' ? [] : [`image_pull_policy is ${String(c.body.image_pull_policy ?? '(unset)')}`]), 'images pulled Always'),
};
