/**
 * `coop-idc report --pdf`: the report's index and every cooperative page printed to PDF by
 * a real browser (Debian's Chromium through playwright-core), for auditors who file paper
 * or PDF evidence. The pages' print stylesheet opens every piece of evidence and breaks
 * pages between sections; Korean text needs a Korean font installed (fonts-nanum).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPORT_HTML_DIR } from '../infra/report';

/** Where the PDFs go, relative to the output folder. */
export const REPORT_PDF_DIR = `${REPORT_HTML_DIR}/pdf`;

/** Debian's Chromium, where `apt-get install chromium` puts it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The browser cannot be started: a fix the user can make (install it, or name another one). */
export class ChromiumMissingError extends Error {
  constructor(readonly executable: string) {
    super(`Chromium not found at ${executable}`);
  }
}

/** Options of {@link printReportPdf}. */
export interface PrintReportPdfOptions {
  /** @default DEFAULT_CHROMIUM */
  readonly chromium?: string;
  /**
   * The report's date, YYYY-MM-DD: written as the PDFs' creation and modification date, so
   * the same report prints to the same bytes (Chromium otherwise stamps the current time).
   */
  readonly today: string;
  /** Pages printed at once. @default 2 */
  readonly concurrency?: number;
}

/** One printed page: its HTML (relative to the output folder), its PDF and its size. */
export interface PrintedPage {
  readonly html: string;
  readonly pdf: string;
  readonly bytes: number;
}

/**
 * Prints `report/index.html` and every `report/coops/*.html` of an output folder into
 * `report/pdf/` (same names, `.pdf`), replacing only that folder, which this function
 * writes and nothing else does. Pages print in file-name order; the result is
 * deterministic for a given report, Chromium and font set.
 */
export async function printReportPdf(outDir: string, options: PrintReportPdfOptions): Promise<PrintedPage[]> {
  const executable = options.chromium ?? DEFAULT_CHROMIUM;
  if (!existsSync(executable)) throw new ChromiumMissingError(executable);
  const htmlDir = join(outDir, REPORT_HTML_DIR);
  const coopDir = join(htmlDir, 'coops');
  const pages = [
    'index.html',
    ...(existsSync(coopDir) ? readdirSync(coopDir).filter((f) => f.endsWith('.html')).sort().map((f) => `coops/${f}`) : []),
  ];
  const pdfDir = join(outDir, REPORT_PDF_DIR);
  rmSync(pdfDir, { recursive: true, force: true });
  mkdirSync(join(pdfDir, 'coops'), { recursive: true });

  // Imported here: only this command needs a browser, and the CLI's start stays fast.
  const { chromium } = await import('playwright-core');
  // A fresh profile per run: nothing cached from an earlier page or another user.
  const profile = mkdtempSync(join(tmpdir(), 'coop-idc-pdf-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    offline: true,
  });
  try {
    const printed: PrintedPage[] = new Array(pages.length);
    let next = 0;
    const worker = async () => {
      const page = await context.newPage();
      try {
        for (let i = next++; i < pages.length; i = next++) {
          const html = pages[i]!;
          await page.goto(pathToFileURL(join(htmlDir, html)).href, { waitUntil: 'load' });
          await page.emulateMedia({ media: 'print' });
          const pdf = fixDates(await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }), options.today);
          const file = join(REPORT_PDF_DIR, html.replace(/\.html$/, '.pdf'));
          writeFileSync(join(outDir, file), pdf);
          printed[i] = { html: `${REPORT_HTML_DIR}/${html}`, pdf: file, bytes: pdf.length };
        }
      } finally {
        await page.close();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, pages.length)) }, worker));
    return printed;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Replaces the PDF's creation and modification times with the report's date, in place and
 * with the same length, so the cross-reference offsets stay valid.
 */
export function fixDates(pdf: Buffer, today: string): Buffer {
  const stamp = `D:${today.replace(/-/g, '')}000000`;
  const text = pdf.toString('latin1');
  const fixed = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}/g, (_m, key: string) => `/${key} (${stamp}`);
  return Buffer.from(fixed, 'latin1');
}
