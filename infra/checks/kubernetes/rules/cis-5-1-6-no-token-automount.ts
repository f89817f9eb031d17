import { eachWorkload, type KubernetesRule } from '../rule';

/** Pods mount a ServiceAccount token only where they state they need one; ours never do. */
export const Cis516NoTokenAutomount: KubernetesRule = {
  id: 'CIS-5.1.6',
  controls: ['CIS Kubernetes 5.1.6 (service account tokens only mounted where necessary)'],
  description: 'automount_service_account_token is false in every pod spec.',
  fix: 'set automount_service_account_token = false in the pod template',
  evaluate: (stack) =>
    eachWorkload(stack, (pod) => (pod.automount_service_account_token === false ? [] : ['pod spec automounts a ServiceAccount token']), 'no token mounted'),
};
