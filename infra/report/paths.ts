/**
 * Where the report's files go in the output folder: a leaf module, so a renderer can link
 * to another file of the report without importing the module that lists the renderers.
 */

/** Paths of the report files, relative to the output folder. */
export const REPORT_FILES = { html: 'report/index.html', markdown: 'report.md', json: 'report.json' } as const;

/** Folder of the HTML pages, relative to the output folder. */
export const REPORT_HTML_DIR = 'report';
