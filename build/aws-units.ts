/**
 * The AWS app unit by unit: the platform stack, and each cell (its cooperatives' stacks with
 * its shared zone and shared-table stacks in the data-lake account; `stacks/aws/aws-app.ts`
 * `awsStackLayout`). A unit's output (its stacks' files in `cdk.out/`, their manifest
 * entries and their findings) is stored whole in the build cache under the SHA-256 of
 * everything it was made from: the plan it is rendered from (a cell's slice, `selectCell`;
 * the whole plan for the platform stack, which reads every cooperative), the code under
 * `infra/`, `stacks/` and `build/`, the Lambda bundles, the aws-cdk-lib, constructs and
 * cdk-nag versions, and which checks ran. A unit whose entry opens is restored by writing
 * those files back, without constructing anything; the others are built together in one app.
 * The manifest is then assembled in the order the whole app writes it, with each stack's
 * dependencies on stacks of other units put back, so that the assembly is the whole app's,
 * byte for byte, whichever units were restored (tests compare, and run `cdk ls` on it).
 *
 * Entries are sealed like the per-stack ones (`build-cache.ts` `sealEntry`): one that does not
 * open is a miss, built again and rewritten.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckFinding, TenancyPlan } from '../infra';
import type { AwsStackLayout } from '../stacks/aws/aws-app';
import { entryFileName, openEntry, touchEntry, UNIT_CACHE, writeEntry } from './build-cache';
import { sourceHash } from './nag-cache';

/** What one unit of the AWS app produced: enough to put it back into `cdk.out/` as it was. */
export interface AwsUnitResult {
  readonly unit: string;
  /** Its stacks' files in `cdk.out/` (templates, asset manifests, metadata), by name, sorted. */
  readonly files: Readonly<Record<string, string>>;
  /** The asset folders its stacks use (`asset.<hash>`), each with the Lambda bundle it holds. */
  readonly assets: Readonly<Record<string, string>>;
  /** Its stacks' entries of `manifest.json` (each stack and its asset manifest), by artifact id. */
  readonly artifacts: Readonly<Record<string, unknown>>;
  /** Files of the whole assembly other than the manifest (the `cdk.out` version marker), the same in every unit. */
  readonly appFiles: Readonly<Record<string, string>>;
  /** The manifest without any stack's entry (version, feature-flag report), the same in every unit. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Every finding of its stacks. */
  readonly findings: readonly CheckFinding[];
  /** Check results it holds: its stacks times the checks run on each. */
  readonly checks: number;
  readonly stacks: number;
}

/** A cloud assembly manifest as far as the build reads and writes it. */
interface Manifest {
  readonly artifacts?: Record<string, { readonly type?: string; dependencies?: string[] } & Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * The assembly's own files besides the manifest: aws-cdk-lib's version marker. Its
 * `validation-report.json` is not kept (see the AWS step): it groups findings across every
 * stack of one synthesis, and `checks/aws.json` holds every finding.
 */
const APP_FILES = ['cdk.out'];

/** The units of `layout` in the order of their first stack. */
export function unitsOf(layout: readonly AwsStackLayout[]): string[] {
  return [...new Set(layout.map((s) => s.unit))];
}

/** What, besides its plan, every unit's output depends on. */
export interface UnitSalt {
  /** Lambda bundle name → SHA-256 of its files. */
  readonly bundles: Readonly<Record<string, string>>;
  /** aws-cdk-lib's template validation on (`CDK_VALIDATION`). */
  readonly validate: boolean;
}

const FORMAT = 'coop-idc-aws-unit/1';

/** The key of `unit`: its plan (the platform's: the whole plan), the code, the libraries and `salt`. */
export function unitKey(unit: string, layout: readonly AwsStackLayout[], salt: UnitSalt): unknown {
  const plan = layout.find((s) => s.unit === unit)?.plan;
  if (!plan) throw new Error(`no stack of unit ${unit} in the layout`);
  return { format: FORMAT, unit, plan: digest(plan), sources: sourceHash(), versions: versions(), ...salt };
}

function digest(plan: TenancyPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}

let cachedVersions: Record<string, string> | undefined;
function versions(): Record<string, string> {
  return (cachedVersions ??= Object.fromEntries(['aws-cdk-lib', 'constructs', 'cdk-nag'].map((p) => [p, (require(`${p}/package.json`) as { version: string }).version])));
}

/** SHA-256 of every file of a folder, names included, in name order. */
export function folderDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else hash.update(`${prefix}${e.name}\0`).update(readFileSync(join(d, e.name))).update('\0');
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}

function isUnitResult(c: unknown): c is AwsUnitResult {
  const r = c as AwsUnitResult;
  return r !== null && typeof r === 'object' && typeof r.unit === 'string' && typeof r.files === 'object' && typeof r.assets === 'object' && typeof r.appFiles === 'object' && typeof r.artifacts === 'object' && typeof r.manifest === 'object' && Array.isArray(r.findings) && typeof r.checks === 'number' && typeof r.stacks === 'number';
}

/** What reading a unit's entry gave. */
export type UnitRead = { readonly result: AwsUnitResult } | { readonly missing: true } | { readonly rejected: string };

/** Reads the entry of `key` from the cache folder `dir`; a hit refreshes its mtime. */
export function readUnit(dir: string, key: unknown): UnitRead {
  const file = join(dir, UNIT_CACHE, entryFileName(key));
  const read = openEntry(file, UNIT_CACHE, key, isUnitResult);
  if ('content' in read) {
    touchEntry(file);
    return { result: read.content };
  }
  return read;
}

