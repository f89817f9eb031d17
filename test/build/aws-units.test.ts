/**
 * The AWS app unit by unit (build/aws-units.ts): a build in which one cooperative changed
 * builds its cell and restores the platform and the other cell from the build cache; its
 * output is byte for byte that of a build without the cache, and the CDK CLI reads the
 * assembly of restored and fresh units alike (`cdk ls`). Generated cooperatives (two cells
 * of two, test/support/unit-build.ts), so nothing here depends on config/. The CI shards
 * (`--shard`, `--merge`) are in aws-units.shards.test.ts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { entryChecksum } from '../../build/build-cache';
import { compile, readConfigDir } from '../../infra';
import { awsStackLayout } from '../../stacks/aws/aws-app';
import { TODAY } from '../support/config';
import { differingFiles, outputFiles } from '../support/files';
import { RUN_RECORD_FILES } from '../support/provenance';
import { unitLine, unitWorld } from '../support/unit-build';

jest.setTimeout(600_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const { work, cache, config, build, unitEntries, cdk } = unitWorld();

describe('a build by unit', () => {
  test('restores the unchanged cells, rebuilds the changed one and writes what a build without the cache writes', async () => {
    const cold = await build('out');
    expect({ code: cold.code, err: cold.err }).toEqual({ code: 0, err: [] });
    // The platform and two cells.
    expect(unitLine(cold.lines)).toBe('aws: 3 units (platform, cells): 3 built, 0 restored from the build cache');
    expect(unitEntries()).toHaveLength(3);
    // Templates and metadata are stored once each, by content, for the unit entries and the
    // stack entries alike; the entries name them by hash and hold the asset manifests only.
    const cdkOut = join(work, 'out', 'cdk.out');
    const stored = readdirSync(cdkOut).filter((f) => /\.(template|metadata)\.json$/.test(f));
    expect(readdirSync(join(cache, 'aws-files')).sort()).toEqual([...new Set(stored.map((f) => `${sha256(readFileSync(join(cdkOut, f)))}.json`))].sort());
    for (const folder of ['aws-units', 'aws-stacks']) {
      for (const f of readdirSync(join(cache, folder))) {
        const files = Object.entries(JSON.parse(readFileSync(join(cache, folder, f), 'utf8')).content.files as Record<string, unknown>);
        expect(files.filter(([name, v]) => name.endsWith('.assets.json') !== (typeof v === 'string'))).toEqual([]);
      }
    }
    expect(cold.lines.filter((l) => /^aws: (platform|cell\/)/.test(l))).toEqual([
      // Each cell: its shared zone, shared-table shards, monitoring stack, cooperatives, gateways' trust anchor and ingestion API.
      'aws: platform: 1 stack built (1/3 units, 1/16 stacks)',
      'aws: cell/cell-01: 8 stacks built (2/3 units, 9/16 stacks)',
      'aws: cell/cell-02: 7 stacks built (3/3 units, 16/16 stacks)',
    ]);
    // Restored units bring each stack's figures for the account checks, and the report's
    // inventories come from the cache: a template is read at most once, by the report, and only
    // when a stack's owner must be found in its strings (a shared stack no finding attributes
    // to one cooperative); a cooperative's own template not at all.
    // The module object itself (an `import * as` would spy on a copy of it).
    const reads = jest.spyOn(require('node:fs') as typeof import('node:fs'), 'readFileSync');
    const warm = await build('out');
    const templatesRead = reads.mock.calls.map(([f]) => String(f)).filter((f) => f.endsWith('.template.json'));
    reads.mockRestore();
    expect(unitLine(warm.lines)).toBe('aws: 3 units (platform, cells): 0 built, 3 restored from the build cache');
    const times = new Map<string, number>();
    for (const f of templatesRead) times.set(basename(f), (times.get(basename(f)) ?? 0) + 1);
    expect([...times.values()].every((n) => n === 1)).toBe(true);
    const shared = awsStackLayout(compile(readConfigDir(config), { today: TODAY }).plan!, { ingestion: true }).filter((l) => l.kind !== 'cooperative');
    expect(shared.length).toBeGreaterThan(0);
    expect([...times.keys()].sort()).toEqual(shared.map((l) => `${l.id}.template.json`).sort());
    // On a terminal: a bar redrawn in place, ended by a newline, and no unit lines.
    const tty = await build('out', 'tty');
    expect(tty.code).toBe(0);
    expect(tty.tty).toHaveLength(3);
    expect(tty.tty[2]).toBe('\raws [########################] 3/3 units, 16/16 stacks\x1b[K\n');
    expect(tty.lines.filter((l) => /^aws: (platform|cell\/)/.test(l))).toEqual([]);
    // --quiet: the result line only.
    const quiet = await build('out', 'tty', '--quiet');
    expect({ code: quiet.code, tty: quiet.tty, lines: quiet.lines.map((l) => l.replace(/\(.*s\)$/, '(…)')) }).toEqual({ code: 0, tty: [], lines: ['build ok: out (…)'] });

    // One cooperative of one cell changes its retention: its cell is built; the platform, which
    // reads only its own slice of the plan (no table of a cell's cooperative), is restored.
    const plan = compile(readConfigDir(config), { today: TODAY }).plan!;
    const changed = plan.cooperatives[0];
    const file = join(config, 'cooperatives', `${changed.id}.yaml`);
    const text = readFileSync(file, 'utf8');
    const m = /retentionDays: (\d+)/.exec(text)!;
    writeFileSync(file, text.replace(m[0], `retentionDays: ${Number(m[1]) + 1}`));
    const mixed = await build('out');
    expect({ code: mixed.code, err: mixed.err }).toEqual({ code: 0, err: [] });
    expect(unitLine(mixed.lines)).toBe('aws: 3 units (platform, cells): 1 built, 2 restored from the build cache');
    expect(mixed.lines.filter((l) => /^aws: (platform|cell\/)/.test(l)).map((l) => l.replace(/ \(.*\)$/, ''))).toEqual(['aws: platform: 1 stack restored from the build cache', 'aws: cell/cell-01: 8 stacks built', 'aws: cell/cell-02: 7 stacks restored from the build cache']);

    const uncached = await build('out-nc', '--no-cache');
    expect(uncached.code).toBe(0);
    expect(unitLine(uncached.lines)).toBeUndefined();
    const a = join(work, 'out');
    const b = join(work, 'out-nc');
    const list = outputFiles(a);
    expect(outputFiles(b)).toEqual(list);
    expect(differingFiles(a, b, list)).toEqual([...RUN_RECORD_FILES].sort());

    // The CDK CLI reads the mixed assembly: every stack, in the app's order, with the
    // dependencies across units (a restored cell's cooperative on the restored platform) put back.
    // One `cdk ls` (each costs the CLI's start): --show-dependencies lists the stacks in the
    // order plain `cdk ls` does, each with its dependencies.
    const layout = awsStackLayout(compile(readConfigDir(config), { today: TODAY }).plan!, { ingestion: true });
    const deps = parse(cdk('ls', '--app', join(a, 'cdk.out'), '--show-dependencies')) as { id: string; dependencies: { id: string }[] }[];
    expect(deps.map((d) => d.id)).toEqual(layout.map((s) => s.id));
    const restoredCoop = layout.find((s) => s.kind === 'cooperative' && s.unit !== layout.find((x) => x.id.endsWith(changed.id))!.unit)!;
    expect(deps.find((d) => d.id === restoredCoop.id)?.dependencies.map((d) => d.id)).toEqual(restoredCoop.dependsOn);
    expect(restoredCoop.dependsOn).toContain('CoopIdc-Platform');
  });

  test('fails when a cached unit was edited: the entry is rejected, the unit built again, the output unchanged', async () => {
    const before = readFileSync(join(work, 'out', 'checks', 'aws.json'));
    // The platform's one entry (the change above left its slice as it was): the smallest unit
    // to build again, with findings that are not all passes.
    let edited = 0;
    for (const f of unitEntries()) {
      const path = join(cache, 'aws-units', f);
      const entry = JSON.parse(readFileSync(path, 'utf8'));
      if (entry.content.unit !== 'platform') continue;
      // Its acknowledgements dropped: evidence an auditor would no longer see.
      expect(entry.content.checkFile.acknowledgements.length).toBeGreaterThan(0);
      entry.content.checkFile.acknowledgements = [];
      writeFileSync(path, JSON.stringify(entry));
      edited++;
    }
    expect(edited).toBe(1);
    const r = await build('out');
    expect(r.code).toBe(0);
    expect(r.lines).toContain(`cache: rejected 1 damaged or edited unit entry (in ${join(cache, 'aws-units')}): checksum or recorded key did not match; built again and rewritten`);
    expect(unitLine(r.lines)).toBe('aws: 3 units (platform, cells): 1 built, 2 restored from the build cache');
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
    // A forged template stored under its own hash, and the entry resealed to name it.
    const forged = Buffer.from(readFileSync(join(cache, 'aws-files', `${entry.content.files[template].sha256}.json`), 'utf8').replace('"Resources"', '"Resources" '));
    writeFileSync(join(cache, 'aws-files', `${sha256(forged)}.json`), forged);
    entry.content.files[template] = { sha256: sha256(forged) };
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

  test('rejects the entries naming a damaged stored file and treats those naming a removed one as misses: the units are built again, the output unchanged', async () => {
    // The forged entry above is replaced by a build of its unit.
    expect((await build('out', '--no-cache')).code).toBe(0);
    const before = outputFiles(join(work, 'out'));
    const files = join(cache, 'aws-files');
    rmSync(files, { recursive: true });
    const rebuilt = await build('out');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.lines.filter((l) => l.startsWith('cache: rejected'))).toEqual([]);
    expect(unitLine(rebuilt.lines)).toBe('aws: 3 units (platform, cells): 3 built, 0 restored from the build cache');
    // Every template stored again; one damaged (the bytes no longer hash to the name).
    const warm = await build('out');
    expect(unitLine(warm.lines)).toBe('aws: 3 units (platform, cells): 0 built, 3 restored from the build cache');
    const platform = readFileSync(join(work, 'out', 'cdk.out', 'CoopIdc-Platform.template.json'));
    const damaged = join(files, `${sha256(platform)}.json`);
    writeFileSync(damaged, Buffer.concat([platform, Buffer.from(' ')]));
    const r = await build('out');
    expect(r.code).toBe(0);
    expect(r.lines).toContain(`cache: rejected 1 damaged or edited unit entry (in ${join(cache, 'aws-units')}): checksum or recorded key did not match; built again and rewritten`);
    expect(unitLine(r.lines)).toBe('aws: 3 units (platform, cells): 1 built, 2 restored from the build cache');
    // Removed when rejected, and stored anew by the build of its unit.
    expect(readFileSync(damaged).equals(platform)).toBe(true);
    const after = join(work, 'out');
    expect(outputFiles(after)).toEqual(before);
    expect(readFileSync(join(after, 'cdk.out', 'CoopIdc-Platform.template.json')).equals(platform)).toBe(true);
  });
});
