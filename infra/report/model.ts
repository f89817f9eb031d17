/**
 * The audit report model: one pure function from what the build produced (plan, check
 * results, synthesized stacks) to everything the JSON, Markdown and HTML renderers show.
 * It reads results and never recomputes checks; the only judgements it makes are the ones
 * an auditor asks for on top (a control's overall status, agreements about to expire).
 *
 * Deterministic: no clock (the date is passed in), every list sorted, so the same inputs
 * give byte-identical reports.
 */
import { estimateCost, type CostEstimate } from '../cost';
import { disclosureLabel, disclosureOf, sharedCopyRecord } from '../plan/disclosure';
import { MANIFEST_PREFIX } from '../plan/names';
import { ERASURE_PREFIX } from '../shared-names';
import type { CheckFinding, CheckStatus, PassGroup } from '../checks/findings';
import { formatAmount } from '../plan/capacity';
import type { ShareLevel, PiiClass, ConsumerKind } from '../config/schema';
import { formatBytes, formatCpu } from '../config/quantity';
import type { CooperativePlan, GrantPlan, TenancyPlan } from '../plan/types';
import { CONTROLS, isEvidenceFor, type ControlDefinition, type Framework, type PlanFactKind } from './controls';
import { accountsOf, type AccountReport } from './accounts';
import { attributeStack, type InventoryItem, type StackInventory } from './inventory';
import type { ReportInputs } from './read';
import type { CheckResultOrigin } from './provenance';
import { formatMessage, msg, type MessageRef } from '../config/messages';
import { offboardingOf, type OffboardingReport } from './offboarding';

/** Bumped when report.json changes shape incompatibly. */
export const REPORT_VERSION = 4;

/** Agreements ending within this many days of `today` are flagged. */
export const EXPIRY_WINDOW_DAYS = 30;

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** The report date, YYYY-MM-DD: expiry is measured from it. Entry points pass today. */
  readonly today: string;
  /** @default EXPIRY_WINDOW_DAYS */
  readonly expiryWindowDays?: number;
}

/** A control's overall status. `no-evidence` is never shown as passed. */
export type ControlStatus = 'passed' | 'acknowledged' | 'failed' | 'no-evidence';

/**
 * The one rule from counts to a control's status, used by every renderer: any failure
 * fails it, else any acknowledgement; passed evidence with neither passes it; "no evidence"
 * only when nothing counted maps to it. So a status can never contradict its counts.
 */
export function controlStatus(counts: StatusCounts): ControlStatus {
  if (counts.fail > 0) return 'failed';
  if (counts.acknowledged > 0) return 'acknowledged';
  if (counts.pass > 0) return 'passed';
  return 'no-evidence';
}

/**
 * Failed and acknowledged findings on one cooperative's resources, failures first. Derived
 * from `failures` and `acknowledgements` (report.json holds each once).
 */
export function attentionOf(r: AuditReport, cooperative: string): EvidenceItem[] {
  let index = attentionIndex.get(r);
  if (!index) {
    // Built once per report: every cooperative page asks, and a scan per page is quadratic.
    index = new Map();
    for (const e of [...r.failures, ...r.acknowledgements]) {
      if (e.cooperative === undefined) continue;
      const list = index.get(e.cooperative) ?? [];
      list.push(e);
      index.set(e.cooperative, list);
    }
    attentionIndex.set(r, index);
  }
  return [...(index.get(cooperative) ?? [])];
}

const attentionIndex = new WeakMap<AuditReport, Map<string, EvidenceItem[]>>();

/** Counts of findings by status. */
export interface StatusCounts {
  readonly pass: number;
  readonly acknowledged: number;
  readonly fail: number;
}

/** One piece of evidence for a control: a check finding or a plan fact. */
export interface EvidenceItem {
  /** `check` for a finding from checks/*.json, `plan` for a fact read from plan.json. */
  readonly source: 'check' | 'plan';
  /** Check pack, or `plan` for plan facts. */
  readonly pack: string;
  readonly rule: string;
  readonly status: CheckStatus;
  readonly cooperative?: string;
  /** Stack, or `plan.json` for plan facts. */
  readonly stack: string;
  /** Construct path / Terraform address, or the plan path. */
  readonly resource: string;
  /** The resource in the synthesized output, when the inventory has it. */
  readonly type?: string;
  readonly logicalId?: string;
  /** Output file holding the resource. */
  readonly file?: string;
  /** Its key properties as synthesized (failures and acknowledgements; a pass points at its inventory row). */
  readonly properties?: Readonly<Record<string, string>>;
  readonly message: string;
  readonly fix?: string;
  readonly reason?: string;
}

/** Passed check results of one rule on one stack. */
export interface PassedChecks {
  readonly pack: string;
  readonly rule: string;
  readonly cooperative?: string;
  /** The stack; its output file is in `inputs.stacks`. */
  readonly stack: string;
  readonly count: number;
  /** Construct paths or Terraform addresses, sorted. */
  readonly resources: readonly string[];
}

/** A control with its status and evidence. */
export interface ControlReport {
  readonly id: string;
  readonly framework: Framework;
  readonly title: { readonly ko: string; readonly en: string };
  readonly how: string;
  readonly status: ControlStatus;
  readonly counts: StatusCounts;
  /**
   * Every failure and acknowledgement in full, then the passed plan facts; each sorted by
   * pack, rule, stack, resource. Passed check results are in `passes`.
   */
  readonly evidence: readonly EvidenceItem[];
  /** Passed check results, counted per rule and stack with the resources listed (their messages are in checks/). */
  readonly passes: readonly PassedChecks[];
  /**
   * Plan facts shown beside a control they cannot establish alone (no check result maps to
   * it yet); not counted. Absent when empty.
   */
  readonly context?: readonly EvidenceItem[];
}

/** One rule of a pack, over all resources. */
export interface RuleReport {
  readonly rule: string;
  readonly status: Exclude<ControlStatus, 'no-evidence'>;
  readonly controls: readonly string[];
  readonly counts: StatusCounts;
}

