/**
 * Test helpers over the sample configuration: load it in memory, patch a file's text, and
 * find where a snippet sits so tests can assert exact `line:col` independently of the code
 * under test.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { compile, diagnosticText, readConfigDir, type CompileResult, type ConfigSources, type Diagnostic, type SourceFile, type TenancyPlan } from '../../infra';
import { awsSharedCatalogStack } from '../../infra/plan/names';

/** The repository's sample config folder. */
export const SAMPLE_DIR = join(__dirname, '..', '..', 'config');
/**
 * The sample cooperatives the repository ships. Tests read only these (a copy of config/
 * without any other cooperative file, or the sources filtered to them), so an onboarding pull
 * request that adds a file to config/cooperatives/ changes no test's input; the files are
 * still read from config/, so a test follows an edit of a shipped sample.
 */
export const SHIPPED_SAMPLES: readonly string[] = ['kbiz-federation', 'korea-electronics', 'korea-food', 'korea-machinery', 'korea-textile'];
const isShipped = (file: string) => SHIPPED_SAMPLES.includes(basename(file).replace(/\.ya?ml$/, ''));

/**
 * The ids of the shipped sample cooperatives present in the folder (`<id>.yaml`, skipping `_`
 * and dot files as the loader does): tests count with this, never with a number.
 */
