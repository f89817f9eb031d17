/**
 * The IDC build step: synthesize the Kubernetes tenancy as Terraform JSON, then hold the
 * JSON to the conformance rules and the admission-guardrail coverage, and the plan to the
 * cluster's capacity.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OUTPUT } from '../infra/shared-names';
import { compareFindings, formatFailure, summarizeFindings, type CheckFinding, type TenancyPlan } from '../infra';
import { ADMISSION_RULES, checkAdmissionCoverage, checkCapacity, checkStacks, KUBERNETES_RULES, type StackInput } from '../infra/checks/kubernetes';
import { say, type BuildContext, type BuildStep } from './step';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';
import { BuildFailure, UsageError } from './errors';
import { toJson, writeFindings } from './output';
import { timed, type PhaseTimer } from '../stacks/timer';
import { allowedCidrsOf, allowedPeersOf, idcStackInputs, idcStacksOf, PLATFORM_STACK, type IdcStackInfo } from '../stacks/idc/layout';
import type * as IdcAppModule from '../stacks/idc/app';
import type * as IdcManifestModule from '../infra/idc/idc-app';
import type { IdcManifestEntry } from '../infra/idc/idc-app';
import { entryFileName, IDC_CACHE, openEntry, touchEntry, writeEntry } from './build-cache';
import { sourceHash } from './source-files';
import { shardStacks } from './shards';
import { runStepOnWorker } from './step-worker';
import { CDKTF_MANIFEST, TerraformError, writeProviderLock } from './terraform';

/**
 * Synthesizes the IDC app, loading it (cdktf and the Kubernetes provider, ~1.5 s) only here,
 * where stacks are synthesized: not by loading the build's steps (a test holds it so), nor on
 * a main thread that hands the step to its worker.
 */
function synthesizeIdc(...args: Parameters<typeof IdcAppModule.synthesizeIdc>): IdcStackInfo[] {
  return (require('../stacks/idc/app') as typeof IdcAppModule).synthesizeIdc(...args);
}

/** Writes cdktf's manifest.json through cdktf's own writer, loaded only here (as above). */
function writeIdcManifest(...args: Parameters<typeof IdcManifestModule.writeIdcManifest>): void {
  (require('../infra/idc/idc-app') as typeof IdcManifestModule).writeIdcManifest(...args);
}

/** Folder of the Terraform output inside the build output. */
export const CDKTF_OUT = OUTPUT.cdktfOut;
/** Findings file inside the build output. */
export const KUBERNETES_FINDINGS = join(OUTPUT.checks, OUTPUT.checkFiles.kubernetes);

/** Result of {@link runIdc}. */
export interface IdcResult {
  readonly stacks: readonly StackInput[];
  readonly findings: readonly CheckFinding[];
  /** With a cache: how many stacks were synthesized and how many restored, and the stacks whose entry differed from a recomputation (`verify`). */
  readonly cache?: { readonly built: number; readonly restored: number; readonly mismatches: readonly string[] };
}

/** The build cache as the IDC step uses it. */
export interface IdcStackCache {
  /** The cache folder (`BuildContext.cacheDir`). */
  readonly dir: string;
  /** Synthesize every stack again and report each whose entry differs (`--verify-cache`). */
  readonly verify: boolean;
}

/**
 * Synthesizes into `<outDir>/cdktf.out` (`assembled`: takes the stacks a merge put there;
 * `cache`: restores each stack whose entry opens, see {@link synthesizeCached}), puts the
 * provider lock file in every stack and runs every check; writes nothing else in the output.
 */
