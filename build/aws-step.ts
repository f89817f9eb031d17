/**
 * The `aws` build step: synthesizes the AWS app into `<out>/cdk.out` with aws-cdk-lib's
 * CloudFormation validation and the AwsSolutions, NIST 800-53 R5 and KoreaLaw packs, and
 * writes every finding to `<out>/checks/aws.json`; then holds every template to
 * CloudFormation's quotas (`CfnLimits`, `<out>/checks/cfn-limits.json`).
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compactFindings, compareFindings, formatFailure, regroupCheckFiles, summarizeCheckFile, summarizeFindings, type CheckFinding, type TenancyPlan } from '../infra';
import { checkCfnLimitFigures, type TemplateInput } from '../infra/checks/aws/cfn-limits';
import { checkServiceQuotaFigures, type QuotaStackInput } from '../infra/checks/aws/service-quotas';
import type { IngestionCode } from '../infra/aws';
import { OUTPUT } from '../infra/shared-names';
import { say, type BuildContext, type BuildStep } from './step';
import { DEFAULT_LANG, formatMessage, msg, type MessageRef } from '../infra/config/messages';
import { NAG_CACHE, STACK_CACHE, UNIT_CACHE, VALIDATION_CACHE, type CacheMismatch } from './build-cache';
import { BuildFailure, UsageError } from './errors';
import { BUILD_FILE, type CheckResultCounts } from '../infra/report/provenance';
import { toJson, writeCheckFile, writeFindings } from './output';
import { OrderedProgress, unitLine } from './progress';
import { timed } from '../stacks/timer';
import { LAMBDA_NAMES } from '../lambdas/bundle';
import { bundleLambdasCached } from './lambda-bundles';
import { awsStackLayout, type AwsStackLayout } from '../stacks/aws/layout';
import { buildUnits, buildUnitsInProcesses, groupUnits, jobsOf, type UnitJobOutcome } from './unit-worker';
import { samePart, shardStacks, unitsNotCovered, type ShardPart, type ShardShare } from './shards';
import { comparableUnit, withStoredFiles, folderDigest, readUnit, unitEntryExists, restoreUnit, partKey, stackKey, stackPart, stacksPart, unitKey, unitsOf, withStacks, writeManifest, writeUnit, type AwsUnitResult, type StackFigures, type UnitSalt } from './aws-units';

/** Options of {@link createAwsStep}. */
export interface AwsStepOptions {
  /** Ingestion handler bundles. @default - none: stacks carry no Lambda */
  readonly ingestion?: IngestionCode;
  /**
   * Stacks to build, or to read from the cache while building, from which the units are
   * built in unit processes rather than in this one.
   * @default AWS_WORKER_MIN_COOPERATIVES
   */
  readonly unitProcessMinStacks?: number;
}

// Defined with the cache's housekeeping, which the CLI loads without aws-cdk-lib.
export { NAG_CACHE, VALIDATION_CACHE } from './build-cache';

/** Findings file of the CloudFormation limits check, inside `checks/`. */
export const CFN_LIMITS_FILE = OUTPUT.checkFiles.cfnLimits;

/** Findings file of the AWS service-quota check, inside `checks/`. */
export const SERVICE_QUOTAS_FILE = OUTPUT.checkFiles.serviceQuotas;

/**
 * Every stack of the cloud assembly with the account and Region it deploys to (from the
 * assembly manifest, as `cdk deploy` reads it) and the size of each file asset, for the
 * service-quota check.
 */
export function readQuotaInputs(cdkOut: string, templates: readonly TemplateInput[]): QuotaStackInput[] {
  return whereStacksDeploy(cdkOut, templates).map((w, i) => ({ ...w, template: templates[i].template as QuotaStackInput['template'] }));
}

/** Each stack's name, owner, account and Region, and the assembly's asset sizes: the service-quota check's inputs but the templates. */
function whereStacksDeploy(cdkOut: string, stacks: readonly { readonly stack: string; readonly cooperative?: string }[]): Omit<QuotaStackInput, 'template'>[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, { type?: string; environment?: string }> };
  const assetBytes = new Map<string, number>();
  for (const entry of readdirSync(cdkOut, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith('asset.')) assetBytes.set(entry.name.slice('asset.'.length), folderBytes(join(cdkOut, entry.name)));
  }
  return stacks.map((t) => {
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(manifest.artifacts?.[t.stack]?.environment ?? '');
    if (!env) throw new Error(`cdk.out/manifest.json gives stack ${t.stack} no account and Region`);
    return { stack: t.stack, account: env[1], region: env[2], assetBytes, ...(t.cooperative !== undefined ? { cooperative: t.cooperative } : {}) };
  });
}

