/**
 * The report's files and where they go in the output folder, in one place so the build
 * step, the `report` command and the docs agree.
 */
import type { AuditReport } from './model';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';

/** Paths of the report files, relative to the output folder. */
export const REPORT_FILES = { html: 'report/index.html', markdown: 'report.md', json: 'report.json' } as const;

/** Renders every report file: relative path → content. */
export function renderReportFiles(report: AuditReport): Record<string, string> {
  return {
    [REPORT_FILES.html]: renderHtml(report),
    [REPORT_FILES.json]: renderJson(report),
    [REPORT_FILES.markdown]: renderMarkdown(report),
  };
}
