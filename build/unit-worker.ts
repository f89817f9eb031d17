/**
 * Builds units of the AWS app (build/aws-units.ts): in this process, or spread over child
 * processes, as many at once as the machine has cores.
 *
 * A process, not a thread, because aws-cdk-lib never lets go of an app (its token map and
 * reference table reach the whole construct tree, see step-worker.ts): each group of units
 * is built in a process of its own, whose memory goes with it, and no process holds more
 * than {@link UNIT_PROCESS_MAX_STACKS} stacks' construct trees. The parent receives each
 * unit's files and findings and assembles them exactly as it assembles restored units, so
 * the output is the same however the units were spread.
 *
 * This module is also the child's entry point: forked, it takes one {@link UnitJob} message,
 * answers with one {@link UnitJobOutcome} and exits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CheckFinding, TenancyPlan } from '../infra';
import type { IngestionCode } from '../infra/aws';
import type { CheckResultCounts } from '../infra/report/provenance';
import type * as AwsAppModule from '../stacks/aws/aws-app';
import { awsStackLayout } from '../stacks/aws/layout';
import { PEAK_RSS_PHASE, totalsTimer, type PhaseTimer } from '../stacks/timer';
import { NAG_CACHE, VALIDATION_CACHE, type CacheMismatch } from './build-cache';
import { splitUnits, type AwsUnitResult } from './aws-units';
import { shardUnits } from './shards';
import type * as NagCacheModule from './nag-cache';
import type * as ValidationModule from './parallel-validation';

/** What building some units needs: plain data, so that it can be sent to a child process. */
export interface UnitJob {
  readonly plan: TenancyPlan;
  readonly units: readonly string[];
  /** Cooperative stacks of those units not to build: the caller restores them from its cache. */
  readonly skip?: readonly string[];
  /** Folder to synthesize into (the child's own); the units' files are read back from it. */
  readonly outdir: string;
  readonly ingestion?: IngestionCode;
  /** Lambda bundle name → folder. */
  readonly bundles: Readonly<Record<string, string>>;
  readonly validate: boolean;
  readonly cacheDir?: string;
  readonly verify: boolean;
  /** Remove `outdir` once the units are read (a child's folder; not the output's cdk.out). */
  readonly scratch: boolean;
}

/** What building them gave. */
export interface UnitJobOutcome {
  readonly results: readonly AwsUnitResult[];
  /** Check results computed and replayed by the per-stack caches. */
  readonly counts: CheckResultCounts;
  /** Per-stack entries rejected, by cache folder. */
  readonly rejected: { readonly validation: number; readonly nag: number };
  readonly mismatches: readonly CacheMismatch[];
  /** aws-cdk-lib reported a failed validation. */
  readonly failed: boolean;
  /** Phase times of the build, for the parent's timer. */
  readonly phases: Readonly<Record<string, number>>;
}

/**
 * What a unit process is told when it is started, before its job comes: enough to start the
 * validation worker, whose engine then starts while the job comes through and the app is
 * built, instead of at the first template the cache does not answer (~2 s later at 1,000
 * cooperatives). The job itself must say the same, else the early worker is not used.
 */
export interface UnitProcessStart {
  readonly validate: boolean;
  readonly cacheDir?: string;
  readonly verify: boolean;
}

/** The phase under which a unit process records starting its validation worker before its job came. */
export const EARLY_VALIDATION_PHASE = 'cfn-validate (started with the process)';

function startOf(job: Pick<UnitJob, 'validate' | 'cacheDir' | 'verify'>): UnitProcessStart {
  return { validate: job.validate, ...(job.cacheDir !== undefined ? { cacheDir: job.cacheDir } : {}), verify: job.verify };
}

/**
 * Builds `job.units` in one app in this process. `started`: a validation job begun for this
 * one with the same settings, validation on ({@link sameStart}); it is used instead of a new one.
 */
