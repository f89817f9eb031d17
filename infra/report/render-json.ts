/**
 * report.json: the report model in a compact, lossless form (`REPORT_SCHEMA`), one record per
 * line. Against the model it differs where the model repeats itself at scale, so that every
 * failure and acknowledgement is kept in full once:
 *
 * - a control's `evidence` and `context` refer to a failure, acknowledgement or plan fact of
 *   the top-level lists by index (`{ "failure": 3 }`, `{ "acknowledgement": 17 }`,
 *   `{ "fact": 5 }`; `planFacts` holds each plan fact the controls cite once), and to a run
 *   of consecutive ones by first and last index (`{ "acknowledgements": [17, 940] }`);
 * - `acknowledgements` are grouped: the fields they share once, then the stacks they are in,
 *   and `at`, each one's index in the acknowledgement list the controls refer to. A stack's
 *   cooperative and output file are those of `inputs.stacks` unless the entry names them;
 *   the resource's key properties are those of its inventory row (same stack and logical
 *   id) unless the group names them (`{}`: none);
 * - a control's `passes` are grouped by rule, then by identical resource lists, each with the
 *   stacks it holds for; a stack's cooperative is the one `inputs.stacks` gives it, unless the
 *   group says otherwise;
 * - an inventory's `resources` are grouped by stack, each row `[type, logicalId, address]`
 *   and its key properties when it has any; the address is left out when it is
 *   `type.logicalId` (a Terraform address).
 *
 * {@link parseReportJson} gives back the model, equal to the one written. Key order is fixed
 * by how the model is built, so the same inputs give the same bytes.
 */
import { jsonLineChunks } from '../stable-json';
import { passKey, REPORT_VERSION, type AuditReport, type ControlReport, type CooperativeReport, type EvidenceItem, type InventoryRow, type InventorySection, type PassedChecks } from './model';

/**
 * A control's evidence entry in report.json: a failure, acknowledgement or plan fact by index
 * into its top-level list, or a run of consecutive ones by first and last index.
 */
export type EvidenceEntry =
  | EvidenceItem
  | { readonly failure: number }
  | { readonly acknowledgement: number }
  | { readonly fact: number }
  | { readonly failures: readonly [number, number] }
  | { readonly acknowledgements: readonly [number, number] }
  | { readonly facts: readonly [number, number] };

/** The list a reference points into, singular and plural (a run). */
const REFERENCE_KINDS = [
  ['failure', 'failures'],
  ['acknowledgement', 'acknowledgements'],
  ['fact', 'facts'],
] as const;

/**
 * Evidence entries with runs of consecutive references to the same list as one entry: a
 * control citing 70,000 acknowledgements, mostly in list order, cites a few hundred runs.
 */
function withRuns(entries: readonly EvidenceEntry[]): EvidenceEntry[] {
  const out: EvidenceEntry[] = [];
  let run: { kind: number; first: number; last: number } | undefined;
  const flush = () => {
    if (!run) return;
    const [one, many] = REFERENCE_KINDS[run.kind];
    out.push(run.first === run.last ? ({ [one]: run.first } as EvidenceEntry) : ({ [many]: [run.first, run.last] } as unknown as EvidenceEntry));
    run = undefined;
  };
  for (const e of entries) {
    const kind = REFERENCE_KINDS.findIndex(([one]) => one in e);
    if (kind < 0) {
      flush();
      out.push(e);
      continue;
    }
    const i = (e as Record<string, number>)[REFERENCE_KINDS[kind][0]];
    if (run && run.kind === kind && run.last + 1 === i) run.last = i;
    else {
      flush();
      run = { kind, first: i, last: i };
    }
  }
  flush();
  return out;
}

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

/**
 * One inventory row: `[type, logicalId, address]`, then the key properties when there are
 * any; the address is left out when it is `type.logicalId` (a Terraform address).
 */
export type InventoryRowJson =
  | readonly [string, string]
  | readonly [string, string, string]
  | readonly [string, string, Readonly<Record<string, string>>]
  | readonly [string, string, string, Readonly<Record<string, string>>];

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

