/**
 * Reading the build output the report is made from: the plan, the check results and the
 * synthesized stacks. Defensive by design: a renderer that has not run (or a check file
 * that does not parse) is recorded as a note the report shows, never a crash, because the
 * report is most needed exactly when something else went wrong.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CheckFinding, PassGroup } from '../checks/findings';
import { OUTPUT } from '../shared-names';
import { formatMessage, msg, type MessageRef } from '../config/messages';
import { compareFindings, expandPasses, readCheckFile } from '../checks/findings';
import type { TenancyPlan } from '../plan/types';
import { inventoryOfTemplate, inventoryOfTerraform, type StackInventory } from './inventory';
import { readCheckResultOrigin, type CheckResultOrigin } from './provenance';

/** Folder of CDK output inside the build output. */
export const CDK_OUT = OUTPUT.cdkOut;
/** Folder of CDKTF output inside the build output. */
export const CDKTF_OUT = OUTPUT.cdktfOut;
/** Folder of check result files inside the build output. */
export const CHECKS_DIR = OUTPUT.checks;

/** Everything the report is built from. */
export interface ReportInputs {
  readonly plan: TenancyPlan;
  /**
   * Every finding of every check file that is not in `passes`, sorted: the failures and
   * acknowledgements, and the passes of files of the first format.
   */
  readonly findings: readonly CheckFinding[];
  /**
   * Passes as the check files group them (per rule, stack and message, the resources
   * listed): ~95 % of the results at scale, which the report counts and lists per control
   * but never shows one by one.
   * @default - none
   */
  readonly passes?: readonly PassGroup[];
  /** Check files read, relative to the output folder, sorted. */
  readonly checkFiles: readonly string[];
  /** CloudFormation templates; undefined when no CDK output exists. */
  readonly cloud?: readonly StackInventory[];
  /** Terraform stacks; undefined when no CDKTF output exists. */
  readonly idc?: readonly StackInventory[];
  /** Problems reading the output (unparseable files), shown in the report and on the terminal. */
  readonly problems: readonly MessageRef[];
  /** How the build produced the check results; undefined when not recorded. */
  readonly checkResults?: CheckResultOrigin;
  /**
   * The owner of each stack (`<kind>\u0000<stack>` → cooperative, or null for a platform
   * stack) decided beforehand over the whole output, used instead of attributing the stacks
   * from these inputs: a part of the inputs (`cellInputs`) cannot tell a platform stack from
   * its cooperatives' findings alone.
   * @default - attributed from the findings and the plan's names
   */
  readonly stackOwners?: ReadonlyMap<string, string | null>;
}

/** Options of {@link readReportInputs}. */
export interface ReadReportOptions {
  /**
   * Gives the inventory of a stack file (`cdk.out/X.template.json`, relative to the output
   * folder), or calls `read` for it: a build that knows each template's hash keeps inventories
   * in its cache, since computing them was most of the report's reading at 1,000
   * cooperatives (docs/design/report.md). It must give what `read` would.
   * @default - every stack file is read
   */
  readonly stackInventory?: (file: string, read: () => StackInventory) => StackInventory;
}

/** Thrown when the output folder has no plan: there is nothing to report on. */
export class MissingPlanError extends Error {
  constructor(public readonly file: string) {
    super(`no plan at ${file}`);
    this.name = 'MissingPlanError';
  }
}

/**
 * Reads the plan, checks and synthesized stacks from a build output folder, and how the
 * check results were produced: `checkResults` when given (the build's report step, before
 * build.json is written), else build.json's.
 */
