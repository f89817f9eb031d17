/**
 * The report's files and where they go in the output folder, in one place so the build
 * step, the `report` command and the docs agree.
 */
import type { AuditReport } from './model';
import { renderHtml } from './render-html';
import { renderJsonChunks } from './render-json';
import { renderMarkdown } from './render-markdown';

/** Paths of the report files, relative to the output folder. */
export const REPORT_FILES = { html: 'report/index.html', markdown: 'report.md', json: 'report.json' } as const;

/** Every report file: relative path → its renderer (report.json in pieces: it is the largest). */
export const REPORT_RENDERERS: Readonly<Record<string, (report: AuditReport) => string | Iterable<string>>> = {
  [REPORT_FILES.html]: renderHtml,
  [REPORT_FILES.json]: renderJsonChunks,
  [REPORT_FILES.markdown]: renderMarkdown,
};

/** Renders every report file: relative path → content. */
export function renderReportFiles(report: AuditReport): Record<string, string> {
  return Object.fromEntries(Object.entries(REPORT_RENDERERS).map(([file, render]) => {
    const out = render(report);
    return [file, typeof out === 'string' ? out : [...out].join('')];
  }));
}
