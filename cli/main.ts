/**
 * `coop-idc`: the command line. The only place (with the CDK/CDKTF app entry points) that
 * reads argv, the environment and the clock; everything below it takes them as arguments.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  compile,
  ConfigPathError,
  diagnostic,
  configRootOf,
  cooperativeIdProblem,
  DNS_LABEL,
  entryExists,
  fillTemplate,
  isCalendarDate,
  loadSources,
  Names,
  formatCooperativeDetail,
  formatDiagnostic,
  formatPlanSummary,
  LAYOUT,
  readConfigDir,
  readSource,
  selectCooperative,
  type CompileResult,
  type ConfigSources,
  type Diagnostic,
  compareDiagnostics,
  localizeDiagnostic,
} from '../infra';
import { formatMessage, isLang, msg, resolveLang, type Lang } from '../infra/config/messages';
import { TOOL_VERSION } from '../infra/shared-names';
import { diagnosticsToSarif } from '../infra/report/sarif';
import type * as AwsStepModule from '../build/aws-step';
import type * as BuildStepsModule from '../build/build-steps';
import type * as IdcStepModule from '../build/idc-step';
import { reportCommand } from './report';
import { tfCommand } from './tf';
import { helpText, isHelpTopic } from './help';
import { costCsv, estimateCost, formatCostTable } from '../infra/cost';
import { formatCapacityTable } from '../infra/plan/capacity';
import { cacheDirOf, cachePolicyOf, cacheUsage, cleanCache, formatPolicy, formatPrune, formatTally, pruneCache } from '../build/build-cache';
import { BuildFailure, EXIT, langOf, outputGuard, t, UsageError, type CliIo } from './io';
import { OutputRefused, toJson, writeFileAtomically } from '../build/output';
import { checkBuildTargets, FAILED_SUFFIX, runBuild } from '../build/run-build';
import { checkUpToDate, inputHash, writeBuildManifest } from '../build/up-to-date';
import { phaseLines, progressBar } from '../build/progress';
import type { BuildContext } from '../build/step';
import { totalsTimer, type PhaseTimer } from '../stacks/timer';

const VERSION = TOOL_VERSION;
const DEFAULT_CONFIG = 'config';
const DEFAULT_OUT = 'out';

const COMMON: ParseArgsConfig['options'] = {
  config: { type: 'string' },
  today: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Runs the CLI with the real process environment. */
export function runCli(argv: readonly string[]): Promise<number> {
  const now = new Date();
  return main(argv, {
    cwd: process.cwd(),
    today: now.toISOString().slice(0, 10),
    env: process.env,
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    ...(process.stderr.isTTY ? { tty: (t: string) => void process.stderr.write(t) } : {}),
  });
}

/**
 * Runs one CLI invocation and returns its exit code. Never throws for user errors. The
 * language of its messages is resolved here, once: `--lang` (any command), else LC_ALL,
 * else LANG, else Korean; everything below is handed it.
 */
export async function main(argv: readonly string[], given: CliIo): Promise<number> {
  let io: CliIo = { ...given, lang: given.lang ?? resolveLang(undefined, given.env) };
  try {
    const taken = takeLang(argv);
    if (taken.lang) io = { ...io, lang: taken.lang };
    return await run(taken.argv, io);
  } catch (e) {
    return failed(e, io);
  }
}

/** `--lang ko|en` or `--lang=ko`, wherever it stands (before `--`), taken out of the arguments. */
function takeLang(argv: readonly string[]): { readonly lang?: Lang; readonly argv: readonly string[] } {
  const rest: string[] = [];
  let choice: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--lang') choice = argv[++i] ?? '';
    else if (a.startsWith('--lang=')) choice = a.slice('--lang='.length);
    else rest.push(a);
  }
  if (choice === undefined) return { argv: rest };
  if (!isLang(choice)) throw new UsageError(msg('cli.lang', { value: choice }));
  return { lang: choice, argv: rest };
}

