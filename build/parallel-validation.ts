/**
 * aws-cdk-lib's built-in CloudFormation validation, run on the second core.
 *
 * At 1,000 cooperatives the validator (a WASM engine) is the largest single cost of the
 * build: ~3.5 s to initialize, then ~25–50 ms per template, all on the main thread after
 * every template is written, in sequence with cdk-nag. Here the very same plugin class
 * (`CloudFormationValidatePlugin`, same rules, same settings, same report) runs in a worker
 * thread: the engine initializes while the main thread still builds and synthesizes the
 * app, and each template is validated as soon as its stack has written it (see
 * {@link WorkerValidation.synthesizer}), while the main thread synthesizes the next stacks
 * and then runs the cdk-nag packs.
 *
 * The plugin registered on the app is a `CloudFormationValidatePlugin` (so aws-cdk-lib
 * treats it as the built-in one: no second copy is added, its errors are handled exactly
 * as the built-in's) whose `validate` returns the worker's report. `validate` must be
 * synchronous, so the main thread blocks on a shared flag (`Atomics.wait`) and takes the
 * reply with `receiveMessageOnPort`.
 *
 * Validating stack by stack gives the very report of one call over all stacks: the plugin
 * validates each template on its own and groups violations by rule, severity and
 * description in stack order; the job merges the per-stack reports the same way, in the
 * order of the validation context. A stack validated early is used only when its template
 * path, construct path, account and region are the context's and the file is unchanged
 * since; anything else is validated again in the job.
 *
 * With a cache folder, each stack's report is also stored under the SHA-256 of what it
 * depends on (the template's bytes, the stack's construct path, account and region, the
 * aws-cdk-lib and validator versions), with the template path left out and put back on
 * reading; a later build whose template is unchanged takes the report from there. Entries
 * are written whole and renamed into place, sealed with their key and a checksum in the
 * format of build-cache.ts `sealEntry`; one that does not open is a miss, counted as
 * rejected, validated again and rewritten. A hit refreshes the entry's mtime, which is what
 * pruning keeps the recently used entries by. With `verify` (`--verify-cache`) every hit is
 * validated again and compared, and the fresh report is the one used.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { CloudFormationValidatePlugin, DefaultStackSynthesizer, Stack, Token, type IPolicyValidationContext, type ISynthesisSession, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { describeDifference, ENTRY_FORMAT, VALIDATION_CACHE, type CacheMismatch } from './build-cache';
import { msg } from '../infra/config/messages';
import type { PhaseTimer } from '../stacks/timer';
import { giveBackWarmWorker, takeWarmWorker } from './warm-workers';

/** One stack's template as the validation context describes it. */
type StackTemplate = IPolicyValidationContext['stackTemplates'][number];
/**
 * What the main thread sends: the job's flag and cache, then the resource types to warm up
 * for, then each stack's template as it is written, then one job.
 */
type Request =
  | { readonly begin: { readonly flag: SharedArrayBuffer; readonly cache?: unknown } }
  | { readonly warm: readonly string[] }
  | { readonly stack: StackTemplate }
  | { readonly job: Pick<IPolicyValidationContext, 'templatePaths' | 'stackTemplates' | 'accountId' | 'region'> };
/**
 * What the worker answers to the job: the report, its validation time, how many stacks' early
 * reports it used, and the engine's version (asking it on the main thread would load the
 * WASM engine there too, ~1 s).
 */
type Reply =
  | {
      readonly report: PolicyValidationPluginReport;
      readonly ms: number;
      readonly early: number;
      readonly hits: number;
      readonly misses: number;
      readonly rejected: number;
      readonly verified: number;
      /** Hits whose report differed from the one validated again (with `verify`), template paths left out. */
      readonly mismatches: readonly { readonly stack: string; readonly cached: PolicyValidationPluginReport; readonly computed: PolicyValidationPluginReport }[];
      readonly version?: string;
    }
  | { readonly error: string };

