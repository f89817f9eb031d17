/**
 * The AWS app unit by unit: the platform stack, and each cell (its cooperatives' stacks with
 * its shared zone and shared-table stacks in the data-lake account; `stacks/aws/aws-app.ts`
 * `awsStackLayout`). A unit's output (its stacks' files in `cdk.out/`, their manifest
 * entries and their findings) is stored whole in the build cache under the SHA-256 of
 * everything it was made from: the plan it is rendered from (a cell's slice, `selectCell`;
 * the platform stack's own, `selectPlatform`), the code under
 * `infra/`, `stacks/` and `build/`, the Lambda bundles, the aws-cdk-lib, constructs and
 * cdk-nag versions, and which checks ran. A unit whose entry opens is restored by writing
 * those files back, without constructing anything; the others are built together in one app.
 * The manifest is then assembled in the order the whole app writes it, with each stack's
 * dependencies on stacks of other units put back, so that the assembly is the whole app's,
 * byte for byte, whichever units were restored (tests compare, and run `cdk ls` on it).
 *
 * Entries are sealed like the per-stack ones (`build-cache.ts` `sealEntry`): one that does not
 * open is a miss, built again and rewritten. The stacks' templates and metadata are not in
 * the entries but in the cache's file store (`aws-files/`), each once under the SHA-256 of its
 * bytes, which the entry records: a unit's and its stacks' entries name the same files, a
 * restored file is copied into `cdk.out/` without being decoded, and reading an entry parses
 * its findings and manifest entries only (at 1,000 cooperatives a cell's templates and
 * metadata were ~16 MB of its ~31 MB entry). A file that is gone (pruned) makes its entry a
 * miss; one whose bytes no longer hash to its name makes it rejected.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactFindings, regroupCheckFiles, type CheckFile, type CheckFinding, type TenancyPlan } from '../infra';
import { cfnFiguresOf, type CfnFigures } from '../infra/checks/aws/cfn-limits';
import { quotaFiguresOf, type StackQuotaFigures } from '../infra/checks/aws/service-quotas';
import type { AwsStackLayout } from '../stacks/aws/layout';
import { checkStoredFile, entryFileName, fileHash, openEntry, STACK_CACHE, storedFilePath, storeFile, touchEntry, UNIT_CACHE, writeEntry } from './build-cache';
import { sourceHash } from './source-files';

/**
 * A file of a unit read from a cache or a shard's output: kept in its file store, not in
 * memory. Its bytes hashed to `sha256` when the entry was read.
 */
export interface StoredFile {
  readonly sha256: string;
  readonly path: string;
}

/** A file of a unit: its text (the unit was built by this build), or where it is stored. */
export type UnitFile = string | StoredFile;

/** What one unit of the AWS app produced: enough to put it back into `cdk.out/` as it was. */
export interface AwsUnitResult {
  readonly unit: string;
  /** Its stacks' files in `cdk.out/` (templates, asset manifests, metadata), by name, sorted. Asset manifests are always text. */
  readonly files: Readonly<Record<string, UnitFile>>;
  /** The asset folders its stacks use (`asset.<hash>`), each with the Lambda bundle it holds. */
  readonly assets: Readonly<Record<string, string>>;
  /** Its stacks' entries of `manifest.json` (each stack and its asset manifest), by artifact id. */
  readonly artifacts: Readonly<Record<string, unknown>>;
  /** Files of the whole assembly other than the manifest (the `cdk.out` version marker), the same in every unit. */
  readonly appFiles: Readonly<Record<string, string>>;
  /** The manifest without any stack's entry (version, feature-flag report), the same in every unit. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /**
   * Every finding of its stacks, as their check file (`compactFindings`): at 1,000 cooperatives
   * a cell's ~21,000 findings, most of them passes, as a few hundred groups. The build puts
   * the units' files together without a finding per resource (`regroupCheckFiles`).
   */
  readonly checkFile: CheckFile;
  /** What the account-level checks read of each of its stacks' templates, by stack id. */
  readonly figures: Readonly<Record<string, StackFigures>>;
  /** Check results it holds: its stacks times the checks run on each. */
  readonly checks: number;
  readonly stacks: number;
}

/**
 * What the account-level checks read of a stack's template: its figures for CloudFormation's
 * per-stack quotas and for the account's service quotas. Kept with the stack, so that neither
 * a build restoring it from the cache nor the merge of CI shards parses the template for
 * them (at 1,000 cooperatives 1,133 templates, ~106 MB). The report's inventories are not
 * kept: held for every stack from the start of a build, they raised its peak memory more than
 * reading each template once in the report step costs (docs/design/build.md).
 */
