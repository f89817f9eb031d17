/**
 * Label keys and well-known values shared by the IDC renderer and the Kubernetes
 * conformance checks. Kept free of cdktf imports on purpose: the checks read synthesized
 * JSON and must stay usable if the CDKTF renderer is ever replaced.
 */

/** Labels every coop-idc namespace carries, read by people, policies and cost reports. */
export const LABELS = {
  /** The cooperative id owning the namespace, or absent for platform namespaces. */
  cooperative: 'idc.kbiz.or.kr/cooperative',
  /** The cost center charged for the namespace's quota. */
  costCenter: 'idc.kbiz.or.kr/cost-center',
  /** `cooperative` or `shared-server`: what kind of tenant the namespace holds. */
  tenantKind: 'idc.kbiz.or.kr/tenant-kind',
  /** The shared server id, on a shared server's namespace. */
  sharedServer: 'idc.kbiz.or.kr/shared-server',
  /** Standard recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
} as const;

/**
 * Labels cost-allocation tools read, on every tenant namespace. OpenCost aggregates its
 * allocations by any label (`/allocation?aggregate=label:team`,
 * https://opencost.io/docs/integrations/api-examples); Kubecost's organisational views
 * (team, department, environment) read the labels `team` and `department` by default
 * (https://github.com/kubecost/docs/blob/v1.x/using-kubecost/navigating-the-kubecost-ui/cost-allocation/README.md).
 * The namespace is the unit both tools always allocate by, so a cooperative's IDC actuals
 * are `aggregate=namespace` or `aggregate=label:team` (docs/cost.en.md).
 */
export const COST_LABELS = {
  /** The cooperative id, or `shared-<server id>` on a shared server's namespace. */
  team: 'team',
  /** The cost center charged: the cooperative's, or `platform`. */
  department: 'department',
} as const;

/** The cost-allocation labels of a tenant namespace. */
export function costLabels(team: string, department: string): Readonly<Record<string, string>> {
  return { [COST_LABELS.team]: team, [COST_LABELS.department]: department };
}

/** Value of `app.kubernetes.io/part-of` and `managed-by` on everything we render. */
export const PART_OF = 'coop-idc';
/** Terraform applies the output, so it is the manager of record. */
export const MANAGED_BY = 'terraform';

/**
 * Set by the API server on every namespace since Kubernetes 1.22 and immutable by
 * tenants, so it is the one safe label to select a peer namespace by in a NetworkPolicy.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Pod Security Admission labels (https://kubernetes.io/docs/concepts/security/pod-security-admission/). */
export const PSA = {
  enforce: 'pod-security.kubernetes.io/enforce',
  enforceVersion: 'pod-security.kubernetes.io/enforce-version',
  audit: 'pod-security.kubernetes.io/audit',
  warn: 'pod-security.kubernetes.io/warn',
} as const;

/**
 * Node label naming the GPU model, with the plan's model ids as values
 * (`nvidia-a100-80gb`). NVIDIA GPU feature discovery's `nvidia.com/gpu.product` carries
 * marketing strings that differ per SKU and driver (`NVIDIA-A100-SXM4-80GB`), so the
 * platform team labels GPU nodes with this key instead (README, "IDC tenancy").
 */
export const GPU_MODEL_LABEL = 'idc.kbiz.or.kr/gpu-model';
/** Extended resource the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Labels of the cluster DNS pods (CoreDNS keeps the kube-dns label for compatibility). */
export const DNS_POD_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };

/** Labels selecting a workload's pods; shared with peers' network policies, so computed in one place. */
export function podLabelsFor(workload: string): Readonly<Record<string, string>> {
  return { [LABELS.name]: workload, [LABELS.partOf]: PART_OF };
}