export function runIdc(plan: TenancyPlan, outDir: string, timer?: PhaseTimer, assembled = false, cache?: IdcStackCache): IdcResult {
  const cdktfOut = join(outDir, CDKTF_OUT);
  let counts: IdcResult['cache'];
  let synthesized: IdcStackInfo[];
  if (assembled) synthesized = idcStacksOf(plan);
  else if (cache) ({ stacks: synthesized, ...counts } = synthesizeCached(plan, cdktfOut, cache, timer));
  else synthesized = timed(timer, 'cdktf synth', () => synthesizeIdc(plan, cdktfOut));
  const result = timed(timer, 'kubernetes checks', () => checkIdc(plan, cdktfOut, synthesized));
  // The checks parsed each stack's JSON already (same order): the lock check reads it there.
  timed(timer, 'provider lock', () => writeProviderLock(cdktfOut, synthesized.map((s, i) => ({ ...s, json: result.stacks[i].json }))));
  return counts ? { ...result, cache: counts } : result;
}

/**
 * How many stacks of `plan` a build with `cache` would synthesize: every one without a cache
 * or with `verify`, else those without an entry (an entry that exists but does not open is
 * counted as there: it is synthesized again, which this estimate may miss by a few).
 */
export function idcStacksToSynthesize(plan: TenancyPlan, cache: IdcStackCache | undefined): number {
  if (!cache || cache.verify) return idcStacksOf(plan).length;
  const folder = join(cache.dir, IDC_CACHE);
  return idcStackKeys(plan).filter(({ key }) => !existsSync(join(folder, entryFileName(key)))).length;
}

/** Version of an IDC stack entry's layout and of what its key covers. */
const IDC_STACK_FORMAT = 'coop-idc-idc-stack/1';

/** What the cache holds of one IDC stack: its Terraform JSON as written and its entry of cdktf's `manifest.json`. */
interface IdcStackEntry {
  readonly json: string;
  readonly manifest: IdcManifestEntry;
}

function isIdcStackEntry(c: unknown): c is IdcStackEntry {
  const e = c as IdcStackEntry;
  return e !== null && typeof e === 'object' && typeof e.json === 'string' && e.manifest !== null && typeof e.manifest === 'object';
}

/** The CDKTF libraries an IDC stack's output depends on, `name@version`. */
function cdktfVersions(): string[] {
  return ['cdktf', '@cdktf/provider-kubernetes'].map((p) => `${p}@${(require(`${p}/package.json`) as { version: string }).version}`);
}

/**
 * Each stack's cache key, in {@link idcStacksOf}'s order: the SHA-256 of what it is built
 * from ({@link idcStackInputs}: the whole plan for the platform stack, a cooperative's props
 * for its own), the code under `infra/`, `stacks/` and `build/`, and the CDKTF versions.
 */
function idcStackKeys(plan: TenancyPlan): readonly { readonly info: IdcStackInfo; readonly key: unknown }[] {
  let keyed = stackKeysOf.get(plan);
  if (keyed) return keyed;
  const sources = sourceHash();
  const versions = cdktfVersions();
  keyed = idcStackInputs(plan).map(({ info, input }) => ({ info, key: { format: IDC_STACK_FORMAT, stack: info.stack, input: createHash('sha256').update(JSON.stringify(input)).digest('hex'), sources, versions } }));
  stackKeysOf.set(plan, keyed);
  return keyed;
}

/** Keys by plan: the step counts what it would synthesize, then synthesizes, from one plan (hashing it whole once). */
const stackKeysOf = new WeakMap<TenancyPlan, readonly { readonly info: IdcStackInfo; readonly key: unknown }[]>();

/**
 * The IDC app with the build cache: every stack whose entry opens is written back as it was
 * synthesized; the others (the platform stack always among them when any cooperative
 * changed, since it reads every one) are synthesized in one app of those alone, and stored.
 * A cooperative's stack reads only its own props, so it comes out the same in either app (the
 * CI shards rely on the same, tested); `manifest.json` is then written for every stack
 * through cdktf's own writer, as {@link assembleIdcShards} does. With `verify`, every stack
 * is synthesized and each entry that differs is named.
 */
