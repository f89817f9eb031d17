import { eachWorkload, type KubernetesRule } from '../rule';
import { blocks } from '../terraform-json';

/** Volume kinds the restricted profile allows (Terraform's snake_case names). */
const ALLOWED = new Set(['config_map', 'csi', 'downward_api', 'empty_dir', 'ephemeral', 'persistent_volume_claim', 'projected', 'secret']);

/** Pods use only volume types that cannot reach the node or an unmanaged backend. */
export const PssRestrictedVolumeTypes: KubernetesRule = {
  id: 'PSS-restricted-volume-types',
  controls: ['Pod Security Standards: restricted (Volume Types)', 'CIS Kubernetes 5.2.12'],
  description: `Volumes are only ${[...ALLOWED].join(', ')}.`,
  fix: 'replace the volume with a persistent_volume_claim, config_map, secret or empty_dir',
  evaluate: (stack) =>
    eachWorkload(
      stack,
      (pod) =>
        blocks(pod.volume).flatMap((v) => {
          const kinds = Object.keys(v).filter((k) => k !== 'name');
          const bad = kinds.filter((k) => !ALLOWED.has(k));
          return bad.length ? [`volume "${String(v.name)}" is of type ${bad.join(', ')}`] : [];
        }),
      'only restricted-profile volume types',
    ),
};