/** Stores `result` under `key` ({@link writeEntry}). */
export function writeUnit(dir: string, key: unknown, result: AwsUnitResult): void {
  writeEntry(dir, UNIT_CACHE, key, result);
}

/**
 * Splits what one app of `units` synthesized into `cdkOut` into one result per unit.
 * `bundles`: Lambda bundle name → its folder, to name the bundle each asset folder holds.
 */
export function splitUnits(cdkOut: string, units: readonly string[], layout: readonly AwsStackLayout[], findings: readonly CheckFinding[], checksPerStack: number, bundles: Readonly<Record<string, string>>): AwsUnitResult[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as Manifest;
  const artifacts = manifest.artifacts ?? {};
  const owned = new Set(layout.flatMap((s) => [s.id, `${s.id}.assets`]));
  const shared = { ...manifest, artifacts: Object.fromEntries(Object.entries(artifacts).filter(([id]) => !owned.has(id))) };
  const bundleOf = assetBundles(cdkOut, bundles);
  const appFiles = Object.fromEntries(APP_FILES.filter((f) => existsSync(join(cdkOut, f))).map((f) => [f, readFileSync(join(cdkOut, f), 'utf8')]));
  return units.map((unit) => {
    const stacks = layout.filter((s) => s.unit === unit);
    const ids = new Set(stacks.map((s) => s.id));
    const files: Record<string, string> = {};
    const assets: Record<string, string> = {};
    for (const s of stacks) {
      for (const f of [`${s.id}.assets.json`, `${s.id}.metadata.json`, `${s.id}.template.json`]) {
        if (!existsSync(join(cdkOut, f))) continue;
        files[f] = readFileSync(join(cdkOut, f), 'utf8');
      }
      const assetManifest = files[`${s.id}.assets.json`];
      for (const a of Object.values((assetManifest ? JSON.parse(assetManifest) : {}).files ?? {}) as { source?: { path?: string } }[]) {
        const path = a.source?.path;
        if (path === undefined || !path.startsWith('asset.')) continue;
        const bundle = bundleOf.get(path);
        if (bundle === undefined) throw new Error(`cdk.out/${path} is not one of the Lambda bundles: the build cannot restore it`);
        assets[path] = bundle;
      }
    }
    const own: Record<string, unknown> = {};
    for (const s of stacks) for (const id of [`${s.id}.assets`, s.id]) if (artifacts[id]) own[id] = artifacts[id];
    return { unit, files, assets, appFiles, artifacts: own, manifest: shared, findings: findings.filter((f) => ids.has(f.stack)), checks: stacks.length * checksPerStack, stacks: stacks.length };
  });
}

/** Asset folder name → the bundle whose files it holds. */
function assetBundles(cdkOut: string, bundles: Readonly<Record<string, string>>): Map<string, string> {
  const byDigest = new Map(Object.entries(bundles).map(([name, dir]) => [folderDigest(dir), name]));
  const out = new Map<string, string>();
  for (const e of readdirSync(cdkOut, { withFileTypes: true })) {
    if (!e.isDirectory() || !e.name.startsWith('asset.')) continue;
    const name = byDigest.get(folderDigest(join(cdkOut, e.name)));
    if (name !== undefined) out.set(e.name, name);
  }
  return out;
}

/** Writes a restored unit's files and the asset folders it uses (copies of the bundles) into `cdkOut`. */
export function restoreUnit(cdkOut: string, result: AwsUnitResult, bundles: Readonly<Record<string, string>>): void {
  mkdirSync(cdkOut, { recursive: true });
  for (const [f, text] of Object.entries({ ...result.appFiles, ...result.files })) writeFileSync(join(cdkOut, f), text);
  for (const [asset, bundle] of Object.entries(result.assets)) {
    const from = bundles[bundle];
    if (from === undefined) throw new Error(`the cached unit ${result.unit} uses the Lambda bundle ${bundle}, which this build does not have`);
    if (!existsSync(join(cdkOut, asset))) cpSync(from, join(cdkOut, asset), { recursive: true });
  }
}

/**
 * Writes `cdk.out/manifest.json` for every unit: the stacks in the order the whole app
 * writes them, each depending on the stacks `layout` says (within and across units) and
 * then on its own asset manifest, as aws-cdk-lib writes it.
 */
export function writeManifest(cdkOut: string, layout: readonly AwsStackLayout[], results: readonly AwsUnitResult[]): void {
  const first = results[0];
  if (!first) throw new Error('no unit to assemble');
  const byId = new Map<string, unknown>();
  for (const r of results) for (const [id, a] of Object.entries(r.artifacts)) byId.set(id, a);
  const stackIds = new Set(layout.map((s) => s.id));
  const artifacts: Record<string, unknown> = {};
  for (const s of layout) {
    const assets = byId.get(`${s.id}.assets`);
    if (assets) artifacts[`${s.id}.assets`] = assets;
    const stack = byId.get(s.id) as { dependencies?: string[] } | undefined;
    if (!stack) throw new Error(`stack ${s.id} is in no unit's output`);
    artifacts[s.id] = { ...stack, dependencies: [...s.dependsOn, ...(stack.dependencies ?? []).filter((d) => !stackIds.has(d))] };
  }
  const shared = first.manifest as Manifest;
  const manifest = { ...shared, artifacts: { ...artifacts, ...(shared.artifacts ?? {}) } };
  writeFileSync(join(cdkOut, 'manifest.json'), JSON.stringify(manifest, undefined, 2));
}