export function sampleCooperativeIds(dir = SAMPLE_DIR): string[] {
  return readdirSync(join(dir, 'cooperatives'))
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_') && !f.startsWith('.') && isShipped(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/**
 * Copies config/ to `dest` as a test's own config folder: platform, templates, schema and the
 * shipped sample cooperatives, not other cooperative files a pull request may have added.
 */
export function copySamples(dest: string, from = SAMPLE_DIR): void {
  cpSync(from, dest, { recursive: true, filter: (src) => dirname(src) !== join(from, 'cooperatives') || !/\.ya?ml$/.test(src) || isShipped(src) });
}

/** Options of the stack counts: whether the app holds the ingestion functions (builds do). */
export interface StackCountOptions {
  /** @default true - each account holding cooperatives gets its ingestion API stack */
  readonly ingestion?: boolean;
}

/**
 * The AWS stacks the samples synthesize, from the files read as plain YAML: the platform's,
 * one per cooperative, each cell's shared zone and monitoring stack, the data-lake account's
 * monitoring stack when a cooperative has no cell, and the cells' shared-table shards holding a
 * cooperative that shares above raw (its shared or statistics tables live in the data lake);
 * per account holding cooperatives (a cell, or the data lake for those without one) its
 * gateways' trust anchor where a CA is declared, and its ingestion API when built with
 * ingestion and some cooperative of the account is not offboarding.
 */
export function sampleAwsStackCount(dir = SAMPLE_DIR, options: StackCountOptions = {}): number {
  type Coop = { cell?: string; sharing?: { level?: string }[] };
  type Anchor = { trustAnchor?: unknown };
  const platform = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')) as { cells?: ({ id: string } & Anchor)[]; ingestion?: Anchor };
  const ids = sampleCooperativeIds(dir);
  const shards = new Set<string>();
  const holders = new Set<string | undefined>();
  const ingesting = new Set<string | undefined>();
  for (const id of ids) {
    const c = parse(readFileSync(join(dir, 'cooperatives', `${id}.yaml`), 'utf8')) as Coop & { status?: string };
    if (c.cell !== undefined && (c.sharing ?? []).some((s) => s.level !== 'raw')) shards.add(awsSharedCatalogStack(c.cell, id));
    holders.add(c.cell);
    if (c.status === undefined || c.status === 'active') ingesting.add(c.cell);
  }
  const anchored = [...holders].filter((h) => (h === undefined ? platform.ingestion : platform.cells?.find((x) => x.id === h))?.trustAnchor !== undefined).length;
  // Platform, cooperatives, each cell's shared zone and monitoring stack, the data-lake account's monitoring stack when it holds cooperatives, shards, trust anchors, ingestion APIs.
  return 1 + ids.length + 2 * (platform.cells ?? []).length + (holders.has(undefined) ? 1 : 0) + shards.size + anchored + ((options.ingestion ?? true) ? ingesting.size : 0);
}

/** The AWS stacks a plan synthesizes, counted the way {@link sampleAwsStackCount} counts the samples. */
export function awsStackCount(
  plan: Pick<TenancyPlan, 'cooperatives' | 'grants'> & { platform: { cells: readonly { id: string; trustAnchor?: unknown }[]; ingestion: { trustAnchor?: unknown } } },
  options: StackCountOptions = {},
): number {
  const shards = new Set<string>();
  const holders = new Set<string | undefined>();
  for (const c of plan.cooperatives) {
    if (c.cell !== undefined && plan.grants.some((g) => g.cooperative === c.id && g.level !== 'raw')) shards.add(awsSharedCatalogStack(c.cell, c.id));
    holders.add(c.cell);
  }
  const ingesting = new Set(plan.cooperatives.filter((c) => !c.lifecycle).map((c) => c.cell));
  const anchored = [...holders].filter((h) => (h === undefined ? plan.platform.ingestion : plan.platform.cells.find((x) => x.id === h))?.trustAnchor !== undefined).length;
  return 1 + plan.cooperatives.length + 2 * plan.platform.cells.length + (holders.has(undefined) ? 1 : 0) + shards.size + anchored + ((options.ingestion ?? true) ? ingesting.size : 0);
}

/**
 * Totals of the sample files as they are, read as plain YAML (not through the loader under
 * test), for tests that check a count or a sum the code computes from them.
 */
export function sampleTotals(dir = SAMPLE_DIR) {
  type Coop = { datasets?: unknown[]; sharing?: unknown[]; idc?: { quota?: { cpu?: string } } };
  const coops = sampleCooperativeIds(dir).map((id) => parse(readFileSync(join(dir, 'cooperatives', `${id}.yaml`), 'utf8')) as Coop);
  const platform = parse(readFileSync(join(dir, 'platform.yaml'), 'utf8')) as { consumers: unknown[]; sharedServers: { quota: { cpu: string } }[] };
  const cores = (q: string | undefined) => (q === undefined ? 0 : q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
  return {
    cooperatives: coops.length,
    /** Ids of the cooperatives with an `idc` block (a Terraform stack each). */
    idc: sampleCooperativeIds(dir).filter((_, i) => coops[i].idc !== undefined),
    datasets: coops.reduce((n, c) => n + (c.datasets?.length ?? 0), 0),
    agreements: coops.reduce((n, c) => n + (c.sharing?.length ?? 0), 0),
    consumers: platform.consumers.length,
    /** CPU cores reserved by every quota: the cooperatives' and the shared servers'. */
    cpu: coops.reduce((n, c) => n + cores(c.idc?.quota?.cpu), 0) + platform.sharedServers.reduce((n, s) => n + cores(s.quota.cpu), 0),
  };
}

/** A date before every sample agreement expires. */
export const TODAY = '2026-11-27';

/** The shipped samples as sources, with display paths like `config/cooperatives/x.yaml`. */
export function sampleSources(dir = SAMPLE_DIR): ConfigSources {
  const all = readConfigDir(dir, join(dir, '..'));
  return { ...all, cooperatives: all.cooperatives.filter((c) => isShipped(c.relativePath)) };
}

/** Replaces text in one file of a source set (platform or a cooperative by id). */
export function patch(sources: ConfigSources, file: 'platform' | string, edit: (text: string) => string): ConfigSources {
  const apply = (s: SourceFile): SourceFile => ({ ...s, text: edit(s.text) });
  if (file === 'platform') return { ...sources, platform: apply(sources.platform) };
  let found = false;
  const cooperatives = sources.cooperatives.map((s) => {
    if (!s.relativePath.endsWith(`/${file}.yaml`)) return s;
    found = true;
    return apply(s);
  });
  if (!found) throw new Error(`no sample cooperative ${file}`);
  return { ...sources, cooperatives };
}

/** Replaces exactly one occurrence, failing the test when the anchor is missing or ambiguous. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`anchor ${JSON.stringify(from)} must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** 1-based line and column of the first occurrence of `needle` (after `after`, when given). */
export function positionOf(text: string, needle: string, after?: string): { line: number; col: number } {
  const start = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, start < 0 ? 0 : start);
  if (i < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** Compiles sources with the fixed test date. */
export function compileAt(sources: ConfigSources, today = TODAY): CompileResult {
  return compile(sources, { today });
}

/** Text of a sample file. */
export function sampleText(relative: string): string {
  return readFileSync(join(SAMPLE_DIR, relative), 'utf8');
}

/** A diagnostic's message and hint in Korean, as `--lang ko` (the default) shows them. */
export function korean(d: Diagnostic): { readonly message: string; readonly hint?: string } {
  return diagnosticText(d, 'ko');
}