function synthesizeCached(plan: TenancyPlan, cdktfOut: string, cache: IdcStackCache, timer?: PhaseTimer): { stacks: IdcStackInfo[]; built: number; restored: number; mismatches: string[] } {
  const keyed = idcStackKeys(plan);
  const folder = join(cache.dir, IDC_CACHE);
  const hits = new Map<string, IdcStackEntry>();
  timed(timer, 'idc cache (read)', () => {
    for (const { info, key } of keyed) {
      const file = join(folder, entryFileName(key));
      const read = openEntry(file, IDC_CACHE, key, isIdcStackEntry);
      if (!('content' in read)) continue;
      hits.set(info.stack, read.content);
      if (!cache.verify) touchEntry(file);
    }
  });
  const fresh = cache.verify ? keyed : keyed.filter(({ info }) => !hits.has(info.stack));
  const entries: Record<string, IdcManifestEntry> = {};
  const mismatches: string[] = [];
  if (fresh.length) {
    const only = new Set(fresh.flatMap(({ info }) => (info.cooperative === undefined ? [] : [info.cooperative])));
    timed(timer, 'cdktf synth', () => synthesizeIdc(plan, cdktfOut, only));
    const manifest = JSON.parse(readFileSync(join(cdktfOut, CDKTF_MANIFEST), 'utf8')) as { readonly stacks: Readonly<Record<string, IdcManifestEntry>> };
    timed(timer, 'idc cache (write)', () => {
      // The platform stack is in every app, synthesized whether its entry opened or not.
      for (const { info, key } of keyed) {
        const entry = manifest.stacks[info.stack];
        if (entry === undefined) continue;
        const fromApp: IdcStackEntry = { json: readFileSync(join(cdktfOut, info.file), 'utf8'), manifest: entry };
        entries[info.stack] = entry;
        const cached = hits.get(info.stack);
        if (cached) {
          if (cache.verify && JSON.stringify(cached) !== JSON.stringify(fromApp)) mismatches.push(info.stack);
          hits.delete(info.stack);
          if (!cache.verify) continue;
        }
        writeEntry(cache.dir, IDC_CACHE, key, fromApp);
      }
    });
  }
  const restored = hits.size;
  if (restored) {
    timed(timer, 'idc cache (restore)', () => {
      for (const { info } of keyed) {
        const hit = hits.get(info.stack);
        if (!hit) continue;
        mkdirSync(dirname(join(cdktfOut, info.file)), { recursive: true });
        writeFileSync(join(cdktfOut, info.file), hit.json);
        entries[info.stack] = hit.manifest;
      }
      writeIdcManifest(cdktfOut, entries);
    });
  }
  return { stacks: keyed.map(({ info }) => info), built: keyed.length - restored, restored, mismatches };
}

/** Runs every Kubernetes check on stacks already synthesized into `cdktfOut`. */
export function checkIdc(plan: TenancyPlan, cdktfOut: string, synthesized: readonly IdcStackInfo[]): IdcResult {
  const peers = allowedPeersOf(plan);
  const cidrs = allowedCidrsOf(plan);
  const stacks: StackInput[] = synthesized.map((s) => ({
    stack: s.stack,
    ...(s.cooperative !== undefined ? { cooperative: s.cooperative } : {}),
    json: JSON.parse(readFileSync(join(cdktfOut, s.file), 'utf8')),
    allowedPeers: peers.get(s.stack) ?? {},
    allowedCidrs: cidrs.get(s.stack) ?? {},
  }));
  const findings = [...checkStacks(stacks, KUBERNETES_RULES), ...checkAdmissionCoverage(stacks), ...checkCapacity(plan.capacity, PLATFORM_STACK)].sort(compareFindings);
  return { stacks, findings };
}


/** What the IDC step found, without side effects on the console. */
export interface IdcOutcome {
  /** The progress line for the person running the build. */
  readonly line: string;
  /** Set when a finding failed: the `BuildFailure` to throw. */
  readonly failure?: { readonly summary: string; readonly lines: readonly string[] };
}