export interface StackFigures {
  readonly cfn: CfnFigures;
  readonly quotas: StackQuotaFigures;
}

/** The figures of a stack's template, `text` as written to `cdk.out/`. */
function stackFigures(text: string): StackFigures {
  const template = JSON.parse(text);
  return { cfn: cfnFiguresOf(template, Buffer.byteLength(text)), quotas: quotaFiguresOf(template) };
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

const FORMAT = 'coop-idc-aws-unit/3';

/** The key of `unit`: its plan (a cell's slice; the platform's own slice), the code, the libraries and `salt`. */
export function unitKey(unit: string, layout: readonly AwsStackLayout[], salt: UnitSalt): unknown {
  const first = layout.find((s) => s.unit === unit);
  if (!first) throw new Error(`no stack of unit ${unit} in the layout`);
  return { format: FORMAT, unit, plan: digest(first.kind === 'platform' ? first.slice : first.plan), sources: sourceHash(), versions: versions(), ...salt };
}

function digest(input: object): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
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

/** The files kept in the file store rather than in the entry: all but the asset manifests, which the build reads. */
const STORED = /\.(template|metadata)\.json$/;

/** A unit as its entry holds it: each stored file by its hash. */
type StoredUnit = Omit<AwsUnitResult, 'files'> & { readonly files: Readonly<Record<string, string | { readonly sha256: string }>> };

const SHA256 = /^[0-9a-f]{64}$/;

function isStoredUnit(c: unknown): c is StoredUnit {
  const r = c as StoredUnit;
  return r !== null && typeof r === 'object' && typeof r.unit === 'string' && typeof r.files === 'object' && r.files !== null && Object.entries(r.files).every(([name, f]) => (STORED.test(name) ? typeof f === 'object' && f !== null && typeof f.sha256 === 'string' && SHA256.test(f.sha256) : typeof f === 'string')) && typeof r.assets === 'object' && typeof r.appFiles === 'object' && typeof r.artifacts === 'object' && typeof r.manifest === 'object' && isCheckFile(r.checkFile) && typeof r.figures === 'object' && r.figures !== null && typeof r.checks === 'number' && typeof r.stacks === 'number';
}

function isCheckFile(c: unknown): c is CheckFile {
  const f = c as CheckFile;
  return f !== null && typeof f === 'object' && Array.isArray(f.findings) && Array.isArray(f.acknowledgements) && Array.isArray(f.passes);
}

/** What reading a unit's entry gave. */
export type UnitRead = { readonly result: AwsUnitResult } | { readonly missing: true } | { readonly rejected: string };

/** Whether the cache folder `dir` holds an entry filed under `key` (opened by {@link readUnit}, which may still reject it). */
export function unitEntryExists(dir: string, key: unknown, folder: string = UNIT_CACHE): boolean {
  return existsSync(join(dir, folder, entryFileName(key)));
}

/**
 * Reads the entry of `key` from the cache folder `dir` (or a shard's output) and checks each
 * stored file it names; a hit refreshes the mtime of the entry and of its files.
 */
export function readUnit(dir: string, key: unknown, folder: string = UNIT_CACHE): UnitRead {
  const file = join(dir, folder, entryFileName(key));
  const read = openEntry(file, folder, key, isStoredUnit);
  if (!('content' in read)) return read;
  const files: Record<string, UnitFile> = {};
  for (const [name, f] of Object.entries(read.content.files)) {
    if (typeof f === 'string') {
      files[name] = f;
      continue;
    }
    const stored = checkStoredFile(dir, f.sha256);
    if (!('path' in stored)) return stored;
    files[name] = { sha256: f.sha256, path: stored.path };
  }
  touchEntry(file);
  return { result: { ...read.content, files } };
}

/**
 * Stores `result` under `key` ({@link writeEntry}; `folder`: {@link STACK_CACHE} for a single
 * stack), its templates and metadata in the file store of `dir` (copied there when they are
 * stored elsewhere). No entry is written when a file could not be stored.
 */
export function writeUnit(dir: string, key: unknown, result: AwsUnitResult, folder: string = UNIT_CACHE): void {
  const stored = withStoredFiles(dir, result);
  if (stored === undefined) return;
  writeEntry(dir, folder, key, { ...stored, files: Object.fromEntries(Object.entries(stored.files).map(([name, f]) => [name, typeof f === 'string' ? f : { sha256: f.sha256 }])) });
}

/**
 * `result` with its templates and metadata in the file store of `dir` (written, or copied
 * there when stored elsewhere), each named by its hash; undefined when one could not be
 * stored. A unit built by this build is stored so once before its entry and its stacks'
 * entries are written, so that its files are hashed once, not once per entry.
 */
export function withStoredFiles(dir: string, result: AwsUnitResult): AwsUnitResult | undefined {
  const files: Record<string, UnitFile> = {};
  for (const [name, f] of Object.entries(result.files)) {
    if (typeof f === 'string' && !STORED.test(name)) {
      files[name] = f;
      continue;
    }
    const sha256 = storeFile(dir, typeof f === 'string' ? Buffer.from(f) : { sha256: f.sha256, copyFrom: f.path });
    if (sha256 === undefined) return undefined;
    files[name] = { sha256, path: storedFilePath(dir, sha256) };
  }
  return { ...result, files };
}

/** SHA-256 of a unit's file, as the file store names it. */
function unitFileHash(f: UnitFile): string {
  return typeof f === 'string' ? fileHash(Buffer.from(f)) : f.sha256;
}

/** `r` with each file as its hash: what `--verify-cache` compares, whether the files are text or stored. */
export function comparableUnit(r: AwsUnitResult): Omit<AwsUnitResult, 'files'> & { readonly files: Readonly<Record<string, string>> } {
  return { ...r, files: Object.fromEntries(Object.entries(r.files).map(([name, f]) => [name, unitFileHash(f)])) };
}

/** The text of an asset manifest (never stored apart from its entry). */
function assetManifest(name: string, f: UnitFile | undefined): { files?: Record<string, { source?: { path?: string } }> } {
  if (f === undefined) return {};
  if (typeof f !== 'string') throw new Error(`${name} is stored apart from its entry: the build reads asset manifests from the entry`);
  return JSON.parse(f);
}

/**
 * Splits what one app of `units` synthesized into `cdkOut` into one result per unit.
 * `bundles`: Lambda bundle name → its folder, to name the bundle each asset folder holds.
 */
export function splitUnits(cdkOut: string, units: readonly string[], layout: readonly AwsStackLayout[], findings: readonly CheckFinding[], checksPerStack: number, bundles: Readonly<Record<string, string>>, skipped: ReadonlySet<string> = new Set()): AwsUnitResult[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as Manifest;
  const artifacts = manifest.artifacts ?? {};
  const owned = new Set(layout.flatMap((s) => [s.id, `${s.id}.assets`]));
  const stackIds = new Set(layout.map((s) => s.id));
  const shared = { ...manifest, artifacts: Object.fromEntries(Object.entries(artifacts).filter(([id]) => !owned.has(id))) };
  const bundleOf = assetBundles(cdkOut, bundles);
  const appFiles = Object.fromEntries(APP_FILES.filter((f) => existsSync(join(cdkOut, f))).map((f) => [f, readFileSync(join(cdkOut, f), 'utf8')]));
  return units.map((unit) => {
    const stacks = layout.filter((s) => s.unit === unit && !skipped.has(s.id));
    const ids = new Set(stacks.map((s) => s.id));
    const files: Record<string, string> = {};
    const assets: Record<string, string> = {};
    const figures: Record<string, StackFigures> = {};
    for (const s of stacks) {
      for (const f of [`${s.id}.assets.json`, `${s.id}.metadata.json`, `${s.id}.template.json`]) {
        if (!existsSync(join(cdkOut, f))) continue;
        files[f] = readFileSync(join(cdkOut, f), 'utf8');
      }
      const template = files[`${s.id}.template.json`];
      if (template !== undefined) figures[s.id] = stackFigures(template);
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
    // Dependencies on stacks are left out: which of them this app held depends on what else was
    // built with the stack, and `writeManifest` puts the layout's back.
    const withoutStacks = (a: (typeof artifacts)[string]) => (a.dependencies ? { ...a, dependencies: a.dependencies.filter((d) => !stackIds.has(d)) } : a);
    for (const s of stacks) for (const id of [`${s.id}.assets`, s.id]) if (artifacts[id]) own[id] = withoutStacks(artifacts[id]);
    return { unit, files, assets, appFiles, artifacts: own, manifest: shared, checkFile: compactFindings(findings.filter((f) => ids.has(f.stack))), figures, checks: stacks.length * checksPerStack, stacks: stacks.length };
  });
}

const STACK_FORMAT = 'coop-idc-aws-stack/4';

/**
 * The key of a stack of a cell on its own: its layout entry (the part of the plan it is
 * rendered from, `awsStackLayout`, which is all it reads: a cooperative's stack its
 * cooperative, a shared-table stack its cooperatives, the monitoring and ingestion API stacks
 * the platform part with their cooperatives' ids and names), the code, the libraries and
 * `salt`. A unit that must be built again (one of its cooperatives changed) restores each
 * stack whose key is unchanged instead of building it. The order between stacks is left out:
 * the manifest takes it from the layout (`writeManifest`).
 */
export function stackKey(stack: AwsStackLayout & { readonly plan: TenancyPlan }, salt: UnitSalt): unknown {
  const { unit: _unit, dependsOn: _dependsOn, ...entry } = stack;
  return { format: STACK_FORMAT, stack: stack.id, entry: digest(entry), sources: sourceHash(), versions: versions(), ...salt };
}

/** The part of `result` that is stack `id`'s (its files, asset folders, manifest entries and findings), as a result of its own. */
export function stackPart(result: AwsUnitResult, id: string): AwsUnitResult {
  return stacksPart(result, [id], id);
}

/**
 * The part of `result` that is the stacks `ids`' (their files, asset folders, manifest entries
 * and findings), as a result named `unit`: a CI shard's share of a unit cut between shards.
 */
export function stacksPart(result: AwsUnitResult, ids: readonly string[], unit: string = result.unit): AwsUnitResult {
  const names = new Set(ids.flatMap((id) => [`${id}.assets.json`, `${id}.metadata.json`, `${id}.template.json`]));
  const files = Object.fromEntries(Object.entries(result.files).filter(([f]) => names.has(f)));
  const paths = new Set(
    Object.entries(files)
      .filter(([f]) => f.endsWith('.assets.json'))
      .flatMap(([name, text]) => Object.values(assetManifest(name, text).files ?? {}).flatMap((a) => a.source?.path ?? [])),
  );
  const assets = Object.fromEntries(Object.entries(result.assets).filter(([path]) => paths.has(path)));
  const own = new Set(ids.flatMap((id) => [id, `${id}.assets`]));
  const artifacts = Object.fromEntries(Object.entries(result.artifacts).filter(([a]) => own.has(a)));
  const stacks = new Set(ids);
  const figures = Object.fromEntries(Object.entries(result.figures).filter(([id]) => stacks.has(id)));
  return { ...result, unit, files, assets, artifacts, checkFile: regroupCheckFiles([result.checkFile], (s) => stacks.has(s)), figures, checks: (result.checks / result.stacks) * ids.length, stacks: ids.length };
}

/** The key of a CI shard's part of a unit cut between shards ({@link stacksPart}): the unit's key and the part's stacks. */
export function partKey(unitKey: unknown, stacks: readonly string[]): unknown {
  return { part: unitKey, stacks };
}

/**
 * `built` (a unit built without some of its stacks) with those stacks put back
 * from `parts` ({@link stackPart}s), everything in the order a build of the whole unit gives:
 * the same result, field for field, as if the unit had been built whole.
 */
export function withStacks(built: AwsUnitResult, parts: readonly AwsUnitResult[], layout: readonly AwsStackLayout[]): AwsUnitResult {
  const all = [built, ...parts];
  const pick = <T>(field: (r: AwsUnitResult) => Readonly<Record<string, T>>, names: (id: string) => readonly string[]) => {
    const out: Record<string, T> = {};
    for (const s of layout) {
      if (s.unit !== built.unit) continue;
      for (const n of names(s.id)) {
        const from = all.find((r) => n in field(r));
        if (from) out[n] = field(from)[n];
      }
    }
    return out;
  };
  const files = pick((r) => r.files, (id) => [`${id}.assets.json`, `${id}.metadata.json`, `${id}.template.json`]);
  const assets: Record<string, string> = {};
  for (const f of Object.keys(files)) {
    if (!f.endsWith('.assets.json')) continue;
    for (const a of Object.values(assetManifest(f, files[f]).files ?? {})) {
      const path = a.source?.path;
      const from = path === undefined ? undefined : all.find((r) => path in r.assets);
      if (from) assets[path!] = from.assets[path!];
    }
  }
  return {
    ...built,
    files,
    assets,
    artifacts: pick((r) => r.artifacts, (id) => [`${id}.assets`, id]),
    checkFile: regroupCheckFiles(all.map((r) => r.checkFile)),
    figures: pick((r) => r.figures, (id) => [id]),
    checks: all.reduce((n, r) => n + r.checks, 0),
    stacks: all.reduce((n, r) => n + r.stacks, 0),
  };
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
  for (const [f, file] of Object.entries({ ...result.appFiles, ...result.files })) {
    if (typeof file === 'string') writeFileSync(join(cdkOut, f), file);
    else copyFileSync(file.path, join(cdkOut, f));
  }
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
