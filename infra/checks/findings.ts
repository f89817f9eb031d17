/**
 * The one format every check writes its results in, whatever ran it (cdk-nag packs, our
 * Korean-law rules, the Kubernetes conformance checks, capacity). The build fails on any
 * `fail`; the audit report reads these files as evidence and never recomputes them.
 */

/** Outcome of one rule on one resource. */
export type CheckStatus = 'pass' | 'fail' | 'acknowledged';

/** One rule evaluated on one resource. */
export interface CheckFinding {
  /** Rule pack: `AwsSolutions`, `NIST.800.53.R5`, `KoreaLaw`, `K8sConformance`, `Capacity`. */
  readonly pack: string;
  /** Rule id within the pack, e.g. `AwsSolutions-S1`, `KR-CMK`, `CIS-5.1.3`. */
  readonly rule: string;
  /** Controls the rule implements, e.g. `ISMS-P 2.7.1`, `PIPA art. 28-4`, `CIS 5.1.3`. */
  readonly controls: readonly string[];
  readonly status: CheckStatus;
  /** The cooperative the resource belongs to; absent for platform resources. */
  readonly cooperative?: string;
  /** Stack (CloudFormation or Terraform) holding the resource. */
  readonly stack: string;
  /** Construct path or Terraform address of the resource. */
  readonly resource: string;
  /** What was found. */
  readonly message: string;
  /** How to fix it, for failures. */
  readonly fix?: string;
  /** Why it is accepted, for acknowledgements: written for an auditor. */
  readonly reason?: string;
}

/** The fields that order findings, most significant first. */
const ORDER = ['pack', 'rule', 'stack', 'resource', 'status', 'message'] as const;

/** Orders findings so check files are byte-identical across runs. */
export function compareFindings(a: CheckFinding, b: CheckFinding): number {
  // Field by field, which orders exactly as comparing the NUL-joined keys below, without
  // building two strings per comparison (sorting 500,000 findings makes ~20 million): the
  // first differing field decides, and NUL sorts below every other character. Only a field
  // holding NUL itself could order differently; then the joined keys decide.
  for (const field of ORDER) {
    const x = a[field] ?? '';
    const y = b[field] ?? '';
    if (x === y) continue;
    if (x.includes('\u0000') || y.includes('\u0000')) break;
    return x < y ? -1 : 1;
  }
  const key = (f: CheckFinding) => ORDER.map((field) => f[field]).join('\u0000');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Counts by status. */
export function summarizeFindings(findings: readonly CheckFinding[]): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { pass: 0, fail: 0, acknowledged: 0 };
  for (const f of findings) out[f.status]++;
  return out;
}

/** One line per failure, for the build log: rule, cooperative, resource, fix. */
export function formatFailure(f: CheckFinding): string {
  return `${f.pack} ${f.rule} ${f.cooperative ?? 'platform'} ${f.stack}/${f.resource}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;
}
