import type { Construct } from 'constructs';
import type { CooperativePlan, SharedServerPlan } from '../plan/types';
import { KubernetesStack, type KubernetesStackProps } from './kubernetes-stack';
import { LABELS, podLabelsFor } from './labels';
import { ModelServing } from './model-serving';
import { NamespaceAdmin } from './namespace-admin';
import { TenantNamespace } from './tenant-namespace';
import { TenantNetworkPolicies } from './tenant-network-policies';

/** Props of {@link CooperativeIdcStack}. */
export interface CooperativeIdcStackProps extends KubernetesStackProps {
  /** The cooperative, which must have an `idc` section. */
  readonly cooperative: CooperativePlan;
  /** Namespace of the cluster DNS pods (`platform.idc.dnsNamespace`). */
  readonly dnsNamespace: string;
  /** Every shared server of the platform; the cooperative's subscriptions are looked up here. */
  readonly sharedServers: readonly SharedServerPlan[];
  /**
   * Image pull secrets of the namespace's default ServiceAccount and model pods (platform `idc.imagePullSecrets`).
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * One cooperative's IDC tenancy: its namespace with quota, limits and policies, its admin
 * Role, and its served models. One stack (and one state file) per cooperative, so a change
 * to one cooperative never plans against another's resources.
 */
export class CooperativeIdcStack extends KubernetesStack {
  constructor(scope: Construct, id: string, props: CooperativeIdcStackProps) {
    super(scope, id, props);
    const coop = props.cooperative;
    const idc = coop.idc;
    if (!idc) throw new Error(`cooperative ${coop.id} has no idc section: it gets no IDC stack`);

    const namespace = new TenantNamespace(this, 'Namespace', {
      name: idc.namespace,
      labels: { [LABELS.cooperative]: coop.id, [LABELS.costCenter]: coop.costCenter, [LABELS.tenantKind]: 'cooperative' },
      quota: idc.quota,
      imagePullSecrets: props.imagePullSecrets,
    });
    const egressTo = idc.sharedServers.map((sid) => {
      const server = props.sharedServers.find((s) => s.id === sid);
      if (!server) throw new Error(`cooperative ${coop.id} subscribes to unknown shared server "${sid}"`);
      return { id: server.id, namespace: server.namespace, podLabels: podLabelsFor(server.id), port: server.port };
    });
    new TenantNetworkPolicies(this, 'NetworkPolicies', { namespace, dnsNamespace: props.dnsNamespace, egressTo });
    new NamespaceAdmin(this, 'Admin', { namespace, group: idc.adminGroup });
    for (const m of idc.models) {
      // The model name is the Deployment's name, i.e. part of the interface: safe as a construct id.
      new ModelServing(this, `Model-${m.name}`, { namespace, ...m, imagePullSecrets: props.imagePullSecrets });
    }
  }
}
