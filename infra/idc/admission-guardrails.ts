import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { bindingObject, guardrailDefinitions, policyObject } from './admission-policies';

/** Props of {@link AdmissionGuardrails}. */
export interface AdmissionGuardrailsProps {
  /** Registry prefixes (`host[:port][/path]`) images may come from (platform `idc.allowedRegistries`). */
  readonly allowedRegistries: readonly string[];
}

/**
 * The cluster's admission guardrails for tenant namespaces: images only from the allowed
 * registries and by digest, GPUs only of a model the namespace is granted, no privileged
 * pods, host namespaces, host paths or host ports. Each is a ValidatingAdmissionPolicy and a
 * binding, applied through the provider's `kubernetes_manifest` (the provider has no typed
 * resource for them). Pod Security Admission already enforces part of this on pods; these
 * policies also cover pod templates, so a bad Deployment is refused when applied, not when
 * its ReplicaSet fails to create pods.
 */
export class AdmissionGuardrails extends Construct {
  constructor(scope: Construct, id: string, props: AdmissionGuardrailsProps) {
    super(scope, id);
    for (const def of guardrailDefinitions(props.allowedRegistries)) {
      // The policy name is the interface (bindings name it): safe as a construct id.
      const policy = new Manifest(this, `Policy-${def.name}`, { manifest: policyObject(def) });
      new Manifest(this, `Binding-${def.name}`, { manifest: bindingObject(def), dependsOn: [policy] });
    }
  }
}