/** What the account-level checks found in the assembly, from each stack's figures. */
interface AssemblyChecks {
  readonly stacks: number;
  readonly limits: CheckFinding[];
  readonly quotas: CheckFinding[];
}

/**
 * `CfnLimits` and `ServiceQuotas` over every stack of the assembly, from the figures each
 * unit carries ({@link StackFigures}: made where the stack was built, or restored with it):
 * no template is parsed again here.
 */
function checkAssembly(cdkOut: string, layout: readonly AwsStackLayout[], results: readonly AwsUnitResult[], ctx: BuildContext): AssemblyChecks {
  const figures = new Map<string, StackFigures>();
  for (const r of results) for (const [id, f] of Object.entries(r.figures)) figures.set(id, f);
  const missing = layout.filter((s) => !figures.has(s.id)).map((s) => s.id);
  if (missing.length) throw new Error(`no figures for stack${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: every built or restored stack carries its own`);
  const owners = new Map(layout.flatMap((l) => (l.kind === 'cooperative' ? [[l.id, l.cooperative.id] as const] : [])));
  // In stack order, as the assembly's files list them.
  const stacks = layout
    .map((l) => l.id)
    .sort()
    .map((id) => ({ stack: id, ...(owners.has(id) ? { cooperative: owners.get(id)! } : {}), figures: figures.get(id)! }));
  const limits = timed(ctx.timer, 'CfnLimits check', () => checkCfnLimitFigures(stacks.map(({ figures: f, ...s }) => ({ ...s, figures: f.cfn }))).sort(compareFindings));
  const quotas = timed(ctx.timer, 'ServiceQuotas check', () =>
    checkServiceQuotaFigures(
      whereStacksDeploy(cdkOut, stacks).map((w, i) => ({ ...w, figures: stacks[i].figures.quotas })),
      { raised: ctx.plan.platform.raisedQuotas },
    ).sort(compareFindings),
  );
  return { stacks: stacks.length, limits, quotas };
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}


/** The templates of the cloud assembly, with their size on disk (what CloudFormation receives). */
export function readTemplates(cdkOut: string, cooperativeOf: (stack: string) => string | undefined): TemplateInput[] {
  return readdirSync(cdkOut)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(cdkOut, f), 'utf8');
      const stack = f.slice(0, -'.template.json'.length);
      const cooperative = cooperativeOf(stack);
      return { stack, bytes: Buffer.byteLength(text), template: JSON.parse(text), ...(cooperative !== undefined ? { cooperative } : {}) };
    });
}

/** Scratch folder of the unit processes inside the staging folder, removed before the step ends. */
const UNITS_SCRATCH = '.aws-units';

/** The file naming a shard's part in its output folder (`build --shard`). */
export const SHARD_FILE = 'shard.json';

/**
 * A shard's {@link SHARD_FILE} (its whole units and its parts of the units cut between shards)
 * and the check results its build record counts.
 */
function readShardFile(dir: string): ShardShare & { readonly checkResults?: Partial<CheckResultCounts> } {
  let share: Partial<ShardShare>;
  let checkResults: Partial<CheckResultCounts> | undefined;
  try {
    checkResults = (JSON.parse(readFileSync(join(dir, BUILD_FILE), 'utf8')) as { checkResults?: Partial<CheckResultCounts> }).checkResults;
    share = JSON.parse(readFileSync(join(dir, SHARD_FILE), 'utf8')) as Partial<ShardShare>;
  } catch {
    throw new UsageError(msg('build.not-shard-output', { dir, shard: SHARD_FILE, build: BUILD_FILE }), 'build');
  }
  const units = Array.isArray(share.units) ? share.units.filter((u): u is string => typeof u === 'string') : [];
  const parts = Array.isArray(share.parts) ? share.parts.filter((p): p is ShardPart => typeof p?.unit === 'string' && Array.isArray(p.stacks) && (p.stacks as unknown[]).every((x) => typeof x === 'string')) : [];
  return { units, parts, ...(checkResults ? { checkResults } : {}) };
}