/** What a user error prints, and its exit code; anything else is a bug and is rethrown. */
function failed(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    io.err(t(io, 'cli.usage-prefix', { message: e.text ?? e.message }));
    io.err(t(io, 'cli.see-help', { command: e.command ? `${e.command} ` : '' }));
    return EXIT.usage;
  }
  if (e instanceof OutputRefused) {
    io.err(t(io, 'cli.usage-prefix', { message: `${e.shown}: ${formatMessage(langOf(io), e.why)}` }));
    return EXIT.usage;
  }
  if (e instanceof ConfigPathError) {
    io.err(formatDiagnostic(e.diagnostic, langOf(io)));
    return EXIT.invalid;
  }
  if (e instanceof BuildFailure) {
    for (const l of e.lines) io.err(l);
    io.err(t(io, 'cli.build-failed', { summary: e.summary }));
    if (e.evidence) io.err(t(io, 'cli.build-evidence', { dir: relative(io.cwd, e.evidence) || e.evidence }));
    return EXIT.invalid;
  }
  throw e;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  {
    // No shell can pass one; a path holding it makes every file-system call throw.
    if (argv.some((a) => a.includes('\0'))) throw new UsageError(msg('cli.nul'));
    switch (command) {
      case undefined:
        // No command is a usage error (as git and npm): help on stderr, exit 2.
        io.err(helpText('main', langOf(io)));
        return EXIT.usage;
      case 'help':
      case '-h':
      case '--help':
        io.out(helpText(isHelpTopic(rest[0]) ? rest[0] : 'main', langOf(io)));
        return EXIT.ok;
      case '--version':
      case '-v':
        io.out(VERSION);
        return EXIT.ok;
      case 'validate':
        return validateCommand(rest, io);
      case 'plan':
        return planCommand(rest, io);
      case 'new':
        return newCommand(rest, io);
      case 'build':
        return await buildCommand(rest, io);
      case 'cache':
        return cacheCommand(rest, io);
      case 'cost':
        return costCommand(rest, io);
      case 'tf':
        return tfCommand(rest, io);
      case 'report': {
        const { values } = parse(
          'report',
          rest,
          { out: { type: 'string' }, since: { type: 'string' }, 'baseline-checks': { type: 'string' }, pdf: { type: 'boolean' }, chromium: { type: 'string' } },
          false,
        );
        if (values.help) return io.out(helpText('report', langOf(io))), EXIT.ok;
        return await reportCommand(
          {
            out: outArg(values.out as string | undefined) ?? DEFAULT_OUT,
            config: configDirOf(values, io, 'report'),
            today: todayOf(values, io, 'report'),
            ...(values.since !== undefined ? { since: values.since as string } : {}),
            ...(values['baseline-checks'] !== undefined ? { baselineChecks: values['baseline-checks'] as string } : {}),
            ...(values.pdf === true ? { pdf: true } : {}),
            ...(values.chromium !== undefined ? { chromium: values.chromium as string } : {}),
          },
          io,
        );
      }
      default:
        throw new UsageError(msg('cli.unknown-command', { command }));
    }
  }
}

function parse(command: string, args: readonly string[], options: ParseArgsConfig['options'], allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options: { ...COMMON, ...options }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0], command);
  }
}

/**
 * The value of --out, refused when no shell would mean a folder by it: empty (an unset CI
 * variable: resolved, it is the working directory) or starting with an unexpanded `~`.
 */
function outArg(out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  if (out.trim() === '') {
    throw new OutputRefused('--out', msg('output.why.out-empty'));
  }
  if (out === '~' || out.startsWith('~/')) {
    throw new OutputRefused(out, msg('output.why.tilde'));
  }
  return out;
}

function todayOf(values: { today?: string | boolean | (string | boolean)[] }, io: CliIo, command: string): string {
  const today = (values.today as string | undefined) ?? io.env.COOP_IDC_TODAY ?? io.today;
  if (!isCalendarDate(today)) throw new UsageError(msg('cli.today', { today, env: values.today === undefined ? 'yes' : 'no' }), command);
  return today;
}

