import { NetworkPolicyV1, type NetworkPolicyV1Config } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import type { TenantNamespace } from './tenant-namespace';
import { DNS_POD_LABELS, LABELS, MANAGED_BY, NAMESPACE_NAME_LABEL, PART_OF } from './labels';

/** A server in another namespace that pods of this namespace may call. */
export interface EgressTarget {
  /** Short id used in the policy name, e.g. the shared server id. */
  readonly id: string;
  readonly namespace: string;
  /** Labels of the server's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/** Namespaces allowed to call some pods of this namespace. */
export interface IngressSource {
  /** Short id used in the policy name. */
  readonly id: string;
  /** Peer namespaces, by name. An empty list renders no policy: the default deny holds. */
  readonly namespaces: readonly string[];
  /** Labels of the pods being called. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
  /**
   * Labels of the calling pods in those namespaces.
   * @default - any pod of those namespaces
   */
  readonly peerPodLabels?: Readonly<Record<string, string>>;
}

/** Addresses outside the cluster some pods of this namespace may call. */
export interface EndpointEgress {
  /** Short id used in the policy name. */
  readonly id: string;
  /** Labels of the calling pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly endpoints: readonly { readonly cidr: string; readonly port: number }[];
}

/** Props of {@link TenantNetworkPolicies}. */
export interface TenantNetworkPoliciesProps {
  readonly namespace: TenantNamespace;
  /** Namespace of the cluster DNS pods. */
  readonly dnsNamespace: string;
  /**
   * Servers outside the namespace its pods may call.
   * @default - none: only the namespace itself and DNS
   */
  readonly egressTo?: readonly EgressTarget[];
  /**
   * Other namespaces that may call in.
   * @default - none
   */
  readonly ingressFrom?: readonly IngressSource[];
  /**
   * Endpoints outside the cluster that some pods may call (data-lake endpoints).
   * @default - none
   */
  readonly egressToEndpoints?: readonly EndpointEgress[];
}

/**
 * Default-deny for ingress and egress plus the few explicit allows a tenant needs: its own
 * namespace, cluster DNS, and the shared servers it subscribes to (or, on a shared server,
 * its subscribers). Peers are selected by `kubernetes.io/metadata.name`, which the API
 * server sets and tenants cannot forge, never by a label a tenant could copy.
 */
export class TenantNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const ns = props.namespace.name;
    const dependsOn = [props.namespace.resource];
    const policy = (cid: string, name: string, spec: NetworkPolicyV1Config['spec']) =>
      new NetworkPolicyV1(this, cid, {
        metadata: { name, namespace: ns, labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY } },
        spec,
        dependsOn,
      });

    policy('DefaultDeny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('AllowSameNamespace', 'allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    policy('AllowClusterDns', 'allow-cluster-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.dnsNamespace } }, podSelector: { matchLabels: { ...DNS_POD_LABELS } } }],
          ports: [
            { protocol: 'UDP', port: '53' },
            { protocol: 'TCP', port: '53' },
          ],
        },
      ],
    });
    for (const t of [...(props.egressTo ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      policy(`AllowEgress-${t.id}`, `allow-egress-${t.id}`, {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: t.namespace } }, podSelector: { matchLabels: { ...t.podLabels } } }],
            ports: [{ protocol: 'TCP', port: String(t.port) }],
          },
        ],
      });
    }
    for (const s of [...(props.ingressFrom ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (s.namespaces.length === 0) continue;
      policy(`AllowIngress-${s.id}`, `allow-ingress-${s.id}`, {
        podSelector: { matchLabels: { ...s.podLabels } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...s.namespaces].sort() }] },
                ...(s.peerPodLabels ? { podSelector: { matchLabels: { ...s.peerPodLabels } } } : {}),
              },
            ],
            ports: [{ protocol: 'TCP', port: String(s.port) }],
          },
        ],
      });
    }
    for (const e of [...(props.egressToEndpoints ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (e.endpoints.length === 0) continue;
      policy(`AllowEgress-${e.id}`, `allow-egress-${e.id}`, {
        podSelector: { matchLabels: { ...e.podLabels } },
        policyTypes: ['Egress'],
        egress: e.endpoints.map((x) => ({ to: [{ ipBlock: { cidr: x.cidr } }], ports: [{ protocol: 'TCP', port: String(x.port) }] })),
      });
    }
  }
}