/** Each unit of `layout` with its stacks, in the order {@link shardStacks} cuts them. */
function unitStacks(layout: readonly AwsStackLayout[]): { unit: string; stacks: string[] }[] {
  return unitsOf(layout).map((unit) => ({ unit, stacks: layout.filter((s) => s.unit === unit).map((s) => s.id) }));
}

/**
 * Reads every unit of `layout` from the shards' outputs (`build --shard i/n` folders), whole
 * or put together from the parts of the shards it was cut between, and adds up the check
 * results their builds computed and replayed (their build.json). A unit that no shard holds,
 * or holds built from other input (its key names another plan, code or library), is a usage
 * error: the shards must be of the same commit and config, and all of them.
 */
function readShards(dirs: readonly string[], layout: readonly AwsStackLayout[], keys: ReadonlyMap<string, unknown>): { results: Map<string, AwsUnitResult>; counts: CheckResultCounts } {
  const results = new Map<string, AwsUnitResult>();
  const pieces = new Map<string, { part: ShardPart; result: AwsUnitResult }[]>();
  const counts = { computed: 0, replayed: 0, verified: 0, rejected: 0 };
  // A folder passed twice is read once: its check results would otherwise count twice.
  for (const dir of new Map(dirs.map((d) => [resolve(d), d])).values()) {
    const share = readShardFile(dir);
    for (const k of ['computed', 'replayed', 'verified', 'rejected'] as const) counts[k] += share.checkResults?.[k] ?? 0;
    for (const u of share.units) {
      if (results.has(u) || !keys.has(u)) continue;
      const read = readUnit(dir, keys.get(u));
      if ('result' in read) results.set(u, read.result);
    }
    for (const part of share.parts) {
      // The same folder passed twice gives the same part twice: one is kept.
      if (!keys.has(part.unit) || pieces.get(part.unit)?.some((p) => samePart(p.part, part))) continue;
      const read = readUnit(dir, partKey(keys.get(part.unit), part.stacks));
      if ('result' in read) pieces.set(part.unit, [...(pieces.get(part.unit) ?? []), { part, result: read.result }]);
    }
  }
  const all = unitStacks(layout);
  const missing = unitsNotCovered(all, [{ units: [...results.keys()], parts: [...pieces.values()].flat().map((p) => p.part) }]);
  if (missing.length) {
    throw new UsageError(msg('build.shards-missing-units', { n: missing.length, units: all.length, missing: missing.join(', ') }), 'build');
  }
  for (const [u, got] of pieces) {
    if (results.has(u)) continue;
    const [first, ...rest] = got.map((p) => p.result);
    results.set(u, withStacks(first, rest, layout));
  }
  return { results, counts };
}

/**
 * What a merge checks before it bundles or builds anything: every folder is a shard's output
 * (build record and shard file), and the shards' units and parts cover every unit of the plan.
 * Whether each was built from the same input is known only with the unit keys, which need the
 * Lambda bundles: {@link readShards} checks that. Throws a {@link UsageError}.
 */
export function checkShardOutputs(plan: TenancyPlan, dirs: readonly string[]): void {
  const shares = dirs.map(readShardFile);
  const all = unitStacks(awsStackLayout(plan, { ingestion: true }));
  const missing = unitsNotCovered(all, shares);
  if (missing.length) throw new UsageError(msg('build.shards-missing-units', { n: missing.length, units: all.length, missing: missing.join(', ') }), 'build');
}

/** Logs one line when per-stack cache entries were rejected (damaged or edited), naming where. */
function logRejected(ctx: BuildContext, rejected: { readonly validation: number; readonly nag: number }): void {
  if (ctx.cacheDir === undefined || rejected.validation + rejected.nag === 0) return;
  const where = [
    ...(rejected.validation ? [msg('build.cache-in', { n: rejected.validation, dir: join(ctx.cacheDir, VALIDATION_CACHE) })] : []),
    ...(rejected.nag ? [msg('build.cache-in', { n: rejected.nag, dir: join(ctx.cacheDir, NAG_CACHE) })] : []),
  ];
  say(ctx, 'build.cache-rejected', { n: rejected.validation + rejected.nag, where: { list: where } });
}

/**
 * A unit once its files are in `cdk.out/` (and the cache): what the rest of the step reads.
 * At 1,000 cooperatives the files are ~250 MB of text that need not stay live while the
 * checks and the IDC step run.
 */