/** `--config`: a folder. A file there (often platform.yaml) would be read as a folder's path and fail obscurely. */
function configDirOf(values: { config?: string | boolean | (string | boolean)[] }, io: CliIo, command: string): string {
  const dir = (values.config as string | undefined) ?? DEFAULT_CONFIG;
  if (existsSync(resolve(io.cwd, dir)) && !statSync(resolve(io.cwd, dir)).isDirectory()) {
    throw new UsageError(msg('cli.config-not-folder', { platform: LAYOUT.platform, cooperatives: LAYOUT.cooperatives, dir }), command);
  }
  return dir;
}

/** Prints diagnostics and the summary line; returns the exit code. */
function report(io: CliIo, result: CompileResult, filter?: (d: Diagnostic) => boolean, sink?: Diagnostic[]): number {
  const shown = filter ? result.diagnostics.filter(filter) : result.diagnostics;
  // --format json|sarif: the caller prints one document at the end, nothing else on stdout.
  if (sink) sink.push(...shown);
  else for (const d of shown) io.err(formatDiagnostic(d, langOf(io)));
  if (result.capacityExceeded) {
    io.err('');
    io.err(t(io, 'cli.capacity-table'));
    io.err(formatCapacityTable(result.capacityExceeded, langOf(io), { onlyExceeded: true }));
  }
  const errors = shown.filter((d) => d.severity === 'error').length;
  const hidden = result.diagnostics.filter((d) => d.severity === 'error').length - errors;
  if (errors > 0 || hidden > 0 || !result.plan) {
    io.err(t(io, 'common.errors', { errors, hidden }));
    return EXIT.invalid;
  }
  return EXIT.ok;
}

/** Output formats of `validate`: lines for people, JSON for scripts, SARIF 2.1.0 for code scanning. */
const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;
type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

function formatArg(value: string | undefined): ValidateFormat {
  if (value === undefined) return 'text';
  if ((VALIDATE_FORMATS as readonly string[]).includes(value)) return value as ValidateFormat;
  throw new UsageError(msg('cli.format', { value, allowed: VALIDATE_FORMATS.join(', ') }), 'validate');
}

/** The diagnostics of a `validate` run as one JSON or SARIF document on stdout. */
function printDocument(io: CliIo, format: Exclude<ValidateFormat, 'text'>, diagnostics: readonly Diagnostic[], valid: readonly string[]): void {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const lang = langOf(io);
  if (format === 'sarif') return io.out(JSON.stringify(diagnosticsToSarif(sorted, { toolVersion: VERSION, lang }), null, 2));
  const count = (s: string) => sorted.filter((d) => d.severity === s).length;
  // Messages and hints in the run's language; codes, files and positions as they are.
  io.out(JSON.stringify({ version: 1, lang, errors: count('error'), warnings: count('warning'), valid, diagnostics: sorted.map((d) => localizeDiagnostic(d, lang)) }, null, 2));
}

function compileDir(dir: string, io: CliIo, today: string): { result: CompileResult; sources: ConfigSources } {
  const sources = readConfigDir(dir, io.cwd);
  return { result: compile(sources, { today }), sources };
}

function validateCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('validate', args, { format: { type: 'string' } }, true);
  if (values.help) return io.out(helpText('validate', langOf(io))), EXIT.ok;
  const format = formatArg(values.format as string | undefined);
  const sink: Diagnostic[] | undefined = format === 'text' ? undefined : [];
  const valid: string[] = [];
  const code = validateTargets(values, positionals, io, sink, valid);
  if (sink && format !== 'text') printDocument(io, format, sink, valid);
  return code;
}