/** One check pack (cdk-nag pack, KoreaLaw, K8sConformance, ...). */
export interface PackReport {
  readonly pack: string;
  readonly counts: StatusCounts;
  readonly rules: readonly RuleReport[];
}

/** A row of the sharing matrix. */
export interface SharingRow {
  readonly consumer: string;
  readonly consumerName: string;
  readonly consumerKind: ConsumerKind;
  readonly dataset: string;
  readonly level: ShareLevel;
  readonly columns: readonly string[];
  readonly purpose: string;
  readonly legalBasis: string;
  readonly expires: string;
  /** Days from the report date to expiry (negative when expired). */
  readonly daysLeft: number;
  /** Ends within the expiry window. */
  readonly expiringSoon: boolean;
  readonly readsFrom: string;
  /** Where the agreement is written, `cooperatives/x.yaml#sharing[2]`. */
  readonly source: string;
}

/** A dataset with the PII class of each column. */
export interface DatasetRow {
  readonly name: string;
  readonly classification: PiiClass;
  readonly retentionDays: number;
  readonly table: string;
  readonly sharedAt: readonly ShareLevel[];
  readonly columns: readonly { readonly name: string; readonly pii: PiiClass; readonly generalized: boolean }[];
}

/** A resource row of the inventory. */
export type InventoryRow = Omit<InventoryItem, 'kind'>;

/** Inventory of one side (cloud or IDC); `found: false` when that renderer produced nothing. */
export interface InventorySection {
  readonly found: boolean;
  readonly stacks: readonly string[];
  readonly resources: readonly InventoryRow[];
}

/** Everything the report says about one cooperative. */
export interface CooperativeReport {
  readonly id: string;
  readonly name: { readonly ko: string; readonly en: string };
  readonly ksic: string;
  readonly classification: PiiClass;
  readonly memberCount: number;
  readonly source: string;
  readonly cloud: InventorySection;
  readonly idc: InventorySection & {
    /** Quota and models from the plan; absent when the cooperative has no IDC tenancy. */
    readonly tenancy?: {
      readonly namespace: string;
      readonly quota: Readonly<Record<string, string>>;
      readonly models: readonly { readonly name: string; readonly replicas: number; readonly cpu: string; readonly memory: string; readonly gpu: string }[];
      readonly sharedServers: readonly string[];
    };
  };
  readonly datasets: readonly DatasetRow[];
  readonly sharing: readonly SharingRow[];
  readonly checks: StatusCounts;
}

/** A capacity row, with amounts formatted for people. */
export interface CapacityReportRow {
  readonly resource: string;
  readonly capacity: number;
  readonly requested: number;
  readonly capacityText: string;
  readonly requestedText: string;
  /** Percentage of capacity reserved, one decimal. */
  readonly percent: string;
  readonly exceeded: boolean;
  /** Tenants by amount, largest first. */
  readonly tenants: readonly { readonly tenant: string; readonly amount: number; readonly text: string }[];
}

/** The data flow: cooperatives → datasets → consumers, one edge per grant. */
export interface DataFlow {
  readonly cooperatives: readonly string[];
  /** `<cooperative>/<dataset>` */
  readonly datasets: readonly string[];
  readonly consumers: readonly { readonly id: string; readonly kind: ConsumerKind }[];
  readonly edges: readonly { readonly cooperative: string; readonly dataset: string; readonly consumer: string; readonly level: ShareLevel }[];
}

/** What a stack was attributed to and why. */
export interface StackSource {
  readonly kind: 'cloud' | 'idc';
  readonly stack: string;
  readonly file: string;
  readonly cooperative?: string;
  readonly resources: number;
}

/** The whole audit report: the content of report.json. */
export interface AuditReport {
  readonly reportVersion: typeof REPORT_VERSION;
  readonly today: string;
  readonly expiryWindowDays: number;
  readonly environment: { readonly name: string; readonly account: string; readonly region: string };
  readonly inputs: {
    readonly plan: 'plan.json';
    readonly checkFiles: readonly string[];
    readonly cloudOutput: boolean;
    readonly idcOutput: boolean;
    readonly stacks: readonly StackSource[];
    /** Plain statements of what is missing or unreadable: shown at the top of the report. */
    readonly notes: readonly string[];
    /**
     * How the build produced the per-stack check results (computed, replayed from the build
     * cache, verified); absent when the output does not record it. The one part of the report
     * that differs between a cold and a warm build of the same config.
     */
    readonly checkResults?: CheckResultOrigin;
  };
  readonly summary: {
    readonly cooperatives: number;
    readonly datasets: number;
    readonly consumers: number;
    readonly agreements: number;
    readonly agreementsExpiringSoon: number;
    readonly checks: StatusCounts;
    readonly controls: Readonly<Record<ControlStatus, number>>;
  };
  readonly controls: readonly ControlReport[];
  readonly packs: readonly PackReport[];
  /** Every acknowledged finding with its reason. */
  readonly acknowledgements: readonly EvidenceItem[];
  /** Every failed finding. */
  readonly failures: readonly EvidenceItem[];
  readonly cooperatives: readonly CooperativeReport[];
  readonly platform: { readonly cloud: InventorySection; readonly idc: InventorySection };
  readonly capacity: readonly CapacityReportRow[];
  /** AWS accounts (data lake, cells): cooperatives held and account-level quota use. */
  readonly accounts: readonly AccountReport[];
  readonly dataFlow: DataFlow;
  /** Consumer × cooperative × column → disclosure, sorted by consumer, cooperative, dataset, column. */
  readonly disclosureMatrix: readonly DisclosureCell[];
  /** Cooperatives offboarding or removed, each step with its evidence (docs/runbook-offboarding.md), sorted by id. */
  readonly offboarding: readonly OffboardingReport[];
  /** The chargeback estimate of the report's month (`coop-idc cost`), when the platform declares a rate card. */
  readonly cost?: CostEstimate;
}

