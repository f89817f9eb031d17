/**
 * report.json: the report model in a compact, lossless form (`REPORT_SCHEMA`), one record per
 * line. Against the model it differs where the model repeats itself at scale, so that every
 * failure and acknowledgement is kept in full once:
 *
 * - a control's `evidence` and `context` refer to a failure, acknowledgement or plan fact of
 *   the top-level lists by index (`{ "failure": 3 }`, `{ "acknowledgement": 17 }`,
 *   `{ "fact": 5 }`; `planFacts` holds each plan fact the controls cite once);
 * - `acknowledgements` are grouped: the fields they share once, then the stacks they are in,
 *   and `at`, each one's index in the acknowledgement list the controls refer to. A stack's
 *   cooperative and output file are those of `inputs.stacks` unless the entry names them;
 * - a control's `passes` are grouped by rule, then by identical resource lists, each with the
 *   stacks it holds for; a stack's cooperative is the one `inputs.stacks` gives it, unless the
 *   group says otherwise;
 * - an inventory's `resources` are grouped by stack, each row `[type, logicalId, address]`
 *   and its key properties when it has any.
 *
 * {@link parseReportJson} gives back the model, equal to the one written. Key order is fixed
 * by how the model is built, so the same inputs give the same bytes.
 */
import { jsonLineChunks } from '../stable-json';
import { passKey, REPORT_VERSION, type AuditReport, type ControlReport, type CooperativeReport, type EvidenceItem, type InventoryRow, type InventorySection, type PassedChecks } from './model';

/** A control's evidence entry in report.json: a failure, acknowledgement or plan fact by index into its top-level list. */
export type EvidenceEntry = EvidenceItem | { readonly failure: number } | { readonly acknowledgement: number } | { readonly fact: number };

/**
 * Passed results of one rule in report.json: sets of resources, each with the stacks it
 * passed in. With no `cooperative`, each stack's results belong to its cooperative in
 * `inputs.stacks`; `cooperative` (null: none) overrides that for every stack of the group.
 */
export interface PassGroup {
  readonly pack: string;
  readonly rule: string;
  readonly cooperative?: string | null;
  /** Passed results of the rule: Σ resources × stacks over `sets`. */
  readonly count: number;
  readonly sets: readonly { readonly resources: readonly string[]; readonly stacks: readonly string[] }[];
}

/**
 * One stack of an acknowledgement group: its name when `inputs.stacks` gives its cooperative
 * and output file, else those named (null: none).
 */
export type AcknowledgedIn = string | { readonly stack: string; readonly cooperative: string | null; readonly file: string | null };

/** Acknowledgements that differ only in stack (and so in cooperative and output file). */
export type AcknowledgementGroupJson = Omit<EvidenceItem, 'stack' | 'cooperative' | 'file'> & {
  /** Each acknowledgement's index in the list `{ "acknowledgement": i }` refers to, in `stacks`' order. */
  readonly at: readonly number[];
  readonly stacks: readonly AcknowledgedIn[];
};

/** An inventory as report.json holds it: rows grouped by stack, in the model's order. */
export interface InventoryJson {
  readonly found: boolean;
  readonly stacks: readonly string[];
  /** `[type, logicalId, address]`, then the key properties when there are any. */
  readonly resources: readonly { readonly stack: string; readonly rows: readonly InventoryRowJson[] }[];
}

/** One inventory row: `[type, logicalId, address]` or `[type, logicalId, address, properties]`. */
export type InventoryRowJson = readonly [string, string, string] | readonly [string, string, string, Readonly<Record<string, string>>];

/** A control as report.json holds it. */
export type ControlJson = Omit<ControlReport, 'evidence' | 'passes' | 'context'> & {
  readonly evidence: readonly EvidenceEntry[];
  readonly passes: readonly PassGroup[];
  readonly context?: readonly EvidenceEntry[];
};

/** A cooperative as report.json holds it. */
export type CooperativeJson = Omit<CooperativeReport, 'cloud' | 'idc'> & {
  readonly cloud: InventoryJson;
  readonly idc: InventoryJson & Pick<CooperativeReport['idc'], 'tenancy'>;
};

/** The content of report.json. */
export type ReportJson = Omit<AuditReport, 'controls' | 'acknowledgements' | 'cooperatives' | 'platform'> & {
  readonly controls: readonly ControlJson[];
  readonly acknowledgements: readonly AcknowledgementGroupJson[];
  readonly cooperatives: readonly CooperativeJson[];
  readonly platform: { readonly cloud: InventoryJson; readonly idc: InventoryJson };
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

/** What `inputs.stacks` says of a stack name; null for a name it does not give or gives twice. */
function stackFacts(r: Pick<AuditReport, 'inputs'>): (stack: string) => { readonly cooperative: string | undefined; readonly file: string } | null {
  const facts = new Map<string, { cooperative: string | undefined; file: string } | null>();
  for (const s of r.inputs.stacks) facts.set(s.stack, facts.has(s.stack) ? null : { cooperative: s.cooperative, file: s.file });
  return (stack) => facts.get(stack) ?? null;
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
  const { controls: _c, acknowledgements, cooperatives, platform, ...rest } = r;
  // Spelled out to keep the model's key order, so report.json reads in the order it always has.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(r)) {
    if (key === 'controls') out.controls = controls;
    else if (key === 'acknowledgements') out.acknowledgements = acknowledgementGroups(acknowledgements, stackFacts(r));
    else if (key === 'cooperatives') out.cooperatives = cooperatives.map((c) => ({ ...c, cloud: inventoryJson(c.cloud), idc: inventoryJson(c.idc) }));
    else if (key === 'platform') out.platform = { cloud: inventoryJson(platform.cloud), idc: inventoryJson(platform.idc) };
    else out[key] = (rest as Record<string, unknown>)[key];
  }
  out.planFacts = facts;
  return out as ReportJson;
}