function validateTargets(values: Parameters<typeof todayOf>[0] & Parameters<typeof configDirOf>[0], positionals: readonly string[], io: CliIo, sink: Diagnostic[] | undefined, valid: string[]): number {
  // With a document format, stdout carries only the document; "valid" lines go into it.
  const ok = (line: string, what: string) => (sink ? void valid.push(what) : io.out(line));
  const today = todayOf(values, io, 'validate');
  const targets = positionals.length ? positionals : [configDirOf(values, io, 'validate')];
  // A folder named like a YAML file is a broken cooperative file, not a config folder.
  const dirs = targets.filter((t) => !/\.ya?ml$/.test(t) && existsSync(resolve(io.cwd, t)) && statSync(resolve(io.cwd, t)).isDirectory());
  const files = targets.filter((t) => !dirs.includes(t));
  if (dirs.length && files.length) throw new UsageError(msg('cli.folders-and-files'), 'validate');

  if (dirs.length) {
    let code: number = EXIT.ok;
    for (const dir of dirs) {
      const { result, sources } = compileDir(dir, io, today);
      const c = report(io, result, undefined, sink);
      if (c === EXIT.ok) ok(t(io, 'cli.valid-dir', { dir, n: sources.cooperatives.length }), dir);
      code = Math.max(code, c);
    }
    return code;
  }

  // Files: group by config root; check each file together with its siblings.
  for (const f of files) {
    // lstat: a link to nothing is there, and reading it says where it points.
    if (!entryExists(resolve(io.cwd, f))) {
      const missing = diagnostic({ file: f, line: 1, col: 1 }, 'error', 'missing-file', msg('read.no-file'), msg('read.no-file.hint', { dir: `${DEFAULT_CONFIG}/${LAYOUT.cooperatives}` }));
      if (sink) sink.push(missing);
      else io.err(formatDiagnostic(missing, langOf(io)));
      return EXIT.invalid;
    }
  }
  let code: number = EXIT.ok;
  const roots = new Map<string, string[]>();
  for (const f of files) {
    const root = configRootOf(f, io.cwd);
    roots.set(root, [...(roots.get(root) ?? []), resolve(io.cwd, f)]);
  }
  for (const [root, abs] of roots) {
    const base = readConfigDir(root, io.cwd);
    // The platform file named as a file is checked as the platform file, with its folder.
    const extra = abs.filter((a) => a !== resolve(io.cwd, base.platform.displayPath) && !base.cooperatives.some((s) => resolve(io.cwd, s.displayPath) === a));
    const sources: ConfigSources = { ...base, cooperatives: [...base.cooperatives, ...extra.map((a) => readSource(root, a, io.cwd))] };
    const result = compile(sources, { today });
    const mine = new Set(abs.map((a) => relative(io.cwd, a) || a));
    const platformFile = base.platform.displayPath;
    // Show the file's own problems and platform-level ones (capacity), which the file may cause.
    const c = report(io, result, (d) => mine.has(d.file) || d.file === platformFile, sink);
    if (c === EXIT.ok) for (const m of mine) ok(t(io, 'cli.valid-file', { file: m }), m);
    code = Math.max(code, c);
  }
  return code;
}

