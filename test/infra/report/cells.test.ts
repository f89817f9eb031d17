/**
 * The report per cell (docs/design/report.md, "Per-cell fragments"), its first step: every
 * cooperative's page, report.md section and report.json record built from its cell's part of
 * the inputs are those built from the whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckFinding } from '../../../infra';
import { buildReport, cellInputs, cooperativeJson, cooperativeMarkdown, readReportInputs, renderHtmlPages, renderPage, reportCells, type AuditReport, type ReportInputs } from '../../../infra/report';
import { samplePlan, writeFixtureOutput } from './fixture';

const TODAY = '2026-11-27';

/** Acknowledgements on several cooperatives of both cells, some routine, one on the platform stack. */
function extraFindings(): CheckFinding[] {
  const ack = (cooperative: string, stack: string, reason: string): CheckFinding => ({
    pack: 'NIST.800.53.R5',
    rule: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    controls: ['ISMS-P 2.10.2'],
    status: 'acknowledged',
    cooperative,
    stack,
    resource: 'RawZone/Resource/Resource',
    message: 'The S3 Bucket does not have replication enabled.',
    reason,
  });
  return [
    ack('korea-food', 'CoopKoreaFood', 'in-region by law'),
    ack('korea-textile', 'CoopIdc-Coop-korea-textile', 'in-region by law'),
    ack('korea-electronics', 'CoopIdc-Coop-korea-electronics', 'in-region by law'),
    ack('korea-machinery', 'CoopIdc-Coop-korea-machinery', 'only this one'),
    // Findings of two cells' cooperatives on the platform stack: it stays a platform stack.
    ack('korea-food', 'Platform', 'shared audit bucket'),
    ack('korea-electronics', 'Platform', 'shared audit bucket'),
  ];
}

const coopPages = (r: AuditReport): Map<string, string> => new Map(renderHtmlPages(r).filter((p) => p.path.startsWith('coops/')).map((p) => [p.path, renderPage(p)]));

describe('cellInputs', () => {
  let dir: string;
  let inputs: ReportInputs;
  let whole: AuditReport;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-cells-'));
    writeFixtureOutput(dir, samplePlan());
    writeFileSync(join(dir, 'checks', 'extra.json'), `${JSON.stringify({ findings: extraFindings() })}\n`);
    inputs = readReportInputs(dir);
    whole = buildReport(inputs, { today: TODAY });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the cells cover every cooperative once', () => {
    const cells = reportCells(whole);
    expect(cells.length).toBeGreaterThan(1);
    expect(cells.flatMap((c) => c.cooperatives).sort()).toEqual(whole.cooperatives.map((c) => c.id).sort());
  });

  test("every cooperative page built from its cell's part is the whole report's page, byte for byte", () => {
    const pages = coopPages(whole);
    const fromCells = new Map(reportCells(whole).flatMap((cell) => [...coopPages(buildReport(cellInputs(inputs, whole, cell), { today: TODAY }))]));
    expect([...fromCells.keys()].sort()).toEqual([...pages.keys()].sort());
    for (const [path, page] of pages) expect(fromCells.get(path)).toBe(page);
  });

  test('so are its report.md section and its report.json record', () => {
    const ofWhole = new Map(whole.cooperatives.map((c) => [c.id, c]));
    for (const cell of reportCells(whole)) {
      const part = buildReport(cellInputs(inputs, whole, cell), { today: TODAY });
      expect(part.cooperatives.map((c) => c.id)).toEqual(cell.cooperatives);
      for (const c of part.cooperatives) {
        expect(cooperativeMarkdown(part, c)).toBe(cooperativeMarkdown(whole, ofWhole.get(c.id)!));
        expect(JSON.stringify(cooperativeJson(c))).toBe(JSON.stringify(cooperativeJson(ofWhole.get(c.id)!)));
      }
    }
  });

  test("a cell's part keeps the whole report's stack owners: without them the platform stack would pass for korea-food's", () => {
    const cell = reportCells(whole).find((c) => c.cooperatives.includes('korea-food'))!;
    const part = cellInputs(inputs, whole, cell);
    const { stackOwners: _owners, ...attributedAgain } = part;
    const food = (r: AuditReport) => r.cooperatives.find((c) => c.id === 'korea-food')!.cloud.stacks;
    expect(food(buildReport(part, { today: TODAY }))).toEqual(food(whole));
    expect(food(buildReport(attributedAgain, { today: TODAY }))).toContain('Platform');
  });
});
