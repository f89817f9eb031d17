/**
 * CI shards of the AWS app (`build --shard i/n`, `build --merge`): shards merged write what
 * one build writes, byte for byte; each unit and each cooperative's IDC stack comes from
 * exactly one shard; a merge refuses shards of other input or a missing shard. Generated
 * cooperatives (two cells of two, test/support/unit-build.ts), so nothing here depends on
 * config/. Apart from aws-units.test.ts so that the two halves run side by side.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { differingFiles, outputFiles } from '../support/files';
import { unitWorld } from '../support/unit-build';
import { STACK_CACHE, UNIT_CACHE } from '../../build/build-cache';

jest.setTimeout(600_000);

const { work, build, config, cache, unitEntries } = unitWorld();

describe('CI shards', () => {
  const shardOut = (i: number) => join('shards', String(i));

  test('three shards merged write what one build without the cache writes, byte for byte', async () => {
    for (const i of [1, 2, 3]) {
      const r = await build(shardOut(i), '--no-cache', '--shard', `${i}/3`);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
      expect(r.lines.some((l) => l.startsWith(`aws: shard ${i}/3: `))).toBe(true);
    }
    // Each stack is built by exactly one shard: a unit whole by one, or in parts by several.
    const shares = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(work, shardOut(i), 'shard.json'), 'utf8')) as { units: string[]; parts: { unit: string; stacks: string[] }[] });
    const cut = shares.flatMap((s) => s.parts.map((p) => p.unit));
    expect(new Set(cut).size).toBeGreaterThan(0);
    expect([...shares.flatMap((s) => s.units), ...new Set(cut)].sort()).toEqual(['cell/cell-01', 'cell/cell-02', 'platform']);
    const partStacks = shares.flatMap((s) => s.parts.flatMap((p) => p.stacks));
    expect(new Set(partStacks).size).toBe(partStacks.length);
    const merged = await build('out-merged', '--no-cache', '--merge', shardOut(1), '--merge', shardOut(2), '--merge', shardOut(3));
    expect({ code: merged.code, err: merged.err }).toEqual({ code: 0, err: [] });
    const whole = await build('out-whole', '--no-cache');
    expect(whole.code).toBe(0);
    const a = join(work, 'out-merged');
    const b = join(work, 'out-whole');
    const list = outputFiles(b);
    expect(outputFiles(a)).toEqual(list);
    // build.json too: the merge adds up the check results its shards computed.
    expect(differingFiles(a, b, list)).toEqual([]);
  });

  test('a shard folder passed twice to --merge is read once: the same output, check counts included', async () => {
    const r = await build('out-merged-twice', '--no-cache', '--merge', shardOut(1), '--merge', shardOut(2), '--merge', shardOut(2), '--merge', shardOut(3));
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
    const list = outputFiles(join(work, 'out-merged'));
    expect(differingFiles(join(work, 'out-merged-twice'), join(work, 'out-merged'), list)).toEqual([]);
  });

  test('shards with the cache pass on their parts of the units a whole build left there, and merge to the same bytes', async () => {
    const warm = await build('out-warm');
    expect(warm.code).toBe(0);
    for (const i of [1, 2, 3]) {
      const r = await build(join('shards-warm', String(i)), '--shard', `${i}/3`);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
      // Nothing built: every unit, whole or cut, is restored from the whole build's entries.
      expect(r.lines.find((l) => l.startsWith(`aws: shard ${i}/3: `))).toMatch(/: 0 built, \d+ restored from the build cache/);
    }
    const merged = await build('out-merged-warm', '--no-cache', ...[1, 2, 3].flatMap((i) => ['--merge', join('shards-warm', String(i))]));
    expect({ code: merged.code, err: merged.err }).toEqual({ code: 0, err: [] });
    const a = join(work, 'out-merged-warm');
    const b = join(work, 'out-whole');
    const list = outputFiles(b);
    expect(outputFiles(a)).toEqual(list);
    // The build record and the report say the checks were replayed, not computed; nothing else differs.
    expect(differingFiles(a, b, list)).toEqual(['build.json', 'report.json']);
    const results = (dir: string) => (JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')) as { checkResults: { computed: number; replayed: number } }).checkResults;
    expect(results(a).computed).toBe(0);
    expect(results(a).replayed).toBe(results(b).computed);
    const strip = (dir: string) => readFileSync(join(dir, 'report.json'), 'utf8').replace(/"checkResults": \{[^}]*\}/, '');
    expect(strip(a)).toBe(strip(b));
  });

  test('shards building their parts with the cache file each stack, and no part under its unit\'s key', async () => {
    rmSync(join(cache, UNIT_CACHE), { recursive: true, force: true });
    rmSync(join(cache, STACK_CACHE), { recursive: true, force: true });
    const shares = [];
    for (const i of [1, 2, 3]) {
      const r = await build(join('shards-cold', String(i)), '--shard', `${i}/3`);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
      shares.push(JSON.parse(readFileSync(join(work, 'shards-cold', String(i), 'shard.json'), 'utf8')) as { units: string[]; parts: { stacks: string[] }[] });
    }
    // Only the units a shard built whole have a unit entry; a part of a unit would be a wrong one.
    expect(unitEntries()).toHaveLength(shares.reduce((n, s) => n + s.units.length, 0));
    const whole = await build('out-after-shards');
    expect(whole.code).toBe(0);
    // The cut units are built again from their stacks' entries: every one of their stacks restored.
    const cutStacks = shares.reduce((n, s) => n + s.parts.reduce((m, p) => m + p.stacks.length, 0), 0);
    expect(whole.lines).toContain(`aws: ${cutStacks} unchanged stacks of the rebuilt cells restored from the build cache`);
    // The assembly and the findings byte for byte (the report differs only in saying what was replayed).
    const list = outputFiles(join(work, 'out-whole')).filter((f) => f.startsWith('cdk.out/') || f.startsWith('checks/'));
    expect(list.length).toBeGreaterThan(20);
    expect(differingFiles(join(work, 'out-after-shards'), join(work, 'out-whole'), list)).toEqual([]);
  });

  test("each cooperative's IDC stack is synthesized by exactly one shard, in runs of equal length; the platform stack by every shard", () => {
    const whole = Object.keys(JSON.parse(readFileSync(join(work, 'out-whole', 'cdktf.out', 'manifest.json'), 'utf8')).stacks as object).sort();
    const parts = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(work, shardOut(i), 'idc-shard.json'), 'utf8')).stacks as string[]);
    parts.forEach((stacks, i) => expect(readdirSync(join(work, shardOut(i + 1), 'cdktf.out', 'stacks')).sort()).toEqual([...stacks].sort()));
    for (const stacks of parts) expect(stacks).toContain('idc-platform');
    const coopStacks = parts.flatMap((stacks) => stacks.filter((s) => s !== 'idc-platform'));
    expect(coopStacks.length).toBe(new Set(coopStacks).size);
    expect(['idc-platform', ...coopStacks].sort()).toEqual(whole);
    // The cooperatives cut into runs whose lengths differ by at most one (whole cells of two
    // over three shards would give one shard none).
    const counts = parts.map((stacks) => stacks.length - 1);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(Math.min(...counts)).toBeGreaterThan(0);
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
    // Refused before any step: nothing planned, bundled or built.
    expect(other.lines).toEqual([]);
    rmSync(part);
    const missing = await build('out-other', '--no-cache', ...copies.flatMap((d) => ['--merge', d]));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toBe(`coop-idc: ${join(work, copies[2])} holds no IDC shard output (no idc-shard.json and cdktf.out/manifest.json); build the shard again with this version's 'coop-idc build --shard i/n'`);
  });

  test('fails when a shard is missing from --merge: exit 2, naming the units', async () => {
    const r = await build('out-partial', '--no-cache', '--merge', shardOut(1), '--merge', shardOut(2));
    expect(r.code).toBe(2);
    // The units shard 3 builds, whole or in part, are the ones left incomplete.
    const third = JSON.parse(readFileSync(join(work, shardOut(3), 'shard.json'), 'utf8')) as { units: string[]; parts: { unit: string }[] };
    const order = ['platform', 'cell/cell-01', 'cell/cell-02'];
    const missing = order.filter((u) => third.units.includes(u) || third.parts.some((p) => p.unit === u));
    expect(third.parts.length).toBeGreaterThan(0);
    expect(r.err[0]).toBe(
      `coop-idc: ${missing.length} of 3 units are not in the shards' outputs, whole or in parts (${missing.join(', ')}): build every shard (--shard 1/n … n/n) from the same commit and config, then merge all of them`,
    );
    // Refused before any step: nothing planned, bundled or built.
    expect(r.lines).toEqual([]);
  });

  test('fails when a --merge folder is no shard output, before any step: exit 2', async () => {
    const r = await build('out-not-shard', '--no-cache', '--merge', shardOut(1), '--merge', config);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(`coop-idc: ${config} is not the output of 'coop-idc build --shard i/n' (no shard.json and build.json); pass the folders the shards wrote`);
    expect(r.lines).toEqual([]);
  });

  test.each(['0/3', '4/3', '1/0', '1', 'a/b'])('fails when --shard is %s: exit 2', async (value) => {
    const r = await build('out-bad', '--shard', value);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(`coop-idc: --shard is "${value}"; expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/8 for the second of eight CI runners`);
  });
});
