/**
 * The AWS app unit by unit (build/aws-units.ts): a build in which one cooperative changed
 * builds its cell and the platform and restores the other cells from the build cache; its
 * output is byte for byte that of a build without the cache, and the CDK CLI reads the
 * assembly of restored and fresh units alike (`cdk ls`). Generated cooperatives (three cells
 * of two), so nothing here depends on config/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { entryChecksum } from '../../build/build-cache';
import { main } from '../../cli/main';
import { compile, readConfigDir } from '../../infra';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { awsStackLayout } from '../../stacks/aws/aws-app';
import { TODAY } from '../support/config';
import { RUN_RECORD_FILES } from '../support/provenance';
import { BUILD_MANIFEST } from '../../build/up-to-date';

jest.setTimeout(600_000);

const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'coop-idc-units-'));
const cache = join(work, 'cache');
const config = join(work, 'config');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): string[] {
  // The up-to-date manifest records the folder's own mtimes, not what the config gives
  // (see test/build/up-to-date.test.ts).
  return readdirSync(dir).filter((f) => f !== BUILD_MANIFEST).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

async function build(out: string, ...flags: string[]): Promise<{ code: number; lines: string[]; err: string[]; tty: string[] }> {
  const lines: string[] = [];
  const err: string[] = [];
  const tty: string[] = [];
  const onTerminal = flags[0] === 'tty' ? { tty: (t: string) => void tty.push(t) } : {};
  const args = flags[0] === 'tty' ? flags.slice(1) : flags;
  // --force: these builds are about the unit cache, not about skipping a build with nothing changed.
  const code = await main(['build', '--force', '--config', config, '--out', out, ...args], { cwd: work, today: TODAY, env: { LANG: "en_US.UTF-8", COOP_IDC_CACHE_DIR: cache }, out: (l) => lines.push(l), err: (l) => err.push(l), ...onTerminal });
  return { code, lines, err, tty };
}

const unitLine = (lines: readonly string[]) => lines.find((l) => l.startsWith('aws: ') && l.includes(' units '));
const unitEntries = () => readdirSync(join(cache, 'aws-units')).filter((f) => f.endsWith('.json')).sort();

function cdk(...args: string[]): string {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args, '--no-notices', '--no-version-reporting'], { cwd: work, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
  return r.stdout;
}

beforeAll(() => {
  writeSources(generateSources({ n: 6, seed: 7, cellCapacity: 2 }), config);
});

describe('a build by unit', () => {
  test('restores the unchanged cells, rebuilds the changed one and writes what a build without the cache writes', async () => {
    const cold = await build('out');
    expect({ code: cold.code, err: cold.err }).toEqual({ code: 0, err: [] });
    // The platform and three cells.
    expect(unitLine(cold.lines)).toBe('aws: 4 units (platform, cells): 4 built, 0 restored from the build cache');
    expect(unitEntries()).toHaveLength(4);
    expect(cold.lines.filter((l) => /^aws: (platform|cell\/)/.test(l))).toEqual([
      // Each cell: its shared zone, shared-table shards, monitoring stack, cooperatives, gateways' trust anchor and ingestion API.
      'aws: platform: 1 stack built (1/4 units, 1/23 stacks)',
      'aws: cell/cell-01: 7 stacks built (2/4 units, 8/23 stacks)',
      'aws: cell/cell-02: 8 stacks built (3/4 units, 16/23 stacks)',
      'aws: cell/cell-03: 7 stacks built (4/4 units, 23/23 stacks)',
    ]);
    const warm = await build('out');
    expect(unitLine(warm.lines)).toBe('aws: 4 units (platform, cells): 0 built, 4 restored from the build cache');
    // On a terminal: a bar redrawn in place, ended by a newline, and no unit lines.
    const tty = await build('out', 'tty');
    expect(tty.code).toBe(0);
    expect(tty.tty).toHaveLength(4);
    expect(tty.tty[3]).toBe('\raws [########################] 4/4 units, 23/23 stacks\x1b[K\n');
    expect(tty.lines.filter((l) => /^aws: (platform|cell\/)/.test(l))).toEqual([]);
    // --quiet: the result line only.
    const quiet = await build('out', 'tty', '--quiet');
    expect({ code: quiet.code, tty: quiet.tty, lines: quiet.lines.map((l) => l.replace(/\(.*s\)$/, '(…)')) }).toEqual({ code: 0, tty: [], lines: ['build ok: out (…)'] });

    // One cooperative of one cell changes: its cell and the platform (which reads every cooperative) are built.
    const plan = compile(readConfigDir(config), { today: TODAY }).plan!;
    const changed = plan.cooperatives[0];
    const file = join(config, 'cooperatives', `${changed.id}.yaml`);
    const text = readFileSync(file, 'utf8');
    const m = /retentionDays: (\d+)/.exec(text)!;
    writeFileSync(file, text.replace(m[0], `retentionDays: ${Number(m[1]) + 1}`));
    const mixed = await build('out');
    expect({ code: mixed.code, err: mixed.err }).toEqual({ code: 0, err: [] });
    expect(unitLine(mixed.lines)).toBe('aws: 4 units (platform, cells): 2 built, 2 restored from the build cache');

    const uncached = await build('out-nc', '--no-cache');
    expect(uncached.code).toBe(0);
    expect(unitLine(uncached.lines)).toBeUndefined();
    const a = join(work, 'out');
    const b = join(work, 'out-nc');
    const list = files(a).map((f) => relative(a, f)).sort();
    expect(files(b).map((f) => relative(b, f)).sort()).toEqual(list);
    const differing = list.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    expect(differing.sort()).toEqual([...RUN_RECORD_FILES].sort());

    // The CDK CLI reads the mixed assembly: every stack, in the app's order, with the
    // dependencies across units (a restored cell's cooperative on the rebuilt platform) put back.
    const layout = awsStackLayout(compile(readConfigDir(config), { today: TODAY }).plan!, { ingestion: true });
    expect(cdk('ls', '--app', join(a, 'cdk.out')).trim().split('\n')).toEqual(layout.map((s) => s.id));
    const restoredCoop = layout.find((s) => s.kind === 'cooperative' && s.unit !== layout.find((x) => x.id.endsWith(changed.id))!.unit)!;
    const deps = parse(cdk('ls', '--app', join(a, 'cdk.out'), '--show-dependencies')) as { id: string; dependencies: { id: string }[] }[];
    expect(deps.find((d) => d.id === restoredCoop.id)?.dependencies.map((d) => d.id)).toEqual(restoredCoop.dependsOn);
    expect(restoredCoop.dependsOn).toContain('CoopIdc-Platform');
  });

  test('fails when a cached unit was edited: the entry is rejected, the unit built again, the output unchanged', async () => {
    const before = readFileSync(join(work, 'out', 'checks', 'aws.json'));
    for (const f of unitEntries()) {
      const path = join(cache, 'aws-units', f);
      const entry = JSON.parse(readFileSync(path, 'utf8'));
      entry.content.findings = entry.content.findings.map((x: { status: string }) => ({ ...x, status: 'pass' }));
      writeFileSync(path, JSON.stringify(entry));
    }
    const r = await build('out');
    expect(r.code).toBe(0);
    expect(r.lines).toContain(`cache: rejected 4 damaged or edited unit entries (in ${join(cache, 'aws-units')}): checksum or recorded key did not match; built again and rewritten`);
    expect(unitLine(r.lines)).toBe('aws: 4 units (platform, cells): 4 built, 0 restored from the build cache');
    expect(readFileSync(join(work, 'out', 'checks', 'aws.json')).equals(before)).toBe(true);
  });

  test('fails when a cached unit was forged with a valid checksum: --verify-cache names the unit and exits 1', async () => {
    // The entries this config uses are the ones a build just read (a hit refreshes the mtime);
    // the others are of the config before the change.
    expect((await build('out')).code).toBe(0);
    const used = unitEntries().map((f) => ({ f, t: statSync(join(cache, 'aws-units', f)).mtimeMs })).sort((a, b) => b.t - a.t || (a.f < b.f ? -1 : 1));
    const path = join(cache, 'aws-units', used[0].f);
    const entry = JSON.parse(readFileSync(path, 'utf8'));
    const template = Object.keys(entry.content.files).find((n) => n.endsWith('.template.json'))!;
    entry.content.files[template] = entry.content.files[template].replace('"Resources"', '"Resources" ');
    entry.checksum = entryChecksum(entry.kind, entry.key, entry.content);
    writeFileSync(path, JSON.stringify(entry));
    // Replayed as it is by a plain warm build...
    expect((await build('out')).code).toBe(0);
    expect(readFileSync(join(work, 'out', 'cdk.out', template), 'utf8')).toContain('"Resources" ');
    // ...and caught by --verify-cache.
    const r = await build('out-verify', '--verify-cache');
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain(`cache: ${entry.content.unit} cached unit: cached and recomputed differ in files ${template}`);
  });
});

describe('CI shards', () => {
  const shardOut = (i: number) => join('shards', String(i));

  test('three shards merged write what one build without the cache writes, byte for byte', async () => {
    for (const i of [1, 2, 3]) {
      const r = await build(shardOut(i), '--no-cache', '--shard', `${i}/3`);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
      expect(r.lines.some((l) => l.startsWith(`aws: shard ${i}/3: `))).toBe(true);
    }
    // Each unit is in exactly one shard.
    const shardUnits = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(work, shardOut(i), 'shard.json'), 'utf8')).units as string[]);
    expect(shardUnits.flat().sort()).toEqual(['cell/cell-01', 'cell/cell-02', 'cell/cell-03', 'platform']);
    const merged = await build('out-merged', '--no-cache', '--merge', shardOut(1), '--merge', shardOut(2), '--merge', shardOut(3));
    expect({ code: merged.code, err: merged.err }).toEqual({ code: 0, err: [] });
    const whole = await build('out-whole', '--no-cache');
    expect(whole.code).toBe(0);
    const a = join(work, 'out-merged');
    const b = join(work, 'out-whole');
    const list = files(b).map((f) => relative(b, f)).sort();
    expect(files(a).map((f) => relative(a, f)).sort()).toEqual(list);
    // build.json too: the merge adds up the check results its shards computed.
    expect(list.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))))).toEqual([]);
  });

  test("each cooperative's IDC stack is synthesized by exactly one shard, whole cells to a shard; the platform stack by every shard", () => {
    const whole = Object.keys(JSON.parse(readFileSync(join(work, 'out-whole', 'cdktf.out', 'manifest.json'), 'utf8')).stacks as object).sort();
    const parts = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(work, shardOut(i), 'idc-shard.json'), 'utf8')).stacks as string[]);
    parts.forEach((stacks, i) => expect(readdirSync(join(work, shardOut(i + 1), 'cdktf.out', 'stacks')).sort()).toEqual([...stacks].sort()));
    for (const stacks of parts) expect(stacks).toContain('idc-platform');
    const coopStacks = parts.flatMap((stacks) => stacks.filter((s) => s !== 'idc-platform'));
    expect(coopStacks.length).toBe(new Set(coopStacks).size);
    expect(['idc-platform', ...coopStacks].sort()).toEqual(whole);
    // Cells are not split: both cooperatives of a cell (capacity 2) come from the same shard.
    const plan = JSON.parse(readFileSync(join(work, 'out-whole', 'plan.json'), 'utf8')) as { cooperatives: { id: string; cell?: string; idc?: { namespace: string } }[] };
    const shardOf = (ns: string) => parts.findIndex((stacks) => stacks.includes(ns));
    for (const c of plan.cooperatives.filter((x) => x.idc)) {
      const mates = plan.cooperatives.filter((x) => x.idc && x.cell === c.cell);
      expect(new Set(mates.map((m) => shardOf(m.idc!.namespace))).size).toBe(1);
    }
    expect(parts.filter((stacks) => stacks.length > 1).length).toBeGreaterThan(1);
  });

  test('the merge takes the IDC stacks from the shards instead of synthesizing them again', async () => {
    const copies = [1, 2, 3].map((i) => {
      const to = join('shards-edited', String(i));
      cpSync(join(work, shardOut(i)), join(work, to), { recursive: true });
      return to;
    });
    const stack = (JSON.parse(readFileSync(join(work, copies[1], 'idc-shard.json'), 'utf8')).stacks as string[]).find((s) => s !== 'idc-platform')!;
    const file = join('cdktf.out', 'stacks', stack, 'cdk.tf.json');
    writeFileSync(join(work, copies[1], file), readFileSync(join(work, copies[1], file), 'utf8').replace('"resource"', '"resource" '));
    const merged = await build('out-merged-edited', '--no-cache', ...copies.flatMap((d) => ['--merge', d]));
    expect({ code: merged.code, err: merged.err }).toEqual({ code: 0, err: [] });
    expect(readFileSync(join(work, 'out-merged-edited', file), 'utf8')).toContain('"resource" ');
  });

  test("fails when a shard's IDC stacks were built from other input, or are missing: exit 2, naming the folder", async () => {
    const copies = [1, 2, 3].map((i) => {
      const to = join('shards-other', String(i));
      cpSync(join(work, shardOut(i)), join(work, to), { recursive: true });
      return to;
    });
    const part = join(work, copies[2], 'idc-shard.json');
    writeFileSync(part, readFileSync(part, 'utf8').replace(/"key": "[0-9a-f]{64}"/, `"key": "${'0'.repeat(64)}"`));
    const other = await build('out-other', '--no-cache', ...copies.flatMap((d) => ['--merge', d]));
    expect(other.code).toBe(2);
    expect(other.err[0]).toBe(`coop-idc: the IDC stacks in ${join(work, copies[2])} (shard 3/3) were built from another config or code; build every shard again from the same commit and config, then merge`);
    rmSync(part);
    const missing = await build('out-other', '--no-cache', ...copies.flatMap((d) => ['--merge', d]));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toBe(`coop-idc: ${join(work, copies[2])} holds no IDC shard output (no idc-shard.json and cdktf.out/manifest.json); build the shard again with this version's 'coop-idc build --shard i/n'`);
  });

  test('fails when a shard is missing from --merge: exit 2, naming the units', async () => {
    const r = await build('out-partial', '--no-cache', '--merge', shardOut(1), '--merge', shardOut(2));
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^coop-idc: 1 of 4 units are in none of the shards' outputs \((platform|cell\/cell-0\d)\): build every shard/);
  });

  test.each(['0/3', '4/3', '1/0', '1', 'a/b'])('fails when --shard is %s: exit 2', async (value) => {
    const r = await build('out-bad', '--shard', value);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(`coop-idc: --shard is "${value}"; expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/8 for the second of eight CI runners`);
  });
});
