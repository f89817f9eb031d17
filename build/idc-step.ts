/**
 * The IDC build step: synthesize the Kubernetes tenancy as Terraform JSON, then hold the
 * JSON to the conformance rules and the admission-guardrail coverage, and the plan to the
 * cluster's capacity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT } from '../infra/shared-names';
import { compareFindings, formatFailure, summarizeFindings, type CheckFinding, type TenancyPlan } from '../infra';
import { ADMISSION_RULES, checkAdmissionCoverage, checkCapacity, checkStacks, KUBERNETES_RULES, type StackInput } from '../infra/checks/kubernetes';
import type { BuildContext, BuildStep } from './step';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';
import { BuildFailure } from './errors';
import { writeFindings } from './output';
import { timed, type PhaseTimer } from '../stacks/timer';
import { allowedCidrsOf, allowedPeersOf, PLATFORM_STACK, synthesizeIdc } from '../stacks/idc/app';
import { runStepOnWorker } from './step-worker';
import { TerraformError, writeProviderLock } from './terraform';

/** Folder of the Terraform output inside the build output. */
export const CDKTF_OUT = OUTPUT.cdktfOut;
/** Findings file inside the build output. */
export const KUBERNETES_FINDINGS = join(OUTPUT.checks, OUTPUT.checkFiles.kubernetes);

/** Result of {@link runIdc}. */
export interface IdcResult {
  readonly stacks: readonly StackInput[];
  readonly findings: readonly CheckFinding[];
}

/**
 * Synthesizes into `<outDir>/cdktf.out`, puts the provider lock file in every stack and runs
 * every check; writes nothing else.
 */
export function runIdc(plan: TenancyPlan, outDir: string, timer?: PhaseTimer): IdcResult {
  const cdktfOut = join(outDir, CDKTF_OUT);
  const synthesized = timed(timer, 'cdktf synth', () => synthesizeIdc(plan, cdktfOut));
  const result = timed(timer, 'kubernetes checks', () => checkIdc(plan, cdktfOut, synthesized));
  // The checks parsed each stack's JSON already (same order): the lock check reads it there.
  timed(timer, 'provider lock', () => writeProviderLock(cdktfOut, synthesized.map((s, i) => ({ ...s, json: result.stacks[i].json }))));
  return result;
}

/** Runs every Kubernetes check on stacks already synthesized into `cdktfOut`. */
export function checkIdc(plan: TenancyPlan, cdktfOut: string, synthesized: ReturnType<typeof synthesizeIdc>): IdcResult {
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
export function buildIdc(plan: TenancyPlan, outDir: string, timer?: PhaseTimer, lang: Lang = DEFAULT_LANG): IdcOutcome {
  const text = (id: MessageRef['id'], args?: MessageRef['args']) => formatMessage(lang, msg(id, args));
  let result: IdcResult;
  try {
    result = runIdc(plan, outDir, timer);
  } catch (e) {
    // The provider lock file does not pin what the stacks require: a build failure, not a crash.
    if (!(e instanceof TerraformError)) throw e;
    return { line: text('build.idc-lock', { dir: CDKTF_OUT }), failure: { summary: text('build.idc-lock-failed'), lines: [e.inLang(lang)] } };
  }
  const { stacks, findings } = result;
  timed(timer, 'kubernetes checks', () => writeFindings(join(outDir, KUBERNETES_FINDINGS), findings));
  const s = summarizeFindings(findings);
  const line = text('build.idc', { stacks: stacks.length, dir: CDKTF_OUT, rules: KUBERNETES_RULES.length + ADMISSION_RULES.length + 1, pass: s.pass, ack: s.acknowledged, fail: s.fail, file: KUBERNETES_FINDINGS });
  const failed = findings.filter((f) => f.status === 'fail');
  if (!failed.length) return { line };
  return { line, failure: { summary: text('build.idc-failed', { n: failed.length }), lines: failed.map(formatFailure) } };
}

function finish(ctx: BuildContext, outcome: IdcOutcome): void {
  ctx.log(outcome.line);
  if (outcome.failure) throw new BuildFailure(outcome.failure.summary, [...outcome.failure.lines]);
}

/**
 * From this many cooperatives on, the IDC step runs on a worker thread. Below, the worker's
 * start-up (the TypeScript loader, the core and CDKTF loaded a second time: ~1.5 s CPU,
 * measured +0.6 s wall on `build --coop`) costs more than the step itself (~15 ms per
 * cooperative) saves the main thread. Output is the same either way.
 */
export const IDC_WORKER_MIN_COOPERATIVES = 50;

/**
 * `coop-idc build` step: IDC Terraform output plus Kubernetes conformance and capacity
 * checks. It needs only the plan, so the build starts it first: for a large plan on a
 * worker thread (see buildIdcOnWorker), where it uses the second core while the AWS step runs on
 * the main thread. Its log line and failures still come in step order.
 */
export const idcStep: BuildStep = {
  name: 'idc',
  run(ctx) {
    finish(ctx, buildIdc(ctx.plan, ctx.outDir, ctx.timer, ctx.lang));
  },
  async start(ctx) {
    const outcome =
      ctx.plan.cooperatives.length >= IDC_WORKER_MIN_COOPERATIVES ? await buildIdcOnWorker(ctx.plan, ctx.outDir, ctx.timer, ctx.lang) : buildIdc(ctx.plan, ctx.outDir, ctx.timer, ctx.lang);
    return () => finish(ctx, outcome);
  },
};

/**
 * Runs {@link buildIdc} on a worker thread and resolves to its outcome; the worker's phase
 * times go to `timer` (and its whole run to the `idc worker` phase). An error in the worker
 * rejects with that error's name, message and stack. The step reads only the plan and
 * writes only its own files (`cdktf.out/`, `checks/kubernetes.json`), so it can run while the
 * main thread builds the AWS app.
 */
export async function buildIdcOnWorker(plan: TenancyPlan, outDir: string, timer?: PhaseTimer, lang: Lang = DEFAULT_LANG): Promise<IdcOutcome> {
  const lines: string[] = [];
  // The IDC step reads only the plan and writes only under outDir.
  const ctx: BuildContext = { plan, outDir, configDir: '', today: '', env: {}, lang, log: (l) => lines.push(l), ...(timer ? { timer } : {}) };
  const t0 = performance.now();
  try {
    await runStepOnWorker(__filename, 'idcStep', ctx);
    return { line: lines.join('\n') };
  } catch (e) {
    if (!(e instanceof BuildFailure)) throw e;
    return { line: lines.join('\n'), failure: { summary: e.summary, lines: e.lines } };
  } finally {
    timer?.record?.('idc worker', performance.now() - t0);
  }
}
