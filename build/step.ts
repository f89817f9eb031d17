/**
 * The shape of one build step and what it is given: every step (the renderers, the checks,
 * the report) implements it, and the build runs the list in build-steps.ts.
 */
import type { TenancyPlan } from '../infra';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';
import type { CheckResultCounts, CheckResultOrigin } from '../infra/report/provenance';
import type { PhaseTimer } from '../stacks/timer';
import type { UnitProgress } from './progress';

/** What a build step can read and where it writes. */
export interface BuildContext {
  readonly plan: TenancyPlan;
  /** The staging output folder; becomes the output folder when the build succeeds. */
  readonly outDir: string;
  /** The config root the plan was compiled from. */
  readonly configDir: string;
  readonly today: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress lines for the person running the build (text from the catalogue: see {@link say}). */
  log(line: string): void;
  /**
   * The language of the progress lines, as the CLI resolved it (`--lang`, LC_ALL, LANG).
   * @default DEFAULT_LANG
   */
  readonly lang?: Lang;
  /**
   * Times named sub-phases of a step (CDK synth, cdk-nag, CDKTF synth, checks), for
   * `npm run bench`.
   * @default - phases are not timed
   */
  readonly timer?: PhaseTimer;
  /**
   * Folder of the build cache: per-stack check results keyed by content (what they depend
   * on), so that an unchanged stack is not checked again. Never part of the output.
   * @default - no cache: everything is checked
   */
  readonly cacheDir?: string;
  /**
   * Compute again every result the cache replays and fail on any difference
   * (`--verify-cache`). Only with `cacheDir`.
   * @default false
   */
  readonly verifyCache?: boolean;
  /**
   * Tells the build how many check results a step computed and replayed from the cache;
   * the build adds them up into build.json and the report.
   * @default - not counted
   */
  countCheckResults?(counts: CheckResultCounts): void;
  /**
   * The counts so far and the cache mode, for the report step (build.json is written after
   * every step).
   * @default - not known: the report reads build.json
   */
  checkResults?(): CheckResultOrigin;
  /**
   * Build one CI shard's part of the AWS app (`build --shard i/n`, 1-based): its units,
   * sealed, into the output folder, for `build --merge`.
   * @default - the whole build
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Output folders of every shard (`build --merge`): the AWS units are taken from them, none
   * is built; the rest of the build (checks over every template, IDC, report) runs as usual.
   * @default - the units are built (or restored from the build cache)
   */
  readonly shardDirs?: readonly string[];
  /**
   * Told about each unit of the AWS app (the platform, each cell) when it is done, in unit
   * order: the CLI draws a bar on a terminal, or nothing with `--quiet`.
   * @default - one line per unit through `log`
   */
  progress?(p: UnitProgress): void;
  /**
   * The SHA-256 of each CloudFormation template the AWS step put into the output folder from
   * the build cache's file store, by file relative to the folder (`cdk.out/X.template.json`):
   * the report step keeps the templates' inventories in the cache under these hashes
   * (build/report-inventories.ts). Filled by the AWS step; made by `runBuild`.
   * @default - none known: the report computes every inventory
   */
  readonly templateHashes?: Map<string, string>;
}

/** One phase of the build. */
export interface BuildStep {
  readonly name: string;
  run(ctx: BuildContext): Promise<void> | void;
  /**
   * Starts the step's work before any step runs, for a step that reads nothing earlier
   * steps write (e.g. on a worker thread, so that it uses the second core while the main
   * thread runs the earlier steps). Resolves to what is left to do in step order (log,
   * throw `BuildFailure`), which then replaces `run`: output, log lines and failures stay
   * exactly those of `run`.
   * @default - the step does all its work in `run`
   */
  start?(ctx: BuildContext): Promise<() => void>;
}

/** Logs a catalogue message in the build's language. */
export function say(ctx: Pick<BuildContext, 'log' | 'lang'>, id: MessageRef['id'], args?: MessageRef['args']): void {
  ctx.log(formatMessage(ctx.lang ?? DEFAULT_LANG, msg(id, args)));
}
