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

/** Format of the check files this version writes (1: every finding in full, passes too). */
export const CHECK_FILE_FORMAT = 2;

/**
 * Passes of one rule on one stack that differ only in the resource: one entry, the
 * resources listed once. Every other field of the findings it stands for is kept.
 */
export interface PassGroup {
  readonly pack: string;
  readonly rule: string;
  readonly controls: readonly string[];
  readonly cooperative?: string;
  readonly stack: string;
  readonly message: string;
  /** How many passes: the length of `resources`, stated so a reader can check it. */
  readonly count: number;
  /** Construct paths or Terraform addresses, sorted. */
  readonly resources: readonly string[];
  readonly [field: string]: unknown;
}

/** A check file, `checks/<name>.json`: failures and acknowledgements in full, passes counted. */
export interface CheckFile {
  readonly format: typeof CHECK_FILE_FORMAT;
  /** Every failure and acknowledgement, sorted (compareFindings). */
  readonly findings: readonly CheckFinding[];
  /** Passes per rule, stack and message, sorted by pack, rule, stack, message. */
  readonly passes: readonly PassGroup[];
}

/**
 * The check file of a list of findings. Lossless: {@link expandCheckFile} gives every
 * finding back. At 1,000 cooperatives ~95 % of findings are passes of a few hundred rules,
 * each repeating pack, rule, controls and message per resource.
 */
export function compactFindings(findings: readonly CheckFinding[]): CheckFile {
  const kept: CheckFinding[] = [];
  const groups = new Map<string, { fields: Record<string, unknown>; resources: string[] }>();
  for (const f of findings) {
    if (f.status !== 'pass') {
      kept.push(f);
      continue;
    }
    const { status: _s, resource, ...fields } = f;
    const key = JSON.stringify(Object.entries(fields).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    const g = groups.get(key);
    if (g) g.resources.push(resource);
    else groups.set(key, { fields, resources: [resource] });
  }
  const passes = [...groups.values()]
    .map(({ fields, resources }): PassGroup => {
      const { pack, rule, controls, cooperative, stack, message, ...rest } = fields as unknown as CheckFinding & Record<string, unknown>;
      return { pack, rule, controls, ...(cooperative !== undefined ? { cooperative } : {}), stack, message, ...rest, count: resources.length, resources: resources.sort() };
    })
    .sort((a, b) => compareFindings({ ...a, status: 'pass', resource: '' }, { ...b, status: 'pass', resource: '' }) || cmpText(JSON.stringify(a), JSON.stringify(b)));
  return { format: CHECK_FILE_FORMAT, findings: kept.sort(compareFindings), passes };
}

/**
 * Every finding of a parsed check file, of this format or the first (`{ findings }` with
 * passes in full). Throws, naming the entry, when the file is not one.
 */
export function expandCheckFile(data: unknown): CheckFinding[] {
  const { findings, passes } = readCheckFile(data);
  for (const f of expandPasses(passes)) findings.push(f);
  return findings;
}

/**
 * A parsed check file as it stores its results: `findings` as listed (the first format lists
 * passes there too), `passes` as grouped (groups without resources left out, as they hold no
 * finding). Checks what {@link expandCheckFile} checks, once per group, and throws the same.
 */
export function readCheckFile(data: unknown): { findings: CheckFinding[]; passes: PassGroup[] } {
  if (data === null || typeof data !== 'object' || !Array.isArray((data as { findings?: unknown }).findings)) throw new Error('expected an object with a "findings" array');
  const file = data as { format?: unknown; findings: unknown[]; passes?: unknown };
  if (file.format !== undefined && file.format !== CHECK_FILE_FORMAT) throw new Error(`format ${String(file.format)} is not one this version reads (${CHECK_FILE_FORMAT}, or none for the first format)`);
  const findings: CheckFinding[] = [];
  file.findings.forEach((f, i) => {
    if (!isFinding(f)) throw new Error(`findings[${i}] lacks pack, rule, controls, status, stack, resource or message`);
    findings.push(f);
  });
  const passes: PassGroup[] = [];
  if (file.format === undefined) return { findings, passes };
  if (!Array.isArray(file.passes)) throw new Error('expected a "passes" array');
  file.passes.forEach((p: unknown, i) => {
    const g = p as Partial<PassGroup> | null;
    if (g === null || typeof g !== 'object' || !Array.isArray(g.resources) || !g.resources.every((r) => typeof r === 'string')) throw new Error(`passes[${i}] lacks a "resources" list of strings`);
    if (g.count !== g.resources.length) throw new Error(`passes[${i}]: count ${String(g.count)} but ${g.resources.length} resource${g.resources.length === 1 ? '' : 's'}`);
    if (g.resources.length === 0) return;
    // What isFinding asks of each of the group's findings: only the resource, a string, differs.
    if (!(typeof g.pack === 'string' && typeof g.rule === 'string' && Array.isArray(g.controls) && typeof g.stack === 'string' && typeof g.message === 'string')) {
      throw new Error(`passes[${i}] lacks pack, rule, controls, stack or message`);
    }
    passes.push(g as PassGroup);
  });
  return { findings, passes };
}

/** One finding per resource of each pass group, in the groups' order. */
export function expandPasses(passes: readonly PassGroup[]): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const g of passes) {
    const { count: _c, resources, ...fields } = g;
    // Each finding is copied from one fresh object rather than from the rest object above,
    // which V8 keeps in its slow dictionary form (copying that was ~1.2 s at 220,000 passes).
    const template = { ...fields, status: 'pass', resource: resources[0] };
    for (const resource of resources) {
      const f = { ...template };
      f.resource = resource;
      out.push(f as unknown as CheckFinding);
    }
  }
  return out;
}

const STATUSES: ReadonlySet<string> = new Set(['pass', 'fail', 'acknowledged']);

/** Whether a parsed value has every field a finding needs. */
export function isFinding(f: unknown): f is CheckFinding {
  if (f === null || typeof f !== 'object') return false;
  const x = f as Record<string, unknown>;
  return (
    typeof x.pack === 'string' &&
    typeof x.rule === 'string' &&
    Array.isArray(x.controls) &&
    STATUSES.has(x.status as string) &&
    typeof x.stack === 'string' &&
    typeof x.resource === 'string' &&
    typeof x.message === 'string'
  );
}

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
