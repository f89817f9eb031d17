/**
 * A user's machine in a temporary folder, for tests of what the CLI may touch: a home
 * folder holding a git checkout (config/ copied from the samples, package.json, a folder and
 * a file of the user's), and a way to run the CLI in it in-process with HOME pointing there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePlanStep, type BuildStep } from '../../build/build-steps';
import { main } from '../../cli/main';
import { copySamples, TODAY } from './config';

/** The folders of one temporary machine. */
export interface World {
  /** Holds everything below; nothing outside it is written. */
  readonly root: string;
  /** HOME of the CLI runs. */
  readonly home: string;
  /** A git checkout with config/, package.json, mine/ (user files) and notes.txt. */
  readonly project: string;
  remove(): void;
}

/** Makes a fresh {@link World}. */
export function world(): World {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'coop-idc-world-')));
  const home = join(root, 'home');
  const project = join(home, 'project');
  mkdirSync(project, { recursive: true });
  copySamples(join(project, 'config'));
  execFileSync('git', ['init', '-q'], { cwd: project, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  writeFileSync(join(project, 'package.json'), '{ "name": "my-coops" }\n');
  mkdirSync(join(project, 'mine'));
  writeFileSync(join(project, 'mine', 'thesis.md'), '# years of work\n');
  writeFileSync(join(project, 'notes.txt'), 'do not lose me\n');
  return { root, home, project, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the CLI in-process in `cwd` (default: the project) with HOME = the world's home.
 * `build` runs `steps` (default: only the plan step; the renderers are covered by
 * build.e2e.test.ts).
 */
export async function run(w: World, argv: readonly string[], cwd = w.project, steps: readonly BuildStep[] = [writePlanStep]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, today: TODAY, env: { LANG: "en_US.UTF-8", HOME: w.home }, out: (l) => out.push(l), err: (l) => err.push(l), buildSteps: steps });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The pid of a process that has exited (and, this soon after, not been reused). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