function planCommand(args: readonly string[], io: CliIo): number {
  const { values } = parse('plan', args, { coop: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) return io.out(helpText('plan', langOf(io))), EXIT.ok;
  const today = todayOf(values, io, 'plan');
  const dir = configDirOf(values, io, 'plan');
  const { result } = compileDir(dir, io, today);
  const code = report(io, result);
  if (code !== EXIT.ok || !result.plan) return code;
  const plan = result.plan;
  const coopId = values.coop as string | undefined;
  if (coopId !== undefined) {
    const coop = plan.cooperatives.find((c) => c.id === coopId);
    if (!coop) throw new UsageError(msg('cli.unknown-coop', { id: coopId, dir, known: plan.cooperatives.map((c) => c.id).join(', ') }), 'plan');
    if (values.json) {
      const grants = plan.grants.filter((g) => g.cooperative === coopId);
      io.out(toJson({ cooperative: coop, grants }).trimEnd());
    } else io.out(formatCooperativeDetail(plan, coop, langOf(io)));
    return EXIT.ok;
  }
  io.out(values.json ? toJson(plan).trimEnd() : formatPlanSummary(plan, langOf(io)));
  return EXIT.ok;
}

function costCommand(args: readonly string[], io: CliIo): number {
  const { values } = parse('cost', args, { coop: { type: 'string' }, month: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } }, false);
  if (values.help) return io.out(helpText('cost', langOf(io))), EXIT.ok;
  if (values.json && values.csv) throw new UsageError(msg('cli.exclusive', { a: '--json', b: '--csv' }), 'cost');
  const month = (values.month as string | undefined) ?? io.today.slice(0, 7);
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(msg('cli.month', { month }), 'cost');
  const today = todayOf(values, io, 'cost');
  const dir = configDirOf(values, io, 'cost');
  const { result, sources } = compileDir(dir, io, today);
  const code = report(io, result);
  if (code !== EXIT.ok || !result.plan) return code;
  const plan = result.plan;
  const coopId = values.coop as string | undefined;
  if (coopId !== undefined && !plan.cooperatives.some((c) => c.id === coopId)) {
    throw new UsageError(msg('cli.unknown-coop', { id: coopId, dir, known: plan.cooperatives.map((c) => c.id).join(', ') }), 'cost');
  }
  if (!plan.platform.cost) {
    io.err(formatDiagnostic(diagnostic({ file: sources.platform.displayPath, line: 1, col: 1 }, 'error', 'cost-rates-missing', msg('cost.no-rates'), msg('cost.no-rates.hint')), langOf(io)));
    return EXIT.invalid;
  }
  const estimate = estimateCost(plan, { month });
  const options = coopId !== undefined ? { coop: coopId } : {};
  if (values.json) {
    const shown = coopId !== undefined ? { ...estimate, cooperatives: estimate.cooperatives.filter((c) => c.id === coopId) } : estimate;
    io.out(toJson(shown).trimEnd());
  } else if (values.csv) {
    // The CSV's own CRLF line ends; out() adds the last line end.
    io.out(costCsv(estimate, options).replace(/\r\n$/, ''));
  } else io.out(formatCostTable(estimate, langOf(io), options));
  return EXIT.ok;
}

function newCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('new', args, { force: { type: 'boolean' } }, true);
  if (values.help) return io.out(helpText('new', langOf(io))), EXIT.ok;
  if (positionals.length !== 1) throw new UsageError(msg('cli.new-one-id'), 'new');
  const id = positionals[0];
  if (!DNS_LABEL.test(id) || id.length > 40) {
    throw new UsageError(msg('cli.new-bad-id', { id }), 'new');
  }
  const configDir = configDirOf(values, io, 'new');
  const dir = resolve(io.cwd, configDir);
  // The limits validate applies to an id (derived-name lengths, reserved ids) depend on the
  // platform's environment: refuse an id now rather than after the cooperative filled it in.
  const platform = loadSources({ platform: readConfigDir(configDir, io.cwd).platform, cooperatives: [] });
  if (!platform.config) {
    for (const d of platform.diagnostics) io.err(formatDiagnostic(d, langOf(io)));
    io.err(t(io, 'cli.new-platform-invalid'));
    return EXIT.invalid;
  }
  const env = platform.config.platform.value.environment;
  const problem = cooperativeIdProblem(id, new Names({ env: env.name, account: env.account, region: env.region }), env.name);
  if (problem) throw new UsageError(msg('cli.new-id-problem', { problem: problem.message, hint: problem.hint }), 'new');
  const template = join(dir, 'templates', 'cooperative.yaml');
  if (!existsSync(template)) throw new UsageError(msg('cli.new-no-template', { file: relative(io.cwd, template) }), 'new');
  const target = join(dir, LAYOUT.cooperatives, `${id}.yaml`);
  const shown = relative(io.cwd, target);
  if (existsSync(target) && !values.force) {
    io.err(formatDiagnostic(diagnostic({ file: shown, line: 1, col: 1 }, 'error', 'file-exists', msg('cli.new-exists'), msg('cli.new-exists.hint')), langOf(io)));
    return EXIT.invalid;
  }
  // The cell with the most room is chosen once, here; afterwards only the file moves it.
  const text = fillTemplate(readFileSync(template, 'utf8'), id, readConfigDir(dir, io.cwd));
  if (text === undefined) {
    io.err(formatDiagnostic(diagnostic({ file: relative(io.cwd, join(dir, LAYOUT.platform)), line: 1, col: 1 }, 'error', 'invalid-platform', msg('cli.new-invalid-platform'), msg('cli.new-invalid-platform.hint')), langOf(io)));
    return EXIT.invalid;
  }
  writeFileAtomically(target, text);
  io.out(t(io, 'cli.created', { file: shown }));
  io.out(t(io, 'cli.next', { file: shown }));
  return EXIT.ok;
}

