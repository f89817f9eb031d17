import { eachWorkload, type KubernetesRule } from '../rule';
import { blocks } from '../terraform-json';

/** No pod mounts a directory of the node. */
export const MtbNoHostPath: KubernetesRule = {
  id: 'MTB-PL1-BC-HI-1-hostpath',
  controls: ['MTB-PL1-BC-HI-1 (block use of host path volumes)', 'CIS Kubernetes 5.2.12', 'Pod Security Standards: baseline (HostPath Volumes)'],
  description: 'No volume is a host_path.',
  fix: 'replace the host_path volume with a persistent_volume_claim or empty_dir',
  evaluate: (stack) =>
    eachWorkload(
      stack,
      (pod) => blocks(pod.volume).filter((v) => v.host_path !== undefined).map((v) => `volume "${String(v.name)}" is a host_path`),
      'no host_path volume',
    ),
};