/** What one consumer receives of one column of one cooperative's dataset. */
export interface DisclosureCell {
  readonly consumer: string;
  readonly cooperative: string;
  readonly dataset: string;
  readonly column: string;
  readonly level: ShareLevel;
  /** `clear`, `token`, `generalized(truncate 3)`, `aggregate-only`, … (`disclosureLabel`). */
  readonly disclosure: string;
  readonly expires: string;
  /** The agreement, `cooperatives/x.yaml#sharing[0]`. */
  readonly source: string;
}

/**
 * What the report states at its top about its inputs: a renderer that has not run (so silence
 * is never mistaken for a pass), findings of cooperatives the plan lacks, files it could not
 * read. Catalogue messages: the report holds them in English, the terminal in the run's language.
 */
export function reportNotes(inputs: ReportInputs): MessageRef[] {
  const notes: MessageRef[] = [];
  if (inputs.cloud === undefined) notes.push(msg('report.no-cloud-output'));
  if (inputs.idc === undefined) notes.push(msg('report.no-idc-output'));
  if (inputs.checkFiles.length === 0) notes.push(msg('report.no-checks'));
  const known = new Set(inputs.plan.cooperatives.map((c) => c.id));
  const owners = new Set<string | undefined>();
  for (const f of inputs.findings) owners.add(f.cooperative);
  for (const g of inputs.passes ?? []) if (g.resources.length > 0) owners.add(g.cooperative);
  const unknownOwners = [...owners].filter((c): c is string => c !== undefined && !known.has(c)).sort();
  if (unknownOwners.length) notes.push(msg('report.unknown-owners', { cooperatives: unknownOwners.join(', ') }));
  notes.push(...inputs.problems);
  return notes;
}