/** Synthesizes, checks and writes `cdktf.out/` and `checks/kubernetes.json`; reports what it found. */
export function buildIdc(plan: TenancyPlan, outDir: string, timer?: PhaseTimer, lang: Lang = DEFAULT_LANG, assembled = false, cache?: IdcStackCache): IdcOutcome {
  const text = (id: MessageRef['id'], args?: MessageRef['args']) => formatMessage(lang, msg(id, args));
  let result: IdcResult;
  try {
    result = runIdc(plan, outDir, timer, assembled, cache);
  } catch (e) {
    // The provider lock file does not pin what the stacks require: a build failure, not a crash.
    if (!(e instanceof TerraformError)) throw e;
    return { line: text('build.idc-lock', { dir: CDKTF_OUT }), failure: { summary: text('build.idc-lock-failed'), lines: [e.inLang(lang)] } };
  }
  const { stacks, findings } = result;
  timed(timer, 'kubernetes checks', () => writeFindings(join(outDir, KUBERNETES_FINDINGS), findings));
  const s = summarizeFindings(findings);
  const counts = result.cache && !cache?.verify ? [text('build.idc-stacks', { stacks: stacks.length, built: result.cache.built, restored: result.cache.restored })] : [];
  const line = [...counts, text('build.idc', { stacks: stacks.length, dir: CDKTF_OUT, rules: KUBERNETES_RULES.length + ADMISSION_RULES.length + 1, pass: s.pass, ack: s.acknowledged, fail: s.fail, file: KUBERNETES_FINDINGS })].join('\n');
  const failed = findings.filter((f) => f.status === 'fail');
  const mismatches = result.cache?.mismatches ?? [];
  if (!failed.length && !mismatches.length) return { line };
  const summary = [failed.length ? text('build.idc-failed', { n: failed.length }) : '', mismatches.length ? text('build.cache-mismatches', { n: mismatches.length }) : ''].filter(Boolean).join('; ');
  const mismatchLines = mismatches.map((stack) => text('build.cache-mismatch-line', { stack, check: msg('cache.check-idc-stack'), difference: msg('cache.idc-stack-differs') }));
  return { line, failure: { summary, lines: [...failed.map(formatFailure), ...mismatchLines] } };
}

/** The build cache for the IDC step of `ctx`, if the build has one. */
function cacheOf(ctx: Pick<BuildContext, 'cacheDir' | 'verifyCache'>): IdcStackCache | undefined {
  return ctx.cacheDir === undefined ? undefined : { dir: ctx.cacheDir, verify: ctx.verifyCache ?? false };
}

function finish(ctx: BuildContext, outcome: IdcOutcome): void {
  ctx.log(outcome.line);
  if (outcome.failure) throw new BuildFailure(outcome.failure.summary, [...outcome.failure.lines]);
}

/**
 * From this many stacks to synthesize on, the IDC step runs on a worker thread. Below, the
 * worker's start-up (the TypeScript loader, the core and CDKTF: ~1.5 s CPU, measured +0.6 s
 * wall on `build --coop`; 17–23 s wall beside a busy AWS step) costs
 * more than the synthesis (~15 ms per cooperative) saves the main thread: stacks restored
 * from the cache or taken from CI shards are only read and checked. Output is the same
 * either way.
 */
export const IDC_WORKER_MIN_COOPERATIVES = 50;

/**
 * `coop-idc build` step: IDC Terraform output plus Kubernetes conformance and capacity
 * checks. It needs only the plan, so the build starts it first: for a large plan on a
 * worker thread (see buildIdcOnWorker), where it uses the second core while the AWS step runs on
 * the main thread. Its log line and failures still come in step order. In `build --merge`
 * it synthesizes nothing: the stacks come from the shards' outputs (see
 * {@link assembleIdcShards}) and every check runs over them as over a synthesized app.
 */
