/**
 * `coop-idc report --pdf` with Debian's real Chromium (installed by the test command's
 * pretest step): the index and every cooperative page printed, Korean set in an embedded
 * Korean font, evidence open, and the same bytes on every print of the same report.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixDates, printReportPdf, REPORT_PDF_DIR, type PrintedPage } from '../../build/report-pdf';
import { writeReport } from '../../build/report-step';
import { main } from '../../cli/main';
import { TODAY } from '../support/config';
import { samplePlan, writeFixtureOutput } from '../infra/report/fixture';

const DAY = '2027-09-10';
let dir: string;
let printed: PrintedPage[];
let first: Map<string, Buffer>;

function pdfs(out: string): Map<string, Buffer> {
  const root = join(out, REPORT_PDF_DIR);
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const entries = files.map((e): [string, Buffer] => [join(e.parentPath, e.name).slice(root.length + 1), readFileSync(join(e.parentPath, e.name))]);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Pages in a PDF: its page objects (Skia writes one `/Type /Page` dictionary per page). */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-pdf-test-'));
  writeFixtureOutput(join(dir, 'out'), samplePlan());
  writeReport(join(dir, 'out'), DAY);
  printed = await printReportPdf(join(dir, 'out'), { today: DAY });
  first = pdfs(join(dir, 'out'));
}, 180_000);

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

test('prints the index and one PDF per cooperative page, nothing else', () => {
  const coops = readdirSync(join(dir, 'out', 'report', 'coops')).filter((f) => f.endsWith('.html')).sort();
  expect(coops.length).toBe(samplePlan().cooperatives.length);
  expect([...first.keys()]).toEqual(['index.pdf', ...coops.map((f) => join('coops', f.replace(/\.html$/, '.pdf')))].sort());
  expect(printed.map((p) => p.html)).toEqual(['report/index.html', ...coops.map((f) => `report/coops/${f}`)]);
  for (const p of printed) expect(first.get(p.pdf.slice(REPORT_PDF_DIR.length + 1))!.length).toBe(p.bytes);
});

test('every PDF is a PDF with Korean set in the embedded NanumGothic font', () => {
  for (const [file, pdf] of first) {
    expect([file, pdf.subarray(0, 5).toString('latin1')]).toEqual([file, '%PDF-']);
    expect([file, /\/FontName \/[A-Z]{6}\+NanumGothic/.test(pdf.toString('latin1'))]).toEqual([file, true]);
    expect([file, pageCount(pdf) >= 1]).toEqual([file, true]);
  }
});

test('the index prints on several A4 pages (the print stylesheet opens every section)', () => {
  expect(pageCount(first.get('index.pdf')!)).toBeGreaterThan(1);
});

test('carries the report date, not the time of printing, and prints to the same bytes again', async () => {
  const text = first.get('index.pdf')!.toString('latin1');
  expect(text).toContain(`/CreationDate (D:20270910000000`);
  expect(text).toContain(`/ModDate (D:20270910000000`);
  await printReportPdf(join(dir, 'out'), { today: DAY, concurrency: 1 });
  const again = pdfs(join(dir, 'out'));
  expect([...again.keys()]).toEqual([...first.keys()]);
  for (const [file, pdf] of first) expect([file, again.get(file)!.equals(pdf)]).toEqual([file, true]);
}, 180_000);

test('fixDates rewrites both dates in place and keeps the length', () => {
  const pdf = Buffer.from("<</Producer (Skia/PDF m156)\n/CreationDate (D:20261206012523+00'00')\n/ModDate (D:20261206012524+00'00')>>", 'latin1');
  const fixed = fixDates(pdf, '2027-01-02').toString('latin1');
  expect(fixed).toBe("<</Producer (Skia/PDF m156)\n/CreationDate (D:20270102000000+00'00')\n/ModDate (D:20270102000000+00'00')>>");
  expect(fixed.length).toBe(pdf.length);
});

describe('coop-idc report --pdf', () => {
  async function run(cwd: string, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { cwd, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('without Chromium: exit 1, says in the language of the run how to install it, the HTML report is still written', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'coop-idc-pdf-cli-'));
    try {
      writeFixtureOutput(join(cwd, 'out'), samplePlan());
      const r = await run(cwd, 'report', '--pdf', '--chromium', 'no-such-chromium');
      expect(r.code).toBe(1);
      expect(r.err).toContain(`no Chromium at ${join(cwd, 'no-such-chromium')} to print the PDF`);
      expect(r.err).not.toMatch(/[가-힣]/);
      expect(r.err).toContain('apt-get install -y --no-install-recommends chromium fonts-nanum');
      expect(existsSync(join(cwd, 'out', 'report', 'index.html'))).toBe(true);
      expect(existsSync(join(cwd, 'out', REPORT_PDF_DIR))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test.each([
    [['--chromium', '/usr/bin/chromium'], '--chromium only applies with --pdf'],
    [['--pdf', '--since', 'HEAD'], '--pdf and --chromium do not apply with --since'],
  ])('refuses %j (exit 2)', async (flags, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'coop-idc-pdf-cli-'));
    try {
      const r = await run(cwd, 'report', ...flags);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
