/**
 * The report build step: the audit report of the output folder the earlier steps wrote
 * (`coop-idc report` rewrites it from an existing folder).
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { buildReport, findingsToSarif, readReportInputs, REPORT_FILES, reportFiles, reportNotes, type AuditReport, type CheckResultOrigin } from '../infra/report';
import { OUTPUT, TOOL_VERSION } from '../infra/shared-names';
import { LAYOUT } from '../infra/config/read';
import { BuildFailure } from './errors';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';
import { writeFileAtomically, writeFileInPlace } from './output';
import { say, type BuildContext, type BuildStep } from './step';
import { withDefaultHeapGrowth } from './heap-policy';
import { cachedInventories, type InventoryTally } from './report-inventories';
import { timed, type PhaseTimer } from '../stacks/timer';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /**
   * How the build produced the check results, when the caller knows (the build step).
   * @default - build.json says
   */
  readonly checkResults?: CheckResultOrigin;
  /**
   * Also write checks.sarif, with locations in this config folder.
   * @default - no SARIF
   */
  readonly sarif?: { readonly configDir: string; readonly toolVersion: string };
  /**
   * The output folder is a build's staging folder, which nobody reads until the build swaps
   * it in whole: files are written in place. Otherwise each file is written to a temporary
   * file and renamed over the old one, so a reader of an existing output never sees half a file.
   * @default false
   */
  readonly staged?: boolean;
  /**
   * Keep the templates' inventories in this build cache (build/report-inventories.ts), under
   * the hashes the AWS step gave for the templates it put into the folder.
   * @default - every inventory is computed
   */
  readonly inventories?: { readonly cacheDir: string; readonly hashes: ReadonlyMap<string, string>; readonly verify?: boolean; readonly tally?: InventoryTally };
  /**
   * Times the step's phases (`report (read)`, `report (model)`, `report (write)`).
   * @default - not timed
   */
  readonly timer?: PhaseTimer;
}

/** What {@link writeReport} wrote, and what to tell the person who ran it. */
export interface WrittenReport {
  readonly report: AuditReport;
  /** The report's notes (missing output, unreadable files) as messages, for the terminal. */
  readonly notes: readonly MessageRef[];
  /** The files of the folder that could not be read (among the notes too). */
  readonly problems: readonly MessageRef[];
}

/**
 * Builds and writes the report of an output folder, with V8's own heap growth when the
 * process runs under the build's heap policy (build/heap-policy.ts).
 */
export function writeReport(outDir: string, today: string, opts: WriteReportOptions = {}): WrittenReport {
  return withDefaultHeapGrowth(() => writeReportFiles(outDir, today, opts));
}

function writeReportFiles(outDir: string, today: string, opts: WriteReportOptions): WrittenReport {
  const inv = opts.inventories;
  const inputs = timed(opts.timer, 'report (read)', () => readReportInputs(outDir, opts.checkResults, inv && inv.hashes.size ? { stackInventory: cachedInventories(inv.cacheDir, inv.hashes, inv) } : {}));
  const report = timed(opts.timer, 'report (model)', () => buildReport(inputs, { today }));
  const write = opts.staged ? writeFileInPlace : writeFileAtomically;
  timed(opts.timer, 'report (write)', () => {
    const made = new Set<string>();
    for (const [file, render] of reportFiles(report)) {
      const abs = join(outDir, file);
      // One mkdir per folder, not per page.
      const dir = dirname(abs);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      write(abs, render());
    }
    if (opts.sarif) {
      const log = findingsToSarif(inputs.findings, inputs.plan, { toolVersion: opts.sarif.toolVersion, configRoot: configRootFor(outDir, opts.sarif.configDir), platformFile: LAYOUT.platform });
      write(join(outDir, OUTPUT.checksSarif), `${JSON.stringify(log, null, 2)}\n`);
    }
  });
  return { report, notes: reportNotes(inputs), problems: inputs.problems };
}

/**
 * The config folder as the repository names it, for SARIF locations: relative to the output
 * folder's parent (the repository root when the build runs there, as in CI); its own name
 * when it lies elsewhere. Never an absolute path, so the output stays free of machine paths.
 */
function configRootFor(outDir: string, configDir: string): string {
  const rel = relative(dirname(outDir), configDir);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel.split(sep).join('/') : basename(configDir);
}

/** One line in a language: controls by status and checks by status. */
export function summaryLine(r: AuditReport, lang: Lang): string {
  const c = r.summary.controls;
  const k = r.summary.checks;
  return formatMessage(
    lang,
    msg('build.report-summary', { controls: r.controls.length, passed: c.passed, acknowledged: c.acknowledged, failed: c.failed, noEvidence: c['no-evidence'], pass: k.pass, ack: k.acknowledged, fail: k.fail }),
  );
}

/**
 * The build step. It never fails the build on failed checks (the check steps do that): it
 * records them. It reads whatever the earlier steps wrote, so it can run in any order
 * after the plan step; run it last to see every result.
 */
export const reportStep: BuildStep = {
  name: 'report',
  run(ctx: BuildContext) {
    const { report: r, notes, problems } = writeReport(ctx.outDir, ctx.today, {
      checkResults: ctx.checkResults?.(),
      sarif: { configDir: ctx.configDir, toolVersion: TOOL_VERSION },
      staged: true,
      ...(ctx.timer ? { timer: ctx.timer } : {}),
      ...(ctx.cacheDir !== undefined && ctx.templateHashes ? { inventories: { cacheDir: ctx.cacheDir, hashes: ctx.templateHashes, verify: ctx.verifyCache ?? false } } : {}),
    });
    say(ctx, 'build.report', { summary: summaryLine(r, ctx.lang ?? DEFAULT_LANG), html: REPORT_FILES.html, markdown: REPORT_FILES.markdown, json: REPORT_FILES.json });
    for (const note of notes) say(ctx, 'build.report-note', { note });
    // Every file the report reads was written by this build: one it cannot read is a defect
    // of the build, and a report without that evidence must not pass for a complete one.
    const lang = ctx.lang ?? DEFAULT_LANG;
    if (problems.length) throw new BuildFailure(formatMessage(lang, msg('build.report-unreadable', { n: problems.length })), problems.map((p) => formatMessage(lang, p)));
  },
};
