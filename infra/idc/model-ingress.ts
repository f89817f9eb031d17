import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import type { IngressPlan } from '../plan/types';
import type { TenantNamespace } from './tenant-namespace';
import { LABELS, MANAGED_BY, PART_OF } from './labels';

/** Props of {@link ModelIngress}. */
export interface ModelIngressProps {
  readonly namespace: TenantNamespace;
  /** The model's Service name. */
  readonly service: string;
  readonly port: number;
  /** Host name requests arrive for, from the plan. */
  readonly host: string;
  /** The platform's declared way in. */
  readonly ingress: IngressPlan;
}

/**
 * The declared way into one model: a Gateway API HTTPRoute attached to the platform's
 * Gateway, or an Ingress of the platform's class, for the model's host only and to its
 * Service only. The network policy admitting the proxy pods is rendered with the
 * namespace's other policies. HTTPRoute has no typed resource in the provider, so it is a
 * `kubernetes_manifest` (the Gateway API CRDs must be installed before planning).
 */
export class ModelIngress extends Construct {
  constructor(scope: Construct, id: string, props: ModelIngressProps) {
    super(scope, id);
    const metadata = { name: props.service, namespace: props.namespace.name, labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: MANAGED_BY } };
    const dependsOn = [props.namespace.resource];
    const { ingress } = props;
    if (ingress.kind === 'gateway') {
      if (!ingress.gateway) throw new Error(`${this.node.path}: a gateway ingress needs the gateway's name and namespace`);
      new Manifest(this, 'Route', {
        manifest: {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata,
          spec: {
            parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: ingress.gateway.name, namespace: ingress.gateway.namespace }],
            hostnames: [props.host],
            rules: [{ backendRefs: [{ kind: 'Service', name: props.service, port: props.port }] }],
          },
        },
        dependsOn,
      });
      return;
    }
    if (!ingress.ingressClass) throw new Error(`${this.node.path}: an ingress needs its ingress class`);
    new IngressV1(this, 'Ingress', {
      metadata,
      spec: {
        ingressClassName: ingress.ingressClass,
        rule: [{ host: props.host, http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.service, port: { number: props.port } } } }] } }],
      },
      dependsOn,
    });
  }
}
