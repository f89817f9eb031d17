/**
 * A cell's stacks restored one by one (build/aws-units.ts `stackKey`): when one cooperative
 * of a cell changes, its cell is built again, but only with the stacks that read that
 * cooperative's plan (its own stack, its shared-table stack, the cell's shared zone); the
 * others are restored from their own entries. The output is byte for byte that of a build
 * without the cache. Generated cooperatives, so nothing here depends on config/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { compile, readConfigDir, type ConfigSources, type TenancyPlan } from '../../infra';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { awsStackLayout, type AwsStackLayout } from '../../stacks/aws/aws-app';
import { stackKey, type UnitSalt } from '../../build/aws-units';
import { patch } from '../support/config';
import { BUILD_MANIFEST } from '../../build/up-to-date';
import { TODAY } from '../support/config';
import { readTree } from '../support/files';
import { RUN_RECORD_FILES } from '../support/provenance';

jest.setTimeout(600_000);

const work = mkdtempSync(join(tmpdir(), 'coop-idc-stacks-'));
const cache = join(work, 'cache');
const config = join(work, 'config');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The output's files, byte for byte, but for those that record the run itself. */
const output = (dir: string) => Object.entries(readTree(join(work, dir), 'latin1')).filter(([f]) => f !== BUILD_MANIFEST && !RUN_RECORD_FILES.includes(f));

async function build(out: string, ...flags: string[]): Promise<{ code: number; lines: string[]; err: string[] }> {
  const lines: string[] = [];
  const err: string[] = [];
  const code = await main(['build', '--force', '--config', config, '--out', out, ...flags], { cwd: work, today: TODAY, env: { LANG: 'en_US.UTF-8', COOP_IDC_CACHE_DIR: cache }, out: (l) => lines.push(l), err: (l) => err.push(l) });
  return { code, lines, err };
}

const restoredLine = (lines: readonly string[]) => lines.find((l) => l.includes('of the rebuilt cells restored'));

const planOf = (sources: ConfigSources): TenancyPlan => compile(sources, { today: TODAY }).plan!;
const salt: UnitSalt = { bundles: {}, validate: true };
/** Each stack of a cell by id, with its key. */
const keys = (plan: TenancyPlan) => new Map(awsStackLayout(plan, { ingestion: true }).flatMap((s) => (s.kind === 'platform' ? [] : [[s.id, JSON.stringify(stackKey(s, salt))] as const])));
/** The stacks whose key differs between two plans, and those only in the second. */
const changedStacks = (before: TenancyPlan, after: TenancyPlan) => {
  const a = keys(before);
  return [...keys(after)].filter(([id, k]) => a.get(id) !== k).map(([id]) => id).sort();
};
/** The stacks of the layout that hold a cooperative's plan. */
const reading = (layout: readonly AwsStackLayout[], coop: string) => layout.filter((s) => s.kind !== 'platform' && s.plan.cooperatives.some((c) => c.id === coop));

describe('stackKey', () => {
  const sources = generateSources({ n: 6, seed: 11, cellCapacity: 6 });
  const plan = planOf(sources);
  const layout = awsStackLayout(plan, { ingestion: true });
  const shared = plan.platform.sharedZone.tables[0].cooperative;

  test('a retention change reaches the cooperative, its shared-table stack and the shared zone, and no other stack', () => {
    const changed = planOf(patch(sources, shared, (t) => t.replace(/retentionDays: (\d+)/, (_, d: string) => `retentionDays: ${Number(d) + 1}`)));
    const expected = reading(layout, shared).map((s) => s.id).sort();
    expect(reading(layout, shared).map((s) => s.kind).sort()).toEqual(['cell-zone', 'cooperative', 'shared-catalog']);
    expect(changedStacks(plan, changed)).toEqual(expected);
  });

  test('a new member reaches the stacks that list the cell\'s cooperatives: monitoring, ingestion API, shared zone', () => {
    const grown = planOf(generateSources({ n: 7, seed: 11, cellCapacity: 7 }));
    const newcomer = grown.cooperatives[6].id;
    const changed = changedStacks(plan, grown);
    // Those, and the newcomer's own stacks (its stack, its shared-table stack): the other
    // cooperatives' stacks and shared-table stacks read nothing of it.
    const expected = [...['monitoring', 'ingestion-api', 'cell-zone'].map((kind) => layout.find((s) => s.kind === kind)!.id), ...reading(awsStackLayout(grown, { ingestion: true }), newcomer).map((s) => s.id)];
    expect(changed).toEqual([...new Set(expected)].sort());
    expect(changed).toContain(`CoopIdc-Coop-${newcomer}`);
  });

  test('the order between stacks is not part of a key', () => {
    const s = layout.find((x) => x.kind === 'cooperative')!;
    expect(JSON.stringify(stackKey({ ...s, dependsOn: [] }, salt))).toBe(JSON.stringify(stackKey(s, salt)));
    expect(JSON.stringify(stackKey(s, { ...salt, validate: false }))).not.toBe(JSON.stringify(stackKey(s, salt)));
  });
});

beforeAll(() => {
  writeSources(generateSources({ n: 4, seed: 11, cellCapacity: 4 }), config);
});

test('one cooperative changed: the other cooperatives of its cell are restored stack by stack, the output as without the cache', async () => {
  const cold = await build('out');
  expect({ code: cold.code, err: cold.err }).toEqual({ code: 0, err: [] });
  expect(restoredLine(cold.lines)).toBeUndefined();
  const plan = compile(readConfigDir(config), { today: TODAY }).plan!;
  const layout = awsStackLayout(plan, { ingestion: true });
  const cellStacks = layout.filter((s) => s.kind !== 'platform');
  expect(readdirSync(join(cache, 'aws-stacks')).filter((f) => f.endsWith('.json'))).toHaveLength(cellStacks.length);
  expect(new Set(plan.cooperatives.map((c) => c.cell)).size).toBe(1);
  const changed = plan.cooperatives[1].id;
  const rebuilt = reading(layout, changed).length;
  const file = join(config, 'cooperatives', `${changed}.yaml`);
  const text = readFileSync(file, 'utf8');
  const m = /retentionDays: (\d+)/.exec(text)!;
  writeFileSync(file, text.replace(m[0], `retentionDays: ${Number(m[1]) + 1}`));

  const warm = await build('out');
  expect({ code: warm.code, err: warm.err }).toEqual({ code: 0, err: [] });
  // The platform reads none of a cell's cooperatives' retentions (`selectPlatform`): restored.
  expect(warm.lines).toContain('aws: 2 units (platform, cells): 1 built, 1 restored from the build cache');
  expect(restoredLine(warm.lines)).toBe(`aws: ${cellStacks.length - rebuilt} unchanged stacks of the rebuilt cells restored from the build cache`);
  // Only the stacks that read the cooperative were built: one new entry each.
  expect(readdirSync(join(cache, 'aws-stacks')).filter((f) => f.endsWith('.json'))).toHaveLength(cellStacks.length + rebuilt);

  const uncached = await build('out-nc', '--no-cache');
  expect(uncached.code).toBe(0);
  expect(output('out')).toEqual(output('out-nc'));

  // The unit entry written from the partial build is the whole unit's: the next build restores
  // it whole, and --verify-cache, which builds every unit whole, finds it equal.
  const again = await build('out');
  expect(again.lines).toContain('aws: 2 units (platform, cells): 0 built, 2 restored from the build cache');
  const verify = await build('out-verify', '--verify-cache');
  expect({ code: verify.code, err: verify.err }).toEqual({ code: 0, err: [] });
});