export function buildUnits(job: UnitJob, timer?: PhaseTimer, started?: ValidationModule.WorkerValidation): UnitJobOutcome {
  // Loaded here, where units are built (aws-cdk-lib, cdk-nag, the constructs: ~1 s), not by
  // a build's main thread that only hands them to unit processes (a test holds it so).
  const { ComplianceFailure, VALIDATION_REPORT, buildAwsApp, synthAwsApp } = require('../stacks/aws/aws-app') as typeof AwsAppModule;
  const { cachingResults, NagCache } = require('./nag-cache') as typeof NagCacheModule;
  const { WorkerValidation } = require('./parallel-validation') as typeof ValidationModule;
  const layout = awsStackLayout(job.plan, { ingestion: job.ingestion !== undefined });
  const nagCache = job.cacheDir !== undefined ? new NagCache(join(job.cacheDir, NAG_CACHE), undefined, job.verify) : undefined;
  const validation = job.validate ? (started ?? new WorkerValidation(timer, validationOptions(job))) : undefined;
  const all = new Set(layout.map((s) => s.unit));
  const skip = new Set(job.skip ?? []);
  const aws = buildAwsApp(job.plan, {
    outdir: job.outdir,
    builtinValidation: job.validate,
    ...(validation ? { validation } : {}),
    checks: true,
    ...(job.ingestion ? { ingestion: job.ingestion } : {}),
    ...(timer ? { timer } : {}),
    ...(nagCache ? { decoratePacks: (Pack, passes) => cachingResults(Pack, passes, nagCache) } : {}),
    ...(job.units.length < all.size ? { units: new Set(job.units) } : {}),
    ...(skip.size ? { skipStacks: skip } : {}),
  });
  let findings: readonly CheckFinding[];
  let failed = false;
  try {
    findings = synthAwsApp(aws, job.plan).findings;
  } catch (e) {
    if (!(e instanceof ComplianceFailure)) throw e;
    findings = e.findings;
    failed = true;
  }
  // aws-cdk-lib's report of this one synthesis groups violations across the stacks it
  // holds, so it cannot be put together from units; every finding is in checks/aws.json.
  rmSync(join(job.outdir, VALIDATION_REPORT), { force: true });
  const stacks = layout.filter((s) => job.units.includes(s.unit) && !skip.has(s.id)).length;
  const v = validation?.cache;
  const n = nagCache?.counts;
  const replayed = (v?.hits ?? 0) + (n?.hits ?? 0);
  const rejected = { validation: v?.rejected ?? 0, nag: n?.rejected ?? 0 };
  const counts = { computed: stacks * aws.checksPerStack - replayed, replayed, verified: (v?.verified ?? 0) + (n?.verified ?? 0), rejected: rejected.validation + rejected.nag };
  const mismatches = [...(validation?.mismatches ?? []), ...(nagCache?.mismatches ?? [])];
  const results = splitUnits(job.outdir, job.units, layout, findings, aws.checksPerStack, job.bundles, skip);
  if (job.scratch) rmSync(job.outdir, { recursive: true, force: true });
  return { results, counts, rejected, mismatches, failed, phases: {} };
}

function validationOptions(job: Pick<UnitJob, 'cacheDir' | 'verify'>): ValidationModule.WorkerValidationOptions {
  return job.cacheDir !== undefined ? { cacheDir: join(job.cacheDir, VALIDATION_CACHE), verify: job.verify } : {};
}

/**
 * Most stacks one process builds: a group of units is split so that no process holds more
 * construct trees than this. A unit process peaks at ~0.5 GB (aws-cdk-lib, the validation
 * engine) plus ~1.5 MB per stack, so this keeps each under 1 GB; a cell of 125 cooperatives
 * is ~137 stacks, two cells fit.
 */
export const UNIT_PROCESS_MAX_STACKS = 280;

/**
 * Fewest stacks worth a process of their own: below, a process's start-up (the loader,
 * aws-cdk-lib, a validation engine: ~5 s CPU) costs more than the second core gives back.
 */
export const UNIT_PROCESS_MIN_STACKS = 200;