/** A cooperative's record in report.json. */
export function cooperativeJson(c: CooperativeReport): CooperativeJson {
  return { ...c, cloud: inventoryJson(c.cloud), idc: inventoryJson(c.idc) };
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
    evidence: withRuns(c.evidence.map(entry)),
    passes: passGroups(c.passes, owner),
    ...(c.context ? { context: withRuns(c.context.map(entry)) } : {}),
  }));
  const { controls: _c, acknowledgements, cooperatives, platform, ...rest } = r;
  // Spelled out to keep the model's key order, so report.json reads in the order it always has.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(r)) {
    if (key === 'controls') out.controls = controls;
    else if (key === 'acknowledgements') out.acknowledgements = acknowledgementGroups(acknowledgements, stackFacts(r), inventoryProperties(r));
    else if (key === 'cooperatives') out.cooperatives = cooperatives.map(cooperativeJson);
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

/**
 * Key properties of each inventory row by stack and logical id, as an acknowledgement of the
 * resource carries them; null where two rows share the key, or a row has none.
 */
function inventoryProperties(r: Pick<AuditReport, 'cooperatives' | 'platform'>): (stack: string, logicalId: string | undefined) => Readonly<Record<string, string>> | null {
  // By stack, then logical id: no key string built per row or per lookup.
  const rows = new Map<string, Map<string, Readonly<Record<string, string>> | null>>();
  const add = (s: InventorySection) => {
    for (const row of s.resources) {
      let inStack = rows.get(row.stack);
      if (!inStack) rows.set(row.stack, (inStack = new Map()));
      inStack.set(row.logicalId, inStack.has(row.logicalId) || Object.keys(row.properties).length === 0 ? null : row.properties);
    }
  };
  for (const c of r.cooperatives) {
    add(c.cloud);
    add(c.idc);
  }
  add(r.platform.cloud);
  add(r.platform.idc);
  return (stack, logicalId) => (logicalId === undefined ? null : (rows.get(stack)?.get(logicalId) ?? null));
}

/** Same keys in the same order, same values: what renders to the same bytes. */
function sameProperties(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => kb[i] === k && a[k] === b[k]);
}

/** The fields an acknowledgement group's members may differ in; all others they share. */
const PER_STACK: ReadonlySet<string> = new Set(['stack', 'cooperative', 'file', 'properties']);

/** Every field of an evidence item: those, and the ones a group's members share. */
const KNOWN: ReadonlySet<string> = new Set([...PER_STACK, 'source', 'pack', 'rule', 'status', 'resource', 'type', 'logicalId', 'message', 'fix', 'reason']);

