import { TerraformStack, Testing } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenancyPlan } from '../../../infra';
import { GPU_ALLOWED_LABEL_PREFIX, GUARDRAIL_POLICY, PlatformIdcStack, POD_RESOURCES, TenantNamespace } from '../../../infra/idc';
import { generateSources } from '../../../infra/testing/synthetic';
import { synthesizeIdc } from '../../../stacks/idc/app';
import { evaluatePolicy, policyMatches, type Verdict } from '../../support/admission';
import { compileAt } from '../../support/config';

// Generated config, not config/: a new cooperative file never changes these tests.
const plan: TenancyPlan = compileAt(generateSources({ n: 12, seed: 7 })).plan!;
const platformText = Testing.synth(new PlatformIdcStack(Testing.app(), 'idc-platform', { plan, statePath: 'p.tfstate' }));
const platformJson = JSON.parse(platformText);
const manifests: any[] = Object.values(platformJson.resource.kubernetes_manifest ?? {}).map((r: any) => r.manifest);
const policyNamed = (name: string) => {
  const p = manifests.find((m) => m.kind === 'ValidatingAdmissionPolicy' && m.metadata.name === name);
  if (!p) throw new Error(`no policy ${name} rendered`);
  return p;
};
const images = () => policyNamed(GUARDRAIL_POLICY.images);
const gpus = () => policyNamed(GUARDRAIL_POLICY.gpuModels);
const host = () => policyNamed(GUARDRAIL_POLICY.hostIsolation);

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const GOOD_IMAGE = `registry.idc.kbiz.or.kr/coop-a/model@${DIGEST}`;
const A100 = 'nvidia-a100-80gb';

/** A pod spec as a tenant would apply it, compliant with every guardrail. */
function podSpec(): any {
  return {
    containers: [
      {
        name: 'model',
        image: GOOD_IMAGE,
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
        securityContext: { privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: true },
      },
    ],
    hostNetwork: false,
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}
/** The same spec asking for one A100 on A100 nodes. */
function gpuPodSpec(model = A100): any {
  const spec = podSpec();
  spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
  spec.containers[0].resources.requests['nvidia.com/gpu'] = 1;
  spec.nodeSelector = { 'idc.kbiz.or.kr/gpu-model': model };
  return spec;
}
function namespace(labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'coop-a', labels: { 'idc.kbiz.or.kr/tenant-kind': 'cooperative', ...labels } } };
}
const grantedA100 = () => namespace({ [`${GPU_ALLOWED_LABEL_PREFIX}${A100}`]: 'true' });

/** Wraps a pod spec the way each kind carries it. */
const KINDS: Record<string, { apiVersion: string; apiGroup: string; resource: string; wrap: (spec: any) => any }> = {
  Pod: { apiVersion: 'v1', apiGroup: '', resource: 'pods', wrap: (spec) => spec },
  ReplicationController: { apiVersion: 'v1', apiGroup: '', resource: 'replicationcontrollers', wrap: (spec) => ({ replicas: 1, template: { spec } }) },
  Deployment: { apiVersion: 'apps/v1', apiGroup: 'apps', resource: 'deployments', wrap: (spec) => ({ replicas: 1, template: { metadata: { labels: { app: 'm' } }, spec } }) },
  StatefulSet: { apiVersion: 'apps/v1', apiGroup: 'apps', resource: 'statefulsets', wrap: (spec) => ({ serviceName: 'm', template: { spec } }) },
  DaemonSet: { apiVersion: 'apps/v1', apiGroup: 'apps', resource: 'daemonsets', wrap: (spec) => ({ template: { spec } }) },
  ReplicaSet: { apiVersion: 'apps/v1', apiGroup: 'apps', resource: 'replicasets', wrap: (spec) => ({ replicas: 2, template: { spec } }) },
  Job: { apiVersion: 'batch/v1', apiGroup: 'batch', resource: 'jobs', wrap: (spec) => ({ backoffLimit: 1, template: { spec } }) },
  CronJob: { apiVersion: 'batch/v1', apiGroup: 'batch', resource: 'cronjobs', wrap: (spec) => ({ schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec } } } }) },
};
function object(kind: string, spec: any): any {
  return { apiVersion: KINDS[kind].apiVersion, kind, metadata: { name: 'm', namespace: 'coop-a' }, spec: KINDS[kind].wrap(spec) };
}
const pod = (spec: any) => object('Pod', spec);
const admit = (policy: any, obj: any, ns = namespace()): Verdict => evaluatePolicy(policy, { object: obj, namespaceObject: ns });
const ADMITTED: Verdict = { allowed: true, denied: [], errors: [] };

