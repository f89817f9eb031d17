/**
 * The world of the AWS-units tests (test/build/aws-units*.test.ts): a temporary folder with
 * generated cooperatives as its config, its own build cache, and `coop-idc build` run in it
 * through the CLI's `main`. Generated, so nothing depends on config/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { TODAY } from './config';

/** What one build printed and returned. */
export interface UnitBuild {
  readonly code: number;
  readonly lines: string[];
  readonly err: string[];
  readonly tty: string[];
}

/** A world of {@link unitWorld}. */
export interface UnitWorld {
  /** The temporary folder: cwd of the builds, and of relative `--out` folders. */
  readonly work: string;
  /** The build cache (COOP_IDC_CACHE_DIR). */
  readonly cache: string;
  /** The config folder. */
  readonly config: string;
  /**
   * `coop-idc build --force --config <config> --out <out> ...flags` (`--force`: these builds
   * are about the unit cache, not about skipping a build with nothing changed); a first flag
   * `tty` makes it run on a terminal (what it draws is in `tty`).
   */
  build(out: string, ...flags: string[]): Promise<UnitBuild>;
  /** The unit entries of the cache, sorted. */
  unitEntries(): string[];
  /** Runs the CDK CLI in the folder; fails the test when it fails. */
  cdk(...args: string[]): string;
}

const root = join(__dirname, '..', '..');

/**
 * Four generated cooperatives in cells of two: the platform and two cells, three units. The
 * folder is made now and removed after the file's tests; call it at the top level.
 */
export function unitWorld(): UnitWorld {
  const work = mkdtempSync(join(tmpdir(), 'coop-idc-units-'));
  const cache = join(work, 'cache');
  const config = join(work, 'config');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  writeSources(generateSources({ n: 4, seed: 7, cellCapacity: 2 }), config);
  return {
    work,
    cache,
    config,
    async build(out, ...flags) {
      const lines: string[] = [];
      const err: string[] = [];
      const tty: string[] = [];
      const onTerminal = flags[0] === 'tty' ? { tty: (t: string) => void tty.push(t) } : {};
      const args = flags[0] === 'tty' ? flags.slice(1) : flags;
      const code = await main(['build', '--force', '--config', config, '--out', out, ...args], { cwd: work, today: TODAY, env: { LANG: 'en_US.UTF-8', COOP_IDC_CACHE_DIR: cache }, out: (l) => lines.push(l), err: (l) => err.push(l), ...onTerminal });
      return { code, lines, err, tty };
    },
    unitEntries: () => readdirSync(join(cache, 'aws-units')).filter((f) => f.endsWith('.json')).sort(),
    cdk(...args) {
      const r = spawnSync(process.execPath, [join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args, '--no-notices', '--no-version-reporting'], { cwd: work, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
      expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
      return r.stdout;
    },
  };
}

/** The line of a build saying how many units it built and restored. */
export const unitLine = (lines: readonly string[]) => lines.find((l) => l.startsWith('aws: ') && l.includes(' units '));
