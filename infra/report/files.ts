/**
 * The report's files and where they go in the output folder, in one place so the build
 * step, the `report` command and the docs agree.
 */
import type { AuditReport } from './model';
import { renderHtml, renderHtmlPages, renderPage } from './render-html';
import { renderJsonChunks } from './render-json';
import { renderMarkdown } from './render-markdown';
import { REPORT_FILES, REPORT_HTML_DIR } from './paths';

export { REPORT_FILES, REPORT_HTML_DIR } from './paths';

/** The fixed report files: relative path → its renderer (report.json in pieces: it is the largest). */
export const REPORT_RENDERERS: Readonly<Record<string, (report: AuditReport) => string | Iterable<string>>> = {
  [REPORT_FILES.html]: renderHtml,
  [REPORT_FILES.json]: renderJsonChunks,
  [REPORT_FILES.markdown]: renderMarkdown,
};

/**
 * Every report file, relative to the output folder, with a function giving its content:
 * the fixed files, then one HTML page per cooperative, control and registered page kind.
 * Content is rendered when asked for, so a writer holds one page at a time.
 */
export function reportFiles(report: AuditReport): [string, () => string | Iterable<string>][] {
  return [
    ...Object.entries(REPORT_RENDERERS).map(([file, render]): [string, () => string | Iterable<string>] => [file, () => render(report)]),
    ...renderHtmlPages(report).map((p): [string, () => string] => [`${REPORT_HTML_DIR}/${p.path}`, () => renderPage(p)]),
  ];
}

/** Renders every report file: relative path → content. */
export function renderReportFiles(report: AuditReport): Record<string, string> {
  return Object.fromEntries(
    reportFiles(report).map(([file, render]) => {
      const out = render();
      return [file, typeof out === 'string' ? out : [...out].join('')];
    }),
  );
}
