/**
 * The HTML report in a real browser: Debian's headless Chromium (installed by .ci/run),
 * loaded from disk with the network unreachable. Checks that nothing errors, that the
 * diagrams and tables render with the expected content, and keeps a screenshot under the
 * test's output folder (out/test/report/report/screenshot.png) for a human to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildReport, readReportInputs, REPORT_FILES, type AuditReport } from '../../../infra/report';
import { writeReport } from '../../../build/report-step';
import { samplePlan, writeFixtureOutput } from './fixture';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(__dirname, '..', '..', '..', 'out', 'test', 'report');

let browser: BrowserContext;
let profile: string;
let page: Page;
let report: AuditReport;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y --no-install-recommends chromium' (.ci/run does)`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFixtureOutput(OUT, samplePlan());
  writeReport(OUT, '2027-09-10');
  report = buildReport(readReportInputs(OUT), { today: '2027-09-10' });
  // A fresh profile per run: no state, extensions or cached pages from anything before.
  profile = mkdtempSync(join(tmpdir(), 'coop-idc-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    offline: true,
    viewport: { width: 1400, height: 1000 },
  });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(OUT, REPORT_FILES.html)).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('loads from disk with no console error and no request beyond the file itself', () => {
  expect(consoleErrors).toEqual([]);
  expect(requests).toEqual([pathToFileURL(join(OUT, REPORT_FILES.html)).href]);
});

test('the data-flow diagram has a node per cooperative, dataset and consumer, and an edge per grant', async () => {
  const nodes = await page.$$eval('svg.dataflow [data-node]', (els) => els.map((e) => e.getAttribute('data-node')));
  expect(nodes).toEqual([
    ...report.dataFlow.cooperatives.map((c) => `cooperative:${c}`),
    ...report.dataFlow.datasets.map((d) => `dataset:${d}`),
    ...report.dataFlow.consumers.map((c) => `consumer:${c.id}`),
  ]);
  expect(nodes).toContain('consumer:ibk-bank');
  const levels = await page.$$eval('svg.dataflow path[data-level]', (els) => els.map((e) => e.getAttribute('data-level')));
  expect(levels).toHaveLength(report.dataFlow.edges.length);
  // It is drawn, not just present: the SVG has a real size on the page.
  const box = await page.locator('svg.dataflow').boundingBox();
  expect(box!.width).toBeGreaterThan(500);
  expect(box!.height).toBeGreaterThan(100);
});

test('the capacity chart has a bar per resource and GPU model', async () => {
  const bars = await page.$$eval('svg.capacity [data-resource]', (els) => els.map((e) => e.getAttribute('data-resource')));
  expect(bars).toEqual(report.capacity.map((c) => c.resource));
  expect(bars).toContain('gpu/nvidia-l40s');
});

test('the tables render rows: controls, failures, acknowledgements, sharing and inventory', async () => {
  const rows = (sel: string) => page.locator(`${sel} tbody tr`).count();
  expect(await rows('table.controls')).toBe(16);
  expect(await rows('#failures table.evidence')).toBe(1);
  expect(await rows('#acknowledgements table.evidence')).toBe(1);
  expect(await rows('#coop-korea-food table.sharing')).toBe(2);
  expect(await rows('#coop-korea-food table.inventory')).toBe(7);
  expect(await page.locator('#coop-korea-food table.sharing tbody tr.expiring').count()).toBe(1);
  await expect(page.locator('#failures table.evidence tbody tr').innerText()).resolves.toMatch(/FAIL\s+AwsSolutions AwsSolutions-S10\s+korea-food/);
  await expect(page.locator('h3', { hasText: 'korea-food' }).first().innerText()).resolves.toContain('한국식품산업협동조합');
});

test('keeps a screenshot under the output folder', async () => {
  const file = join(OUT, 'report', 'screenshot.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(statSync(file).size).toBeGreaterThan(10_000);
});