/**
 * Spreads `units` (with their stack counts) over groups: at least one per core (while each gets {@link UNIT_PROCESS_MIN_STACKS}
 * stacks) and none over {@link UNIT_PROCESS_MAX_STACKS} stacks unless a single unit is larger, each unit to the
 * group with the fewest stacks so far, largest first. Deterministic: ties by unit order.
 */
export function groupUnits(units: readonly { readonly unit: string; readonly stacks: number }[], cores: number): string[][] {
  const total = units.reduce((n, u) => n + u.stacks, 0);
  const perCore = Math.max(1, Math.min(cores, Math.floor(total / UNIT_PROCESS_MIN_STACKS)));
  const count = Math.max(1, Math.min(units.length, perCore * Math.max(1, Math.ceil(total / (perCore * UNIT_PROCESS_MAX_STACKS)))));
  return shardUnits(units, count).filter((g) => g.length);
}

/** The cores to build on: `COOP_IDC_JOBS` when set (a whole number ≥ 1), else the machine's. */
export function jobsOf(env: Readonly<Record<string, string | undefined>>): number {
  const set = env.COOP_IDC_JOBS;
  if (set !== undefined && /^[1-9][0-9]*$/.test(set)) return Number(set);
  return availableParallelism();
}

/**
 * Builds each group of `job.units` in a child process, at most `cores` at once, each into
 * its own folder under `scratchDir`; resolves to the outcomes in group order, and hands
 * each to `onDone` as it comes, keeping what `onDone` returns in its place (so that a caller
 * done with a group's files need not hold them until the last group). A child that
 * fails rejects with its error; the others are left to finish, and their folders removed.
 *
 * `onSent` is called once the processes started first have each received their job (the
 * whole plan, ~12 MB at 1,000 cooperatives, written through the IPC pipe as this process's
 * event loop turns): a caller that then blocks its thread (reading the cache) no longer
 * holds them waiting for it.
 */
export async function buildUnitsInProcesses(job: Omit<UnitJob, 'units' | 'outdir' | 'scratch'>, groups: readonly (readonly string[])[], scratchDir: string, cores: number, onDone?: (outcome: UnitJobOutcome) => UnitJobOutcome, onSent?: () => void): Promise<UnitJobOutcome[]> {
  const outcomes: UnitJobOutcome[] = new Array(groups.length);
  let next = 0;
  const starting = Math.min(cores, groups.length);
  let sent = 0;
  const oneSent = () => {
    if (++sent === starting) onSent?.();
  };
  if (!starting) onSent?.();
  const runOne = async (): Promise<void> => {
    while (next < groups.length) {
      const i = next++;
      outcomes[i] = await inChild({ ...job, units: groups[i], outdir: join(scratchDir, `group-${i}`), scratch: true }, i < starting ? oneSent : undefined);
      if (onDone) outcomes[i] = onDone(outcomes[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cores, groups.length) }, runOne));
  return outcomes;
}

type ChildMessage = { readonly outcome: UnitJobOutcome } | { readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

/** The unit processes running now. */
const running = new Set<ChildProcess>();

/** The signals after which a build stops (a terminal's Ctrl-C, a CI runner cancelling a job, a closed terminal). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ends `child` when this process ends, whatever ends it: a unit process builds synchronously
 * and cannot notice that its parent is gone, so a build stopped by a signal sent to it alone
 * (`kill`, a CI runner cancelling a job) left its unit processes building for minutes, at
 * 1,000 cooperatives each a core and up to 1 GB, into a folder no one would read. On a signal,
 * this process then ends as that signal would have ended it.
 */
function endWithThisProcess(child: ChildProcess): void {
  if (running.size === 0) {
    process.once('exit', stopAll);
    for (const signal of STOP_SIGNALS) process.once(signal, onStopSignal);
  }
  running.add(child);
  child.once('exit', () => {
    running.delete(child);
    if (running.size > 0) return;
    process.removeListener('exit', stopAll);
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onStopSignal);
  });
}

function stopAll(): void {
  for (const c of running) c.kill('SIGTERM');
}

function onStopSignal(signal: NodeJS.Signals): void {
  stopAll();
  for (const s of STOP_SIGNALS) process.removeListener(s, onStopSignal);
  // No listener left: the signal's default action, as if none had been there.
  process.kill(process.pid, signal);
}