/** Options of {@link WorkerValidation}. */
export interface WorkerValidationOptions {
  /**
   * Folder of the per-stack report cache (content-addressed: template, stack, account, region,
   * aws-cdk-lib and validator versions). A stack whose template was validated before is not
   * validated again; when the folder holds entries, the engine starts only for a stack that
   * misses.
   * @default - no cache: every template is validated
   */
  readonly cacheDir?: string;
  /**
   * Validate every stack again, also those the cache answers, and note each whose cached
   * report differs (`--verify-cache`); the fresh report is the one used.
   * @default false
   */
  readonly verify?: boolean;
  /**
   * Start the engine when warmed even if the cache holds entries: for a unit process, which
   * exists because something in its unit changed, so that some template will miss the cache
   * and the engine's start-up (~3 s) is better begun before the app is built.
   * @default false
   */
  readonly eager?: boolean;
}

/** Version of the cache entries' content; part of every key. */
const CACHE_FORMAT = 'cfn-validate/2';

// Plain JavaScript so the worker needs no TypeScript loader. It only ever runs aws-cdk-lib's
// own plugin. An initialization error during warm-up is kept and reported with the job.
const WORKER_SOURCE = `
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { threadId, workerData } = require('node:worker_threads');
const { CloudFormationValidatePlugin } = require(workerData.awsCdkLib);
// The plugin, and so its engine, outlives a job: a kept worker's next job starts warm.
const plugin = new CloudFormationValidatePlugin();
// The job's state, set anew by each 'begin' message.
let flag; // the job's shared flag
let cache; // { dir, salt, format, kind, lazy, verify } or undefined
let warmError;
let pendingWarm;
let ms;
let hits;
let misses;
let rejected;
let verified;
let mismatches;
let engineUsed;
let cachedVersion;
// Reports of stacks validated as they were written, by template path.
let early;
function begin(job) {
  flag = new Int32Array(job.flag);
  cache = job.cache;
  warmError = undefined;
  pendingWarm = undefined;
  ms = 0;
  hits = 0;
  misses = 0;
  rejected = 0;
  verified = 0;
  mismatches = [];
  engineUsed = false;
  cachedVersion = undefined;
  early = new Map();
}
const fileState = (path) => { const s = statSync(path); return s.size + ':' + s.mtimeMs; };
const sameStack = (a, b) => a.templatePath === b.templatePath && a.stackConstructPath === b.stackConstructPath && a.accountId === b.accountId && a.region === b.region;
function warm(types) {
  try { plugin.initializeEngine(new Set(types)); } catch (e) { warmError = e; }
}
// With a cache that may answer every stack, the engine starts only when a stack misses.
function engine() {
  if (pendingWarm) { const types = pendingWarm; pendingWarm = undefined; warm(types); }
  if (warmError) throw warmError;
  engineUsed = true;
}
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
// The report depends on the template, where it runs (stack, account, region) and the
// validator (salt: aws-cdk-lib and engine versions); the template path is stored as '' and
// put back, since the same template is checked from another folder next time.
function keyOf(stack) {
  return { ...cache.salt, stack: stack.stackConstructPath, account: stack.accountId ?? null, region: stack.region ?? null, template: sha256(readFileSync(stack.templatePath)) };
}
// An entry sealed as build-cache.ts sealEntry does, and opened as its openEntry does: the
// recorded key must be the one looked up and the checksum must match, else it is rejected.
// As build-cache.ts asciiJson: JSON with every character outside ASCII escaped.
const asciiJson = (value) => JSON.stringify(value).replace(/[\\u0080-\\uffff]/g, (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const checksum = (key, content) => sha256(asciiJson([cache.format, cache.kind, key, content]));
function openEntry(file, key) {
  let text;
  try { text = readFileSync(file, 'utf8'); } catch (e) { if (e.code !== 'ENOENT') rejected++; return undefined; }
  let e;
  try { e = JSON.parse(text); } catch { e = undefined; }
  const c = e && e.content;
  const ok = e && e.format === cache.format && e.kind === cache.kind && JSON.stringify(e.key) === JSON.stringify(key) && e.checksum === checksum(e.key, c) &&
    c && typeof c.version === 'string' && c.report && typeof c.report.success === 'boolean' && Array.isArray(c.report.violations);
  if (!ok) { rejected++; return undefined; }
  return c;
}
const withPath = (report, from, to) => ({ ...report, violations: report.violations.map((v) => ({ ...v, violatingResources: v.violatingResources.map((r) => (r.templatePath === from ? { ...r, templatePath: to } : r)) })) });
function validateOne(stack) {
  const t0 = performance.now();
  try {
    const key = cache && keyOf(stack);
    const file = key && join(cache.dir, sha256(JSON.stringify(key)) + '.json');
    let entry;
    if (file) {
      entry = openEntry(file, key);
      if (entry) {
        hits++;
        // Used now: pruning after the build keeps it (touchEntry in build/build-cache.ts,
        // which this worker cannot import). Best effort: the report was read all the same.
        try { const now = new Date(); utimesSync(file, now, now); } catch {}
        if (!cache.verify) {
          cachedVersion = entry.version;
          return withPath(entry.report, '', stack.templatePath);
        }
      } else misses++;
    }
    engine();
    const report = plugin.validate({ templatePaths: [stack.templatePath], stackTemplates: [stack], accountId: stack.accountId, region: stack.region });
    const stored = withPath(report, stack.templatePath, '');
    if (entry && JSON.stringify(entry.report) === JSON.stringify(stored)) verified++;
    else if (file) {
      if (entry) mismatches.push({ stack: stack.stackConstructPath, cached: entry.report, computed: stored });
      // Written whole, then renamed: a reader never sees half an entry.
      try {
        mkdirSync(cache.dir, { recursive: true });
        const tmp = file + '.' + process.pid + '-' + threadId + '.tmp';
        const content = { version: plugin.version, report: stored };
        writeFileSync(tmp, asciiJson({ format: cache.format, kind: cache.kind, key, checksum: checksum(key, content), content }));
        renameSync(tmp, file);
      } catch {}
    }
    return report;
  } finally {
    ms += performance.now() - t0;
  }
}
workerData.port.on('message', (msg) => {
  if (msg.begin) return begin(msg.begin);
  if (msg.warm) {
    if (cache && cache.lazy) pendingWarm = msg.warm;
    else warm(msg.warm);
    return;
  }
  if (msg.stack) {
    // Best effort: a stack that fails here is validated again by the job, which reports the error.
    if (warmError) return;
    try {
      const state = fileState(msg.stack.templatePath);
      early.set(msg.stack.templatePath, { stack: msg.stack, state, report: validateOne(msg.stack) });
    } catch {}
    return;
  }
  let reply;
  try {
    if (warmError) throw warmError;
    // The plugin's own grouping (rule, severity, description; first fix and metadata kept),
    // applied across the per-stack reports in the context's stack order.
    const violations = [];
    let reused = 0;
    for (const stack of msg.job.stackTemplates) {
      const e = early.get(stack.templatePath);
      const fresh = e && sameStack(e.stack, stack) && e.state === fileState(stack.templatePath);
      if (fresh) reused++;
      const report = fresh ? e.report : validateOne(stack);
      for (const v of report.violations) {
        const existing = violations.find((x) => x.ruleName === v.ruleName && x.severity === v.severity && x.description === v.description);
        if (existing) existing.violatingResources.push(...v.violatingResources);
        else violations.push({ ...v, violatingResources: [...v.violatingResources] });
      }
    }
    const version = engineUsed || cachedVersion === undefined ? plugin.version : cachedVersion;
    reply = { report: { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations }, ms, early: reused, hits, misses, rejected, verified, mismatches, version };
  } catch (e) {
    reply = { error: String((e && e.stack) || e) };
  }
  workerData.port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * One validation job on a worker thread. Create it before building the app, {@link warm}
 * it with the app's resource types, {@link start} it as soon as the templates are written,
 * and register {@link plugin} on the app.
 */
export class WorkerValidation {
  /** The worker doing this job; undefined once it was kept or ended. */
  private thread?: ValidationThread;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private started?: string;
  private done = false;
  private early = 0;
  private hits = 0;
  private misses = 0;
  private rejected = 0;
  private verified = 0;
  private found: readonly CacheMismatch[] = [];
  private version?: string;

  constructor(
    private readonly timer?: PhaseTimer,
    options: WorkerValidationOptions = {},
  ) {
    const awsCdkLib = require.resolve('aws-cdk-lib');
    const verify = options.verify ?? false;
    const cache =
      options.cacheDir !== undefined
        ? { dir: options.cacheDir, salt: cacheSalt(awsCdkLib), format: ENTRY_FORMAT, kind: VALIDATION_CACHE, lazy: !verify && !options.eager && hasEntries(options.cacheDir), verify }
        : undefined;
    this.thread = takeWarmWorker<ValidationThread>(threadKind(awsCdkLib)) ?? startThread(awsCdkLib);
    this.post({ begin: { flag: this.flag.buffer, ...(cache ? { cache } : {}) } });
  }

  /**
   * Initializes the engine for these resource types, in the background. The plugin keeps
   * the engine when the templates' types are among them, so pass every type of the app.
   */
  warm(resourceTypes: Iterable<string>): void {
    this.post({ warm: [...new Set(resourceTypes)].sort() });
  }

  /**
   * A stack synthesizer (aws-cdk-lib's default one, same output) that hands the stack's
   * template to the worker as soon as it is written. One per stack.
   */
  synthesizer(): DefaultStackSynthesizer {
    return new EarlyValidationSynthesizer((stack) => {
      if (this.started === undefined) this.post({ stack });
    });
  }

  /** The validation engine's version, once {@link result} returned. */
  get engineVersion(): string | undefined {
    return this.version;
  }

  /**
   * Stacks answered from the cache (`hits`; with `verify`, `verified` of them validated again
   * and equal), stacks validated and stored (`misses`), and entries that were there but did
   * not open (`rejected`, counted among the misses), once {@link result} returned.
   */
  get cache(): { readonly hits: number; readonly misses: number; readonly rejected: number; readonly verified: number } {
    return { hits: this.hits, misses: this.misses, rejected: this.rejected, verified: this.verified };
  }

  /** Hits whose report differed from the one validated again (with `verify`), once {@link result} returned. */
  get mismatches(): readonly CacheMismatch[] {
    return this.found;
  }

  /** How many stacks' reports were taken from their early validation, once {@link result} returned. */
  get validatedEarly(): number {
    return this.early;
  }

  /** Sends the templates to validate; only the first call counts. */
  start(context: IPolicyValidationContext): void {
    if (this.started !== undefined) return;
    this.started = key(context);
    this.post({ job: { templatePaths: context.templatePaths, stackTemplates: context.stackTemplates, accountId: context.accountId, region: context.region } });
  }

  /** The worker's report for `context`; blocks until it is there. */
  result(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.start(context);
    if (this.started !== key(context)) throw new Error('WorkerValidation: the plugin was asked about other templates than the ones sent to the worker');
    if (this.done) throw new Error('WorkerValidation: one job per app; build a new WorkerValidation for another synth');
    const wait = () => Atomics.wait(this.flag, 0, 0);
    if (this.timer) this.timer.time('cfn-validate (main thread waiting)', wait);
    else wait();
    this.done = true;
    const reply = receiveMessageOnPort(this.thread!.port)?.message as Reply | undefined;
    // A worker that answered is idle again and can be kept; one that failed is ended.
    this.release(reply !== undefined && !('error' in reply));
    if (!reply) throw new Error('WorkerValidation: the worker signalled but sent no report');
    if ('error' in reply) throw new Error(`CloudFormation validation failed in its worker: ${reply.error}`);
    this.early = reply.early;
    this.hits = reply.hits;
    this.misses = reply.misses;
    this.rejected = reply.rejected;
    this.verified = reply.verified;
    this.found = reply.mismatches.map((m) => ({ stack: m.stack, check: msg('cache.check-validation'), difference: describeDifference(m.cached.violations, m.computed.violations) }));
    this.version = reply.version;
    this.timer?.record?.('cfn-validate (worker)', reply.ms);
    return reply.report;
  }

  /** The plugin to register on the app in place of the built-in one. */
  plugin(): CloudFormationValidatePlugin {
    return new WorkerValidatePlugin(this);
  }

  /** Stops the worker (when the app is never synthesized); nothing once {@link result} returned. */
  dispose(): void {
    this.release(false);
  }

  /** Gives the worker back (`idle`: kept for another job if workers are kept) or ends it. */
  private release(idle: boolean): void {
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    if (idle) giveBackWarmWorker(threadKind(thread.awsCdkLib), thread);
    else void thread.worker.terminate();
  }

  private post(message: Request): void {
    this.thread!.port.postMessage(message);
  }
}

/** A validation worker, the port the main thread talks to it on, and the aws-cdk-lib it loaded. */
interface ValidationThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly awsCdkLib: string;
}

/** Which kept workers can take a job: those running this worker code on this aws-cdk-lib. */
const threadKind = (awsCdkLib: string) => `cfn-validate\0${awsCdkLib}\0${WORKER_SOURCE}`;

function startThread(awsCdkLib: string): ValidationThread {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { awsCdkLib, port: port2 }, transferList: [port2] });
  // Never keep the process alive: a build that fails before validation just exits, and a kept worker waits unreferenced.
  worker.unref();
  port1.unref();
  return { worker, port: port1, awsCdkLib };
}

/** What, besides the template and where it runs, a validation report depends on: part of each entry's key. */
function cacheSalt(awsCdkLib: string): { readonly format: string; readonly versions: Readonly<Record<string, string>> } {
  const validator = require(require.resolve('@aws/cloudformation-validate/package.json', { paths: [awsCdkLib] })) as { version: string };
  const lib = require(require.resolve('aws-cdk-lib/package.json', { paths: [awsCdkLib] })) as { version: string };
  return { format: CACHE_FORMAT, versions: { 'aws-cdk-lib': lib.version, '@aws/cloudformation-validate': validator.version } };
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.json'));
  } catch {
    return false;
  }
}

function key(context: IPolicyValidationContext): string {
  return context.templatePaths.join('\n');
}

/** aws-cdk-lib's plugin, answered by the worker. */
class WorkerValidatePlugin extends CloudFormationValidatePlugin {
  constructor(private readonly job: WorkerValidation) {
    super();
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.job.result(context);
  }

  // aws-cdk-lib reads the version for the report right after `validate`: by then the worker
  // has sent it. Before that, the plugin's own getter answers (it loads the engine here).
  override get version(): string | undefined {
    return this.job.engineVersion ?? super.version;
  }

  override get ruleIds(): string[] | undefined {
    return this.job.engineVersion !== undefined ? [this.job.engineVersion] : super.ruleIds;
  }
}

/** aws-cdk-lib's default synthesizer, telling `written` about each template it wrote. */
class EarlyValidationSynthesizer extends DefaultStackSynthesizer {
  constructor(private readonly written: (stack: StackTemplate) => void) {
    super();
  }

  override synthesize(session: ISynthesisSession): void {
    super.synthesize(session);
    const stack: Stack = this.boundStack;
    const known = (v: string) => (Token.isUnresolved(v) ? undefined : v);
    this.written({ stackConstructPath: stack.node.path, templatePath: join(session.outdir, stack.templateFile), accountId: known(stack.account), region: known(stack.region) });
  }
}
