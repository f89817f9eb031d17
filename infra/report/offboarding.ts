/**
 * The offboarding evidence of the audit report: for each cooperative that is leaving or
 * has left, each step of docs/runbook-offboarding.md with what shows it was done, read from
 * the plan and, where the synthesized output is present, from the cooperative's own stack
 * (no grant, function, endpoint or queue left in it). PIPA art. 21 (destruction) cites it.
 */
import { formatBytes, formatCpu } from '../config/quantity';
import type { CheckStatus } from '../checks/findings';
import type { TenancyPlan } from '../plan/types';

/** One step of an offboarding and its evidence. */
export interface OffboardingStep {
  /** Stable id: `grants-revoked`, `ingestion-removed`, `data-read-only`, `shared-copies-expired`, `idc-scaled-to-zero`, `removed`. */
  readonly step: string;
  readonly title: { readonly ko: string; readonly en: string };
  /** `fail` when the plan or the synthesized stack contradicts the step. */
  readonly status: CheckStatus;
  readonly evidence: string;
}

/** A cooperative leaving (offboarding) or gone (removed) and its steps. */
export interface OffboardingReport {
  readonly id: string;
  readonly name: { readonly ko: string; readonly en: string };
  readonly source: string;
  readonly status: 'offboarding' | 'removed';
  readonly since: string;
  readonly retainUntil: string;
  /** The day its zones' objects expire (expired, once removed). */
  readonly expiresOn: string;
  readonly steps: readonly OffboardingStep[];
}

/** Resource types an offboarding cooperative's stack must no longer hold. */
export const REVOKED_RESOURCE_TYPES = {
  grants: ['AWS::LakeFormation::PrincipalPermissions'],
  ingestion: ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Api', 'AWS::SQS::Queue', 'Custom::S3BucketNotifications'],
} as const;

/**
 * The offboarding sections, sorted by id. `cloudTypesOf` gives the resource types of the
 * cooperative's synthesized stacks; undefined when there is no cloud output (the steps then
 * rest on the plan alone, and say so).
 */
export function offboardingOf(plan: TenancyPlan, cloudTypesOf?: (cooperative: string) => readonly string[]): OffboardingReport[] {
  const out: OffboardingReport[] = [];
  for (const c of plan.cooperatives) {
    const l = c.lifecycle;
    if (!l) continue;
    const types = cloudTypesOf?.(c.id);
    const left = (kinds: readonly string[]) => (types ?? []).filter((t) => kinds.includes(t));
    const fromStack = (kinds: readonly string[], what: string) => {
      if (!types) return { ok: true, text: ' (no cloud output: from the plan only)' };
      const found = left(kinds);
      return found.length ? { ok: false, text: `; but its stack still holds ${found.join(', ')}` } : { ok: true, text: `; its stack holds no ${what}` };
    };
    const grantsLeft = plan.grants.filter((g) => g.cooperative === c.id);
    const g = fromStack(REVOKED_RESOURCE_TYPES.grants, 'Lake Formation grant');
    const i = fromStack(REVOKED_RESOURCE_TYPES.ingestion, 'function, API, queue or bucket notification');
    const revoked = l.revoked.map((r) => `${r.consumer} ← ${r.dataset} (${r.level}, ${r.table}; ${r.source})`);
    const idc = c.idc;
    const quotaZero = !idc || (idc.quota.cpuMillis === 0 && idc.quota.memoryBytes === 0 && idc.quota.pods === 0 && Object.values(idc.quota.gpus).every((n) => n === 0));
    const replicasZero = !idc || idc.models.every((m) => m.replicas === 0 && !m.autoscale);
    out.push({
      id: c.id,
      name: c.name,
      source: c.source,
      status: 'offboarding',
      since: l.since,
      retainUntil: l.retainUntil,
      expiresOn: l.expiresOn,
      steps: [
        step('grants-revoked', '제공 권한 회수', 'Sharing grants revoked', grantsLeft.length === 0 && g.ok,
          `${l.revoked.length} agreement(s) revoked${revoked.length ? `: ${revoked.join('; ')}` : ''}; the plan grants nothing of ${c.id}${grantsLeft.length ? ` — BUT still grants ${grantsLeft.length}` : ''}${g.text}`),
        step('ingestion-removed', '수집 중단', 'Ingestion removed', i.ok,
          `no ingestion functions, push endpoint, queue or bucket notifications; no uploader or ingestion role${i.text}`),
        step('data-read-only', '읽기 전용 보존 후 만료', 'Data read-only, then expired', true,
          `zones ${Object.values(c.cloud.buckets).join(', ')} readable by ${c.cloud.roles.admin} only, until ${l.retainUntil}; every object expires on ${l.expiresOn} (00:00 UTC, lifecycle rule offboarding-retain-until), superseded versions and delete markers after the buckets' noncurrent-version days`),
        step('shared-copies-expired', '공유 영역 사본 만료', 'Shared-zone copies expired', true,
          l.sharedPrefixes.length ? `${l.sharedPrefixes.map((p) => `s3://${p.bucket}/${p.prefix}`).join(', ')} expire from ${l.since} (lifecycle rules offboarded-<table>); their tables are deleted` : 'no copies in the shared zone'),
        step('idc-scaled-to-zero', 'IDC 작업 0으로 축소', 'IDC scaled to zero', quotaZero && replicasZero,
          idc
            ? `namespace ${idc.namespace} kept with quota cpu ${formatCpu(idc.quota.cpuMillis)}, memory ${formatBytes(idc.quota.memoryBytes)}, pods ${idc.quota.pods}, no GPUs; models at 0 replicas: ${l.scaledToZero.join(', ') || '-'}; volumes and their data kept`
            : 'no IDC tenancy',
        ),
      ],
    });
  }
  for (const r of plan.removed ?? []) {
    out.push({
      id: r.id,
      name: r.name,
      source: r.source,
      status: 'removed',
      since: r.since,
      retainUntil: r.retainUntil,
      expiresOn: r.expiredOn,
      steps: [
        step('removed', '삭제 완료', 'Removed', true,
          `nothing is rendered for ${r.id}: its objects expired on ${r.expiredOn}; destroy its stacks as docs/runbook-offboarding.md says (the retained key and emptied buckets stay until deleted by hand); the file may now be deleted`),
      ],
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function step(id: string, ko: string, en: string, ok: boolean, evidence: string): OffboardingStep {
  return { step: id, title: { ko, en }, status: ok ? 'pass' : 'fail', evidence };
}
