/**
 * Control pages at scale: at 1,000 cooperatives one control has ~65,000 pass groups (rule,
 * stack, cooperative), and a row for each made a 14 MB page. Passes are counted per rule and
 * per cell instead (plan facts too, above 100 on a page: some controls have several per
 * cooperative); failures and acknowledgements stay listed in full.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, type CheckFinding } from '../../../infra';
import { buildReport, readReportInputs } from '../../../infra/report';
import { controlPagePath, renderHtmlPages, renderPage } from '../../../infra/report/render-html';
import { generateSources } from '../../../infra/testing/synthetic';
import { writeFindings } from '../../../build/output';
import { writeFixtureOutput } from './fixture';

const TODAY = '2026-11-27';
const CONTROL = 'ISMS-P 2.9.4';
const RULES = 65;
let dir: string;
let pages: Map<string, string>;
let failures: CheckFinding[];
let acks: CheckFinding[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-control-pages-'));
  const plan = compile(generateSources({ n: 1000, seed: 1 }), { today: TODAY }).plan!;
  writeFixtureOutput(dir, plan, { checks: false, cloud: false, idc: false });
  const finding = (coop: string, rule: string, status: CheckFinding['status']): CheckFinding => ({ pack: 'NIST.800.53.R5', rule: `NIST.800.53.R5-${rule}`, controls: [CONTROL], status, cooperative: coop, stack: `Coop-${coop}`, resource: `Coop-${coop}/Raw/Resource`, message: `${status} on ${coop}` });
  const passes = plan.cooperatives.flatMap((c) => Array.from({ length: RULES }, (_, i) => finding(c.id, `Rule${String(i).padStart(2, '0')}`, 'pass')));
  failures = plan.cooperatives.filter((_, i) => i % 7 === 0).map((c) => finding(c.id, 'Failing', 'fail'));
  acks = plan.cooperatives.filter((_, i) => i % 11 === 0).map((c) => ({ ...finding(c.id, 'Accepted', 'acknowledged'), reason: `accepted for ${c.id}` }));
  writeFindings(join(dir, 'checks', 'all.json'), [...passes, ...failures, ...acks]);
  const all = renderHtmlPages(buildReport(readReportInputs(dir), { today: TODAY }));
  pages = new Map(all.filter((p) => p.path.startsWith('controls/')).map((p) => [p.path, renderPage(p)]));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every control page of 1,000 cooperatives stays under 300 KB, plan facts included', () => {
  expect(pages.size).toBeGreaterThan(10);
  for (const [path, page] of pages) expect([path, Buffer.byteLength(page) <= 300_000]).toEqual([path, true]);
});

test('the control page still lists every failure and acknowledgement in full', () => {
  const page = pages.get(controlPagePath(CONTROL));
  if (page === undefined) throw new Error(`no page for ${CONTROL}`);
  for (const f of failures) expect(page).toContain(`fail on ${f.cooperative}`);
  // Acknowledgements are grouped by rule and reason: each reason is one row.
  for (const a of acks) expect(page).toContain(`accepted for ${a.cooperative}`);
  // Every pass is still counted, per rule and per cell.
  expect(page).toContain(`<td>NIST.800.53.R5 NIST.800.53.R5-Rule00</td><td class="num">1000</td>`);
});
