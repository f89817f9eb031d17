/**
 * `coop-idc report`: audit evidence from a build output folder,
 * and (`--since <ref>`) what a configuration change does to access, as a pull-request
 * comment.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compile, diagnostic, formatDiagnostic, PLAN_VERSION, readConfigDir, type CompileResult } from '../infra';
import {
  CHECKS_DIR,
  diffDiagnostics,
  diffFindings,
  diffPlans,
  lifecycleViolations,
  MissingPlanError,
  readCheckFolder,
  readChecks,
  renderPlanDiffMarkdown,
  REPORT_FILES,
  type AuditReport,
} from '../infra/report';
import { summaryLine, writeReport } from '../build/report-step';
import { ChromiumMissingError, printReportPdf, REPORT_PDF_DIR } from '../build/report-pdf';
import { checkReplaceable, ROLES } from '../build/output';
import { formatMessage, msg, type MessageRef } from '../infra/config/messages';
import { EXIT, langOf, outputGuard, t, UsageError, type CliIo } from './io';
import { GitError, readConfigAtRef } from './report-since';

/** Options of {@link reportCommand} already parsed by main.ts. */
export interface ReportArgs {
  readonly out: string;
  readonly config: string;
  readonly today: string;
  readonly since?: string;
  readonly baselineChecks?: string;
  /** Also print the index and cooperative pages to PDF. */
  readonly pdf?: boolean;
  /** The Chromium executable for --pdf. @default DEFAULT_CHROMIUM */
  readonly chromium?: string;
}

/** `coop-idc report`. Returns the exit code. */
export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const outDir = resolve(io.cwd, args.out);
  if (args.since !== undefined) {
    if (args.pdf || args.chromium !== undefined) throw new UsageError(msg('report.pdf-since'), 'report');
    return sinceCommand(args, outDir, io);
  }
  if (args.baselineChecks !== undefined) throw new UsageError(msg('report.baseline-since'), 'report');
  if (args.chromium !== undefined && !args.pdf) throw new UsageError(msg('report.chromium-pdf'), 'report');
  // The report overwrites report files: only in a folder a build wrote (no folder: no plan, below).
  checkReplaceable(outDir, ROLES.report, outputGuard(io, args.config), { forReport: true });
  const damaged = planFileProblem(join(outDir, 'plan.json'));
  if (damaged !== undefined) {
    io.err(t(io, 'report.plan-damaged', { file: relative(io.cwd, join(outDir, 'plan.json')), problem: damaged }));
    return EXIT.invalid;
  }
  let r: AuditReport;
  let notes: readonly MessageRef[];
  try {
    ({ report: r, notes } = writeReport(outDir, args.today));
  } catch (e) {
    if (!(e instanceof MissingPlanError)) throw e;
    io.err(t(io, 'report.no-plan', { file: relative(io.cwd, e.file) || e.file }));
    return EXIT.invalid;
  }
  for (const note of notes) io.err(t(io, 'report.note', { note }));
  const shown = relative(io.cwd, outDir) || '.';
  io.out(t(io, 'report.summary', { summary: summaryLine(r, langOf(io)) }));
  for (const f of [REPORT_FILES.html, REPORT_FILES.markdown, REPORT_FILES.json]) io.out(t(io, 'report.wrote', { file: join(shown, f) }));
  if (args.pdf) {
    const chromium = args.chromium === undefined ? undefined : resolve(io.cwd, args.chromium);
    try {
      const printed = await printReportPdf(outDir, { today: args.today, ...(chromium ? { chromium } : {}) });
      const bytes = printed.reduce((n, p) => n + p.bytes, 0);
      io.out(t(io, 'report.wrote-pdf', { dir: join(shown, REPORT_PDF_DIR), pdfs: printed.length, coops: printed.length - 1, kib: (bytes / 1024).toFixed(0) }));
    } catch (e) {
      if (!(e instanceof ChromiumMissingError)) throw e;
      io.err(t(io, 'report.no-chromium', { executable: e.executable }));
      return EXIT.invalid;
    }
  }
  return EXIT.ok;
}

/**
 * What is wrong with an output folder's plan.json, if something is: the report reads it
 * first and trusts its shape, so a truncated or foreign file must stop it with the file
 * named, not end in a stack trace. A missing file is left to the report's own message.
 */
