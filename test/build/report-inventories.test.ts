/**
 * The templates' inventories kept in the build cache for the report (build/report-inventories.ts):
 * a report read from them is the report computed from the templates, byte for byte; the
 * entries are what the report reads (a forged one shows), never under `--verify-cache`; a
 * damaged one is computed again, and a changed template is another key.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_CACHE, sealEntry } from '../../build/build-cache';
import { writeReport } from '../../build/report-step';
import { cachedInventories, type InventoryTally } from '../../build/report-inventories';
import { inventoryOfTemplate, type StackInventory } from '../../infra/report';
import { samplePlan, writeFixtureOutput } from '../infra/report/fixture';
import { readTree } from '../support/files';

const TODAY = '2026-11-27';
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'coop-idc-report-inventories-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh fixture output folder and the hashes of its templates, as the AWS step gives them. */
function output(): { dir: string; hashes: Map<string, string> } {
  const dir = join(root, `out-${n++}`);
  writeFixtureOutput(dir, samplePlan());
  const hashes = new Map(
    readdirSync(join(dir, 'cdk.out'))
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [`cdk.out/${f}`, createHash('sha256').update(readFileSync(join(dir, 'cdk.out', f))).digest('hex')]),
  );
  return { dir, hashes };
}

const tallyOf = (): InventoryTally => ({ read: 0, computed: 0, rejected: 0 });

/** The report's files of an output folder: report/, report.json, report.md. */
function reportFiles(dir: string): Record<string, string> {
  const out = readTree(join(dir, 'report'));
  for (const f of ['report.json', 'report.md']) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

/** Rewrites the one entry of `cacheDir` for `file`, resealed with a matching checksum: what only --verify-cache catches. */
function forge(cacheDir: string, change: (content: { resources: { properties: Record<string, string> }[] }) => void): void {
  const folder = join(cacheDir, INVENTORY_CACHE);
  for (const name of readdirSync(folder)) {
    const entry = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    if (!entry.content.file.includes('Food')) continue;
    change(entry.content);
    writeFileSync(join(folder, name), JSON.stringify(sealEntry(entry.kind, entry.key, entry.content)));
  }
}

test('a report whose inventories come from the cache is the report computed from the templates, byte for byte', () => {
  const cacheDir = mkdtempSync(join(root, 'cache-'));
  const plain = output();
  writeReport(plain.dir, TODAY, { staged: true });
  const cold = output();
  const first = tallyOf();
  writeReport(cold.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: cold.hashes, tally: first } });
  expect(first).toEqual({ read: 0, computed: cold.hashes.size, rejected: 0 });
  expect(readdirSync(join(cacheDir, INVENTORY_CACHE))).toHaveLength(cold.hashes.size);
  const warm = output();
  const second = tallyOf();
  writeReport(warm.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: warm.hashes, tally: second } });
  expect(second).toEqual({ read: warm.hashes.size, computed: 0, rejected: 0 });
  const expected = reportFiles(plain.dir);
  expect(Object.keys(expected)).toContain('index.html');
  expect(reportFiles(cold.dir)).toEqual(expected);
  expect(reportFiles(warm.dir)).toEqual(expected);
});

test("an entry holds no template strings; they are computed from the template when attribution asks", () => {
  const cacheDir = mkdtempSync(join(root, 'cache-'));
  const { dir, hashes } = output();
  const file = [...hashes.keys()][0];
  const compute = (): StackInventory => inventoryOfTemplate(file.replace(/^cdk\.out\/|\.template\.json$/g, ''), file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
  const lookup = cachedInventories(cacheDir, hashes);
  const computed = lookup(file, compute);
  expect(computed.strings.length).toBeGreaterThan(0);
  const [entry] = readdirSync(join(cacheDir, INVENTORY_CACHE));
  expect(JSON.parse(readFileSync(join(cacheDir, INVENTORY_CACHE, entry), 'utf8')).content).not.toHaveProperty('strings');
  let reads = 0;
  const again = lookup(file, () => (reads++, compute()));
  expect(again.resources).toEqual(computed.resources);
  expect(reads).toBe(0);
  expect(again.strings).toEqual(computed.strings);
  expect(again.strings).toEqual(computed.strings);
  expect(reads).toBe(1);
});

test('the report shows what the entry holds (a forged entry with a matching checksum shows); --verify-cache computes every inventory and replaces it', () => {
  const cacheDir = mkdtempSync(join(root, 'cache-'));
  const fill = output();
  writeReport(fill.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: fill.hashes } });
  const forged = (c: { resources: { properties: Record<string, string> }[] }) => {
    for (const r of c.resources) for (const k of Object.keys(r.properties)) r.properties[k] = 'FORGED-VALUE';
  };
  forge(cacheDir, forged);
  const trusting = output();
  writeReport(trusting.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: trusting.hashes } });
  expect(readFileSync(join(trusting.dir, 'report.json'), 'utf8')).toContain('FORGED-VALUE');
  const verifying = output();
  const tally = tallyOf();
  writeReport(verifying.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: verifying.hashes, verify: true, tally } });
  expect(tally).toEqual({ read: 0, computed: verifying.hashes.size, rejected: 0 });
  expect(readFileSync(join(verifying.dir, 'report.json'), 'utf8')).not.toContain('FORGED-VALUE');
  // The entry was rewritten: a later build reads the true inventory.
  const after = output();
  writeReport(after.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: after.hashes } });
  expect(readFileSync(join(after.dir, 'report.json'), 'utf8')).not.toContain('FORGED-VALUE');
});

test('a damaged entry is rejected and computed again; a template of another hash is another entry', () => {
  const cacheDir = mkdtempSync(join(root, 'cache-'));
  const fill = output();
  writeReport(fill.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: fill.hashes } });
  const folder = join(cacheDir, INVENTORY_CACHE);
  const [victim] = readdirSync(folder);
  writeFileSync(join(folder, victim), readFileSync(join(folder, victim), 'utf8').slice(0, 100));
  const damaged = output();
  const tally = tallyOf();
  writeReport(damaged.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: damaged.hashes, tally } });
  expect(tally).toEqual({ read: damaged.hashes.size - 1, computed: 1, rejected: 1 });
  expect(reportFiles(damaged.dir)).toEqual(reportFiles(fill.dir));
  // Rewritten whole.
  expect(JSON.parse(readFileSync(join(folder, victim), 'utf8')).content.resources.length).toBeGreaterThan(0);
  const changed = output();
  const [first] = changed.hashes.keys();
  changed.hashes.set(first, '0'.repeat(64));
  const other = tallyOf();
  writeReport(changed.dir, TODAY, { staged: true, inventories: { cacheDir, hashes: changed.hashes, tally: other } });
  expect(other).toEqual({ read: changed.hashes.size - 1, computed: 1, rejected: 0 });
  expect(readdirSync(folder)).toHaveLength(fill.hashes.size + 1);
});
