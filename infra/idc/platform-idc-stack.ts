import type { Construct } from 'constructs';
import type { TenancyPlan } from '../plan/types';
import { AdmissionGuardrails } from './admission-guardrails';
import { KubernetesStack, type KubernetesStackProps } from './kubernetes-stack';
import { SharedServer } from './shared-server';

/** Props of {@link PlatformIdcStack}. */
export interface PlatformIdcStackProps extends KubernetesStackProps {
  readonly plan: TenancyPlan;
}

/** The platform's own IDC resources: the admission guardrails of tenant namespaces and the shared industry servers. */
export class PlatformIdcStack extends KubernetesStack {
  constructor(scope: Construct, id: string, props: PlatformIdcStackProps) {
    super(scope, id, props);
    const { plan } = props;
    new AdmissionGuardrails(this, 'AdmissionGuardrails', { allowedRegistries: plan.platform.idc.allowedRegistries });
    const namespaceOf = new Map(plan.cooperatives.flatMap((c) => (c.idc ? [[c.id, c.idc.namespace] as const] : [])));
    for (const server of plan.platform.idc.sharedServers) {
      const subscriberNamespaces = server.subscribers.map((id) => {
        const ns = namespaceOf.get(id);
        if (!ns) throw new Error(`shared server ${server.id}: subscriber ${id} has no IDC namespace`);
        return ns;
      });
      // The server id is the interface (namespace, Service name): safe as a construct id.
      new SharedServer(this, server.id, { server, subscriberNamespaces, dnsNamespace: plan.platform.idc.dnsNamespace, imagePullSecrets: plan.platform.idc.imagePullSecrets });
    }
  }
}
