import { eachContainer, type KubernetesRule } from '../rule';

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Every image is pinned by digest: what was reviewed is what runs, tags can be moved. */
export const Cis551ImageDigest: KubernetesRule = {
  id: 'CIS-5.5.1',
  controls: ['CIS Kubernetes 5.5.1 (image provenance)', 'ISMS-P 2.9.1'],
  description: 'Every container image ends in @sha256:<64 hex digits>.',
  fix: 'pin the image by digest: repository@sha256:...',
  evaluate: (stack) =>
    eachContainer(stack, (c) => (typeof c.body.image === 'string' && DIGEST.test(c.body.image) ? [] : [`image ${String(c.body.image)} is not pinned by digest`]), 'images pinned by digest'),
};
