/**
 * Kubernetes conformance checks over synthesized Terraform JSON. Nothing here imports
 * cdktf: the rules read the JSON a renderer wrote, so they hold whatever wrote it.
 */
import type { KubernetesRule } from './rule';
import * as R from './rules';

export * from './admission';
export * from './capacity';
export * from './rule';
export * from './rules';
export * from './terraform-json';

/** Every conformance rule, in id order. */
export const KUBERNETES_RULES: readonly KubernetesRule[] = Object.values(R)
  .filter((v): v is KubernetesRule => typeof v === 'object' && v !== null && 'evaluate' in v)
  .sort((a, b) => (a.id < b.id ? -1 : 1));
