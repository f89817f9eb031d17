import { baseType, nameOf } from '../terraform-json';
import { eachNamespace, type KubernetesRule } from '../rule';

/** The default ServiceAccount of every namespace mounts no API token. */
export const Cis515DefaultServiceAccount: KubernetesRule = {
  id: 'CIS-5.1.5',
  controls: ['CIS Kubernetes 5.1.5 (default service accounts are not actively used)', 'ISMS-P 2.5.5'],
  description: 'Each namespace manages its default ServiceAccount with automount_service_account_token = false.',
  fix: 'add a kubernetes_default_service_account_v1 with automount_service_account_token = false (TenantNamespace does this)',
  evaluate: (stack) =>
    eachNamespace(
      stack,
      (ns) => {
        const defaults = ns.members.filter(
          (m) => baseType(m.type) === 'kubernetes_default_service_account' || (baseType(m.type) === 'kubernetes_service_account' && nameOf(m) === 'default'),
        );
        if (defaults.length === 0) return [`namespace "${ns.name}" leaves its default ServiceAccount unmanaged (token automounted)`];
        return defaults.filter((d) => d.body.automount_service_account_token !== false).map((d) => `${d.address} automounts its token`);
      },
      'default ServiceAccount mounts no token',
    ),
};