describe('rendered guardrails', () => {
  test('three policies, each fail-closed, each bound with Deny to every tenant namespace kind', () => {
    const policies = manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([GUARDRAIL_POLICY.images, GUARDRAIL_POLICY.gpuModels, GUARDRAIL_POLICY.hostIsolation].sort());
    for (const p of policies) {
      expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(p.spec.failurePolicy).toBe('Fail');
      const binding = manifests.find((m) => m.kind === 'ValidatingAdmissionPolicyBinding' && m.spec.policyName === p.metadata.name);
      expect(binding.spec.validationActions).toEqual(['Deny', 'Audit']);
      expect(binding.spec.matchResources.namespaceSelector).toEqual({
        matchExpressions: [{ key: 'idc.kbiz.or.kr/tenant-kind', operator: 'In', values: ['cooperative', 'shared-server'] }],
      });
    }
  });

  test('the image policy lists the platform registries with a trailing slash', () => {
    expect(images().spec.validations[0].expression).toContain("['registry.idc.kbiz.or.kr/'].exists(r, c.image.startsWith(r))");
  });

  test('every message is Korean first, then English', () => {
    for (const name of Object.values(GUARDRAIL_POLICY)) {
      for (const v of policyNamed(name).spec.validations) {
        const [ko, en] = v.message.split(' / ');
        expect([ko, en]).toEqual([expect.stringMatching(/[가-힣]/), expect.stringMatching(/^[a-zA-Z][^가-힣]+$/)]);
      }
    }
  });

  test('the output is the same bytes every time', () => {
    const again = Testing.synth(new PlatformIdcStack(Testing.app(), 'idc-platform', { plan, statePath: 'p.tfstate' }));
    expect(again).toBe(platformText);
  });
});

describe(`${GUARDRAIL_POLICY.images}`, () => {
  test('admits an image of the allowed registry pinned by digest', () => {
    expect(admit(images(), pod(podSpec()))).toEqual(ADMITTED);
  });

  test.each([
    ['another registry', `docker.io/library/nginx@${DIGEST}`],
    ['no registry host (Docker Hub implied)', `nginx@${DIGEST}`],
    ['a host that only starts like the allowed one', `registry.idc.kbiz.or.kr.evil.example/coop-a/model@${DIGEST}`],
  ])('denies %s', (_, image) => {
    const spec = podSpec();
    spec.containers[0].image = image;
    const v = admit(images(), pod(spec));
    expect(v.allowed).toBe(false);
    expect(v.denied).toEqual([expect.stringMatching(/허용된 레지스트리.*registry\.idc\.kbiz\.or\.kr/)]);
  });

  test('denies an image by tag, even from the allowed registry', () => {
    const spec = podSpec();
    spec.containers[0].image = 'registry.idc.kbiz.or.kr/coop-a/model:latest';
    expect(admit(images(), pod(spec)).denied).toEqual([expect.stringMatching(/다이제스트/)]);
  });

  test('denies a bad image in an init container or an ephemeral container', () => {
    const init = podSpec();
    init.initContainers = [{ name: 'fetch', image: `docker.io/busybox@${DIGEST}` }];
    expect(admit(images(), pod(init)).allowed).toBe(false);
    const debug = podSpec();
    debug.ephemeralContainers = [{ name: 'debug', image: 'docker.io/busybox:latest' }];
    expect(admit(images(), pod(debug)).denied).toHaveLength(2);
  });
});

