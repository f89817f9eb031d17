import { baseType, block, stringMap } from '../terraform-json';
import { eachNamespace, type KubernetesRule } from '../rule';

/** Hard limits every tenant namespace's ResourceQuota must set. */
export const REQUIRED_QUOTA_KEYS = [
  'requests.cpu',
  'limits.cpu',
  'requests.memory',
  'limits.memory',
  'requests.storage',
  'persistentvolumeclaims',
  'pods',
  'services',
  'requests.nvidia.com/gpu',
] as const;

/** Each namespace has a ResourceQuota bounding CPU, memory, storage, object counts and GPUs. */
export const MtbResourceQuota: KubernetesRule = {
  id: 'MTB-PL1-CC-FNS-1',
  controls: ['MTB-PL1-CC-FNS-1 (configure namespace resource quotas)', 'ISMS-P 2.9.2'],
  description: `A ResourceQuota in every namespace sets ${REQUIRED_QUOTA_KEYS.join(', ')}.`,
  fix: 'add a kubernetes_resource_quota_v1 with every required hard limit (TenantNamespace renders it from the plan)',
  evaluate: (stack) =>
    eachNamespace(
      stack,
      (ns) => {
        const quotas = ns.members.filter((m) => baseType(m.type) === 'kubernetes_resource_quota');
        if (quotas.length === 0) return [`namespace "${ns.name}" has no ResourceQuota`];
        const keys = new Set(quotas.flatMap((q) => Object.keys(stringMap(block(q.body.spec).hard))));
        const missing = REQUIRED_QUOTA_KEYS.filter((k) => !keys.has(k));
        return missing.length ? [`ResourceQuota of "${ns.name}" does not set ${missing.join(', ')}`] : [];
      },
      'ResourceQuota sets every required limit',
    ),
};