async function buildCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse('build', args, { out: { type: 'string' }, coop: { type: 'string' }, 'no-cache': { type: 'boolean' }, 'verify-cache': { type: 'boolean' }, shard: { type: 'string' }, merge: { type: 'string', multiple: true }, quiet: { type: 'boolean' }, verbose: { type: 'boolean' }, force: { type: 'boolean' } }, false);
  if (values.help) return io.out(helpText('build', langOf(io))), EXIT.ok;
  if (values.quiet && values.verbose) throw new UsageError(msg('cli.exclusive', { a: '--quiet', b: '--verbose' }), 'build');
  const shard = shardArg(values.shard as string | undefined);
  const merge = values.merge as string[] | undefined;
  if (shard && merge) throw new UsageError(msg('cli.shard-and-merge'), 'build');
  if ((shard || merge) && values.coop !== undefined) throw new UsageError(msg('cli.coop-sharded'), 'build');
  if (values['no-cache'] && values['verify-cache']) throw new UsageError(msg('cli.cache-flags'), 'build');
  const today = todayOf(values, io, 'build');
  const dir = configDirOf(values, io, 'build');
  const coopId = values.coop as string | undefined;
  const outDir = resolve(io.cwd, outArg(values.out as string | undefined) ?? (coopId ? join('out-coop', coopId) : shard ? join('out-shards', String(shard.index)) : DEFAULT_OUT));
  const guard = outputGuard(io, dir);
  checkBuildTargets(outDir, guard);
  // Skipped like make or the CDK CLI's asset hashes skip work: see build/up-to-date.ts. Not for
  // --merge (the shards are inputs too) nor --verify-cache (its point is to build); tests that
  // pass their own steps opt in.
  const inputs = merge === undefined && (io.buildSteps === undefined || io.upToDateCheck === true) ? inputHash(resolve(io.cwd, dir), { steps: io.buildSteps?.map((s) => s.name) ?? null, coop: coopId ?? null, shard: shard ?? null, noCache: values['no-cache'] === true, lang: langOf(io), today, validation: io.env.CDK_VALIDATION !== 'false' }) : undefined;
  if (inputs !== undefined && !values.force && !values['verify-cache'] && !existsSync(`${outDir}${FAILED_SUFFIX}`)) {
    const state = checkUpToDate(outDir, inputs);
    if (state.upToDate) return io.out(t(io, 'cli.build-up-to-date', { dir: relative(io.cwd, outDir) || outDir, files: state.files })), EXIT.ok;
  }
  const { result } = compileDir(dir, io, today);
  const code = report(io, result);
  if (code !== EXIT.ok || !result.plan) return code;
  let plan = result.plan;
  if (coopId !== undefined) {
    const selected = selectCooperative(plan, coopId);
    if (!selected) throw new UsageError(msg('cli.unknown-coop', { id: coopId, dir, known: plan.cooperatives.map((c) => c.id).join(', ') }), 'build');
    plan = selected;
  }
  // Loaded on demand: the renderers pull in aws-cdk-lib and cdktf (seconds of start-up) that
  // validate, plan and new never need.
  const buildSteps = require('../build/build-steps') as typeof BuildStepsModule;
  const steps = io.buildSteps ?? (shard ? buildSteps.SHARD_STEPS : buildSteps.BUILD_STEPS);
  // A merge given a folder that is no shard's output, or too few shards, fails here, before
  // anything is bundled or built.
  if (merge) {
    const dirs = merge.map((d) => resolve(io.cwd, d));
    (require('../build/aws-step') as typeof AwsStepModule).checkShardOutputs(plan, dirs);
    (require('../build/idc-step') as typeof IdcStepModule).checkIdcShardOutputs(plan, dirs);
  }
  const started = Date.now();
  const timer = values.verbose ? totalsTimer() : undefined;
  // The policy is read before the build: a bad setting fails in a second, not after the whole build.
  const cache = values['no-cache'] ? undefined : { dir: cacheDirOf(io.env, io.cwd), policy: cachePolicyOf(io.env) };
  // Pruned after a build that ran to its end, failed checks or not (it used the cache the
  // same way); not after a crash, which may have left the cache mid-write.
  const prune = () => {
    if (cache === undefined) return;
    const line = formatPrune(pruneCache(cache.dir, cache.policy), cache.policy, langOf(io));
    if (line !== undefined) io.out(line);
  };
  try {
    await runBuild(steps, outDir, { plan, configDir: resolve(io.cwd, dir), today, env: io.env, lang: langOf(io), ...buildOutput(io, values.quiet === true, values.verbose === true, timer), ...(cache !== undefined ? { cacheDir: cache.dir, verifyCache: values['verify-cache'] === true } : {}), ...(shard ? { shard } : {}), ...(merge ? { shardDirs: merge.map((d) => resolve(io.cwd, d)) } : {}) }, guard);
  } catch (e) {
    if (e instanceof BuildFailure) prune();
    throw e;
  }
  prune();
  if (inputs !== undefined) writeBuildManifest(outDir, inputs);
  if (timer) for (const line of phaseLines(timer.phases, langOf(io))) io.out(line);
  io.out(t(io, 'cli.build-ok', { dir: relative(io.cwd, outDir) || outDir, seconds: ((Date.now() - started) / 1000).toFixed(1) }));
  return EXIT.ok;
}