describe(`${GUARDRAIL_POLICY.gpuModels}`, () => {
  test('admits a GPU pod selecting a model its namespace is granted', () => {
    expect(admit(gpus(), pod(gpuPodSpec()), grantedA100())).toEqual(ADMITTED);
  });

  test('admits a pod that requests no GPU, without a GPU node selector', () => {
    expect(admit(gpus(), pod(podSpec()), namespace())).toEqual(ADMITTED);
  });

  test('denies a GPU pod selecting a model its namespace is not granted', () => {
    const v = admit(gpus(), pod(gpuPodSpec('nvidia-l40s')), grantedA100());
    expect(v.allowed).toBe(false);
    expect(v.denied).toEqual([expect.stringMatching(/허용된 GPU 모델/)]);
  });

  test('denies a GPU pod without a GPU-model node selector (it could land on any GPU node)', () => {
    const spec = gpuPodSpec();
    delete spec.nodeSelector;
    expect(admit(gpus(), pod(spec), grantedA100()).allowed).toBe(false);
  });

  test('denies a GPU pod in a namespace granted no GPU model at all', () => {
    expect(admit(gpus(), pod(gpuPodSpec()), namespace()).allowed).toBe(false);
  });

  test('denies when the grant label is present but not "true"', () => {
    expect(admit(gpus(), pod(gpuPodSpec()), namespace({ [`${GPU_ALLOWED_LABEL_PREFIX}${A100}`]: 'false' })).allowed).toBe(false);
  });

  test('denies a GPU requested in an init container, or by request without a limit', () => {
    const init = podSpec();
    init.initContainers = [{ name: 'warm', image: GOOD_IMAGE, resources: { requests: { 'nvidia.com/gpu': 1 } } }];
    expect(admit(gpus(), pod(init), grantedA100()).allowed).toBe(false);
  });

  test('denies NVIDIA_VISIBLE_DEVICES, which hands over every GPU of the node without a request', () => {
    const spec = podSpec();
    spec.containers[0].env = [{ name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' }];
    expect(admit(gpus(), pod(spec), grantedA100()).denied).toEqual([expect.stringMatching(/NVIDIA_VISIBLE_DEVICES/)]);
  });
});

describe(`${GUARDRAIL_POLICY.hostIsolation}`, () => {
  test('admits a pod that shares nothing with the host (false written out or absent)', () => {
    expect(admit(host(), pod(podSpec()))).toEqual(ADMITTED);
    const bare = podSpec();
    delete bare.hostNetwork;
    delete bare.containers[0].securityContext;
    delete bare.volumes;
    expect(admit(host(), pod(bare))).toEqual(ADMITTED);
  });

  test.each([
    ['hostNetwork', (s: any) => (s.hostNetwork = true), /호스트 네임스페이스/],
    ['hostPID', (s: any) => (s.hostPID = true), /호스트 네임스페이스/],
    ['hostIPC', (s: any) => (s.hostIPC = true), /호스트 네임스페이스/],
    ['a privileged container', (s: any) => (s.containers[0].securityContext.privileged = true), /특권/],
    ['a privileged init container', (s: any) => (s.initContainers = [{ name: 'i', image: GOOD_IMAGE, securityContext: { privileged: true } }]), /특권/],
    ['a hostPath volume', (s: any) => s.volumes.push({ name: 'root', hostPath: { path: '/' } }), /hostPath/],
    ['a host port', (s: any) => (s.containers[0].ports[0].hostPort = 8080), /hostPort/],
  ])('denies %s', (_, breakIt, message) => {
    const spec = podSpec();
    breakIt(spec);
    const v = admit(host(), pod(spec));
    expect(v.errors).toEqual([]);
    expect(v.denied).toEqual([expect.stringMatching(message)]);
  });
});

describe('pod templates of every workload kind', () => {
  const bad = () => {
    const spec = gpuPodSpec('nvidia-l40s');
    spec.containers[0].image = `docker.io/library/nginx@${DIGEST}`;
    spec.containers[0].securityContext.privileged = true;
    return spec;
  };

  test('the policies select every resource a pod can be run through, on create and update', () => {
    for (const name of Object.values(GUARDRAIL_POLICY)) {
      for (const r of POD_RESOURCES) for (const op of ['CREATE', 'UPDATE']) expect([name, r.resource, op, policyMatches(policyNamed(name), r.apiGroup, r.resource, op)]).toEqual([name, r.resource, op, true]);
    }
  });

  test.each(Object.keys(KINDS))('%s: matched, compliant template admitted, violating template denied by each policy', (kind) => {
    const k = KINDS[kind];
    for (const name of Object.values(GUARDRAIL_POLICY)) {
      const policy = policyNamed(name);
      expect(policyMatches(policy, k.apiGroup, k.resource, 'CREATE')).toBe(true);
      expect([name, admit(policy, object(kind, gpuPodSpec()), grantedA100())]).toEqual([name, ADMITTED]);
      const v = admit(policy, object(kind, bad()), grantedA100());
      expect([name, v.allowed, v.errors]).toEqual([name, false, []]);
    }
  });
});

describe('what the renderer deploys passes its own guardrails', () => {
  let dir: string;
  let stacks: { stack: string; json: any }[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'idc-admission-'));
    stacks = synthesizeIdc(plan, dir).map((s) => ({ stack: s.stack, json: JSON.parse(readFileSync(join(dir, s.file), 'utf8')) }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The fields of a rendered Deployment the guardrails read, in API shape. */
  function toApiPod(d: any): any {
    const s = d.spec.template.spec;
    return {
      containers: s.container.map((c: any) => ({
        name: c.name,
        image: c.image,
        resources: c.resources,
        securityContext: { privileged: c.security_context.privileged },
        ports: c.port.map((p: any) => ({ containerPort: p.container_port })),
      })),
      hostNetwork: s.host_network,
      hostPID: s.host_pid,
      hostIPC: s.host_ipc,
      ...(s.node_selector ? { nodeSelector: s.node_selector } : {}),
      volumes: s.volume.map((v: any) => ({ name: v.name, ...(v.empty_dir ? { emptyDir: {} } : {}) })),
    };
  }

  test('every model and shared-server Deployment is admitted in its namespace, GPU models included', () => {
    let checked = 0;
    let gpu = 0;
    for (const { json } of stacks) {
      const namespaces = Object.values(json.resource.kubernetes_namespace_v1 ?? {}).map((n: any) => ({ metadata: n.metadata }));
      for (const d of Object.values(json.resource.kubernetes_deployment_v1 ?? {}) as any[]) {
        const ns = namespaces.find((n) => n.metadata.name === d.metadata.namespace);
        const spec = toApiPod(d);
        if (spec.nodeSelector) gpu++;
        for (const name of Object.values(GUARDRAIL_POLICY)) {
          expect([d.metadata.name, name, evaluatePolicy(policyNamed(name), { object: object('Deployment', spec), namespaceObject: ns })]).toEqual([d.metadata.name, name, ADMITTED]);
        }
        checked++;
      }
    }
    const models = plan.cooperatives.reduce((n, c) => n + (c.idc?.models.length ?? 0), 0) + plan.platform.idc.sharedServers.length;
    expect(checked).toBe(models);
    expect(gpu).toBe(plan.cooperatives.reduce((n, c) => n + (c.idc?.models.filter((m) => m.gpu).length ?? 0), 0));
    expect(gpu).toBeGreaterThan(0);
  });
});

describe('TenantNamespace GPU grants', () => {
  const labelsOf = (gpus: Record<string, number>) => {
    const stack = new TerraformStack(Testing.app(), 't');
    new TenantNamespace(stack, 'Ns', { name: 'coop-a', labels: {}, quota: { cpuMillis: 1000, memoryBytes: 2 ** 30, storageBytes: 0, pods: 5, services: 1, pvcs: 0, gpus } });
    const ns: any = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_namespace_v1)[0];
    return Object.fromEntries(Object.entries(ns.metadata.labels).filter(([k]) => k.startsWith(GPU_ALLOWED_LABEL_PREFIX)));
  };

  test('labels the namespace with each GPU model its quota grants', () => {
    expect(labelsOf({ 'nvidia-l40s': 2, [A100]: 1 })).toEqual({ [`${GPU_ALLOWED_LABEL_PREFIX}${A100}`]: 'true', [`${GPU_ALLOWED_LABEL_PREFIX}nvidia-l40s`]: 'true' });
  });

  test('grants no model with a quota of 0, and none without GPUs', () => {
    expect(labelsOf({ [A100]: 0 })).toEqual({});
    expect(labelsOf({})).toEqual({});
  });
});