function withoutFiles(r: AwsUnitResult): AwsUnitResult {
  return { ...r, files: {} };
}

/** What differs between a cached unit and its recomputation, in a line. */
function describeUnitDifference(cached: AwsUnitResult, computed: AwsUnitResult): MessageRef {
  const [c, r] = [comparableUnit(cached), comparableUnit(computed)];
  const files = [...new Set([...Object.keys(c.files), ...Object.keys(r.files)])].filter((f) => c.files[f] !== r.files[f]).sort();
  const parts = [
    ...(files.length ? [msg('cache.unit-files', { files: files.join(', ') })] : []),
    ...(JSON.stringify(cached.checkFile) !== JSON.stringify(computed.checkFile) ? [msg('cache.unit-findings')] : []),
    ...(JSON.stringify(cached.artifacts) !== JSON.stringify(computed.artifacts) ? [msg('cache.unit-manifest')] : []),
  ];
  return msg('cache.unit-differs', { parts: parts.length ? { list: parts, separator: '; ' } : msg('cache.unit-records') });
}

/** Tells later steps the hash of each of `r`'s templates that is in a file store (`ctx.templateHashes`). */
function noteTemplateHashes(ctx: BuildContext, r: AwsUnitResult): void {
  if (!ctx.templateHashes) return;
  for (const [name, f] of Object.entries(r.files)) if (typeof f !== 'string' && name.endsWith('.template.json')) ctx.templateHashes.set(`${OUTPUT.cdkOut}/${name}`, f.sha256);
}

