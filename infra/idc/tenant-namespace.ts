import { DefaultServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/default-service-account-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { Construct } from 'constructs';
import { formatBytes, formatCpu } from '../config/quantity';
import type { QuotaPlan } from '../plan/types';
import { gpuAllowedLabels } from './admission-policies';
import { GPU_RESOURCE, LABELS, MANAGED_BY, PART_OF, PSA } from './labels';

/** Per-container defaults applied by the namespace's LimitRange. */
export interface ContainerDefaults {
  /** Requested when a container states no request. */
  readonly requestCpuMillis: number;
  readonly requestMemoryBytes: number;
  /** Limit applied when a container states no limit. */
  readonly limitCpuMillis: number;
  readonly limitMemoryBytes: number;
}

/** Small enough that a forgotten `resources` block never eats a tenant's quota. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  requestCpuMillis: 100,
  requestMemoryBytes: 128 * 2 ** 20,
  limitCpuMillis: 500,
  limitMemoryBytes: 512 * 2 ** 20,
};

/** Props of {@link TenantNamespace}. */
export interface TenantNamespaceProps {
  /** Namespace name, from the plan. */
  readonly name: string;
  /** Labels identifying the tenant (cooperative id, cost center, tenant kind). */
  readonly labels: Readonly<Record<string, string>>;
  /** Hard limits of the namespace's ResourceQuota. */
  readonly quota: QuotaPlan;
  /**
   * Container defaults of the LimitRange; each is capped at the quota.
   * @default DEFAULT_CONTAINER_DEFAULTS
   */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * Image pull secrets the default ServiceAccount hands to pods that name none (platform
   * `idc.imagePullSecrets`); the platform team provisions them in the namespace.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * A tenant's namespace with the guard rails every tenant gets: Pod Security Admission at
 * `restricted`, a ResourceQuota, a LimitRange and a default ServiceAccount that mounts no
 * token. Network policies and RBAC are separate constructs because shared servers and
 * cooperatives differ there.
 */
export class TenantNamespace extends Construct {
  /** The namespace name, for constructs placed in it. */
  public readonly name: string;
  /** The namespace resource: other resources depend on it so Terraform creates it first. */
  public readonly resource: NamespaceV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS;
    const q = props.quota;
    this.name = props.name;

    this.resource = new NamespaceV1(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          // Read by the GPU admission guardrail; tenants cannot edit namespace labels.
          ...gpuAllowedLabels(props.quota.gpus),
          [LABELS.partOf]: PART_OF,
          [LABELS.managedBy]: MANAGED_BY,
          // enforce rejects non-compliant pods; audit and warn surface them in logs and kubectl.
          [PSA.enforce]: 'restricted',
          [PSA.enforceVersion]: 'latest',
          [PSA.audit]: 'restricted',
          [PSA.warn]: 'restricted',
        },
      },
      // The default ServiceAccount below can only be adopted once the controller made it.
      waitForDefaultServiceAccount: true,
    });
    const meta = (name: string) => ({ name, namespace: props.name, labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY } });
    const dependsOn = [this.resource];

    const gpus = Object.values(q.gpus).reduce((a, b) => a + b, 0);
    new ResourceQuotaV1(this, 'Quota', {
      metadata: meta('tenant-quota'),
      spec: {
        hard: {
          'requests.cpu': formatCpu(q.cpuMillis),
          'limits.cpu': formatCpu(q.cpuMillis),
          'requests.memory': formatBytes(q.memoryBytes),
          'limits.memory': formatBytes(q.memoryBytes),
          'requests.storage': formatBytes(q.storageBytes),
          persistentvolumeclaims: String(q.pvcs),
          pods: String(q.pods),
          services: String(q.services),
          // Node ports and load balancers expose tenants on the host network (MTB-PL1-BC-HI-1).
          'services.nodeports': '0',
          'services.loadbalancers': '0',
          // A quota of 0 is a denial: a tenant without GPUs in its plan cannot take one.
          [`requests.${GPU_RESOURCE}`]: String(gpus),
        },
      },
      dependsOn,
    });

    const cap = (v: number, max: number) => Math.min(v, max);
    const limits: { type: string; default?: Record<string, string>; defaultRequest?: Record<string, string>; max?: Record<string, string> }[] = [
      {
        type: 'Container',
        defaultRequest: {
          cpu: formatCpu(cap(defaults.requestCpuMillis, q.cpuMillis)),
          memory: formatBytes(cap(defaults.requestMemoryBytes, q.memoryBytes)),
        },
        default: {
          cpu: formatCpu(cap(defaults.limitCpuMillis, q.cpuMillis)),
          memory: formatBytes(cap(defaults.limitMemoryBytes, q.memoryBytes)),
        },
        max: { cpu: formatCpu(q.cpuMillis), memory: formatBytes(q.memoryBytes) },
      },
    ];
    if (q.storageBytes > 0) limits.push({ type: 'PersistentVolumeClaim', max: { storage: formatBytes(q.storageBytes) } });
    new LimitRangeV1(this, 'Limits', { metadata: meta('tenant-limits'), spec: { limit: limits }, dependsOn });

    new DefaultServiceAccountV1(this, 'DefaultServiceAccount', {
      metadata: { name: 'default', namespace: props.name },
      // Pods that need the API get their own ServiceAccount; the default one never carries a token (CIS 5.1.5).
      automountServiceAccountToken: false,
      imagePullSecret: props.imagePullSecrets?.length ? props.imagePullSecrets.map((name) => ({ name })) : undefined,
      dependsOn,
    });
  }
}
