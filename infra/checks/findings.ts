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

/**
 * Format of the check files this version writes. 1: every finding in full, passes too;
 * 2: passes grouped per rule and stack; 3: acknowledgements and passes grouped across stacks
 * ({@link FindingGroup}). This version reads all three.
 */
export const CHECK_FILE_FORMAT = 3;

/**
 * Passes of one rule on one stack that differ only in the resource: one entry, the
 * resources listed once. Every other field of the findings it stands for is kept. Format 2
 * stores passes so; readers get passes back in this shape from every format.
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

/**
 * Where the findings of a {@link FindingGroup} are: these resources, in each of these stacks.
 * A stack is `[stack]`, or `[stack, cooperative]` when its findings name a cooperative.
 */
export interface FindingSet {
  /** Construct paths or Terraform addresses, sorted. */
  readonly resources: readonly string[];
  /** Sorted by stack, then cooperative. */
  readonly stacks: readonly (readonly string[])[];
}

/**
 * Findings of one outcome that differ only in stack, cooperative and resource: every other
 * field (pack, rule, controls, message, reason, fix) once, then where they are. Lossless:
 * each finding is one resource of a set in one of its stacks. At 1,000 cooperatives the same
 * acknowledged construct in 1,000 cooperative stacks is one set of one resource.
 */
export interface FindingGroup {
  readonly pack: string;
  readonly rule: string;
  readonly controls: readonly string[];
  readonly message: string;
  /** How many findings: Σ resources × stacks over `sets`, stated so a reader can check it. */
  readonly count: number;
  readonly sets: readonly FindingSet[];
  readonly [field: string]: unknown;
}

/**
 * A check file, `checks/<name>.json`: failures in full; acknowledgements (each with its reason)
 * and passes grouped, every finding kept.
 */
export interface CheckFile {
  readonly format: typeof CHECK_FILE_FORMAT;
  /** Every failure, sorted (compareFindings). */
  readonly findings: readonly CheckFinding[];
  /** Every acknowledgement, grouped ({@link FindingGroup}). */
  readonly acknowledgements: readonly FindingGroup[];
  /** Every pass, grouped ({@link FindingGroup}). */
  readonly passes: readonly FindingGroup[];
}

/** The fields a group keeps once: everything but what varies per finding. */
type SharedFields = Omit<CheckFinding, 'status' | 'stack' | 'cooperative' | 'resource'> & Record<string, unknown>;

/**
 * The check file of a list of findings. Lossless: {@link expandCheckFile} gives every
 * finding back. At 1,000 cooperatives ~95 % of findings are passes and most of the rest
 * acknowledgements of the same constructs in every cooperative's stack, each repeating pack,
 * rule, controls, message and reason per resource.
 */
export function compactFindings(findings: readonly CheckFinding[]): CheckFile {
  const failures: CheckFinding[] = [];
  const acknowledgements = new Grouper();
  const passes = new Grouper();
  for (const f of findings) {
    if (f.status === 'fail') failures.push(f);
    else (f.status === 'pass' ? passes : acknowledgements).add(f);
  }
  return { format: CHECK_FILE_FORMAT, findings: failures.sort(compareFindings), acknowledgements: acknowledgements.groups(), passes: passes.groups() };
}

/**
 * The check file of the findings of `files` in the stacks `keep` keeps: the same, value for
 * value, as {@link compactFindings} of those findings, made from the groups without a finding
 * per resource. The build keeps each unit's findings so and puts the units' files together
 * (at 1,000 cooperatives ~230,000 findings, ~95 % of them passes, in a few thousand groups).
 */
export function regroupCheckFiles(files: readonly CheckFile[], keep: (stack: string) => boolean = () => true): CheckFile {
  const failures: CheckFinding[] = [];
  const acknowledgements = new Grouper();
  const passes = new Grouper();
  for (const file of files) {
    for (const f of file.findings) if (keep(f.stack)) failures.push(f);
    for (const g of file.acknowledgements) acknowledgements.addGroup(g, keep);
    for (const g of file.passes) passes.addGroup(g, keep);
  }
  return { format: CHECK_FILE_FORMAT, findings: failures.sort(compareFindings), acknowledgements: acknowledgements.groups(), passes: passes.groups() };
}

/** How many findings of each outcome a check file holds (failures are the file's `findings`). */
export function summarizeCheckFile(file: CheckFile): Record<CheckStatus, number> {
  const out = summarizeFindings(file.findings);
  for (const g of file.acknowledgements) out.acknowledged += g.count;
  for (const g of file.passes) out.pass += g.count;
  return out;
}

/** Every field of {@link CheckFinding}. */
const FINDING_FIELDS: ReadonlySet<string> = new Set(['pack', 'rule', 'controls', 'status', 'cooperative', 'stack', 'resource', 'message', 'fix', 'reason']);

/** A finding's fields but those that vary within a group. */
function sharedOf(f: CheckFinding): SharedFields {
  const { status: _s, stack: _t, cooperative: _c, resource: _r, ...fields } = f;
  return fields;
}

