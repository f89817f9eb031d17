/**
 * report.json: the report model as stable JSON (two-space indent, final newline). Key order
 * is fixed by how the model is built, so the same inputs give the same bytes.
 */
import type { AuditReport } from './model';

/** Renders report.json. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