export function planFileProblem(file: string): MessageRef | undefined {
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory()) return msg('report.plan-folder');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return msg('report.plan-unreadable', { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  if (text.trim() === '') return msg('report.plan-empty');
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    return msg('report.plan-not-json', { error: (e as Error).message });
  }
  const p = plan as { version?: unknown; cooperatives?: unknown; platform?: unknown; grants?: unknown } | null;
  if (p === null || typeof p !== 'object' || Array.isArray(p) || p.version !== PLAN_VERSION || !Array.isArray(p.cooperatives) || !Array.isArray(p.grants) || typeof p.platform !== 'object') {
    return msg('report.plan-not-plan', { version: PLAN_VERSION });
  }
  return undefined;
}

function sinceCommand(args: ReportArgs, outDir: string, io: CliIo): number {
  const ref = args.since!;
  let old;
  try {
    old = readConfigAtRef(args.config, ref, io.cwd);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    io.err(t(io, 'cli.usage-prefix', { message: e.text }));
    return EXIT.invalid;
  }
  const notes: string[] = [];
  const current = compile(readConfigDir(args.config, io.cwd), { today: args.today });
  if (!current.plan) return failCompile(io, current, undefined);
  let before: CompileResult = compile(old.sources, { today: args.today });
  const oldDiagnostics = before.diagnostics;
  if (!before.plan && before.diagnostics.every((d) => d.severity !== 'error' || d.code === 'agreement-expired')) {
    // Agreements that have expired since are still what was granted then: compare them.
    before = compile(old.sources, { today: '0001-01-01' });
    notes.push(t(io, 'report.since-expired', { ref, today: args.today }));
  }
  if (!before.plan) return failCompile(io, before, ref);

  let findings;
  let currentFindings;
  const problems: MessageRef[] = [];
  if (existsSync(join(outDir, CHECKS_DIR))) currentFindings = readChecks(outDir, problems).findings;
  if (args.baselineChecks !== undefined) {
    const base = resolve(io.cwd, args.baselineChecks);
    if (!existsSync(base)) throw new UsageError(msg('report.baseline-missing', { dir: args.baselineChecks }), 'report');
    if (!currentFindings) throw new UsageError(msg('report.baseline-needs-checks', { dir: join(relative(io.cwd, outDir) || '.', CHECKS_DIR) }), 'report');
    // Accept either a build output folder or its checks/ folder.
    const baseline = existsSync(join(base, CHECKS_DIR)) ? readChecks(base, problems) : readCheckFolder(base, 'baseline', problems);
    findings = diffFindings(baseline.findings, currentFindings);
  }
  notes.push(...problems.map((p) => formatMessage(langOf(io), p)));
  const lifecycle = lifecycleViolations(before.plan, current.plan);
  const md = renderPlanDiffMarkdown(diffPlans(before.plan, current.plan), {
    lifecycle,
    offboarding: current.plan.cooperatives.filter((c) => c.lifecycle).map((c) => c.id),
    ref,
    commit: old.commit,
    configPath: old.configPath,
    diagnostics: diffDiagnostics(oldDiagnostics, current.diagnostics),
    ...(findings ? { findings } : {}),
    ...(currentFindings ? { currentFindings } : {}),
    notes,
  });
  io.out(md.trimEnd());
  // The comment is printed either way (a reviewer reads it); the errors fail the command.
  const displayPath = new Map(old.sources.cooperatives.map((f) => [f.relativePath, f.displayPath]));
  for (const v of lifecycle) {
    const at = { file: displayPath.get(v.source) ?? v.source, line: 1, col: 1 };
    io.err(formatDiagnostic(diagnostic(at, 'error', v.code, msg('report.since-at', { message: v.text.message, ref }), v.text.hint), langOf(io)));
  }
  return lifecycle.length > 0 ? EXIT.invalid : EXIT.ok;
}

/** `ref`: the git ref compiled; undefined for the working tree. */
function failCompile(io: CliIo, result: CompileResult, ref: string | undefined): number {
  for (const d of result.diagnostics) io.err(formatDiagnostic(d, langOf(io)));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  io.err(t(io, 'report.config-invalid', { side: ref === undefined ? 'worktree' : 'ref', ref: ref ?? '', errors }));
  return EXIT.invalid;
}
