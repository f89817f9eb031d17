/**
 * The promise that an onboarding pull request adding a cooperative file to config/ changes no
 * test's input: the sample helpers leave an added file out, and no test reads the sample
 * folder around them.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { copySamples, SAMPLE_DIR, sampleAwsStackCount, sampleCooperativeIds, sampleSources, SHIPPED_SAMPLES } from './config';
import { tempDirs } from './files';

const tmp = tempDirs();
const TEST_ROOT = join(__dirname, '..');

/** config/ as a pull request leaves it: the shipped files plus one new cooperative in cell-01. */
function configWithAddedFile(): string {
  const dir = join(tmp('samples-added-'), 'config');
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  const food = readFileSync(join(dir, 'cooperatives', 'korea-food.yaml'), 'utf8');
  writeFileSync(join(dir, 'cooperatives', 'korea-bakery.yaml'), food.replace(/^id: korea-food$/m, 'id: korea-bakery'));
  return dir;
}

const shipped = [...SHIPPED_SAMPLES].sort();

test('the helpers read only the shipped samples when a pull request added a cooperative file', () => {
  const from = configWithAddedFile();
  expect(readdirSync(join(from, 'cooperatives'))).toContain('korea-bakery.yaml');

  const dest = join(tmp('samples-copy-'), 'config');
  copySamples(dest, from);
  expect(readdirSync(join(dest, 'cooperatives')).filter((f) => f.endsWith('.yaml')).sort()).toEqual(shipped.map((id) => `${id}.yaml`));
  expect(readdirSync(join(dest, 'templates')).sort()).toEqual(readdirSync(join(from, 'templates')).sort());
  expect(readFileSync(join(dest, 'platform.yaml'), 'utf8')).toBe(readFileSync(join(from, 'platform.yaml'), 'utf8'));

  expect(sampleCooperativeIds(from)).toEqual(shipped);
  expect(sampleSources(from).cooperatives.map((c) => basename(c.relativePath)).sort()).toEqual(shipped.map((id) => `${id}.yaml`));
  expect(sampleAwsStackCount(from)).toBe(sampleAwsStackCount(SAMPLE_DIR));
});

/**
 * Reads of the repository's sample folder that bypass the helpers: copying it whole, loading
 * it whole, or listing its cooperatives. Reading one named file (a template, a shipped sample)
 * is fine: an added file cannot change it.
 */
function bypasses(text: string): string[] {
  const patterns = [/cpSync\(\s*SAMPLE_DIR\s*,/g, /readConfigDir\(\s*SAMPLE_DIR\b/g, /readdirSync\(\s*join\(\s*SAMPLE_DIR\s*,\s*'cooperatives'\s*\)/g, /loadConfig(?:Dir)?\(\s*SAMPLE_DIR\b/g];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}

test('the bypass scan finds a whole-folder copy, load or listing', () => {
  expect(bypasses("cpSync(SAMPLE_DIR, dir, { recursive: true });")).toEqual(['cpSync(SAMPLE_DIR,']);
  expect(bypasses("const s = readConfigDir(SAMPLE_DIR, root);")).toHaveLength(1);
  expect(bypasses("readdirSync(join(SAMPLE_DIR, 'cooperatives'))")).toHaveLength(1);
  expect(bypasses("cpSync(join(SAMPLE_DIR, 'templates'), dest)")).toEqual([]);
});

test('no test reads the sample folder around the helpers', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
    }
  };
  walk(TEST_ROOT);
  const found = files
    .filter((f) => relative(TEST_ROOT, f) !== join('support', 'config.ts') && f !== __filename)
    .flatMap((f) => bypasses(readFileSync(f, 'utf8')).map((m) => `${relative(TEST_ROOT, f)}: ${m}`));
  expect(found).toEqual([]);
});
