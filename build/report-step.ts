/**
 * The report build step: the audit report of the output folder the earlier steps wrote
 * (`coop-idc report` rewrites it from an existing folder).
 */
import { join } from 'node:path';
import { buildReport, readReportInputs, REPORT_FILES, reportFiles, type AuditReport, type CheckResultOrigin } from '../infra/report';
import { BuildFailure } from './errors';
import { writeFileAtomically } from './output';
import type { BuildContext, BuildStep } from './step';

/**
 * Builds and writes the report of an output folder; returns the model and the files of the
 * folder that could not be read (the report states them too). `checkResults`: how the build
 * produced the check results, when the caller knows (the build step); else build.json says.
 */
export function writeReport(outDir: string, today: string, checkResults?: CheckResultOrigin): { readonly report: AuditReport; readonly problems: readonly string[] } {
  const inputs = readReportInputs(outDir, checkResults);
  const report = buildReport(inputs, { today });
  for (const [file, render] of reportFiles(report)) writeFileAtomically(join(outDir, file), render());
  return { report, problems: inputs.problems };
}

/** One line: controls by status and checks by status. */
export function summaryLine(r: AuditReport): string {
  const c = r.summary.controls;
  const k = r.summary.checks;
  return `${r.controls.length} controls: ${c.passed} passed, ${c.acknowledged} acknowledged, ${c.failed} failed, ${c['no-evidence']} no evidence; checks ${k.pass} passed, ${k.acknowledged} acknowledged, ${k.fail} failed`;
}

/**
 * The build step. It never fails the build on failed checks (the check steps do that): it
 * records them. It reads whatever the earlier steps wrote, so it can run in any order
 * after the plan step; run it last to see every result.
 */
export const reportStep: BuildStep = {
  name: 'report',
  run(ctx: BuildContext) {
    const { report: r, problems } = writeReport(ctx.outDir, ctx.today, ctx.checkResults?.());
    ctx.log(`report: ${summaryLine(r)} → ${REPORT_FILES.html}, ${REPORT_FILES.markdown}, ${REPORT_FILES.json}`);
    for (const n of r.inputs.notes) ctx.log(`report: note: ${n}`);
    // Every file the report reads was written by this build: one it cannot read is a defect
    // of the build, and a report without that evidence must not pass for a complete one.
    if (problems.length) throw new BuildFailure(`the report could not read ${problems.length} file${problems.length === 1 ? '' : 's'} this build wrote`, [...problems]);
  },
};