export const idcStep: BuildStep = {
  name: 'idc',
  run(ctx) {
    finish(ctx, buildIdc(ctx.plan, ctx.outDir, ctx.timer, ctx.lang, assembleIfMerge(ctx), cacheOf(ctx)));
  },
  async start(ctx) {
    // On this thread: a shard that is missing or of other input is a usage error, which a
    // worker could only pass back as a crash.
    const assembled = assembleIfMerge(ctx);
    const cache = cacheOf(ctx);
    // The worker pays for its start-up; it is worth it only for many stacks to synthesize, not
    // for checking stacks a merge or the cache put in place (measured on two cores: beside the
    // unit processes it saved no wall time and cost 2–4 s of CPU, docs/benchmarks.md).
    const synthesize = assembled ? 0 : timed(ctx.timer, 'idc cache (read)', () => idcStacksToSynthesize(ctx.plan, cache));
    const outcome =
      synthesize >= IDC_WORKER_MIN_COOPERATIVES
        ? await buildIdcOnWorker(ctx.plan, ctx.outDir, ctx.timer, ctx.lang, assembled, cache)
        : buildIdc(ctx.plan, ctx.outDir, ctx.timer, ctx.lang, assembled, cache);
    return () => finish(ctx, outcome);
  },
};

/** In `build --merge`, puts the shards' stacks in place ({@link assembleIdcShards}) and says so. */
function assembleIfMerge(ctx: BuildContext): boolean {
  if (ctx.shardDirs === undefined) return false;
  assembleIdcShards(ctx.plan, ctx.outDir, ctx.shardDirs, ctx.timer);
  return true;
}

/** {@link idcStep} on stacks a merge already put in place: what the worker of a merge runs. */
export const idcAssembledStep: BuildStep = {
  name: 'idc',
  run(ctx) {
    finish(ctx, buildIdc(ctx.plan, ctx.outDir, ctx.timer, ctx.lang, true));
  },
};

/**
 * Runs {@link buildIdc} on a worker thread and resolves to its outcome; the worker's phase
 * times go to `timer` (and its whole run to the `idc worker` phase). An error in the worker
 * rejects with that error's name, message and stack. The step reads only the plan and
 * writes only its own files (`cdktf.out/`, `checks/kubernetes.json`), so it can run while the
 * main thread builds the AWS app.
 */
export async function buildIdcOnWorker(plan: TenancyPlan, outDir: string, timer?: PhaseTimer, lang: Lang = DEFAULT_LANG, assembled = false, cache?: IdcStackCache): Promise<IdcOutcome> {
  const lines: string[] = [];
  try {
    await onWorker(assembled ? 'idcAssembledStep' : 'idcStep', { plan, outDir, lang, ...(timer ? { timer } : {}), ...(cache ? { cacheDir: cache.dir, verifyCache: cache.verify } : {}) }, lines);
    return { line: lines.join('\n') };
  } catch (e) {
    if (!(e instanceof BuildFailure)) throw e;
    return { line: lines.join('\n'), failure: { summary: e.summary, lines: e.lines } };
  }
}

/**
 * Runs the IDC step `exportName` of this module on a worker thread with what the IDC steps
 * read (the plan, the output folder, the language, the shard); its lines go to `lines`, its
 * phase times to the timer and its whole run to the `idc worker` phase.
 */
async function onWorker(exportName: 'idcStep' | 'idcAssembledStep' | 'idcShardStep', from: Pick<BuildContext, 'plan' | 'outDir' | 'lang' | 'timer' | 'shard' | 'cacheDir' | 'verifyCache'>, lines: string[]): Promise<void> {
  const { plan, outDir, lang, timer, shard, cacheDir, verifyCache } = from;
  const t0 = performance.now();
  try {
    await runStepOnWorker(__filename, exportName, { plan, outDir, configDir: '', today: '', env: {}, log: (l) => lines.push(l), ...(lang ? { lang } : {}), ...(timer ? { timer } : {}), ...(shard ? { shard } : {}), ...(cacheDir !== undefined ? { cacheDir, verifyCache: verifyCache ?? false } : {}) });
  } finally {
    timer?.record?.('idc worker', performance.now() - t0);
  }
}