export function readReportInputs(outDir: string, checkResults?: CheckResultOrigin, options: ReadReportOptions = {}): ReportInputs {
  const planFile = join(outDir, OUTPUT.plan);
  if (!existsSync(planFile)) throw new MissingPlanError(planFile);
  const plan = JSON.parse(readText(planFile)) as TenancyPlan;
  const problems: MessageRef[] = [];
  const { findings, passes, files } = readCheckGroups(join(outDir, CHECKS_DIR), CHECKS_DIR, problems);
  const origin = checkResults ?? readCheckResultOrigin(outDir, problems);
  return {
    plan,
    findings,
    passes,
    checkFiles: files,
    ...optional('cloud', readStacks(outDir, CDK_OUT, /\.template\.json$/, problems, options.stackInventory, (file, json) => inventoryOfTemplate(stackOfTemplate(file), file, json))),
    ...optional('idc', readStacks(outDir, join(CDKTF_OUT, 'stacks'), /(^|\/)cdk\.tf\.json$/, problems, undefined, (file, json) => inventoryOfTerraform(stackOfTerraform(file), file, json))),
    // In the order of their English text, the report's language: the same order in every run.
    problems: problems.map((p) => [formatMessage('en', p), p] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, p]) => p),
    ...(origin ? { checkResults: origin } : {}),
  };
}

/** Reads `<outDir>/checks/*.json` (see `CheckFile`; files of the first format too). */
export function readChecks(outDir: string, problems: MessageRef[] = []): { findings: CheckFinding[]; files: string[] } {
  return readCheckFolder(join(outDir, CHECKS_DIR), CHECKS_DIR, problems);
}

/**
 * Reads every `*.json` of a checks folder, every finding one by one (passes too), sorted.
 * Files are named `<label>/<name>` in the result and in problems. A file that does not parse
 * or has the wrong shape is skipped and reported, never half-read.
 */
export function readCheckFolder(dir: string, label: string, problems: MessageRef[] = []): { findings: CheckFinding[]; files: string[] } {
  const { findings, passes, files } = readCheckGroups(dir, label, problems);
  for (const f of expandPasses(passes)) findings.push(f);
  return { findings: findings.sort(compareFindings), files };
}

/**
 * Reads a checks folder as {@link readCheckFolder} does, but keeps the passes grouped as the
 * files store them; `findings` (sorted) holds the rest.
 */
export function readCheckGroups(dir: string, label: string, problems: MessageRef[] = []): { findings: CheckFinding[]; passes: PassGroup[]; files: string[] } {
  if (!existsSync(dir)) return { findings: [], passes: [], files: [] };
  const findings: CheckFinding[] = [];
  const passes: PassGroup[] = [];
  const files: string[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const rel = `${label}/${name}`;
    try {
      const read = readCheckFile(JSON.parse(readText(join(dir, name))));
      // One by one: spreading a large file's entries into push's arguments exceeds the call
      // stack (~300,000 findings at 1,000 cooperatives in the first format).
      for (const f of read.findings) findings.push(f);
      for (const g of read.passes) passes.push(g);
      files.push(rel);
    } catch (e) {
      problems.push(msg('report.not-read', { file: rel, error: (e as Error).message }));
    }
  }
  return { findings: findings.sort(compareFindings), passes, files };
}

/**
 * A file's text, decoded from its bytes: Node 20's `readFileSync(file, 'utf8')` takes about
 * twice the CPU time on files of tens of MB (a large build's plan and check files).
 */
function readText(file: string): string {
  return readFileSync(file).toString('utf8');
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function readStacks(
  outDir: string,
  folder: string,
  pattern: RegExp,
  problems: MessageRef[],
  given: ReadReportOptions['stackInventory'],
  parse: (file: string, json: unknown) => StackInventory,
): StackInventory[] | undefined {
  const root = join(outDir, folder);
  if (!existsSync(root)) return undefined;
  const out: StackInventory[] = [];
  for (const abs of walk(root)) {
    const file = relative(outDir, abs).split(sep).join('/');
    if (!pattern.test(file)) continue;
    try {
      const read = () => parse(file, JSON.parse(readText(abs)));
      out.push(given ? given(file, read) : read());
    } catch (e) {
      problems.push(msg('report.not-read', { file, error: (e as Error).message }));
    }
  }
  return out.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

/** Files under a folder, sorted; asset folders are skipped (they hold bundles, not stacks). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('asset.')) continue;
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...walk(abs));
    else out.push(abs);
  }
  return out;
}

function stackOfTemplate(file: string): string {
  return file.split('/').pop()!.replace(/\.template\.json$/, '');
}

function stackOfTerraform(file: string): string {
  const parts = file.split('/');
  return parts[parts.length - 2] ?? file;
}