/** Builds the report from the build output. Pure. */
export function buildReport(inputs: ReportInputs, options: ReportOptions): AuditReport {
  const { plan } = inputs;
  const window = options.expiryWindowDays ?? EXPIRY_WINDOW_DAYS;
  const today = options.today;
  // Passes stay grouped as the check files store them (most results at scale): the report
  // counts and lists them per control, never one by one. Failures and acknowledgements
  // become evidence items in full.
  const findings = inputs.findings.filter((f) => f.status !== 'pass');
  const passes = passGroupsOf(inputs);

  // Attribute stacks to cooperatives: the checks know the owner; otherwise the names tell.
  const ownerByStack = ownersFromFindings([findings, passes]);
  const stacks = [...(inputs.cloud ?? []), ...(inputs.idc ?? [])];
  const ownerOf = (s: StackInventory): string | undefined => {
    const key = `${s.kind}\u0000${s.stack}`;
    if (inputs.stackOwners?.has(key)) return inputs.stackOwners.get(key) ?? undefined;
    return ownerByStack.get(key) ?? ownerByStack.get(`*\u0000${s.stack}`) ?? attributeStack(s, plan);
  };
  const attributed = stacks.map((s) => ({ s, cooperative: ownerOf(s) }));
  const known = new Set(plan.cooperatives.map((c) => c.id));
  const inventoryIndex = indexInventory(stacks);

  const evidenceOf = (f: CheckFinding): EvidenceItem => {
    const inStack = inventoryIndex.get(f.stack);
    const item = inStack?.get(f.resource) ?? inStack?.get(`${f.stack}/${f.resource}`);
    // As clean() would make it from these fields in this order, without its copy (70,000
    // acknowledgements at 1,000 cooperatives).
    const e: Record<string, unknown> = { source: 'check' };
    const put = (k: string, v: unknown) => {
      if (v !== undefined) e[k] = v;
    };
    put('pack', f.pack);
    put('rule', f.rule);
    put('status', f.status);
    put('cooperative', f.cooperative);
    put('stack', f.stack);
    put('resource', f.resource);
    put('type', item?.item.type);
    put('logicalId', item?.item.logicalId);
    put('file', item?.file);
    // Failures and acknowledgements carry the properties inline, the way an auditor reads
    // them; a pass points at its inventory row (type, logical id, file), which holds them,
    // so that thousands of passes do not repeat every bucket's configuration per control.
    put('properties', item && f.status !== 'pass' && Object.keys(item.item.properties).length ? item.item.properties : undefined);
    put('message', f.message);
    put('fix', f.fix);
    put('reason', f.reason);
    return e as unknown as EvidenceItem;
  };

  const allEvidence = findings.map(evidenceOf);
  const kinds = kindsOf(findings);
  const passKinds = kindsOf(passes).map((k): PassKind => ({ ...k, groups: k.indices.map((i) => passes[i]), count: k.indices.reduce((n, i) => n + passes[i].resources.length, 0) }));
  // Several controls cite the same kind of plan fact: each kind is derived once.
  const factsByKind = new Map<PlanFactKind, EvidenceItem[]>();
  const factsOf = (k: PlanFactKind): EvidenceItem[] => {
    let facts = factsByKind.get(k);
    if (!facts) factsByKind.set(k, (facts = planEvidence(k, plan, today)));
    return facts;
  };
  const controls = CONTROLS.map((c) => controlReport(c, allEvidence, kinds, passKinds, factsOf));

  const stacksByOwner = groupBy(attributed, (a) => `${a.s.kind}\u0000${a.cooperative !== undefined && known.has(a.cooperative) ? a.cooperative : ''}`);
  const section = (kind: 'cloud' | 'idc', owner: string | undefined): InventorySection => {
    const found = (kind === 'cloud' ? inputs.cloud : inputs.idc) !== undefined;
    const mine = stacksByOwner.get(`${kind}\u0000${owner ?? ''}`) ?? [];
    return {
      found,
      stacks: mine.map((a) => a.s.stack),
      resources: mine.flatMap((a) => a.s.resources.map(({ kind: _k, ...row }) => row)),
    };
  };

  const consumerById = new Map(plan.platform.consumers.map((c) => [c.id, c]));
  const sharingRow = (g: GrantPlan): SharingRow => {
    const daysLeft = daysBetween(today, g.expires);
    return {
      consumer: g.consumer,
      consumerName: consumerById.get(g.consumer)?.name ?? g.consumer,
      consumerKind: g.consumerKind,
      dataset: g.dataset,
      level: g.level,
      columns: g.columns,
      purpose: g.purpose,
      legalBasis: g.legalBasis,
      expires: g.expires,
      daysLeft,
      expiringSoon: daysLeft <= window,
      readsFrom: `${g.database}.${g.table}`,
      source: g.source,
    };
  };

  // Counts by the cooperative the findings name (undefined: platform resources).
  const byCooperative = new Map<string | undefined, Tally>();
  const tallyOf = (cooperative: string | undefined): Tally => {
    let t = byCooperative.get(cooperative);
    if (!t) byCooperative.set(cooperative, (t = { pass: 0, acknowledged: 0, fail: 0 }));
    return t;
  };
  for (const f of findings) tally(tallyOf(f.cooperative), f.status, 1);
  for (const g of passes) tally(tallyOf(g.cooperative), 'pass', g.resources.length);
  const grantsByCooperative = groupBy(plan.grants, (g) => g.cooperative);
  const cooperatives = plan.cooperatives.map((c): CooperativeReport => {
    const mine = byCooperative.get(c.id);
    return {
      id: c.id,
      name: c.name,
      ksic: c.ksic,
      classification: c.classification,
      memberCount: c.memberCount,
      source: c.source,
      cloud: section('cloud', c.id),
      idc: { ...section('idc', c.id), ...(c.idc ? { tenancy: tenancyOf(c) } : {}) },
      datasets: c.datasets.map((d) => ({
        name: d.name,
        classification: d.classification,
        retentionDays: d.retentionDays,
        table: d.table,
        sharedAt: d.sharedAt,
        columns: d.columns.map((col) => ({ name: col.name, pii: col.pii, generalized: col.generalize !== undefined })),
      })),
      sharing: (grantsByCooperative.get(c.id) ?? [])
        .map(sharingRow)
        .sort((a, b) => cmp(a.consumer, b.consumer) || cmp(a.dataset, b.dataset) || cmp(a.level, b.level)),
      checks: { pass: mine?.pass ?? 0, acknowledged: mine?.acknowledged ?? 0, fail: mine?.fail ?? 0 },
    };
  });

  const notes = reportNotes(inputs).map((n) => formatMessage('en', n));

  const controlCounts: Record<ControlStatus, number> = { passed: 0, acknowledged: 0, failed: 0, 'no-evidence': 0 };
  for (const c of controls) controlCounts[c.status]++;
  const expiring = cooperatives.reduce((n, c) => n + c.sharing.filter((s) => s.expiringSoon).length, 0);

  return {
    reportVersion: REPORT_VERSION,
    today,
    expiryWindowDays: window,
    environment: { name: plan.platform.environment, account: plan.platform.account, region: plan.platform.region },
    inputs: {
      plan: 'plan.json',
      checkFiles: inputs.checkFiles,
      cloudOutput: inputs.cloud !== undefined,
      idcOutput: inputs.idc !== undefined,
      stacks: attributed
        .map(({ s, cooperative }) => clean({ kind: s.kind, stack: s.stack, file: s.file, cooperative, resources: s.resources.length }))
        .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.stack, b.stack)),
      notes,
      ...(inputs.checkResults ? { checkResults: inputs.checkResults } : {}),
    },
    summary: {
      cooperatives: plan.cooperatives.length,
      datasets: plan.cooperatives.reduce((n, c) => n + c.datasets.length, 0),
      consumers: plan.platform.consumers.length,
      agreements: plan.grants.length,
      agreementsExpiringSoon: expiring,
      checks: [...byCooperative.values()].reduce((a, t) => ({ pass: a.pass + t.pass, acknowledged: a.acknowledged + t.acknowledged, fail: a.fail + t.fail }), { pass: 0, acknowledged: 0, fail: 0 }),
      controls: controlCounts,
    },
    controls,
    packs: packReports(findings, passes),
    acknowledgements: allEvidence.filter((e) => e.status === 'acknowledged'),
    failures: allEvidence.filter((e) => e.status === 'fail'),
    cooperatives,
    platform: { cloud: section('cloud', undefined), idc: section('idc', undefined) },
    capacity: capacityRows(plan),
    accounts: accountsOf(plan, findings, passes),
    dataFlow: dataFlowOf(plan),
    disclosureMatrix: plan.grants
      .flatMap((g) => g.disclosures.map((d) => ({ consumer: g.consumer, cooperative: g.cooperative, dataset: g.dataset, column: d.column, level: g.level, disclosure: disclosureLabel(d.disclosure), expires: g.expires, source: g.source })))
      .sort((a, b) => cmp(a.consumer, b.consumer) || cmp(a.cooperative, b.cooperative) || cmp(a.dataset, b.dataset) || cmp(a.column, b.column) || cmp(a.level, b.level)),
    offboarding: offboardingOf(plan, inputs.cloud === undefined ? undefined : (id) => section('cloud', id).resources.map((x) => x.type)),
    // The month of the report date: the estimate is monthly and depends on nothing else.
    ...(plan.platform.cost ? { cost: estimateCost(plan, { month: today.slice(0, 7) }) } : {}),
  };
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Passes of one rule on one stack as the model takes them: a check file's pass group, or a
 * pass finding given one by one (a file of the first format) as a group of one.
 */
type Passes = Pick<PassGroup, 'pack' | 'rule' | 'controls' | 'cooperative' | 'stack' | 'message' | 'resources'>;

function passGroupsOf(inputs: ReportInputs): Passes[] {
  const out: Passes[] = (inputs.passes ?? []).filter((g) => g.resources.length > 0);
  for (const f of inputs.findings) {
    if (f.status === 'pass') out.push({ pack: f.pack, rule: f.rule, controls: f.controls, cooperative: f.cooperative, stack: f.stack, message: f.message, resources: [f.resource] });
  }
  return out;
}

/** Counts by status, as they are added up. */
type Tally = { pass: number; acknowledged: number; fail: number };

