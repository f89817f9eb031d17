import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { formatBytes, formatCpu } from '../config/quantity';
import type { TenantNamespace } from './tenant-namespace';
import { GPU_MODEL_LABEL, GPU_RESOURCE, LABELS, MANAGED_BY, podLabelsFor } from './labels';

/** Props of {@link ModelServing}. */
export interface ModelServingProps {
  readonly namespace: TenantNamespace;
  /** Deployment and Service name (a DNS label), from the plan. */
  readonly name: string;
  /** Image pinned by digest (`repo@sha256:...`); the config schema rejects tags. */
  readonly image: string;
  readonly replicas: number;
  readonly port: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  /**
   * GPUs per replica and their model.
   * @default - no GPU; scheduled on any node
   */
  readonly gpu?: { readonly model: string; readonly count: number };
  /**
   * `app.kubernetes.io/component` of the workload.
   * @default 'model-serving'
   */
  readonly component?: string;
  /**
   * UID and GID the container runs as. Images declaring a non-numeric `USER` cannot be
   * verified as non-root by the kubelet, so a numeric id is always set.
   * @default - 25000 / 26000 (the cdk8s-plus defaults)
   */
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  /**
   * Size of the writable scratch volume mounted at /tmp (the root filesystem is read-only).
   * @default 1Gi
   */
  readonly scratchBytes?: number;
  /**
   * Rolling-update parameters, decided by the plan from the room the quota leaves
   * (plan/rollout.ts): one surge pod when it fits, else one pod down at a time.
   * @default - GPU models: maxSurge 0, maxUnavailable 1 (never needs GPUs beyond the quota); others: Kubernetes' default
   */
  readonly rollout?: { readonly maxSurge: 0 | 1; readonly maxUnavailable: 0 | 1 };
  /**
   * Scale on CPU use with a HorizontalPodAutoscaler; `replicas` is the count at creation.
   * @default - a fixed replica count owned by Terraform
   */
  readonly autoscale?: { readonly min: number; readonly max: number; readonly cpuPercent: number };
  /**
   * Secrets (in the namespace, provisioned by the platform team) the pods pull images with.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * A served AI model (or a shared server): a Deployment under the restricted Pod Security
 * profile with requests equal to limits, a ClusterIP Service and a PodDisruptionBudget.
 * GPU pods are pinned to nodes of their GPU model. Rollouts surge only where the plan found
 * room in the quota, so an update never needs more than the tenant's quota.
 */
export class ModelServing extends Construct {
  /** Labels selecting the workload's pods, for network policies in other namespaces. */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ModelServingProps) {
    super(scope, id);
    const ns = props.namespace.name;
    const component = props.component ?? 'model-serving';
    const uid = String(props.runAsUser ?? 25000);
    const gid = String(props.runAsGroup ?? 26000);
    const scratch = formatBytes(props.scratchBytes ?? 2 ** 30);
    this.podLabels = podLabelsFor(props.name);
    const labels = { ...this.podLabels, [LABELS.component]: component, [LABELS.managedBy]: MANAGED_BY };
    const dependsOn = [props.namespace.resource];

    // Guaranteed QoS: requests = limits, so a model never loses memory it was promised.
    const resources: Record<string, string> = { cpu: formatCpu(props.cpuMillis), memory: formatBytes(props.memoryBytes) };
    if (props.gpu) resources[GPU_RESOURCE] = String(props.gpu.count);
    const probe = { tcpSocket: [{ port: String(props.port) }] };
    const rollout = props.rollout ?? (props.gpu ? { maxSurge: 0, maxUnavailable: 1 } : undefined);
    if (rollout && rollout.maxSurge === 0 && rollout.maxUnavailable === 0) {
      throw new Error(`${this.node.path}: maxSurge and maxUnavailable cannot both be 0 (the rollout could never progress)`);
    }

    const deployment = new DeploymentV1(this, 'Deployment', {
      metadata: { name: props.name, namespace: ns, labels },
      spec: {
        replicas: String(props.replicas),
        selector: { matchLabels: { ...this.podLabels } },
        strategy: rollout ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: String(rollout.maxSurge), maxUnavailable: String(rollout.maxUnavailable) } } : undefined,
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            imagePullSecrets: props.imagePullSecrets?.length ? props.imagePullSecrets.map((name) => ({ name })) : undefined,
            hostNetwork: false,
            hostPid: false,
            hostIpc: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: uid,
              runAsGroup: gid,
              fsGroup: gid,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            nodeSelector: props.gpu ? { [GPU_MODEL_LABEL]: props.gpu.model } : undefined,
            toleration: props.gpu ? [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }] : undefined,
            container: [
              {
                name: props.name,
                image: props.image,
                // MTB-PL1-CC-DI-1: the registry checks the pod's pull credentials on every start,
                // so a tenant cannot run another tenant's private image from a node's cache.
                imagePullPolicy: 'Always',
                port: [{ name: 'serving', containerPort: props.port, protocol: 'TCP' }],
                resources: { requests: { ...resources }, limits: { ...resources } },
                securityContext: {
                  runAsNonRoot: true,
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                // Large models take minutes to load: the startup probe holds liveness off for up to 10 minutes.
                startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 60 },
                readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
                volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volume: [{ name: 'tmp', emptyDir: { sizeLimit: scratch } }],
          },
        },
      },
      dependsOn,
      // Once created, the autoscaler owns the replica count: an apply must not reset it.
      lifecycle: props.autoscale ? { ignoreChanges: ['spec[0].replicas'] } : undefined,
    });

    if (props.autoscale) {
      new HorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: props.name, namespace: ns, labels },
        spec: {
          minReplicas: props.autoscale.min,
          maxReplicas: props.autoscale.max,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          // Utilization is relative to the request, which equals the limit here.
          metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscale.cpuPercent } } }],
        },
        dependsOn: [deployment],
      });
    }

    new ServiceV1(this, 'Service', {
      metadata: { name: props.name, namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.podLabels },
        port: [{ name: 'serving', port: props.port, targetPort: String(props.port), protocol: 'TCP' }],
      },
      dependsOn,
    });

    // maxUnavailable (not minAvailable) so a single-replica model never blocks a node drain.
    new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: { name: props.name, namespace: ns, labels },
      spec: { maxUnavailable: '1', selector: { matchLabels: { ...this.podLabels } } },
      dependsOn,
    });
  }
}
