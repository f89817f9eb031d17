/**
 * How each model rolls out, decided from the namespace quota. A surge pod (maxSurge 1,
 * maxUnavailable 0) keeps every replica serving during an update, but it is one more pod
 * the quota must admit: without room, the API server refuses it and the rollout stalls.
 * So a model surges only when the quota, with every model at its maximum replicas, still
 * has room for one more pod of it (CPU, memory, pods and GPUs of its model); otherwise it
 * stops one pod before starting its replacement, which for a one-replica model means a
 * short outage on every update. The plan says which, and what the quota lacks.
 */
import { formatBytes, formatCpu } from '../config/quantity';
import type { QuotaPlan, RolloutPlan } from './types';

export type { RolloutPlan } from './types';

/** What the decision reads of a model. */
export interface RolloutModel {
  readonly name: string;
  /** Replicas at most (`autoscale.max`, else `replicas`). */
  readonly maxReplicas: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly gpu?: { readonly model: string; readonly count: number };
}

/** The rollout of each model of one namespace, by model name. */
export function planRollouts(quota: QuotaPlan, models: readonly RolloutModel[]): Map<string, RolloutPlan> {
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  const gpus = new Map<string, number>();
  for (const m of models) {
    cpu += m.cpuMillis * m.maxReplicas;
    memory += m.memoryBytes * m.maxReplicas;
    pods += m.maxReplicas;
    if (m.gpu) gpus.set(m.gpu.model, (gpus.get(m.gpu.model) ?? 0) + m.gpu.count * m.maxReplicas);
  }
  const out = new Map<string, RolloutPlan>();
  for (const m of models) {
    const missing: string[] = [];
    const over = (used: number, extra: number, limit: number) => Math.max(0, used + extra - limit);
    const c = over(cpu, m.cpuMillis, quota.cpuMillis);
    if (c) missing.push(`${formatCpu(c)} CPU`);
    const mem = over(memory, m.memoryBytes, quota.memoryBytes);
    if (mem) missing.push(`${formatBytes(mem)} memory`);
    const p = over(pods, 1, quota.pods);
    if (p) missing.push(`${p} pod${p === 1 ? '' : 's'}`);
    if (m.gpu) {
      // Own keys only: a GPU model named like an Object.prototype member must not read one.
      const g = over(gpus.get(m.gpu.model) ?? 0, m.gpu.count, Object.hasOwn(quota.gpus, m.gpu.model) ? quota.gpus[m.gpu.model] : 0);
      if (g) missing.push(`${g} ${m.gpu.model} GPU${g === 1 ? '' : 's'}`);
    }
    out.set(m.name, missing.length ? { maxSurge: 0, maxUnavailable: 1, headroom: false, missing } : { maxSurge: 1, maxUnavailable: 0, headroom: true });
  }
  return out;
}
