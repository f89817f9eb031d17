/**
 * The up-to-date check with the real build steps on the sample config: the second build
 * writes nothing (every output file keeps its mtime) and `--force` builds again. Two real
 * builds; every other case is in up-to-date.test.ts with a fake step.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_MANIFEST } from '../../build/up-to-date';
import { main } from '../../cli/main';
import { copySamples, TODAY } from '../support/config';
import { tempDirs } from '../support/files';

jest.setTimeout(600_000);
const temp = tempDirs();

/** Every file under `dir`, relative, with its mtime. */
function mtimes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = statSync(p).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

test('the samples: a second build is skipped and leaves out/ untouched; --force builds', async () => {
  const dir = temp('coop-idc-up-to-date-e2e-');
  copySamples(join(dir, 'config'));
  const build = async (...flags: string[]) => {
    const lines: string[] = [];
    const err: string[] = [];
    const code = await main(['build', ...flags], { cwd: dir, today: TODAY, env: { LANG: 'en_US.UTF-8', COOP_IDC_CACHE_DIR: join(dir, 'cache') }, out: (l) => lines.push(l), err: (l) => err.push(l) });
    return { code, out: lines.join('\n'), err: err.join('\n') };
  };
  const first = await build();
  expect(first).toMatchObject({ code: 0, err: '' });
  expect(first.out).toMatch(/^build ok: out/m);
  const out = join(dir, 'out');
  const before = mtimes(out);
  expect(Object.keys(before)).toContain(BUILD_MANIFEST);

  const second = await build();
  expect(second).toMatchObject({ code: 0, err: '' });
  expect(second.out).toMatch(new RegExp(`^up to date: .* ${Object.keys(before).length - 1} output files are unchanged, so nothing was built: out`));
  expect(mtimes(out)).toEqual(before);

  const forced = await build('--force');
  expect(forced.code).toBe(0);
  expect(forced.out).toMatch(/^build ok: out/m);
  expect(mtimes(out)[BUILD_MANIFEST]).not.toBe(before[BUILD_MANIFEST]);
});