function passGroups(passes: readonly PassedChecks[], owner: (stack: string) => string | undefined | null): PassGroup[] {
  const groups = new Map<string, { pack: string; rule: string; cooperative?: string | null; count: number; sets: Map<string, { resources: readonly string[]; stacks: string[] }> }>();
  for (const p of passes) {
    const implied = owner(p.stack) !== null && owner(p.stack) === p.cooperative;
    const cooperative = implied ? undefined : (p.cooperative ?? null);
    const key = `${p.pack}\u0000${p.rule}\u0000${cooperative === undefined ? '' : `=${cooperative ?? ''}`}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { pack: p.pack, rule: p.rule, ...(cooperative === undefined ? {} : { cooperative }), count: 0, sets: new Map() }));
    g.count += p.resources.length;
    const setKey = p.resources.join('\u0000');
    const set = g.sets.get(setKey);
    if (set) set.stacks.push(p.stack);
    else g.sets.set(setKey, { resources: p.resources, stacks: [p.stack] });
  }
  return [...groups.values()].map((g) => ({ ...g, sets: [...g.sets.values()] }));
}

function acknowledgementGroups(items: readonly EvidenceItem[], facts: ReturnType<typeof stackFacts>): AcknowledgementGroupJson[] {
  const groups = new Map<string, { shared: Omit<EvidenceItem, 'stack' | 'cooperative' | 'file'>; at: number[]; stacks: AcknowledgedIn[] }>();
  items.forEach((e, i) => {
    const { stack, cooperative, file, ...shared } = e;
    const key = JSON.stringify(shared);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { shared, at: [], stacks: [] }));
    g.at.push(i);
    const known = facts(stack);
    g.stacks.push(known && known.cooperative === cooperative && known.file === file ? stack : { stack, cooperative: cooperative ?? null, file: file ?? null });
  });
  return [...groups.values()].map((g) => ({ ...g.shared, at: g.at, stacks: g.stacks }));
}

function inventoryJson(s: InventorySection): InventoryJson {
  const resources: { stack: string; rows: InventoryRowJson[] }[] = [];
  for (const row of s.resources) {
    let last = resources[resources.length - 1];
    if (!last || last.stack !== row.stack) resources.push((last = { stack: row.stack, rows: [] }));
    last.rows.push(Object.keys(row.properties).length > 0 ? [row.type, row.logicalId, row.address, row.properties] : [row.type, row.logicalId, row.address]);
  }
  const { resources: _r, ...rest } = s;
  return { ...rest, resources } as InventoryJson;
}

function fromInventoryJson<T extends InventoryJson>(s: T): Omit<T, 'resources'> & InventorySection {
  return {
    ...s,
    resources: s.resources.flatMap(({ stack, rows }) => rows.map(([type, logicalId, address, properties]): InventoryRow => ({ stack, type, logicalId, address, properties: properties ?? {} }))),
  };
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

/** report.json's acknowledgement groups → the model's list, each at its index. */
function acknowledgementsOf(j: ReportJson): EvidenceItem[] {
  const facts = stackFacts(j);
  const out: EvidenceItem[] = [];
  for (const { at, stacks, ...shared } of j.acknowledgements) {
    const { source, pack, rule, status, resource, type, logicalId, properties, message, fix, reason, ...others } = shared;
    stacks.forEach((s, k) => {
      const named = typeof s === 'string' ? undefined : s;
      const stack = typeof s === 'string' ? s : s.stack;
      const cooperative = named ? (named.cooperative ?? undefined) : facts(stack)?.cooperative;
      const file = named ? (named.file ?? undefined) : facts(stack)?.file;
      // The model's field order (buildReport's evidence items), fields it lacks left out.
      const item: Record<string, unknown> = { source, pack, rule, status, cooperative, stack, resource, type, logicalId, file, properties, message, fix, reason, ...others };
      for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
      out[at[k]] = item as unknown as EvidenceItem;
    });
  }
  return out;
}

/** report.json's form → the model: the inverse of {@link toReportJson}. */
export function fromReportJson(j: ReportJson): AuditReport {
  const owner = ownersOf(j);
  const acknowledgements = acknowledgementsOf(j);
  const resolve = (e: EvidenceEntry): EvidenceItem =>
    'failure' in e ? j.failures[e.failure] : 'acknowledgement' in e ? acknowledgements[e.acknowledgement] : 'fact' in e ? j.planFacts[e.fact] : e;
  const { planFacts: _facts, ...rest } = j;
  return {
    ...rest,
    acknowledgements,
    cooperatives: j.cooperatives.map((c) => ({ ...c, cloud: fromInventoryJson(c.cloud), idc: fromInventoryJson(c.idc) })),
    platform: { cloud: fromInventoryJson(j.platform.cloud), idc: fromInventoryJson(j.platform.idc) },
    controls: j.controls.map(({ context, ...c }): ControlReport => ({
      ...c,
      evidence: c.evidence.map(resolve),
      passes: c.passes
        .flatMap((g) =>
          g.sets.flatMap(({ resources, stacks }) =>
            stacks.map((stack): PassedChecks => {
              const cooperative = g.cooperative === undefined ? (owner(stack) ?? undefined) : (g.cooperative ?? undefined);
              return { pack: g.pack, rule: g.rule, ...(cooperative === undefined ? {} : { cooperative }), stack, count: resources.length, resources };
            }),
          ),
        )
        .sort((a, b) => (passKey(a) < passKey(b) ? -1 : 1)),
      ...(context ? { context: context.map(resolve) } : {}),
    })),
  };
}
