/**
 * The HTML report in a real browser: Debian's headless Chromium (installed by .ci/run),
 * loaded from disk with the network unreachable. Checks that nothing errors, that the
 * diagrams and tables render with the expected content, and keeps a screenshot under the
 * test's own folder (test-output/report/report/screenshot.png, git-ignored) for a human to look
 * at; not under out/, which `npm start` must find empty or its own.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildReport, readReportInputs, REPORT_FILES, reportFiles, type AuditReport } from '../../../infra/report';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt } from '../../support/config';
import { writeReport } from '../../../build/report-step';
import { samplePlan, writeFixtureOutput } from './fixture';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(__dirname, '..', '..', '..', 'test-output', 'report');
/** 200 generated cooperatives: the report of their plan, with no synth output. */
const BIG = join(__dirname, '..', '..', '..', 'test-output', 'report-200');

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
  rmSync(BIG, { recursive: true, force: true });
  mkdirSync(BIG, { recursive: true });
  const big = buildReport({ plan: compileAt(generateSources({ n: 200, seed: 16 })).plan!, findings: [], checkFiles: [], problems: [] }, { today: '2027-09-10' });
  for (const [file, render] of reportFiles(big)) {
    mkdirSync(join(BIG, file, '..'), { recursive: true });
    const out = render();
    writeFileSync(join(BIG, file), typeof out === 'string' ? out : [...out].join(''));
  }
  report = buildReport(readReportInputs(OUT), { today: '2027-09-10' });
  // A fresh profile per run: no state, extensions or cached pages from anything before.
  profile = mkdtempSync(join(tmpdir(), 'coop-idc-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    offline: true,
    viewport: { width: 1280, height: 1000 },
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

test('the tables render rows: controls, failures, acknowledgements on the index; sharing and inventory on the cooperative page', async () => {
  const rows = (p: Page, sel: string) => p.locator(`${sel} tbody tr`).count();
  expect(await rows(page, 'table.controls')).toBe(18);
  expect(await rows(page, '#failures table.evidence')).toBe(1);
  expect(await rows(page, '#acknowledgements table.evidence')).toBe(1);
  await expect(page.locator('#failures table.evidence tbody tr').innerText()).resolves.toMatch(/FAIL\s+AwsSolutions AwsSolutions-S10\s+korea-food/);
  const coop = await open(join(OUT, 'report', 'coops', 'korea-food.html'));
  expect(await rows(coop, '#coop-korea-food table.sharing')).toBe(2);
  expect(await rows(coop, '#coop-korea-food table.inventory')).toBe(7);
  expect(await coop.locator('#coop-korea-food table.sharing tbody tr.expiring').count()).toBe(1);
  await expect(coop.locator('h1').innerText()).resolves.toContain('한국식품산업협동조합');
  // What needs attention comes first: the failure before the inventory.
  const order = await coop.$$eval('main section', (els) => els.map((e) => e.id));
  expect(order.slice(0, 2)).toEqual(['attention', 'inventory']);
  await coop.close();
});

test('the page language is Korean', async () => {
  expect(await page.getAttribute('html', 'lang')).toBe('ko');
});

test('keeps screenshots of the index and a cooperative page under the output folder', async () => {
  const file = join(OUT, 'report', 'screenshot.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(statSync(file).size).toBeGreaterThan(10_000);
  const coop = await open(join(OUT, 'report', 'coops', 'korea-food.html'));
  const coopFile = join(OUT, 'report', 'screenshot-korea-food.png');
  await coop.screenshot({ path: coopFile, fullPage: true });
  await coop.close();
  expect(statSync(coopFile).size).toBeGreaterThan(10_000);
});

describe.each([
  ['the samples', () => OUT],
  ['200 generated cooperatives', () => BIG],
])('every page of %s at 1280 px', (_name, folder) => {
  test('has no horizontal overflow, and every internal link of every page resolves', async () => {
    const root = join(folder(), 'report');
    const pages = htmlFiles(root);
    expect(pages).toContain('index.html');
    expect(pages.filter((p) => p.startsWith('coops/')).length).toBeGreaterThan(0);
    const overflow: string[] = [];
    const broken: string[] = [];
    const texts = new Map<string, string>();
    const read = (f: string) => texts.get(f) ?? (texts.set(f, readFileSync(f, 'utf8')), texts.get(f)!);
    const p = await browser.newPage();
    await p.setViewportSize({ width: 1280, height: 900 });
    // Every page not about one cooperative, and the first and last ten cooperative pages
    // (they share one layout; loading all 200 costs minutes of a shared machine).
    const coops = pages.filter((x) => x.startsWith('coops/'));
    const shown = new Set([...pages.filter((x) => !x.startsWith('coops/')), ...coops.slice(0, 10), ...coops.slice(-10)]);
    for (const rel of pages) {
      if (shown.has(rel)) {
        await p.goto(pathToFileURL(join(root, rel)).href, { waitUntil: 'load' });
        const { scroll, client } = (await p.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
        if (scroll > client) overflow.push(`${rel}: ${scroll} > ${client}`);
      }
      // Links of every page, read from the file as the browser would follow them.
      const links = [...read(join(root, rel)).matchAll(/<a href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
      expect(links.length).toBeGreaterThan(0);
      for (const href of links) {
        const [file, anchor] = href.split('#');
        const target = file ? join(root, rel, '..', file) : join(root, rel);
        if (!existsSync(target)) broken.push(`${rel} → ${href}`);
        else if (anchor && !read(target).includes(`id="${anchor}"`)) broken.push(`${rel} → ${href} (no #${anchor})`);
      }
    }
    await p.close();
    expect(overflow).toEqual([]);
    expect(broken).toEqual([]);
  }, 240_000);
});

test('fails when a table would be wider than the page: the check sees a long unbroken value overflow without the wrapping CSS', async () => {
  const p = await browser.newPage();
  await p.setViewportSize({ width: 1280, height: 900 });
  const long = 'x'.repeat(400);
  await p.setContent(`<table><tr><td>${long}</td></tr></table>`);
  const overflows = 'document.documentElement.scrollWidth > document.documentElement.clientWidth';
  const unwrapped = await p.evaluate(overflows);
  await p.goto(pathToFileURL(join(OUT, REPORT_FILES.html)).href);
  await p.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<table><tr><td>${long}</td></tr></table>')`);
  const wrapped = await p.evaluate(overflows);
  await p.close();
  expect(unwrapped).toBe(true);
  expect(wrapped).toBe(false);
});

/** Opens a report page in a new tab. */
async function open(file: string): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return p;
}

/** HTML files under a folder, relative, sorted. */
function htmlFiles(root: string, sub = ''): string[] {
  return readdirSync(join(root, sub), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? htmlFiles(root, join(sub, d.name)) : d.name.endsWith('.html') ? [join(sub, d.name).split(sep).join('/')] : []))
    .sort();
}