function tally(t: Tally, status: CheckStatus, n: number): void {
  if (status === 'pass') t.pass += n;
  else if (status === 'acknowledged') t.acknowledged += n;
  else t.fail += n;
}

/**
 * Items grouped by what `isEvidenceFor` looks at (pack, rule, cited controls), each group's
 * indices in the items' order: at 1,000 cooperatives there are tens of thousands of findings
 * and pass groups but a few hundred distinct rules, so a control decides once per group.
 */
function kindsOf<T extends Pick<CheckFinding, 'pack' | 'rule' | 'controls'>>(items: readonly T[]): { readonly sample: T; readonly indices: number[] }[] {
  // By pack, then rule, then the controls' JSON (memoized per array: the findings of one
  // check-file group share theirs), so that no key is built per item.
  const byPack = new Map<string, Map<string, Map<string, { sample: T; indices: number[] }>>>();
  const kinds: { sample: T; indices: number[] }[] = [];
  const controlsKey = new Map<readonly string[], string>();
  for (let i = 0; i < items.length; i++) {
    const f = items[i];
    let byRule = byPack.get(f.pack);
    if (!byRule) byPack.set(f.pack, (byRule = new Map()));
    let byControls = byRule.get(f.rule);
    if (!byControls) byRule.set(f.rule, (byControls = new Map()));
    let key = controlsKey.get(f.controls);
    if (key === undefined) controlsKey.set(f.controls, (key = JSON.stringify(f.controls)));
    const k = byControls.get(key);
    if (k) k.indices.push(i);
    else {
      const kind = { sample: f, indices: [i] };
      byControls.set(key, kind);
      kinds.push(kind);
    }
  }
  return kinds;
}

/** The pass groups of one kind (see {@link kindsOf}), how many passes they hold, and, once a control asked, their rows. */
interface PassKind {
  readonly sample: Passes;
  readonly groups: readonly Passes[];
  readonly count: number;
  rows?: readonly { readonly key: string; readonly passed: PassedChecks }[];
}

function controlReport(
  c: ControlDefinition,
  evidence: readonly EvidenceItem[],
  kinds: readonly { readonly sample: CheckFinding; readonly indices: readonly number[] }[],
  passKinds: readonly PassKind[],
  factsOf: (kind: PlanFactKind) => readonly EvidenceItem[],
): ControlReport {
  // Failures and acknowledgements are taken in findings order, which breaks compareEvidence's
  // ties; passes are counted and listed per rule and stack, never sorted as evidence.
  const checkedAt: number[] = [];
  for (const k of kinds) {
    if (!isEvidenceFor(k.sample, c)) continue;
    for (const i of k.indices) checkedAt.push(i);
  }
  const checked = checkedAt.sort((a, b) => a - b).map((i) => evidence[i]);
  const accepted = passKinds.filter((k) => isEvidenceFor(k.sample, c));
  const passed = accepted.reduce((n, k) => n + k.count, 0);
  const fromPlan = c.planFacts.flatMap(factsOf);
  // Plan facts that alone do not establish the control count once a check on the
  // synthesized output does; until then their passes are context, shown but not counted, so
  // the status (from the counts alone) never reads "no evidence" beside "n passed". A plan
  // fact that fails always counts.
  const counted = c.planSufficient || checked.length + passed > 0;
  const shown = [...checked, ...fromPlan.filter((e) => counted || e.status !== 'pass')].sort(compareEvidence);
  const context = counted ? [] : fromPlan.filter((e) => e.status === 'pass').sort(compareEvidence);
  const inShown = count(shown);
  const counts = { pass: inShown.pass + passed, acknowledged: inShown.acknowledged, fail: inShown.fail };
  return {
    id: c.id,
    framework: c.framework,
    title: c.title,
    how: c.how,
    status: controlStatus(counts),
    counts,
    evidence: shown,
    passes: passedChecksOf(accepted),
    ...(context.length ? { context } : {}),
  };
}

/**
 * A control's passes per pack, rule, stack and cooperative, as {@link groupPasses} gives them
 * from single passes. Each kind's rows are made once and shared by every control citing it;
 * a control's rows are its kinds' rows in rule order, which is key order unless two kinds of
 * one rule (citing different controls) hold the same stack: then they are grouped again.
 */
function passedChecksOf(kinds: readonly PassKind[]): PassedChecks[] {
  const rows: { readonly key: string; readonly passed: PassedChecks }[] = [];
  const order = (k: PassKind) => `${k.sample.pack}\u0000${k.sample.rule}`;
  for (const k of [...kinds].sort((a, b) => cmp(order(a), order(b)))) for (const r of (k.rows ??= kindRows(k))) rows.push(r);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1].key < rows[i].key) continue;
    return groupPasses(rows.flatMap((r) => r.passed.resources.map((resource) => ({ ...r.passed, resource }))));
  }
  return rows.map((r) => r.passed);
}

function kindRows(k: PassKind): { key: string; passed: PassedChecks }[] {
  const byKey = new Map<string, Passes[]>();
  for (const g of k.groups) {
    const key = passKey(g);
    const list = byKey.get(key);
    if (list) list.push(g);
    else byKey.set(key, [g]);
  }
  return [...byKey.keys()].sort().map((key) => {
    const gs = byKey.get(key)!;
    const g = gs[0];
    // A check file lists each group's resources sorted; its own order is kept only when it is that.
    const resources = gs.length === 1 && isSorted(g.resources) ? g.resources : gs.flatMap((x) => x.resources).sort();
    // As clean() would make it, without its per-field copy (one row per stack and rule).
    const passed: PassedChecks = g.cooperative === undefined ? { pack: g.pack, rule: g.rule, stack: g.stack, count: resources.length, resources } : { pack: g.pack, rule: g.rule, cooperative: g.cooperative, stack: g.stack, count: resources.length, resources };
    return { key, passed };
  });
}

function isSorted(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1] > xs[i]) return false;
  return true;
}

/** Passed check results grouped by pack, rule and stack, sorted so; other items are skipped. */
export function groupPassedChecks(evidence: readonly EvidenceItem[]): PassedChecks[] {
  return groupPasses(evidence.filter((e) => e.status === 'pass' && e.source === 'check'));
}