/** A group being collected: its shared fields, and its resources by `[stack, cooperative?]`. */
interface Collecting {
  readonly fields: SharedFields;
  /**
   * `resources` of a stack taken whole from another file's set is that set's list, sorted
   * already and shared by its stacks (`shared`): neither copied nor sorted again, and its key
   * made once per set, not per stack.
   */
  readonly stacks: Map<string, { stack: readonly string[]; resources: string[]; shared?: boolean }>;
}

/** Collects findings into {@link FindingGroup}s. */
class Grouper {
  // Keyed by the shared fields' values, one map level per field (pack, rule, message, fix,
  // reason, controls), rather than by a string made of them all: at 1,000 cooperatives
  // (~230,000 findings) building that string per finding was most of writing aws.json.
  private readonly tree = new Map<string, unknown>();
  /** Findings with a field CheckFinding does not name: keyed by all their fields. */
  private readonly odd = new Map<string, Collecting>();
  private readonly all: Collecting[] = [];

  add(f: CheckFinding): void {
    this.resourcesIn(this.groupOf(f), f.stack, f.cooperative).push(f.resource);
  }

  /** Every finding of `g` (a group of another file) in the stacks `keep` keeps. */
  addGroup(g: FindingGroup, keep: (stack: string) => boolean): void {
    const { count: _c, sets, ...fields } = g;
    let group: Collecting | undefined;
    for (const set of sets) {
      for (const [stack, cooperative] of set.stacks) {
        if (!keep(stack)) continue;
        // The group's fields as a finding of it has them: the group is the one it fell into.
        group ??= this.groupOf({ ...fields, status: 'pass', stack, resource: '' } as CheckFinding);
        const at = cooperative === undefined ? stack : `${stack}\0${cooperative}`;
        if (!group.stacks.has(at)) {
          group.stacks.set(at, { stack: cooperative === undefined ? [stack] : [stack, cooperative], resources: set.resources as string[], shared: true });
          continue;
        }
        // The same stack in two files: its resources put together, as one file's would be.
        const resources = this.resourcesIn(group, stack, cooperative);
        for (const r of set.resources) resources.push(r);
      }
    }
  }

  private groupOf(f: CheckFinding): Collecting {
    let extra = false;
    for (const k in f) if (!FINDING_FIELDS.has(k)) extra = true;
    return extra ? this.oddGroup(f) : this.group(f);
  }

  private resourcesIn(g: Collecting, stack: string, cooperative: string | undefined): string[] {
    // Stack ids and cooperative ids hold no NUL: the pair's key is exact.
    const at = cooperative === undefined ? stack : `${stack}\0${cooperative}`;
    const s = g.stacks.get(at);
    if (s?.shared) {
      s.resources = [...s.resources];
      s.shared = false;
    }
    if (s) return s.resources;
    const resources: string[] = [];
    g.stacks.set(at, { stack: cooperative === undefined ? [stack] : [stack, cooperative], resources });
    return resources;
  }

  private group(f: CheckFinding): Collecting {
    // An absent fix or reason is kept apart from any text by a prefix on every present one.
    const parts = [f.pack, f.rule, f.message, f.fix === undefined ? '' : `=${f.fix}`, f.reason === undefined ? '' : `=${f.reason}`];
    let level = this.tree;
    for (const part of parts) {
      let next = level.get(part) as Map<string, unknown> | undefined;
      if (!next) level.set(part, (next = new Map()));
      level = next;
    }
    const controls = f.controls === undefined ? '-' : `${f.controls.length}:${f.controls.join('\0')}`;
    let g = level.get(controls) as Collecting | undefined;
    if (!g) {
      level.set(controls, (g = { fields: sharedOf(f), stacks: new Map() }));
      this.all.push(g);
    }
    return g;
  }

  private oddGroup(f: CheckFinding): Collecting {
    const key = JSON.stringify(Object.entries(sharedOf(f)).sort((a, b) => cmpText(a[0], b[0])));
    let g = this.odd.get(key);
    if (!g) {
      this.odd.set(key, (g = { fields: sharedOf(f), stacks: new Map() }));
      this.all.push(g);
    }
    return g;
  }

  groups(): FindingGroup[] {
    const out = this.all.map(({ fields, stacks }): FindingGroup => {
      const sets = new Map<string, { resources: string[]; stacks: (readonly string[])[] }>();
      const keys = new Map<readonly string[], string>();
      let count = 0;
      for (const s of stacks.values()) {
        const resources = s.shared ? s.resources : s.resources.sort(cmpText);
        count += resources.length;
        let key = keys.get(resources);
        if (key === undefined) keys.set(resources, (key = JSON.stringify(resources)));
        const set = sets.get(key);
        if (set) set.stacks.push(s.stack);
        else sets.set(key, { resources, stacks: [s.stack] });
      }
      const { pack, rule, controls, message, ...rest } = fields;
      return {
        pack,
        rule,
        controls,
        message,
        ...rest,
        count,
        sets: [...sets.values()].map((s) => ({ resources: s.resources, stacks: s.stacks.sort(cmpWhere) })).sort((a, b) => cmpWhere(a.stacks[0], b.stacks[0]) || cmpText(JSON.stringify(a.resources), JSON.stringify(b.resources))),
      };
    });
    const head = (g: FindingGroup): CheckFinding => ({ pack: g.pack, rule: g.rule, controls: [], status: 'pass', stack: '', resource: '', message: g.message });
    return out.sort((a, b) => compareFindings(head(a), head(b)) || cmpText(JSON.stringify(a), JSON.stringify(b)));
  }
}

