/**
 * Cooperative stacks restored one by one (build/aws-units.ts `cooperativeStackKey`): when one
 * cooperative of a cell changes, its cell is built again, but only with the changed
 * cooperative's stack and the cell's shared stacks; the other cooperatives' stacks are
 * restored from their own entries. The output is byte for byte that of a build without the
 * cache. Generated cooperatives (one cell of four), so nothing here depends on config/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { compile, readConfigDir } from '../../infra';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
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

beforeAll(() => {
  writeSources(generateSources({ n: 4, seed: 11, cellCapacity: 4 }), config);
});

test('one cooperative changed: the other cooperatives of its cell are restored stack by stack, the output as without the cache', async () => {
  const cold = await build('out');
  expect({ code: cold.code, err: cold.err }).toEqual({ code: 0, err: [] });
  expect(restoredLine(cold.lines)).toBeUndefined();
  expect(readdirSync(join(cache, 'aws-stacks')).filter((f) => f.endsWith('.json'))).toHaveLength(4);

  const plan = compile(readConfigDir(config), { today: TODAY }).plan!;
  expect(new Set(plan.cooperatives.map((c) => c.cell)).size).toBe(1);
  const file = join(config, 'cooperatives', `${plan.cooperatives[1].id}.yaml`);
  const text = readFileSync(file, 'utf8');
  const m = /retentionDays: (\d+)/.exec(text)!;
  writeFileSync(file, text.replace(m[0], `retentionDays: ${Number(m[1]) + 1}`));

  const warm = await build('out');
  expect({ code: warm.code, err: warm.err }).toEqual({ code: 0, err: [] });
  // The platform reads none of a cell's cooperatives' retentions (`selectPlatform`): restored.
  expect(warm.lines).toContain('aws: 2 units (platform, cells): 1 built, 1 restored from the build cache');
  expect(restoredLine(warm.lines)).toBe('aws: 3 unchanged cooperative stacks of the rebuilt cells restored from the build cache');

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