function acknowledgementGroups(items: readonly EvidenceItem[], facts: ReturnType<typeof stackFacts>, rowProperties: ReturnType<typeof inventoryProperties>): AcknowledgementGroupJson[] {
  const groups = new Map<string, { shared: Omit<EvidenceItem, 'stack' | 'cooperative' | 'file'>; at: number[]; stacks: AcknowledgedIn[] }>();
  const texts = new Map<string | undefined, number>();
  const text = (t: string | undefined): number => {
    let n = texts.get(t);
    if (n === undefined) texts.set(t, (n = texts.size));
    return n;
  };
  items.forEach((e, i) => {
    const { stack, cooperative, file, properties } = e;
    // The properties of the resource's inventory row (most of them, and those differ per
    // cooperative: names, accounts) are left to the row; others are written, {} for none.
    const row = rowProperties(stack, e.logicalId);
    const implied = row ? properties !== undefined && sameProperties(properties, row) : properties === undefined;
    // The key from the field values, each by its number in `texts` (equal numbers, equal
    // strings), not from a copy of the item nor the JSON of its values: 70,000 items with a
    // message and a reason each were ~0.4 s of report.json at 1,000 cooperatives either way.
    // An item with a field the model does not have is keyed by all its fields.
    let extra = false;
    for (const k in e) if (!KNOWN.has(k)) extra = true;
    const props = implied ? -1 : text(JSON.stringify(properties ?? {}));
    const key = `${text(e.source)},${text(e.pack)},${text(e.rule)},${text(e.status)},${text(e.resource)},${text(e.type)},${text(e.logicalId)},${text(e.message)},${text(e.fix)},${text(e.reason)},${props}${extra ? JSON.stringify(Object.entries(e).filter(([k]) => !KNOWN.has(k))) : ''}`;
    let g = groups.get(key);
    if (!g) {
      const { stack: _s, cooperative: _c, file: _f, properties: _p, ...rest } = e;
      groups.set(key, (g = { shared: implied ? rest : { ...rest, properties: properties ?? {} }, at: [], stacks: [] }));
    }
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
    // A Terraform address is `type.name` by definition: written only when it is something else.
    const head: string[] = row.address === `${row.type}.${row.logicalId}` ? [row.type, row.logicalId] : [row.type, row.logicalId, row.address];
    last.rows.push((Object.keys(row.properties).length > 0 ? [...head, row.properties] : head) as unknown as InventoryRowJson);
  }
  const { resources: _r, ...rest } = s;
  return { ...rest, resources } as InventoryJson;
}

function fromInventoryJson<T extends InventoryJson>(s: T): Omit<T, 'resources'> & InventorySection {
  return {
    ...s,
    resources: s.resources.flatMap(({ stack, rows }) =>
      rows.map(([type, logicalId, third, fourth]): InventoryRow => {
        const named = typeof third === 'string';
        return { stack, type, logicalId, address: named ? third : `${type}.${logicalId}`, properties: (named ? fourth : third) ?? {} };
      }),
    ),
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
function acknowledgementsOf(j: ReportJson, sections: Pick<AuditReport, 'cooperatives' | 'platform'>): EvidenceItem[] {
  const facts = stackFacts(j);
  const rowProperties = inventoryProperties(sections);
  const out: EvidenceItem[] = [];
  for (const { at, stacks, ...shared } of j.acknowledgements) {
    const { source, pack, rule, status, resource, type, logicalId, properties: namedProperties, message, fix, reason, ...others } = shared;
    stacks.forEach((s, k) => {
      const named = typeof s === 'string' ? undefined : s;
      const stack = typeof s === 'string' ? s : s.stack;
      const cooperative = named ? (named.cooperative ?? undefined) : facts(stack)?.cooperative;
      const file = named ? (named.file ?? undefined) : facts(stack)?.file;
      const properties = namedProperties === undefined ? (rowProperties(stack, logicalId) ?? undefined) : Object.keys(namedProperties).length > 0 ? namedProperties : undefined;
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
  const cooperatives = j.cooperatives.map((c) => ({ ...c, cloud: fromInventoryJson(c.cloud), idc: fromInventoryJson(c.idc) }));
  const platform = { cloud: fromInventoryJson(j.platform.cloud), idc: fromInventoryJson(j.platform.idc) };
  const acknowledgements = acknowledgementsOf(j, { cooperatives, platform });
  const lists = { failure: j.failures, acknowledgement: acknowledgements, fact: j.planFacts };
  const resolve = (e: EvidenceEntry): EvidenceItem[] => {
    for (const [one, many] of REFERENCE_KINDS) {
      if (one in e) return [lists[one][(e as Record<string, number>)[one]]];
      if (many in e) {
        const [first, last] = (e as Record<string, readonly [number, number]>)[many];
        return lists[one].slice(first, last + 1);
      }
    }
    return [e as EvidenceItem];
  };
  const { planFacts: _facts, ...rest } = j;
  return {
    ...rest,
    acknowledgements,
    cooperatives,
    platform,
    controls: j.controls.map(({ context, ...c }): ControlReport => ({
      ...c,
      evidence: c.evidence.flatMap(resolve),
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
      ...(context ? { context: context.flatMap(resolve) } : {}),
    })),
  };
}