/** The file naming a CI shard's IDC stacks in its output folder (`build --shard i/n`). */
export const IDC_SHARD_FILE = 'idc-shard.json';
/** Version of {@link IDC_SHARD_FILE}'s layout and of what its key covers. */
const IDC_SHARD_FORMAT = 'coop-idc-idc-shard/1';

/** What {@link IDC_SHARD_FILE} holds. */
interface IdcShardPart {
  readonly format: string;
  readonly shard: string;
  /** {@link idcShardKey} of the plan and code the shard built from. */
  readonly key: string;
  /** The stacks the shard synthesized into its `cdktf.out/`: the platform's and its cells' cooperatives'. */
  readonly stacks: readonly string[];
}

/**
 * The cooperatives whose IDC stacks shard `index` of `count` builds: the cooperatives, cell
 * after cell (the data-lake account's, without a cell, as one more), cut into `count` runs
 * whose lengths differ by at most one, as the AWS stacks are cut (`shardStacks`). A
 * cooperative's IDC stack reads only its own section and the platform's, so a cell's stacks
 * may come from two shards. Every shard of one commit and config computes the same cut.
 */
export function shardCooperatives(plan: TenancyPlan, shard: { readonly index: number; readonly count: number }): Set<string> {
  const byCell = new Map<string, string[]>();
  for (const c of plan.cooperatives) {
    if (!c.idc) continue;
    const cell = c.cell ?? '';
    const ids = byCell.get(cell);
    if (ids) ids.push(c.id);
    else byCell.set(cell, [c.id]);
  }
  const share = shardStacks([...byCell].map(([cell, ids]) => ({ unit: cell, stacks: ids })), shard.count)[shard.index - 1];
  return new Set([...share.units.flatMap((cell) => byCell.get(cell)!), ...share.parts.flatMap((p) => p.stacks)]);
}

/**
 * What a shard's IDC stacks depend on: the whole plan (the platform stack reads every
 * cooperative), the code under `infra/`, `stacks/` and `build/`, and the CDKTF libraries.
 * A merge takes a shard's stacks only under its own key.
 */
export function idcShardKey(plan: TenancyPlan): string {
  let key = shardKeys.get(plan);
  if (key === undefined) shardKeys.set(plan, (key = createHash('sha256').update(JSON.stringify({ format: IDC_SHARD_FORMAT, plan, sources: sourceHash(), versions: cdktfVersions() })).digest('hex')));
  return key;
}

/** Per plan: a merge checks the shards before the build (checkIdcShardOutputs) and again as it assembles them; the key hashes the whole plan. */
const shardKeys = new WeakMap<TenancyPlan, string>();

/**
 * Synthesizes the platform stack and the stacks of the shard's cooperatives
 * ({@link shardCooperatives}) into `<outDir>/cdktf.out`, and names them in
 * {@link IDC_SHARD_FILE} with the key a merge checks. No checks: the merge runs every one
 * over the assembled stacks, cross-stack ones included.
 */
export function writeIdcShard(plan: TenancyPlan, outDir: string, shard: { readonly index: number; readonly count: number }, timer?: PhaseTimer): { readonly stacks: number; readonly cooperatives: number } {
  const only = shardCooperatives(plan, shard);
  const synthesized = timed(timer, 'cdktf synth', () => synthesizeIdc(plan, join(outDir, CDKTF_OUT), only));
  const part: IdcShardPart = { format: IDC_SHARD_FORMAT, shard: `${shard.index}/${shard.count}`, key: idcShardKey(plan), stacks: synthesized.map((s) => s.stack) };
  writeFileSync(join(outDir, IDC_SHARD_FILE), toJson(part));
  return { stacks: synthesized.length, cooperatives: only.size };
}

/**
 * Puts every IDC stack of `plan` into `<outDir>/cdktf.out` from the shards' outputs, with the
 * `manifest.json` cdktf writes for the whole app: each stack from the first shard that holds
 * it (the platform stack is in every shard, built from the same plan). A folder that is no
 * shard output, a shard built from other input, or a stack in no shard is a usage error.
 */