function groupPasses(passes: readonly { readonly pack: string; readonly rule: string; readonly cooperative?: string; readonly stack: string; readonly resource: string }[]): PassedChecks[] {
  const groups = new Map<string, { pack: string; rule: string; cooperative?: string; stack: string; resources: string[] }>();
  for (const e of passes) {
    const key = passKey(e);
    const g = groups.get(key);
    if (g) g.resources.push(e.resource);
    else groups.set(key, { pack: e.pack, rule: e.rule, cooperative: e.cooperative, stack: e.stack, resources: [e.resource] });
  }
  return [...groups.keys()].sort().map((k) => {
    const g = groups.get(k)!;
    return clean({ pack: g.pack, rule: g.rule, cooperative: g.cooperative, stack: g.stack, count: g.resources.length, resources: g.resources.sort() });
  });
}

/** The order of a control's `passes`: by pack, rule, stack, cooperative (sort by this key). */
export function passKey(p: { readonly pack: string; readonly rule: string; readonly stack: string; readonly cooperative?: string }): string {
  return `${p.pack}\u0000${p.rule}\u0000${p.stack}\u0000${p.cooperative ?? ''}`;
}

const STATUS_ORDER: Readonly<Record<CheckStatus, number>> = { fail: 0, acknowledged: 1, pass: 2 };

function compareEvidence(a: EvidenceItem, b: EvidenceItem): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    cmp(a.source, b.source) ||
    cmp(a.pack, b.pack) ||
    cmp(a.rule, b.rule) ||
    cmp(a.stack, b.stack) ||
    cmp(a.resource, b.resource) ||
    cmp(a.message, b.message)
  );
}

/**
 * Facts read from the plan. Each says which config rule enforces it (a plan exists only when
 * every rule held), so an auditor can trace it; a fact that does not hold is a `fail`.
 */
