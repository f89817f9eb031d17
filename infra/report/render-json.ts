/**
 * report.json: the report model in a compact, lossless form (`REPORT_SCHEMA`), one record per
 * line. Against the model it differs in two places only, both to keep every failure and
 * acknowledgement in full once rather than once per control that cites it:
 *
 * - a control's `evidence` and `context` refer to a failure, acknowledgement or plan fact of
 *   the top-level lists by index (`{ "failure": 3 }`, `{ "acknowledgement": 17 }`,
 *   `{ "fact": 5 }`; `planFacts` holds each plan fact the controls cite once);
 * - a control's `passes` are grouped by rule, each with `[stack, ...resources]` lists; a
 *   stack's cooperative is the one `inputs.stacks` gives it, unless the group says otherwise.
 *
 * {@link parseReportJson} gives back the model, equal to the one written. Key order is fixed
 * by how the model is built, so the same inputs give the same bytes.
 */
import { jsonLineChunks } from '../stable-json';
import { passKey, REPORT_VERSION, type AuditReport, type ControlReport, type EvidenceItem, type PassedChecks } from './model';

/** A control's evidence entry in report.json: a failure, acknowledgement or plan fact by index into its top-level list. */
export type EvidenceEntry = EvidenceItem | { readonly failure: number } | { readonly acknowledgement: number } | { readonly fact: number };

/**
 * Passed results of one rule in report.json: per stack, `[stack, ...resources]`. With no
 * `cooperative`, each stack's results belong to its cooperative in `inputs.stacks`;
 * `cooperative` (null: none) overrides that for every stack of the group.
 */
export interface PassGroup {
  readonly pack: string;
  readonly rule: string;
  readonly cooperative?: string | null;
  /** Passed results of the rule, over its stacks. */
  readonly count: number;
  readonly stacks: readonly (readonly string[])[];
}

/** A control as report.json holds it. */
export type ControlJson = Omit<ControlReport, 'evidence' | 'passes' | 'context'> & {
  readonly evidence: readonly EvidenceEntry[];
  readonly passes: readonly PassGroup[];
  readonly context?: readonly EvidenceEntry[];
};

/** The content of report.json. */
export type ReportJson = Omit<AuditReport, 'controls'> & {
  readonly controls: readonly ControlJson[];
  /** Plan facts the controls cite, each once (several controls cite the same fact). */
  readonly planFacts: readonly EvidenceItem[];
};

/** Renders report.json. */
export function renderJson(report: AuditReport): string {
  return [...renderJsonChunks(report)].join('');
}

/** report.json in pieces, for writing it without one large string at 1,000 cooperatives. */
export function renderJsonChunks(report: AuditReport): Iterable<string> {
  return jsonLineChunks(toReportJson(report));
}

/** The stack → cooperative attribution of `inputs.stacks`; a name given two owners has none. */
function ownersOf(r: Pick<AuditReport, 'inputs'>): (stack: string) => string | undefined | null {
  const owners = new Map<string, string | undefined | null>();
  for (const s of r.inputs.stacks) owners.set(s.stack, owners.has(s.stack) && owners.get(s.stack) !== s.cooperative ? null : s.cooperative);
  // null: unknown or ambiguous, so a group must name its cooperative.
  return (stack) => (owners.has(stack) ? owners.get(stack) : null);
}

/** The model → report.json's form (see the module comment). */
export function toReportJson(r: AuditReport): ReportJson {
  const index = new Map<EvidenceItem, EvidenceEntry>();
  r.failures.forEach((e, i) => index.set(e, { failure: i }));
  r.acknowledgements.forEach((e, i) => index.set(e, { acknowledgement: i }));
  const facts: EvidenceItem[] = [];
  const factIndex = new Map<string, number>();
  const entry = (e: EvidenceItem): EvidenceEntry => {
    const ref = index.get(e);
    if (ref) return ref;
    if (e.source !== 'plan') return e;
    const key = JSON.stringify(e);
    let i = factIndex.get(key);
    if (i === undefined) {
      factIndex.set(key, (i = facts.length));
      facts.push(e);
    }
    return { fact: i };
  };
  const owner = ownersOf(r);
  const controls = r.controls.map((c): ControlJson => ({
    ...c,
    evidence: c.evidence.map(entry),
    passes: passGroups(c.passes, owner),
    ...(c.context ? { context: c.context.map(entry) } : {}),
  }));
  return { ...r, controls, planFacts: facts };
}

function passGroups(passes: readonly PassedChecks[], owner: (stack: string) => string | undefined | null): PassGroup[] {
  const groups = new Map<string, { pack: string; rule: string; cooperative?: string | null; count: number; stacks: string[][] }>();
  for (const p of passes) {
    const implied = owner(p.stack) !== null && owner(p.stack) === p.cooperative;
    const cooperative = implied ? undefined : (p.cooperative ?? null);
    const key = `${p.pack}\u0000${p.rule}\u0000${cooperative === undefined ? '' : `=${cooperative ?? ''}`}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { pack: p.pack, rule: p.rule, ...(cooperative === undefined ? {} : { cooperative }), count: 0, stacks: [] }));
    g.count += p.count;
    g.stacks.push([p.stack, ...p.resources]);
  }
  return [...groups.values()];
}

/** report.json was written in a form this version does not read. */
export class ReportFormatError extends Error {
  constructor(public readonly found: unknown) {
    super(
      `report.json has reportVersion ${JSON.stringify(found)}; this coop-idc reads ${REPORT_VERSION}. Rewrite it with 'coop-idc report' (or build again) / report.json의 형식(reportVersion ${JSON.stringify(found)})을 읽을 수 없습니다. 'coop-idc report'로 다시 쓰세요`,
    );
    this.name = 'ReportFormatError';
  }
}

/** Reads report.json's text back into the model; throws {@link ReportFormatError} for another format. */
export function parseReportJson(text: string): AuditReport {
  const j = JSON.parse(text) as ReportJson;
  if (j === null || typeof j !== 'object' || j.reportVersion !== REPORT_VERSION) throw new ReportFormatError((j as { reportVersion?: unknown } | null)?.reportVersion);
  return fromReportJson(j);
}

/** report.json's form → the model: the inverse of {@link toReportJson}. */
export function fromReportJson(j: ReportJson): AuditReport {
  const owner = ownersOf(j);
  const resolve = (e: EvidenceEntry): EvidenceItem =>
    'failure' in e ? j.failures[e.failure] : 'acknowledgement' in e ? j.acknowledgements[e.acknowledgement] : 'fact' in e ? j.planFacts[e.fact] : e;
  const { planFacts: _facts, ...rest } = j;
  return {
    ...rest,
    controls: j.controls.map(({ context, ...c }): ControlReport => ({
      ...c,
      evidence: c.evidence.map(resolve),
      passes: c.passes
        .flatMap((g) =>
          g.stacks.map(([stack, ...resources]): PassedChecks => {
            const cooperative = g.cooperative === undefined ? (owner(stack) ?? undefined) : (g.cooperative ?? undefined);
            return { pack: g.pack, rule: g.rule, ...(cooperative === undefined ? {} : { cooperative }), stack, count: resources.length, resources };
          }),
        )
        .sort((a, b) => (passKey(a) < passKey(b) ? -1 : 1)),
      ...(context ? { context: context.map(resolve) } : {}),
    })),
  };
}
