import { baseType, block, blocks, stringMap } from '../terraform-json';
import { eachNamespace, type KubernetesRule } from '../rule';

/** Each namespace has a LimitRange giving containers default requests and limits. */
export const MtbLimitRange: KubernetesRule = {
  id: 'MTB-PL1-CC-FNS-2',
  controls: ['MTB-PL1-CC-FNS-2 (configure namespace object limits)'],
  description: 'A LimitRange of type Container sets default, default_request and max for cpu and memory.',
  fix: 'add a kubernetes_limit_range_v1 with a Container limit (TenantNamespace renders it)',
  evaluate: (stack) =>
    eachNamespace(
      stack,
      (ns) => {
        const limits = ns.members
          .filter((m) => baseType(m.type) === 'kubernetes_limit_range')
          .flatMap((m) => blocks(block(m.body.spec).limit))
          .filter((l) => l.type === 'Container');
        if (limits.length === 0) return [`namespace "${ns.name}" has no Container LimitRange`];
        const problems: string[] = [];
        for (const field of ['default', 'default_request', 'max']) {
          const set = new Set(limits.flatMap((l) => Object.keys(stringMap(l[field]))));
          for (const r of ['cpu', 'memory']) if (!set.has(r)) problems.push(`LimitRange of "${ns.name}" has no ${field}.${r}`);
        }
        return problems;
      },
      'Container LimitRange sets defaults and maxima',
    ),
};