export function planEvidence(kind: PlanFactKind, plan: TenancyPlan, today: string): EvidenceItem[] {
  const fact = (rule: string, status: CheckStatus, resource: string, message: string, cooperative?: string): EvidenceItem =>
    clean({ source: 'plan', pack: 'plan', rule, status, cooperative, stack: 'plan.json', resource, message });
  const p = plan.platform;
  switch (kind) {
    case 'cooperative-keys':
      return plan.cooperatives.map((c) =>
        fact('cooperative-key', 'pass', `cooperatives[${c.id}].cloud.keyAlias`, `zones ${Object.values(c.cloud.buckets).join(', ')} are planned under the cooperative's own key ${c.cloud.keyAlias}`, c.id),
      );
    case 'pseudonymization-key': {
      const dataKeys = new Set([...plan.cooperatives.map((c) => c.cloud.keyAlias), p.sharedZone.keyAlias]);
      const apart = !dataKeys.has(p.pseudonymizationKeyAlias);
      return [
        fact(
          'pseudonymization-key-separate',
          apart ? 'pass' : 'fail',
          'platform.pseudonymizationKeyAlias',
          apart
            ? `the pseudonymization key ${p.pseudonymizationKeyAlias} is none of the ${dataKeys.size} data keys (cooperative keys and shared-zone key ${p.sharedZone.keyAlias})`
            : `the pseudonymization key ${p.pseudonymizationKeyAlias} is also a data key`,
        ),
      ];
    }
    case 'log-retention': {
      const a = p.audit;
      const ok = a.logRetentionDays >= a.requiredRetentionDays;
      return [
        fact(
          'log-retention',
          ok ? 'pass' : 'fail',
          'platform.audit.logRetentionDays',
          `access logs in ${a.bucket} kept ${a.logRetentionDays} days; ${a.requiredRetentionDays} required because ${a.requiredRetentionReason} (config rule retention-too-short)`,
        ),
      ];
    }
    case 'agreements':
      return plan.grants.map((g) => {
        const complete = g.purpose.trim() !== '' && g.legalBasis.trim() !== '';
        const live = g.expires >= today;
        return fact(
          'agreement-terms',
          complete && live ? 'pass' : 'fail',
          g.source,
          `${g.consumer} reads ${g.cooperative}/${g.dataset} (${g.level}) for "${g.purpose}" under "${g.legalBasis}" until ${g.expires}${live ? '' : ' — EXPIRED'} (config rule agreement-expired)`,
          g.cooperative,
        );
      });
    case 'shared-zone-grants':
      return plan.grants
        .filter((g) => g.level !== 'raw')
        .map((g) => {
          const shared = g.database === p.sharedZone.database;
          return fact(
            'shared-zone-only',
            shared ? 'pass' : 'fail',
            g.source,
            `${g.consumer} reads ${g.level} data of ${g.cooperative}/${g.dataset} from ${g.database}.${g.table}${shared ? ' (shared zone)' : ' — NOT the shared zone'}`,
            g.cooperative,
          );
        });
    case 'disclosures': {
      const columns = new Map(plan.cooperatives.flatMap((c) => c.datasets.map((d) => [`${c.id}/${d.name}`, new Map(d.columns.map((col) => [col.name, col]))] as const)));
      return plan.grants.map((g) => {
        const cols = columns.get(`${g.cooperative}/${g.dataset}`);
        const terms = { level: g.level, consumerKind: g.consumerKind, ...(g.sensitiveBasis !== undefined ? { sensitiveBasis: g.sensitiveBasis } : {}) };
        const recorded = new Map(g.disclosures.map((d) => [d.column, d.disclosure]));
        const problems: string[] = [];
        const labels = g.columns.map((name) => {
          const col = cols?.get(name);
          const d = disclosureOf(terms, { name, pii: col?.pii ?? 'none', ...(col?.generalize ? { generalize: col.generalize } : {}) });
          if (d.kind === 'refused') problems.push(`${name} refused (${d.code})`);
          else if (JSON.stringify(recorded.get(name)) !== JSON.stringify(d)) problems.push(`${name} granted as ${recorded.has(name) ? disclosureLabel(recorded.get(name)!) : 'nothing'} but disclosureOf gives ${disclosureLabel(d)}`);
          return `${name}: ${disclosureLabel(d)}`;
        });
        const statistics = g.aggregate ? `; statistics table ${g.table} only, cells of fewer than ${g.aggregate.k} member companies absent` : '';
        return fact(
          'disclosure',
          problems.length > 0 ? 'fail' : 'pass',
          g.source,
          problems.length > 0 ? `${g.consumer} ← ${g.cooperative}/${g.dataset} (${g.level}): ${problems.join('; ')}` : `${g.consumer} ← ${g.cooperative}/${g.dataset} (${g.level}): ${labels.join(', ')}${statistics}`,
          g.cooperative,
        );
      });
    }
    case 'statistics-refresh':
      return plan.grants.flatMap((g) => {
        if (!g.aggregate) return [];
        const r = g.aggregate.refresh;
        const ends = r.endsAt === g.accessEndsAt;
        // Shown as "2029-03-31 15:00 UTC": the report's only ISO timestamp is its own date.
        const at = (t: string) => t.replace('T', ' ').replace(/:00Z$/, ' UTC');
        return [fact(
          'statistics-refresh',
          ends ? 'pass' : 'fail',
          g.source,
          `${g.aggregate.table} is refreshed by function ${r.function} (role ${r.role}, workgroup ${r.workgroup}) on schedule ${r.schedule} (${r.expression} ${r.timeZone}), which ends ${at(r.endsAt)}${ends ? ', the agreement\'s access end: refreshing stops then with no deploy, and the function refuses later runs' : ` — NOT the agreement's access end ${at(g.accessEndsAt)}`}; each run is written under ${r.location}run=<scheduled time>/ and the table points at a complete run only`,
          g.cooperative,
        )];
      });
    case 'pseudonymization-records': {
      const items = plan.cooperatives.flatMap((c) =>
        c.datasets.filter((d) => d.sharedColumns).map((d) => {
          const r = sharedCopyRecord(d);
          return fact(
            'pseudonymization-record',
            'pass',
            `s3://${c.cloud.buckets.curated}/${MANIFEST_PREFIX}/${d.name}/`,
            `every manifest of ${c.id}/${d.name} records in outputs.shared[].disclosure: tokenised ${r.tokenised.map((x) => x.column).join(', ') || '-'}; generalised ${r.generalised.map((x) => `${x.column} (${x.rule})`).join(', ') || '-'}; dropped ${r.dropped.join(', ') || '-'}; under ${[...new Set([...r.tokenised, ...r.generalised, ...r.kept].flatMap((x) => x.agreements))].sort().join(', ')}`,
            c.id,
          );
        }),
      );
      return items;
    }
    case 'destruction': {
      const retention = plan.cooperatives
        .filter((c) => !c.lifecycle)
        .map((c) =>
          fact('retention-expiry', 'pass', `cooperatives[${c.id}].datasets`, `zones of ${c.id} expire each dataset after its retention: ${c.datasets.map((d) => `${d.name} ${d.retentionDays} days`).join(', ') || 'no datasets'}`, c.id),
        );
      const steps = offboardingOf(plan).flatMap((o) => o.steps.map((st) => fact(`offboarding-${st.step}`, st.status, `${o.source}#status`, `${o.id} (${o.status} since ${o.since}, kept until ${o.retainUntil}): ${st.title.en}: ${st.evidence}`, o.id)));
      return [...retention, ...steps];
    }
    case 'erasure':
      // The machinery is planned per dataset: a dataset whose rows name their member company
      // can be erased by member; one without memberField cannot, and says so.
      return plan.cooperatives.flatMap((c) =>
        c.datasets.map((d) =>
          d.memberField !== undefined
            ? fact(
              'erasure-by-member',
              'pass',
              `s3://${c.cloud.buckets.curated}/${ERASURE_PREFIX.requests}/`,
              `${c.id}/${d.name}: rows of a member are found by ${d.memberField} in the curated zone${d.sharedColumns ? ' and in the shared copy (by its token, or by position)' : ''}; each erasure is recorded under s3://${c.cloud.buckets.curated}/${ERASURE_PREFIX.records}/`,
              c.id,
            )
            : clean({
              ...fact('erasure-by-member', 'acknowledged', `${c.source}#datasets[${d.name}]`, `${c.id}/${d.name}: declares no memberField, so an erasure request cannot tell its rows apart by member company`, c.id),
              reason: 'The dataset records no member company (e.g. cooperative-level telemetry); if its rows do belong to member companies, declare memberField so that erasure requests reach them.',
              fix: 'declare memberField on the dataset',
            }),
        ),
      );
    case 'no-raw-personal': {
      const raw = plan.grants.filter((g) => g.level === 'raw');
      if (raw.length === 0) return [fact('no-raw-personal', 'pass', 'grants', 'no agreement shares any dataset at level raw (config rule pii-raw-share)')];
      const columns = new Map(plan.cooperatives.flatMap((c) => c.datasets.map((d) => [`${c.id}/${d.name}`, new Map(d.columns.map((col) => [col.name, col.pii]))] as const)));
      return raw.map((g) => {
        const pii = columns.get(`${g.cooperative}/${g.dataset}`);
        const personal = g.columns.filter((col) => ['identifier', 'sensitive'].includes(pii?.get(col) ?? 'none'));
        const restricted = g.consumerKind === 'finance' || g.consumerKind === 'government';
        const bad = restricted && personal.length > 0;
        return fact(
          'no-raw-personal',
          bad ? 'fail' : 'pass',
          g.source,
          bad
            ? `${g.consumerKind} consumer ${g.consumer} reads personal columns ${personal.join(', ')} raw`
            : `${g.consumerKind} consumer ${g.consumer} reads ${g.cooperative}/${g.dataset} raw${personal.length ? ` including ${personal.join(', ')}` : ' with no identifier or sensitive column'}`,
          g.cooperative,
        );
      });
    }
  }
}

