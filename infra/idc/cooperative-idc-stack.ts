import type { Construct } from 'constructs';
import type { CooperativePlan, IngressPlan, SharedServerPlan } from '../plan/types';
import { KubernetesStack, type KubernetesStackProps } from './kubernetes-stack';
import { costLabels, LABELS, podLabelsFor } from './labels';
import { ModelIngress } from './model-ingress';
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
  /**
   * The platform's declared way into exposed models (platform `idc.ingress`).
   * @default - none: a model with `expose` is an error
   */
  readonly ingress?: IngressPlan;
  /**
   * Endpoints models with `dataLakeEgress` may call (platform `idc.dataLakeEndpoints`).
   * @default - none
   */
  readonly dataLakeEndpoints?: readonly { readonly cidr: string; readonly port: number }[];
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
      labels: { [LABELS.cooperative]: coop.id, [LABELS.costCenter]: coop.costCenter, [LABELS.tenantKind]: 'cooperative', ...costLabels(coop.id, coop.costCenter) },
      quota: idc.quota,
      imagePullSecrets: props.imagePullSecrets,
    });
    const egressTo = idc.sharedServers.map((sid) => {
      const server = props.sharedServers.find((s) => s.id === sid);
      if (!server) throw new Error(`cooperative ${coop.id} subscribes to unknown shared server "${sid}"`);
      return { id: server.id, namespace: server.namespace, podLabels: podLabelsFor(server.id), port: server.port };
    });
    const exposed = idc.models.filter((m) => m.expose);
    const ingress = props.ingress;
    if (exposed.length && !ingress) throw new Error(`cooperative ${coop.id}: models ${exposed.map((m) => m.name).join(', ')} are exposed but the platform enables no ingress`);
    new TenantNetworkPolicies(this, 'NetworkPolicies', {
      namespace,
      dnsNamespace: props.dnsNamespace,
      egressTo,
      // Exactly the platform's proxy pods, to exactly the exposed model's pods and port.
      ingressFrom: ingress ? exposed.map((m) => ({ id: `proxy-${m.name}`, namespaces: [ingress.proxyNamespace], peerPodLabels: ingress.proxyPodLabels, podLabels: podLabelsFor(m.name), port: m.port })) : [],
      egressToEndpoints: idc.models
        .filter((m) => m.dataLakeEgress)
        .map((m) => ({ id: `data-lake-${m.name}`, podLabels: podLabelsFor(m.name), endpoints: props.dataLakeEndpoints ?? [] })),
    });
    new NamespaceAdmin(this, 'Admin', { namespace, group: idc.adminGroup });
    for (const m of idc.models) {
      // The model name is the Deployment's name, i.e. part of the interface: safe as a construct id.
      new ModelServing(this, `Model-${m.name}`, { namespace, ...m, imagePullSecrets: props.imagePullSecrets });
      if (m.expose && ingress) new ModelIngress(this, `Ingress-${m.name}`, { namespace, service: m.name, port: m.port, host: m.expose.host, ingress });
    }
  }
}
