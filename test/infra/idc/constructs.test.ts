import { TerraformStack, Testing } from 'cdktf';
import { DefaultServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/default-service-account-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { Construct } from 'constructs';
import type { QuotaPlan } from '../../../infra';
import {
  CooperativeIdcStack,
  GPU_MODEL_LABEL,
  KubernetesStack,
  ModelServing,
  NamespaceAdmin,
  PlatformIdcStack,
  TenantNamespace,
  TenantNetworkPolicies,
} from '../../../infra/idc';
import { compileAt, sampleSources } from '../../support/config';

const GI = 2 ** 30;
const QUOTA: QuotaPlan = { cpuMillis: 8000, memoryBytes: 32 * GI, storageBytes: 500 * GI, pods: 20, services: 10, pvcs: 10, gpus: {} };
const IMAGE = `registry.example/model@sha256:${'ab'.repeat(32)}`;

/** Synthesizes whatever `build` puts into a fresh stack and returns the JSON text and parsed resources. */
function synth(build: (scope: Construct) => void): { text: string; resources: Record<string, Record<string, any>> } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  const text = Testing.synth(stack);
  return { text, resources: JSON.parse(text).resource };
}
const only = (resources: Record<string, Record<string, any>>, type: string) => {
  const all = Object.values(resources[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};

describe('TenantNamespace', () => {
  describe('defaults', () => {
    const { text, resources } = synth((s) => new TenantNamespace(s, 'Ns', { name: 'coop-a', labels: { 'idc.kbiz.or.kr/cooperative': 'a' }, quota: QUOTA }));

    test('labels the namespace with the tenant and Pod Security Admission restricted', () => {
      expect(
        Testing.toHaveResourceWithProperties(text, NamespaceV1.tfResourceType, {
          metadata: { name: 'coop-a', labels: { 'idc.kbiz.or.kr/cooperative': 'a', 'pod-security.kubernetes.io/enforce': 'restricted' } },
        }),
      ).toBe(true);
    });

    test('renders the quota from the plan and denies GPUs, node ports and load balancers', () => {
      expect(only(resources, ResourceQuotaV1.tfResourceType).spec.hard).toEqual({
        'requests.cpu': '8',
        'limits.cpu': '8',
        'requests.memory': '32Gi',
        'limits.memory': '32Gi',
        'requests.storage': '500Gi',
        persistentvolumeclaims: '10',
        pods: '20',
        services: '10',
        'services.nodeports': '0',
        'services.loadbalancers': '0',
        'requests.nvidia.com/gpu': '0',
      });
    });

    test('gives containers default requests and limits, capped by the quota', () => {
      const [container, pvc] = only(resources, LimitRangeV1.tfResourceType).spec.limit;
      expect(container).toEqual({ type: 'Container', default_request: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' }, max: { cpu: '8', memory: '32Gi' } });
      expect(pvc).toEqual({ type: 'PersistentVolumeClaim', max: { storage: '500Gi' } });
    });

    test('the default ServiceAccount mounts no token and waits for the namespace', () => {
      const sa = only(resources, DefaultServiceAccountV1.tfResourceType);
      expect(sa.automount_service_account_token).toBe(false);
      expect(sa.depends_on).toEqual(['kubernetes_namespace_v1.Ns_33A06F6E']);
    });
  });

  describe('custom config', () => {
    test('sums GPUs over models and caps defaults below a tiny quota', () => {
      const { resources } = synth(
        (s) =>
          new TenantNamespace(s, 'Ns', {
            name: 'coop-b',
            labels: {},
            quota: { ...QUOTA, cpuMillis: 250, gpus: { 'nvidia-a100-80gb': 2, 'nvidia-l40s': 3 } },
            containerDefaults: { requestCpuMillis: 50, requestMemoryBytes: 64 * 2 ** 20, limitCpuMillis: 1000, limitMemoryBytes: GI },
          }),
      );
      expect(only(resources, ResourceQuotaV1.tfResourceType).spec.hard['requests.nvidia.com/gpu']).toBe('5');
      const [container] = only(resources, LimitRangeV1.tfResourceType).spec.limit;
      expect(container.default).toEqual({ cpu: '250m', memory: '1Gi' });
      expect(container.default_request).toEqual({ cpu: '50m', memory: '64Mi' });
    });

    test('omits the PVC limit when the quota allows no storage', () => {
      const { resources } = synth((s) => new TenantNamespace(s, 'Ns', { name: 'coop-c', labels: {}, quota: { ...QUOTA, storageBytes: 0 } }));
      expect(only(resources, LimitRangeV1.tfResourceType).spec.limit.map((l: any) => l.type)).toEqual(['Container']);
    });
  });
});

describe('TenantNetworkPolicies', () => {
  test('defaults: deny all, allow the namespace itself and cluster DNS, nothing else', () => {
    const { resources } = synth((s) => new TenantNetworkPolicies(s, 'Np', { namespace: new TenantNamespace(s, 'Ns', { name: 'coop-a', labels: {}, quota: QUOTA }), dnsNamespace: 'kube-system' }));
    const byName = Object.fromEntries(Object.values(resources[NetworkPolicyV1.tfResourceType]).map((p: any) => [p.metadata.name, p.spec]));
    expect(Object.keys(byName).sort()).toEqual(['allow-cluster-dns', 'allow-same-namespace', 'default-deny']);
    expect(byName['default-deny']).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    expect(byName['allow-cluster-dns'].egress[0].to[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
  });

  test('custom: egress to a shared server and ingress from named namespaces only', () => {
    const { resources } = synth((s) => {
      const namespace = new TenantNamespace(s, 'Ns', { name: 'shared-x', labels: {}, quota: QUOTA });
      new TenantNetworkPolicies(s, 'Np', {
        namespace,
        dnsNamespace: 'kube-system',
        egressTo: [{ id: 'x', namespace: 'shared-y', podLabels: { app: 'y' }, port: 8443 }],
        ingressFrom: [
          { id: 'subscribers', namespaces: ['coop-b', 'coop-a'], podLabels: { app: 'x' }, port: 8080 },
          { id: 'nobody', namespaces: [], podLabels: { app: 'x' }, port: 8080 },
        ],
      });
    });
    const byName = Object.fromEntries(Object.values(resources[NetworkPolicyV1.tfResourceType]).map((p: any) => [p.metadata.name, p.spec]));
    expect(byName['allow-egress-x'].egress[0]).toEqual({
      to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'shared-y' } }, pod_selector: { match_labels: { app: 'y' } } }],
      ports: [{ protocol: 'TCP', port: '8443' }],
    });
    expect(byName['allow-ingress-subscribers'].ingress[0].from[0].namespace_selector.match_expressions[0]).toEqual({ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['coop-a', 'coop-b'] });
    expect(byName['allow-ingress-nobody']).toBeUndefined();
  });
});

describe('NamespaceAdmin', () => {
  const { resources } = synth((s) => new NamespaceAdmin(s, 'Admin', { namespace: new TenantNamespace(s, 'Ns', { name: 'coop-a', labels: {}, quota: QUOTA }), group: 'coop-a-admins' }));

  test('grants a namespaced Role with no wildcards', () => {
    const role = only(resources, RoleV1.tfResourceType);
    expect(role.metadata.namespace).toBe('coop-a');
    expect(JSON.stringify(role.rule)).not.toContain('*');
    expect(resources.kubernetes_cluster_role_v1).toBeUndefined();
  });

  test('binds the admin group to the Role, not a ClusterRole', () => {
    const binding = only(resources, RoleBindingV1.tfResourceType);
    expect(binding.role_ref).toEqual({ api_group: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-admin' });
    expect(binding.subject).toEqual([{ kind: 'Group', name: 'coop-a-admins', api_group: 'rbac.authorization.k8s.io' }]);
  });
});

describe('ModelServing', () => {
  const base = { name: 'predictor', image: IMAGE, replicas: 2, port: 8080, cpuMillis: 4000, memoryBytes: 16 * GI };

  describe('defaults (no GPU)', () => {
    const { resources } = synth((s) => new ModelServing(s, 'Model', { namespace: new TenantNamespace(s, 'Ns', { name: 'coop-a', labels: {}, quota: QUOTA }), ...base }));
    const pod = () => only(resources, DeploymentV1.tfResourceType).spec.template.spec;

    test('runs under the restricted profile with a read-only root filesystem', () => {
      const c = pod().container[0];
      expect(c.security_context).toEqual({
        run_as_non_root: true,
        privileged: false,
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        capabilities: { drop: ['ALL'] },
        seccomp_profile: { type: 'RuntimeDefault' },
      });
      expect(pod().security_context).toMatchObject({ run_as_non_root: true, run_as_user: '25000', seccomp_profile: { type: 'RuntimeDefault' } });
      expect(pod().automount_service_account_token).toBe(false);
      expect(c.volume_mount).toEqual([{ name: 'tmp', mount_path: '/tmp' }]);
    });

    test('sets requests equal to limits, probes and an image pulled by digest', () => {
      const c = pod().container[0];
      expect(c.resources.requests).toEqual({ cpu: '4', memory: '16Gi' });
      expect(c.resources.limits).toEqual(c.resources.requests);
      expect(c.image).toBe(IMAGE);
      expect(c.image_pull_policy).toBe('Always');
      expect(c.startup_probe.tcp_socket).toEqual([{ port: '8080' }]);
      expect(c.readiness_probe).toBeDefined();
      expect(c.liveness_probe).toBeDefined();
      expect(pod().node_selector).toBeUndefined();
    });

    test('exposes a ClusterIP Service and a PodDisruptionBudget that never blocks drains', () => {
      expect(only(resources, ServiceV1.tfResourceType).spec.type).toBe('ClusterIP');
      expect(only(resources, PodDisruptionBudgetV1.tfResourceType).spec.max_unavailable).toBe('1');
    });
  });

  describe('custom config (GPU, user)', () => {
    const { resources } = synth(
      (s) =>
        new ModelServing(s, 'Model', {
          namespace: new TenantNamespace(s, 'Ns', { name: 'coop-a', labels: {}, quota: QUOTA }),
          ...base,
          gpu: { model: 'nvidia-l40s', count: 2 },
          runAsUser: 1001,
          runAsGroup: 1001,
          scratchBytes: 8 * GI,
        }),
    );
    const deployment = () => only(resources, DeploymentV1.tfResourceType);

    test('requests GPUs equal to limits and pins the pods to nodes of the GPU model', () => {
      const pod = deployment().spec.template.spec;
      expect(pod.container[0].resources.requests['nvidia.com/gpu']).toBe('2');
      expect(pod.container[0].resources.limits['nvidia.com/gpu']).toBe('2');
      expect(pod.node_selector).toEqual({ [GPU_MODEL_LABEL]: 'nvidia-l40s' });
      expect(pod.toleration).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
      expect(pod.security_context.run_as_user).toBe('1001');
      expect(pod.volume[0].empty_dir.size_limit).toBe('8Gi');
    });

    test('rolls out without surge so an update needs no GPUs beyond the quota', () => {
      expect(deployment().spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '0', max_unavailable: '1' } });
    });
  });
});

describe('stacks', () => {
  const plan = compileAt(sampleSources()).plan!;
  const machinery = plan.cooperatives.find((c) => c.id === 'korea-machinery')!;
  const { dnsNamespace, sharedServers } = plan.platform.idc;

  test('KubernetesStack: relative local backend, provider configured only through variables', () => {
    const app = Testing.app();
    const stack = new KubernetesStack(app, 's', { statePath: '../state/s.tfstate' });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend).toEqual({ local: { path: '../state/s.tfstate' } });
    expect(json.terraform.required_version).toBe('>= 1.5.0');
    expect(json.provider.kubernetes).toEqual([{ config_path: '${var.kubeconfig_path}', config_context: '${var.kubeconfig_context}' }]);
    expect(json.variable.kubeconfig_path.default).toBe('~/.kube/config');
  });

  test('KubernetesStack fails when the state path is absolute', () => {
    expect(() => new KubernetesStack(Testing.app(), 's', { statePath: '/home/me/s.tfstate' })).toThrow(/statePath must be relative.*\/home\/me\/s.tfstate/);
  });

  test('CooperativeIdcStack pins the logical ids of its stateful resources', () => {
    const app = Testing.app();
    const stack = new CooperativeIdcStack(app, 'coop-korea-machinery', { cooperative: machinery, dnsNamespace, sharedServers, statePath: 'x.tfstate' });
    const r = JSON.parse(Testing.synth(stack)).resource;
    // Renaming these replaces the namespace (and with it every workload and PVC in it).
    expect(Object.keys(r.kubernetes_namespace_v1)).toEqual(['Namespace_9B63B8C8']);
    expect(Object.keys(r.kubernetes_deployment_v1)).toEqual(['Model-spindle-failure-predictor_Deployment_FD329F05']);
  });

  test('CooperativeIdcStack fails for a cooperative without IDC and for an unknown shared server', () => {
    const federation = plan.cooperatives.find((c) => !c.idc)!;
    expect(() => new CooperativeIdcStack(Testing.app(), 'x', { cooperative: federation, dnsNamespace, sharedServers, statePath: 'x' })).toThrow(/has no idc section/);
    expect(() => new CooperativeIdcStack(Testing.app(), 'y', { cooperative: machinery, dnsNamespace, sharedServers: [], statePath: 'y' })).toThrow(/unknown shared server "machinery-common-data"/);
  });

  test('PlatformIdcStack admits only subscribers to each shared server', () => {
    const stack = new PlatformIdcStack(Testing.app(), 'idc-platform', { plan, statePath: 'p.tfstate' });
    const policies = Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_network_policy_v1) as any[];
    const ingress = policies.filter((p) => p.metadata.name === 'allow-ingress-subscribers');
    expect(Object.fromEntries(ingress.map((p) => [p.metadata.namespace, p.spec.ingress[0].from[0].namespace_selector.match_expressions[0].values]))).toEqual({
      'shared-food-traceability': ['coop-korea-food'],
      'shared-machinery-common-data': ['coop-korea-machinery'],
    });
  });
});