function ownersFromFindings(lists: readonly (readonly { readonly cooperative?: string; readonly stack: string }[])[]): Map<string, string> {
  // By stack: its one cooperative, or null once two disagree. No key built per finding.
  const owners = new Map<string, string | null>();
  for (const list of lists) {
    for (const f of list) {
      if (f.cooperative === undefined) continue;
      const known = owners.get(f.stack);
      if (known === undefined) owners.set(f.stack, f.cooperative);
      else if (known !== null && known !== f.cooperative) owners.set(f.stack, null);
    }
  }
  const out = new Map<string, string>();
  for (const [stack, owner] of owners) if (owner !== null) out.set(`*\u0000${stack}`, owner);
  return out;
}

/**
 * Each stack's resources by address and, where no address is the same, by logical id. By
 * stack, then name: no key string built per resource (~160,000 at 1,000 cooperatives).
 */
function indexInventory(stacks: readonly StackInventory[]): Map<string, Map<string, { item: InventoryItem; file: string }>> {
  const m = new Map<string, Map<string, { item: InventoryItem; file: string }>>();
  for (const s of stacks) {
    let inStack = m.get(s.stack);
    if (!inStack) m.set(s.stack, (inStack = new Map()));
    for (const item of s.resources) {
      const entry = { item, file: s.file };
      inStack.set(item.address, entry);
      if (!inStack.has(item.logicalId)) inStack.set(item.logicalId, entry);
    }
  }
  return m;
}

function packReports(findings: readonly CheckFinding[], passes: readonly Passes[]): PackReport[] {
  const packs = new Map<string, Map<string, { counts: Tally; controls: Set<string> }>>();
  const add = (pack: string, rule: string, controls: readonly string[], status: CheckStatus, n: number) => {
    let rules = packs.get(pack);
    if (!rules) packs.set(pack, (rules = new Map()));
    let r = rules.get(rule);
    if (!r) rules.set(rule, (r = { counts: { pass: 0, acknowledged: 0, fail: 0 }, controls: new Set() }));
    tally(r.counts, status, n);
    for (const c of controls) r.controls.add(c);
  };
  for (const f of findings) add(f.pack, f.rule, f.controls, f.status, 1);
  for (const g of passes) add(g.pack, g.rule, g.controls, 'pass', g.resources.length);
  return [...packs.keys()].sort().map((pack) => {
    const rules = packs.get(pack)!;
    const total: Tally = { pass: 0, acknowledged: 0, fail: 0 };
    for (const r of rules.values()) {
      total.pass += r.counts.pass;
      total.acknowledged += r.counts.acknowledged;
      total.fail += r.counts.fail;
    }
    return {
      pack,
      counts: total,
      rules: [...rules.keys()].sort().map((rule): RuleReport => {
        const { counts, controls } = rules.get(rule)!;
        return {
          rule,
          status: counts.fail ? 'failed' : counts.acknowledged ? 'acknowledged' : 'passed',
          controls: [...controls].sort(),
          counts,
        };
      }),
    };
  });
}

function tenancyOf(c: CooperativePlan): NonNullable<CooperativeReport['idc']['tenancy']> {
  const idc = c.idc!;
  const q = idc.quota;
  const quota: Record<string, string> = {
    cpu: formatCpu(q.cpuMillis),
    memory: formatBytes(q.memoryBytes),
    storage: formatBytes(q.storageBytes),
    pods: String(q.pods),
    services: String(q.services),
    pvcs: String(q.pvcs),
  };
  for (const [model, n] of Object.entries(q.gpus)) quota[`gpu/${model}`] = String(n);
  return {
    namespace: idc.namespace,
    quota,
    models: idc.models.map((m) => ({
      name: m.name,
      replicas: m.replicas,
      cpu: formatCpu(m.cpuMillis),
      memory: formatBytes(m.memoryBytes),
      gpu: m.gpu ? `${m.gpu.count}×${m.gpu.model}` : '-',
    })),
    sharedServers: idc.sharedServers,
  };
}

function capacityRows(plan: TenancyPlan): CapacityReportRow[] {
  return plan.capacity.rows.map((r) => ({
    resource: r.resource,
    capacity: r.capacity,
    requested: r.requested,
    capacityText: formatAmount(r.resource, r.capacity),
    requestedText: formatAmount(r.resource, r.requested),
    percent: r.capacity > 0 ? ((r.requested / r.capacity) * 100).toFixed(1) : r.requested > 0 ? '∞' : '0.0',
    exceeded: r.requested > r.capacity,
    tenants: Object.entries(r.byTenant)
      .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
      .map(([tenant, amount]) => ({ tenant, amount, text: formatAmount(r.resource, amount) })),
  }));
}

function dataFlowOf(plan: TenancyPlan): DataFlow {
  const edges = plan.grants
    .map((g) => ({ cooperative: g.cooperative, dataset: g.dataset, consumer: g.consumer, level: g.level }))
    .sort((a, b) => cmp(a.cooperative, b.cooperative) || cmp(a.dataset, b.dataset) || cmp(a.consumer, b.consumer) || cmp(a.level, b.level));
  const kinds = new Map(plan.platform.consumers.map((c) => [c.id, c.kind]));
  return {
    cooperatives: [...new Set(edges.map((e) => e.cooperative))].sort(),
    datasets: [...new Set(edges.map((e) => `${e.cooperative}/${e.dataset}`))].sort(),
    consumers: [...new Set(edges.map((e) => e.consumer))].sort().map((id) => ({ id, kind: kinds.get(id) ?? ('research' as ConsumerKind) })),
    edges,
  };
}

/** Counts findings or evidence by status. */
export function count(items: readonly { readonly status: CheckStatus }[]): StatusCounts {
  let pass = 0;
  let acknowledged = 0;
  let fail = 0;
  for (const i of items) {
    if (i.status === 'pass') pass++;
    else if (i.status === 'acknowledged') acknowledged++;
    else fail++;
  }
  return { pass, acknowledged, fail };
}

/** Groups items by key, keeping their order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Drops undefined fields so JSON output has no holes and key order is fixed by construction. */
function clean<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