/** Creates the step; the lead wires the ingestion bundles here once they exist. */
export function createAwsStep(options: AwsStepOptions = {}): BuildStep {
  return {
    name: 'aws',
    async run(ctx) {
      const outdir = join(ctx.outDir, OUTPUT.cdkOut);
      // aws-cdk-lib's own switch for its built-in template validation.
      const validate = ctx.env.CDK_VALIDATION !== 'false';
      const verify = ctx.verifyCache ?? false;
      const layout = awsStackLayout(ctx.plan, { ingestion: options.ingestion !== undefined });
      const units = unitsOf(layout);
      const bundles: Record<string, string> = options.ingestion ? { 'ingest-object': options.ingestion.objectHandlerCodeDir, 'ingest-api': options.ingestion.apiHandlerCodeDir, ...(options.ingestion.statsHandlerCodeDir ? { 'stats-refresh': options.ingestion.statsHandlerCodeDir } : {}), ...(options.ingestion.eraseHandlerCodeDir ? { erase: options.ingestion.eraseHandlerCodeDir } : {}) } : {};
      const salt: UnitSalt = { bundles: Object.fromEntries(Object.entries(bundles).map(([n, d]) => [n, folderDigest(d)])), validate };
      const keys = new Map(units.map((u) => [u, unitKey(u, layout, salt)]));
      // A shard builds its share of the stacks: whole units, and its parts of the units cut
      // between it and its neighbours; every other build, all of them.
      const share = ctx.shard ? shardStacks(unitStacks(layout), ctx.shard.count)[ctx.shard.index - 1] : undefined;
      const partOf = new Map((share?.parts ?? []).map((p) => [p.unit, p.stacks]));
      const scope = share ? units.filter((u) => share.units.includes(u) || partOf.has(u)) : units;
      const stacksOf = (u: string) => partOf.get(u)?.length ?? layout.filter((s) => s.unit === u).length;
      // The stacks of those units that other shards build: neither built nor read here.
      const elsewhere = new Set(layout.filter((s) => partOf.has(s.unit) && !partOf.get(s.unit)!.includes(s.id)).map((s) => s.id));
      // What a shard writes each unit under: a part, under its own key.
      const outputKey = (u: string) => (partOf.has(u) ? partKey(keys.get(u), partOf.get(u)!) : keys.get(u));
      // Units whose entry opens are restored; with --verify-cache they are built again and compared.
      const cached = new Map<string, AwsUnitResult>();
      let rejectedUnits = 0;
      // The units whose entry is there to be opened. They are read while the others build in
      // unit processes: at 1,000 cooperatives reading eleven cells' entries takes seconds, and
      // so does building the one that changed.
      let toRead: string[] = [];
      if (ctx.shardDirs !== undefined) {
        // --merge: every unit comes from the shards' outputs, and so do their check counts.
        const merged = timed(ctx.timer, 'aws units (read shards)', () => readShards(ctx.shardDirs!, layout, keys));
        for (const [u, r] of merged.results) cached.set(u, r);
        ctx.countCheckResults?.(merged.counts);
      } else if (ctx.cacheDir !== undefined) {
        toRead = scope.filter((u) => unitEntryExists(ctx.cacheDir!, keys.get(u)));
      }
      const fresh = ctx.shardDirs !== undefined ? [] : verify ? [...scope] : scope.filter((u) => !toRead.includes(u));
      // In a unit built again (one of its cooperatives changed), each stack whose own entry
      // opens (it reads nothing that changed) is restored instead of built.
      const parts = new Map<string, AwsUnitResult[]>();
      const skip = new Set<string>(elsewhere);
      const toBuild = (u: string) => stacksOf(u) - (parts.get(u)?.length ?? 0);
      const progress = new OrderedProgress(
        scope.map((u) => ({ unit: u, stacks: stacksOf(u) })),
        (p) => (ctx.progress ? ctx.progress(p) : ctx.log(unitLine(p, ctx.lang ?? DEFAULT_LANG))),
      );
      if (ctx.shardDirs !== undefined) for (const u of scope) progress.done(u, 'merged');
      const outcomes: UnitJobOutcome[] = [];
      // Built units, once their files are in cdk.out and the cache: without their files unless
      // a shard passes them on. Settled as each unit process answers, so that the files of a
      // dozen cells (~40 MB each at 1,000 cooperatives) are not all held at once; with
      // --verify-cache, once all are built, in order, as they are compared.
      const settled = new Map<string, AwsUnitResult>();
      const unitMismatches: CacheMismatch[] = [];
      const settleEarly = !verify && !ctx.shard;
      const settle = (built: AwsUnitResult, inProcesses: boolean): void => {
        let r = built;
        // Each process synthesized into a folder of its own: its units go into cdk.out as restored ones do.
        if (inProcesses) timed(ctx.timer, 'aws units (restore)', () => restoreUnit(outdir, r, bundles));
        if (ctx.cacheDir !== undefined) {
          // Its files stored once, then named by the unit's entry and each stack's.
          r = withStoredFiles(ctx.cacheDir, r) ?? r;
          timed(ctx.timer, 'aws stacks (write and restore)', () => {
            for (const s of layout) if (s.kind !== 'platform' && s.unit === r.unit && !skip.has(s.id)) writeUnit(ctx.cacheDir!, stackKey(s, salt), stackPart(r, s.id), STACK_CACHE);
            const own = parts.get(r.unit);
            if (own) {
              for (const p of own) restoreUnit(outdir, p, bundles);
              r = withStacks(r, own, layout);
            }
          });
          // A part is no unit: the cache holds its stacks' entries, not one under the unit's key.
          if (!partOf.has(r.unit)) writeUnit(ctx.cacheDir, keys.get(r.unit), r);
        }
        // A replayed unit is a replayed result: compared with its recomputation under --verify-cache.
        const expected = verify && cached.has(r.unit) ? (partOf.has(r.unit) ? stacksPart(cached.get(r.unit)!, partOf.get(r.unit)!) : cached.get(r.unit)!) : undefined;
        if (expected && JSON.stringify(comparableUnit(expected)) !== JSON.stringify(comparableUnit(r))) unitMismatches.push({ stack: r.unit, check: msg('cache.check-unit'), difference: describeUnitDifference(expected, r) });
        noteTemplateHashes(ctx, r);
        settled.set(r.unit, ctx.shard ? r : withoutFiles(r));
      };
      // Units put into cdk.out while unit processes built the others (see `build`).
      const restoredEarly = new Set<string>();
      /** Writes the files of the units of `list` read from the cache into cdk.out, and keeps them without their files. */
      const restoreRead = (list: readonly string[], phase: string) =>
        timed(ctx.timer, phase, () => {
          for (const u of list) {
            const r = cached.get(u)!;
            restoreUnit(outdir, r, bundles);
            noteTemplateHashes(ctx, r);
            cached.set(u, withoutFiles(r));
            restoredEarly.add(u);
          }
        });
      /** Opens the entries of `list`; a unit whose entry opens is restored (shown so unless --verify-cache builds it again). */
      const readEntries = (list: readonly string[]) => {
        for (const u of list) {
          const read = readUnit(ctx.cacheDir!, keys.get(u));
          if ('result' in read) {
            cached.set(u, read.result);
            if (!fresh.includes(u)) progress.done(u, 'restored');
          } else if ('rejected' in read) rejectedUnits++;
        }
      };
      /** Builds `list` and opens the entries of `alsoRead`: while unit processes build, or before building in this one. */
      const build = async (units: readonly string[], alsoRead: readonly string[]): Promise<void> => {
        let list = units;
        if (ctx.cacheDir !== undefined && !verify) {
          timed(ctx.timer, 'aws stacks (read)', () => {
            const building = new Set(list);
            for (const s of layout) {
              if (s.kind === 'platform' || !building.has(s.unit) || elsewhere.has(s.id)) continue;
              const read = readUnit(ctx.cacheDir!, stackKey(s, salt), STACK_CACHE);
              if (!('result' in read)) continue;
              skip.add(s.id);
              parts.set(s.unit, [...(parts.get(s.unit) ?? []), read.result]);
            }
          });
        }
        // A unit every stack of which is restored is assembled from them, with nothing to build.
        for (const u of list.filter((x) => toBuild(x) === 0)) {
          const own = parts.get(u)!;
          settle({ ...own[0], unit: u, files: {}, assets: {}, artifacts: {}, checkFile: compactFindings([]), checks: 0, stacks: 0 }, false);
          progress.done(u, 'restored');
        }
        list = list.filter((u) => toBuild(u) > 0);
        if (!list.length) {
          readEntries(alsoRead);
          return;
        }
        const job = { plan: ctx.plan, ...(options.ingestion ? { ingestion: options.ingestion } : {}), bundles, validate, ...(ctx.cacheDir !== undefined ? { cacheDir: ctx.cacheDir } : {}), verify, ...(skip.size ? { skip: [...skip] } : {}) };
        const cores = jobsOf(ctx.env);
        const groups = groupUnits(list.map((u) => ({ unit: u, stacks: toBuild(u) })), cores);
        // Child processes pay their start-up (~2 s: the loader, aws-cdk-lib, a validation
        // engine each) only where the construct trees are large enough to be worth it, or
        // where this process has as much to read from the cache meanwhile.
        const stacks = (us: readonly string[]) => us.reduce((n, u) => n + toBuild(u), 0);
        const min = options.unitProcessMinStacks ?? AWS_WORKER_MIN_COOPERATIVES;
        const inProcesses = stacks(list) >= min || stacks(alsoRead) >= min;
        let done: UnitJobOutcome[];
        if (inProcesses) {
          let sent!: () => void;
          const jobsSent = new Promise<void>((resolveSent) => (sent = resolveSent));
          const running = buildUnitsInProcesses(
            job,
            groups,
            join(ctx.outDir, UNITS_SCRATCH),
            cores,
            (o) => {
              o.results.forEach((r) => progress.done(r.unit, 'built'));
              if (!settleEarly) return o;
              o.results.forEach((r) => settle(r, true));
              return { ...o, results: [] };
            },
            sent,
          );
          // Reading blocks this thread: the unit processes must have their jobs first (at
          // 1,000 cooperatives they waited ~5 s for the rest of the plan to come through).
          await Promise.race([jobsSent, running]);
          readEntries(alsoRead);
          // This thread would wait for the unit processes now: the units just read go into
          // cdk.out meanwhile (at 1,000 cooperatives ~3 s of copying, which came after the
          // changed cell's process). A shard writes its units elsewhere, after.
          if (!ctx.shard) restoreRead(alsoRead.filter((u) => cached.has(u) && !fresh.includes(u)), 'aws units (restore while building)');
          done = await running;
        } else {
          readEntries(alsoRead);
          done = [buildUnits({ ...job, units: list, outdir, scratch: false }, ctx.timer)];
          for (const u of list) progress.done(u, 'built');
        }
        rmSync(join(ctx.outDir, UNITS_SCRATCH), { recursive: true, force: true });
        for (const o of done) for (const r of o.results) settle(r, inProcesses);
        outcomes.push(...done.map((o) => ({ ...o, results: [] })));
      };
      if (fresh.length) await build(fresh, toRead);
      else readEntries(toRead);
      // An entry that was there but did not open (damaged, or removed meanwhile) is built now.
      const late = toRead.filter((u) => !cached.has(u) && !fresh.includes(u));
      if (late.length) {
        fresh.push(...late);
        await build(late, []);
      }
      let freshResults: readonly AwsUnitResult[] = [];
      let failed = false;
      let freshMismatches: readonly CacheMismatch[] = [];
      if (fresh.length) {
        for (const o of outcomes) for (const [phase, ms] of Object.entries(o.phases)) ctx.timer?.record?.(phase, ms);
        freshResults = fresh.map((u) => settled.get(u)!);
        if (ctx.cacheDir !== undefined) {
          const restoredStacks = [...parts.values()].flat();
          if (restoredStacks.length) {
            ctx.countCheckResults?.({ computed: 0, replayed: restoredStacks.reduce((n, p) => n + p.checks, 0), verified: 0, rejected: 0 });
            say(ctx, 'build.stacks-restored', { n: restoredStacks.length });
          }
        }
        failed = outcomes.some((o) => o.failed);
        freshMismatches = outcomes.flatMap((o) => o.mismatches);
        const sum = (f: (o: UnitJobOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
        ctx.countCheckResults?.({ computed: sum((o) => o.counts.computed), replayed: sum((o) => o.counts.replayed), verified: sum((o) => o.counts.verified), rejected: sum((o) => o.counts.rejected) });
        logRejected(ctx, { validation: sum((o) => o.rejected.validation), nag: sum((o) => o.rejected.nag) });
      }
      let restored = scope.filter((u) => !fresh.includes(u)).map((u) => cached.get(u)!);
      if (ctx.shard) {
        // A unit cut between shards restored whole from the cache: this shard passes on its part.
        restored = restored.map((r) => (partOf.has(r.unit) ? stacksPart(r, partOf.get(r.unit)!) : r));
        // A shard's output is its units and parts, sealed as the cache stores them, for --merge.
        for (const r of [...freshResults, ...restored]) writeUnit(ctx.outDir, outputKey(r.unit), r);
        // The units carry their files: the shard's own synthesis folder is not needed by the merge.
        rmSync(outdir, { recursive: true, force: true });
        writeFileSync(join(ctx.outDir, SHARD_FILE), toJson({ shard: `${ctx.shard.index}/${ctx.shard.count}`, units: share!.units, parts: share!.parts }));
        if (restored.length) ctx.countCheckResults?.({ computed: 0, replayed: restored.reduce((n, r) => n + r.checks, 0), verified: 0, rejected: 0 });
        const shard = { index: ctx.shard.index, count: ctx.shard.count };
        say(ctx, 'build.shard-units', { ...shard, scope: scope.length, parts: partOf.size, units: units.length, stacks: scope.reduce((n, u) => n + stacksOf(u), 0), built: fresh.length, restored: restored.length, dir: UNIT_CACHE });
        if (failed) say(ctx, 'build.shard-failed', shard);
        return;
      }
      restoreRead(
        restored.filter((r) => !restoredEarly.has(r.unit)).map((r) => r.unit),
        'aws units (restore)',
      );
      restored = restored.map(withoutFiles);
      const replayed = ctx.shardDirs !== undefined ? 0 : restored.reduce((n, r) => n + r.checks, 0);
      if (replayed) ctx.countCheckResults?.({ computed: 0, replayed, verified: 0, rejected: 0 });
      const results = units.map((u) => freshResults.find((r) => r.unit === u) ?? cached.get(u)!);
      timed(ctx.timer, 'aws units (manifest)', () => writeManifest(outdir, layout, results));
      const checkFile = timed(ctx.timer, 'aws findings (regroup)', () => regroupCheckFiles(results.map((r) => r.checkFile)));
      if (ctx.cacheDir !== undefined && rejectedUnits > 0) say(ctx, 'build.unit-cache-rejected', { n: rejectedUnits, dir: join(ctx.cacheDir, UNIT_CACHE) });
      if (ctx.shardDirs !== undefined) say(ctx, 'build.merged-units', { units: units.length, shards: ctx.shardDirs.length });
      else if (ctx.cacheDir !== undefined && !verify) say(ctx, 'build.units', { units: units.length, built: fresh.length, restored: restored.length });
      timed(ctx.timer, 'aws findings', () => writeCheckFile(join(ctx.outDir, OUTPUT.checks, OUTPUT.checkFiles.aws), checkFile));
      const { stacks: stackCount, limits, quotas } = checkAssembly(outdir, layout, results, ctx);
      writeFindings(join(ctx.outDir, OUTPUT.checks, CFN_LIMITS_FILE), limits);
      writeFindings(join(ctx.outDir, OUTPUT.checks, SERVICE_QUOTAS_FILE), quotas);
      const s = summarizeCheckFile(checkFile);
      const l = summarizeFindings(limits);
      const q = summarizeFindings(quotas);
      say(ctx, 'build.aws-summary', { stacks: stackCount, pass: s.pass, ack: s.acknowledged, fail: s.fail, lpass: l.pass, lfail: l.fail, limits: CFN_LIMITS_FILE, qpass: q.pass, qfail: q.fail, quotas: SERVICE_QUOTAS_FILE });
      const mismatches = [...freshMismatches, ...unitMismatches];
      // A check file's findings are its failures.
      const failures = [...checkFile.findings, ...limits, ...quotas].filter((f) => f.status === 'fail');
      if (failed && checkFile.findings.length === 0) throw new Error('aws-cdk-lib reported a failed validation without a failed finding');
      if (failures.length || mismatches.length) {
        const text = (ref: MessageRef) => formatMessage(ctx.lang ?? DEFAULT_LANG, ref);
        const parts = [
          s.fail ? text(msg('build.aws-checks-failed', { n: s.fail })) : '',
          l.fail ? text(msg('build.cfn-limits-failed', { n: l.fail, file: CFN_LIMITS_FILE })) : '',
          q.fail ? text(msg('build.quotas-failed', { n: q.fail, file: SERVICE_QUOTAS_FILE })) : '',
          mismatches.length ? text(msg('build.cache-mismatches', { n: mismatches.length })) : '',
        ];
        const lines = [...failures.map(formatFailure), ...mismatches.map((m) => text(msg('build.cache-mismatch-line', { stack: m.stack, check: m.check, difference: m.difference })))];
        throw new BuildFailure(parts.filter(Boolean).join('; ') || text(msg('build.aws-failed')), lines);
      }
    },
  };
}

/**
 * The AWS step in this thread: bundles each ingestion handler once (esbuild) into
 * `<out>/lambdas/<name>/` and renders every cooperative's stack with those bundles, so the
 * whole app carries one asset per handler whatever the number of cooperatives.
 */
export const awsStepInProcess: BuildStep = {
  name: 'aws',
  async run(ctx) {
    // Timed to completion: esbuild works in its own process while this thread waits.
    const started = performance.now();
    const { bundles, restored, mismatches } = await bundleLambdasCached(join(ctx.outDir, OUTPUT.lambdas), ctx.cacheDir, ctx.verifyCache ?? false);
    ctx.timer?.record?.('lambda bundles', performance.now() - started);
    say(ctx, 'build.lambdas', { bundles: LAMBDA_NAMES.map((n) => `${n} ${(bundles[n].bytes / 1024).toFixed(0)} KiB`).join(', ') });
    if (ctx.cacheDir !== undefined && !ctx.verifyCache) say(ctx, 'build.lambdas-restored', { n: LAMBDA_NAMES.length, restored });
    if (mismatches.length) {
      const text = (ref: MessageRef) => formatMessage(ctx.lang ?? DEFAULT_LANG, ref);
      throw new BuildFailure(text(msg('build.cache-mismatches', { n: mismatches.length })), mismatches.map((name) => text(msg('build.cache-mismatch-line', { stack: name, check: msg('cache.check-lambda-bundle'), difference: msg('cache.lambda-bundle-differs') }))));
    }
    const step = createAwsStep({ ingestion: { objectHandlerCodeDir: bundles['ingest-object'].dir, apiHandlerCodeDir: bundles['ingest-api'].dir, statsHandlerCodeDir: bundles['stats-refresh'].dir, eraseHandlerCodeDir: bundles.erase.dir } });
    await step.run(ctx);
  },
};

/**
 * From this many cooperatives on, the units the AWS step builds are built in child
 * processes (unit-worker.ts), as many at once as there are cores, so that the construct
 * trees aws-cdk-lib keeps reachable after synthesis (~1 MB per cooperative) go away with
 * their process and the build uses every core. Below, the trees are small, and a process's
 * start-up (the TypeScript loader and aws-cdk-lib: ~1.5 s) would lengthen `build --coop`.
 * Output, log lines and failures are the same either way.
 */
export const AWS_WORKER_MIN_COOPERATIVES = 50;

/** The step registered in BUILD_STEPS. */
export const awsStep: BuildStep = awsStepInProcess;
