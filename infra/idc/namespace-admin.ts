import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1, type RoleV1Rule } from '@cdktf/provider-kubernetes/lib/role-v1';
import { Construct } from 'constructs';
import type { TenantNamespace } from './tenant-namespace';
import { LABELS, MANAGED_BY, PART_OF } from './labels';

/** Props of {@link NamespaceAdmin}. */
export interface NamespaceAdminProps {
  readonly namespace: TenantNamespace;
  /** Identity-provider group bound to the Role, from the plan. */
  readonly group: string;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * What a cooperative's administrators may do in their namespace. Listed resource by
 * resource (no wildcards, CIS 5.1.3) so that a new API type is never granted by accident.
 * The guard rails (quota, limits, network policies, RBAC) are read-only, so a tenant
 * cannot lift its own isolation (MTB-PL1-CC-TI-1). Secrets are write-only: credentials can
 * be rotated without being readable through the API (CIS 5.1.2).
 */
export const NAMESPACE_ADMIN_RULES: readonly RoleV1Rule[] = [
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'services', 'serviceaccounts'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['pods/log', 'events', 'endpoints', 'resourcequotas', 'limitranges'], verbs: READ },
  { apiGroups: [''], resources: ['secrets'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
];

/** A namespaced Role and RoleBinding for a tenant's admin group; never cluster-scoped. */
export class NamespaceAdmin extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceAdminProps) {
    super(scope, id);
    const ns = props.namespace.name;
    const labels = { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY };
    const dependsOn = [props.namespace.resource];
    const role = new RoleV1(this, 'Role', {
      metadata: { name: 'tenant-admin', namespace: ns, labels },
      rule: NAMESPACE_ADMIN_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      dependsOn,
    });
    new RoleBindingV1(this, 'Binding', {
      metadata: { name: 'tenant-admin', namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-admin' },
      subject: [{ kind: 'Group', name: props.group, apiGroup: 'rbac.authorization.k8s.io' }],
      dependsOn: [role],
    });
  }
}
