import { PSA } from '../../../idc/labels';
import { eachNamespace, type KubernetesRule } from '../rule';
import { block, stringMap } from '../terraform-json';

/** Every namespace enforces the restricted Pod Security Standard at admission. */
export const PssRestrictedEnforce: KubernetesRule = {
  id: 'PSS-restricted-enforce',
  controls: ['Pod Security Standards: restricted (Pod Security Admission)', 'CIS Kubernetes 5.2.1'],
  description: `Namespaces carry the label ${PSA.enforce}=restricted.`,
  fix: `label the namespace ${PSA.enforce}=restricted (TenantNamespace does this)`,
  evaluate: (stack) =>
    eachNamespace(
      stack,
      (ns) => {
        const v = stringMap(block(ns.resource.body.metadata).labels)[PSA.enforce];
        return v === 'restricted' ? [] : [`namespace "${ns.name}" has ${PSA.enforce}=${v ?? '(unset)'}, not restricted`];
      },
      'enforces the restricted Pod Security Standard',
    ),
};
