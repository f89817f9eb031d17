/**
 * Control pages at scale: at 1,000 cooperatives one control has ~65,000 pass groups (rule,
 * stack, cooperative), and a row for each made a 14 MB page. Passes are counted per rule and
 * per cell instead; failures and acknowledgements stay listed in full.
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
let page: string | undefined;
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
  const found = renderHtmlPages(buildReport(readReportInputs(dir), { today: TODAY })).find((p) => p.path === controlPagePath(CONTROL));
  page = found && renderPage(found);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a control page of 1,000 cooperatives stays under 300 KB and lists every failure and acknowledgement', () => {
  if (page === undefined) throw new Error(`no page for ${CONTROL}`);
  expect(Buffer.byteLength(page)).toBeLessThanOrEqual(300_000);
  for (const f of failures) expect(page).toContain(`fail on ${f.cooperative}`);
  // Acknowledgements are grouped by rule and reason: each reason is one row.
  for (const a of acks) expect(page).toContain(`accepted for ${a.cooperative}`);
  // Every pass is still counted, per rule and per cell.
  expect(page).toContain(`<td>NIST.800.53.R5 NIST.800.53.R5-Rule00</td><td class="num">1000</td>`);
});