export function assembleIdcShards(plan: TenancyPlan, outDir: string, dirs: readonly string[], timer?: PhaseTimer): void {
  timed(timer, 'idc shards (assemble)', () => {
    const { from, entries } = readIdcShards(plan, dirs);
    const cdktfOut = join(outDir, CDKTF_OUT);
    for (const s of idcStacksOf(plan)) {
      mkdirSync(dirname(join(cdktfOut, s.file)), { recursive: true });
      copyFileSync(join(from.get(s.stack)!, CDKTF_OUT, s.file), join(cdktfOut, s.file));
    }
    writeIdcManifest(cdktfOut, entries);
  });
}

/**
 * What a merge checks of the shards' IDC parts before it bundles or builds anything (the
 * same checks {@link assembleIdcShards} makes): each folder holds an IDC part built from this
 * plan and code, and together they hold every IDC stack. Throws a {@link UsageError}.
 */
export function checkIdcShardOutputs(plan: TenancyPlan, dirs: readonly string[]): void {
  readIdcShards(plan, dirs);
}

/** Each IDC stack's shard folder and manifest entry, checked as {@link checkIdcShardOutputs} says. */
function readIdcShards(plan: TenancyPlan, dirs: readonly string[]): { from: Map<string, string>; entries: Record<string, IdcManifestEntry> } {
  const key = idcShardKey(plan);
  const from = new Map<string, string>();
  const entries: Record<string, IdcManifestEntry> = {};
  for (const dir of dirs) {
    let part: IdcShardPart;
    let manifest: { readonly stacks: Readonly<Record<string, IdcManifestEntry>> };
    try {
      part = JSON.parse(readFileSync(join(dir, IDC_SHARD_FILE), 'utf8')) as IdcShardPart;
      manifest = JSON.parse(readFileSync(join(dir, CDKTF_OUT, CDKTF_MANIFEST), 'utf8')) as typeof manifest;
    } catch {
      throw new UsageError(msg('build.not-idc-shard-output', { dir, file: IDC_SHARD_FILE, manifest: `${CDKTF_OUT}/${CDKTF_MANIFEST}` }), 'build');
    }
    if (part.format !== IDC_SHARD_FORMAT || part.key !== key) throw new UsageError(msg('build.idc-shard-other-input', { dir, shard: part.shard ?? '?' }), 'build');
    for (const stack of part.stacks) {
      if (from.has(stack) || manifest.stacks[stack] === undefined) continue;
      from.set(stack, dir);
      entries[stack] = manifest.stacks[stack];
    }
  }
  const expected = idcStacksOf(plan);
  const missing = expected.filter((s) => !from.has(s.stack)).map((s) => s.stack);
  if (missing.length) throw new UsageError(msg('build.shards-missing-idc', { n: missing.length, stacks: expected.length, missing: missing.join(', ') }), 'build');
  return { from, entries };
}

/**
 * `coop-idc build --shard i/n` step: the shard's IDC stacks, for `build --merge` (see
 * {@link writeIdcShard}); started first, for a large plan on a worker thread, as {@link idcStep}.
 */
export const idcShardStep: BuildStep = {
  name: 'idc',
  run(ctx) {
    if (!ctx.shard) throw new Error('the IDC shard step runs only in a shard build');
    const done = writeIdcShard(ctx.plan, ctx.outDir, ctx.shard, ctx.timer);
    say(ctx, 'build.idc-shard', { index: ctx.shard.index, count: ctx.shard.count, stacks: done.stacks, coops: done.cooperatives, dir: CDKTF_OUT });
  },
  async start(ctx) {
    if (ctx.plan.cooperatives.length < IDC_WORKER_MIN_COOPERATIVES) return () => idcShardStep.run(ctx);
    const lines: string[] = [];
    await onWorker('idcShardStep', ctx, lines);
    return () => lines.forEach((l) => ctx.log(l));
  },
};