/** Orders `[stack, cooperative?]` pairs: by stack, then cooperative (none first). */
function cmpWhere(a: readonly string[], b: readonly string[]): number {
  return cmpText(a[0], b[0]) || cmpText(a[1] ?? '', b[1] ?? '') || a.length - b.length;
}

/**
 * Every finding of a parsed check file, of any format this version reads. Throws, naming
 * the entry, when the file is not one.
 */
export function expandCheckFile(data: unknown): CheckFinding[] {
  const { findings, passes } = readCheckFile(data);
  for (const f of expandPasses(passes)) findings.push(f);
  return findings;
}

/**
 * A parsed check file with its passes grouped per rule and stack ({@link PassGroup}, groups
 * without resources left out, as they hold no finding) and every other finding one by one.
 * Reads formats 1 (passes among the findings), 2 and 3. Checks what {@link expandCheckFile}
 * checks, once per group, and throws the same.
 */
export function readCheckFile(data: unknown): { findings: CheckFinding[]; passes: PassGroup[] } {
  if (data === null || typeof data !== 'object' || !Array.isArray((data as { findings?: unknown }).findings)) throw new Error('expected an object with a "findings" array');
  const file = data as { format?: unknown; findings: unknown[]; passes?: unknown; acknowledgements?: unknown };
  if (file.format !== undefined && file.format !== 2 && file.format !== CHECK_FILE_FORMAT) {
    throw new Error(`format ${String(file.format)} is not one this version reads (2 or ${CHECK_FILE_FORMAT}, or none for the first format)`);
  }
  const findings: CheckFinding[] = [];
  file.findings.forEach((f, i) => {
    if (!isFinding(f)) throw new Error(`findings[${i}] lacks pack, rule, controls, status, stack, resource or message`);
    findings.push(f);
  });
  const passes: PassGroup[] = [];
  if (file.format === undefined) return { findings, passes };
  if (!Array.isArray(file.passes)) throw new Error('expected a "passes" array');
  if (file.format === 2) {
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
  if (!Array.isArray(file.acknowledgements)) throw new Error('expected an "acknowledgements" array');
  file.acknowledgements.forEach((g: unknown, i) => {
    const group = checkGroup(g, `acknowledgements[${i}]`);
    const { count: _c, sets, ...fields } = group;
    for (const set of sets) {
      for (const [stack, cooperative] of set.stacks) {
        // One fresh template per stack, then copies (see expandPasses on V8's object shapes).
        const template = { ...fields, status: 'acknowledged', ...(cooperative === undefined ? {} : { cooperative }), stack, resource: '' } as unknown as CheckFinding & { resource: string };
        for (const resource of set.resources) findings.push({ ...template, resource });
      }
    }
  });
  file.passes.forEach((g: unknown, i) => {
    const group = checkGroup(g, `passes[${i}]`);
    const { count: _c, sets, pack, rule, controls, message, ...rest } = group;
    for (const set of sets) {
      for (const [stack, cooperative] of set.stacks) {
        passes.push({ pack, rule, controls, ...(cooperative === undefined ? {} : { cooperative }), stack, message, ...rest, count: set.resources.length, resources: set.resources });
      }
    }
  });
  return { findings, passes };
}

/** A format-3 group, checked: the shared fields every finding needs, sets of strings, the count. */
function checkGroup(g: unknown, at: string): FindingGroup {
  const x = g as Partial<FindingGroup> | null;
  if (x === null || typeof x !== 'object' || !(typeof x.pack === 'string' && typeof x.rule === 'string' && Array.isArray(x.controls) && typeof x.message === 'string')) {
    throw new Error(`${at} lacks pack, rule, controls or message`);
  }
  if (!Array.isArray(x.sets)) throw new Error(`${at} lacks a "sets" list`);
  let count = 0;
  x.sets.forEach((s: Partial<FindingSet> | null, j) => {
    const strings = (v: unknown, min: number, max: number) => Array.isArray(v) && v.length >= min && v.length <= max && v.every((r) => typeof r === 'string');
    if (s === null || typeof s !== 'object' || !strings(s.resources, 1, Infinity) || !Array.isArray(s.stacks) || s.stacks.length === 0 || !s.stacks.every((w) => strings(w, 1, 2))) {
      throw new Error(`${at}.sets[${j}] needs "resources" (strings) and "stacks" ([stack] or [stack, cooperative])`);
    }
    count += s.resources!.length * s.stacks.length;
  });
  if (x.count !== count) throw new Error(`${at}: count ${String(x.count)} but ${count} finding${count === 1 ? '' : 's'} in its sets`);
  return x as FindingGroup;
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