function inChild(job: UnitJob, onSent?: () => void): Promise<UnitJobOutcome> {
  const loader = __filename.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
  // The heap policy of the CLI (bin/heap.js): grow the old generation by 30 %, not 100 %.
  // `--cpu-prof` given to the build is passed on, so that each unit process is profiled too.
  const flags = [...loader, '--heap-growing-percent=30', ...process.execArgv.filter((a) => a.startsWith('--cpu-prof'))];
  const child = fork(__filename, [JSON.stringify(startOf(job))], { execArgv: flags, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  endWithThisProcess(child);
  return new Promise((resolvePromise, reject) => {
    let answer: ChildMessage | undefined;
    child.on('message', (m: ChildMessage) => (answer = m));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (answer && 'outcome' in answer) return resolvePromise(answer.outcome);
      if (answer && 'error' in answer) {
        const e = new Error(answer.error.message);
        e.name = answer.error.name;
        if (answer.error.stack) e.stack = answer.error.stack;
        return reject(e);
      }
      reject(new Error(`the process building units ${job.units.join(', ')} exited (${signal ?? `code ${code}`}) before it answered`));
    });
    // Called when written, or when it could not be (the exit above then says why).
    child.send(job, () => onSent?.());
  });
}

if (require.main === module && process.send) {
  const timer = totalsTimer();
  const phases = timer.phases;
  const start = parseStart(process.argv[2]);
  let validation: ValidationModule.WorkerValidation | undefined;
  process.once('message', (job: UnitJob) => {
    let message: ChildMessage;
    try {
      const same = sameStart(start, job);
      if (!same) validation?.dispose();
      const outcome = buildUnits(job, timer, same ? validation : undefined);
      // For the bench: each process's own peak, under a phase name of its own.
      phases[`unit process ${process.pid}${PEAK_RSS_PHASE}`] = process.resourceUsage().maxRSS / 1024;
      message = { outcome: { ...outcome, phases } };
    } catch (e) {
      const err = e as Error;
      message = { error: { name: err?.name ?? 'Error', message: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) } };
    }
    process.send!(message, () => process.exit(0));
  });
  // What building needs, loaded while the job comes through (a plan of 1,000 cooperatives
  // takes seconds to arrive): buildUnits would otherwise load it only once the job is here.
  // The validation worker first, so that it loads beside the app, and its engine then.
  const { WorkerValidation } = require('./parallel-validation') as typeof ValidationModule;
  if (start?.validate) {
    try {
      validation = timer.time(EARLY_VALIDATION_PHASE, () => new WorkerValidation(timer, { ...validationOptions(start), eager: true }));
    } catch {
      // The job's own start reports what went wrong.
      validation = undefined;
    }
  }
  const { APP_RESOURCE_TYPES } = require('../stacks/aws/aws-app') as typeof AwsAppModule;
  require('./nag-cache');
  validation?.warm(APP_RESOURCE_TYPES);
}

/** Whether a unit process started with `start` may use the validation it began for `job`. */
export function sameStart(start: UnitProcessStart | undefined, job: Pick<UnitJob, 'validate' | 'cacheDir' | 'verify'>): boolean {
  return start !== undefined && JSON.stringify(startOf(job)) === JSON.stringify(start);
}

/** The {@link UnitProcessStart} a unit process was given, or undefined when it was given none it can read. */
export function parseStart(arg: string | undefined): UnitProcessStart | undefined {
  if (arg === undefined) return undefined;
  try {
    const v = JSON.parse(arg) as Partial<UnitProcessStart> | null;
    if (v === null || typeof v !== 'object' || typeof v.validate !== 'boolean' || typeof v.verify !== 'boolean') return undefined;
    if (v.cacheDir !== undefined && typeof v.cacheDir !== 'string') return undefined;
    return startOf({ validate: v.validate, verify: v.verify, ...(v.cacheDir !== undefined ? { cacheDir: v.cacheDir } : {}) });
  } catch {
    return undefined;
  }
}
