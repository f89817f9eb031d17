/**
 * report.json: the report model as stable JSON (two-space indent, final newline). Key order
 * is fixed by how the model is built, so the same inputs give the same bytes.
 */
import { jsonChunks } from '../stable-json';
import type { AuditReport } from './model';

/** Renders report.json. */
export function renderJson(report: AuditReport): string {
  return [...renderJsonChunks(report)].join('');
}

/** report.json in pieces, for writing it without one ~300 MB string at 1,000 cooperatives. */
export function renderJsonChunks(report: AuditReport): Iterable<string> {
  return jsonChunks(report, 3);
}