/**
 * Where a build's lines go: nowhere with `--quiet` (errors and the result line still do);
 * on a terminal, the units' progress as a bar redrawn in place (`--verbose`: as lines, with
 * the time of each phase at the end); otherwise one line per unit, in unit order.
 */
function buildOutput(io: CliIo, quiet: boolean, verbose: boolean, timer?: PhaseTimer): Pick<BuildContext, 'log' | 'progress' | 'timer'> {
  if (quiet) return { log: () => undefined, progress: () => undefined };
  const tty = io.tty;
  if (!tty || verbose) return { log: io.out, ...(timer ? { timer } : {}) };
  const t0 = Date.now();
  let built = 0;
  return {
    log: io.out,
    progress: (p) => {
      if (p.how === 'built') built += p.stacks;
      tty(`\r${progressBar(p, Date.now() - t0, built, langOf(io))}\x1b[K${p.units.done === p.units.total ? '\n' : ''}`);
    },
  };
}

/** `--shard i/n`: the i-th of n CI shards, 1 ≤ i ≤ n. */
function shardArg(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(value);
  if (!m || Number(m[1]) > Number(m[2])) throw new UsageError(msg('cli.shard', { value }), 'build');
  return { index: Number(m[1]), count: Number(m[2]) };
}

function cacheCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse('cache', args, {}, true);
  if (values.help) return io.out(helpText('cache', langOf(io))), EXIT.ok;
  const [action, ...extra] = positionals;
  if (extra.length || (action !== undefined && action !== 'clean')) throw new UsageError(msg('cli.cache-action', { action: positionals.join(' ') }), 'cache');
  const dir = cacheDirOf(io.env, io.cwd);
  const inside = relative(io.cwd, dir);
  const shown = inside && !inside.startsWith('..') ? inside : dir;
  if (action === 'clean') {
    const result = cleanCache(dir);
    io.out(t(io, 'cli.cache-removed', { tally: formatTally(result.removed, langOf(io)), dir: shown }));
    if (result.failed.files) {
      io.err(t(io, 'cli.cache-remove-failed', { files: result.failed.files, error: result.failed.error ?? '' }));
      return EXIT.invalid;
    }
    return EXIT.ok;
  }
  const policy = cachePolicyOf(io.env, 'cache');
  io.out(t(io, 'cli.cache-usage', { dir: shown, tally: formatTally(cacheUsage(dir), langOf(io)) }));
  io.out(t(io, 'cli.cache-policy', { policy: formatPolicy(policy, langOf(io)) }));
  return EXIT.ok;
}
