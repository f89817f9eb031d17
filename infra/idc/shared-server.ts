import { Construct } from 'constructs';
import type { SharedServerPlan } from '../plan/types';
import { costLabels, LABELS } from './labels';
import { PLATFORM_OWNER } from '../plan/names';
import { ModelServing } from './model-serving';
import { TenantNamespace } from './tenant-namespace';
import { TenantNetworkPolicies } from './tenant-network-policies';

/** Props of {@link SharedServer}. */
export interface SharedServerProps {
  readonly server: SharedServerPlan;
  /** Namespaces of the subscribing cooperatives, the only ones that may call in. */
  readonly subscriberNamespaces: readonly string[];
  /** Namespace of the cluster DNS pods. */
  readonly dnsNamespace: string;
  /**
   * Image pull secrets of the server's pods and its namespace's default ServiceAccount.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * A shared industry server (e.g. the machinery group's common data server): its own
 * namespace with the same guard rails as a cooperative's, reachable only from the
 * namespaces of subscribing cooperatives.
 */
export class SharedServer extends Construct {
  constructor(scope: Construct, id: string, props: SharedServerProps) {
    super(scope, id);
    const s = props.server;
    const namespace = new TenantNamespace(this, 'Namespace', {
      name: s.namespace,
      labels: { [LABELS.tenantKind]: 'shared-server', [LABELS.sharedServer]: s.id, ...costLabels(`shared-${s.id}`, PLATFORM_OWNER) },
      quota: s.quota,
      imagePullSecrets: props.imagePullSecrets,
    });
    const workload = new ModelServing(this, 'Server', {
      namespace,
      name: s.id,
      image: s.image,
      replicas: s.replicas,
      port: s.port,
      cpuMillis: s.cpuMillis,
      memoryBytes: s.memoryBytes,
      component: 'shared-server',
      imagePullSecrets: props.imagePullSecrets,
    });
    new TenantNetworkPolicies(this, 'NetworkPolicies', {
      namespace,
      dnsNamespace: props.dnsNamespace,
      ingressFrom: [{ id: 'subscribers', namespaces: props.subscriberNamespaces, podLabels: workload.podLabels, port: s.port }],
    });
  }
}
