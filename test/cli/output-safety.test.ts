/**
 * `build` and `report` never replace, remove or write into what coop-idc did not create.
 * Every refusal runs on real temporary folders laid out like a user's machine (a home
 * folder holding a git checkout with config/, package.json, a folder and a file of the
 * user's) and shows that the whole tree is byte-for-byte what it was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlanStep } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { OUTPUT_MARKER } from '../../build/output';
import { snapshotTree } from '../support/files';
import { deadPid, run, world, type World } from '../support/cli-world';

let w: World;
beforeEach(() => (w = world()));
afterEach(() => w.remove());

/**
 * Runs the CLI in the world, in Korean then in English (`--lang`), and checks that it refused
 * without touching anything; stderr is the Korean lines, then the English ones.
 */
async function refused(argv: readonly string[], cwd = w.project) {
  const before = snapshotTree(w.root);
  const ko = await run(w, [...argv, '--lang', 'ko'], cwd);
  const en = await run(w, [...argv, '--lang', 'en'], cwd);
  expect(snapshotTree(w.root)).toEqual(before);
  for (const r of [ko, en]) {
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  }
  return { code: en.code, out: en.out, err: `${ko.err}\n${en.err}` };
}

/** The Korean and English lines of a refusal, each naming `shown` and `why`. */
function expectRefusal(err: string, shown: string, why: { en: RegExp; ko: RegExp }) {
  const lines = err.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0].startsWith(`coop-idc: ${shown}: `)).toBe(true);
  expect(lines[0]).toMatch(why.ko);
  expect(lines[1].startsWith(`coop-idc: ${shown}: `)).toBe(true);
  expect(lines[1]).toMatch(why.en);
}

describe('build refuses, exit 2, and leaves every file as it was, when --out is', () => {
  test('a file', async () => {
    const r = await refused(['build', '--out', 'notes.txt']);
    expectRefusal(r.err, 'notes.txt', { ko: /폴더가 아니라 파일입니다/, en: /it is a file, not a folder/ });
  });

  test('a folder with files coop-idc did not write (no marker)', async () => {
    const r = await refused(['build', '--out', 'mine']);
    expectRefusal(r.err, 'mine', { ko: new RegExp(`coop-idc가 만든 폴더가 아닙니다 \\(${OUTPUT_MARKER.replace('.', '\\.')} 없음\\)`), en: /it holds files coop-idc did not write \(no \.coop-idc-output\.json\)/ });
    // How to fix it is part of the message.
    expect(r.err).toMatch(/pass another --out/);
    expect(r.err).toMatch(/다른 --out/);
  });

  test('the current directory', async () => {
    const r = await refused(['build', '--out', '.']);
    expectRefusal(r.err, '.', { ko: /현재 작업 폴더입니다/, en: /it is the current directory/ });
  });

  test('the config folder', async () => {
    const r = await refused(['build', '--out', 'config']);
    expectRefusal(r.err, 'config', { ko: /설정 폴더입니다/, en: /it is the config folder/ });
  });

  test('the config folder named another way (trailing slash, dot segments, a link to it)', async () => {
    await refused(['build', '--out', 'config/']);
    await refused(['build', '--out', './config/../config']);
    symlinkSync(join(w.project, 'config'), join(w.root, 'config-link'));
    const r = await refused(['build', '--out', join(w.root, 'config-link')]);
    expect(r.err).toMatch(/symbolic link|config folder/);
  });

  test('the repository root, from a subfolder', async () => {
    const sub = join(w.project, 'sub');
    mkdirSync(sub);
    const r = await refused(['build', '--config', '../config', '--out', '..'], sub);
    expectRefusal(r.err, '..', { ko: /저장소 최상위 폴더입니다/, en: /it is the repository root/ });
  });

  test('the folder holding package.json, outside any git repository', async () => {
    const elsewhere = join(w.root, 'plain');
    mkdirSync(join(elsewhere, 'sub'), { recursive: true });
    writeFileSync(join(elsewhere, 'package.json'), '{}\n');
    const r = await refused(['build', '--config', join(w.project, 'config'), '--out', '..'], join(elsewhere, 'sub'));
    expectRefusal(r.err, '..', { ko: /프로젝트 폴더\(package\.json\)입니다/, en: /it is the project folder \(package\.json\)/ });
  });

  test('an ancestor of the current directory', async () => {
    const r = await refused(['build', '--out', '../..']);
    expectRefusal(r.err, '../..', { ko: /현재 작업 폴더.*를 포함합니다/, en: /it holds the current directory/ });
  });

  test('the home folder', async () => {
    const r = await refused(['build', '--out', w.home]);
    expectRefusal(r.err, '..', { ko: /홈 폴더입니다/, en: /it is the home folder/ });
  });

  test('the home folder, written as ~ by a script that did not expand it', async () => {
    const r = await refused(['build', '--out', '~']);
    expectRefusal(r.err, '~', { ko: /홈 폴더/, en: /"~" is not expanded/ });
  });

  test('the file-system root', async () => {
    const ko = await run(w, ['build', '--out', '/', '--lang', 'ko']);
    const en = await run(w, ['build', '--out', '/', '--lang', 'en']);
    expect([ko.code, en.code]).toEqual([2, 2]);
    expectRefusal(`${ko.err}\n${en.err}`, '/', { ko: /파일 시스템의 루트/, en: /it is the file-system root/ });
    expect(readdirSync('/').filter((f) => f.includes('staging') || f.includes('.old-'))).toEqual([]);
  });

  test('empty, as an unset CI variable gives', async () => {
    const r = await refused(['build', '--out', '']);
    expect(r.err).toMatch(/^coop-idc: --out: 빈 값입니다/);
    expect(r.err).toMatch(/\ncoop-idc: --out: it is empty/);
  });

  test('under a file', async () => {
    const r = await refused(['build', '--out', 'notes.txt/out']);
    expectRefusal(r.err, 'notes.txt/out', { ko: /notes\.txt.*파일입니다/, en: /notes\.txt is a file/ });
  });

  test('a symbolic link, even to a folder coop-idc wrote', async () => {
    await run(w, ['build', '--out', 'real-out']);
    symlinkSync(join(w.project, 'real-out'), join(w.project, 'out-link'));
    const r = await refused(['build', '--out', 'out-link']);
    expectRefusal(r.err, 'out-link', { ko: /심볼릭 링크입니다/, en: /it is a symbolic link/ });
  });

  test('a folder whose <out>.failed holds files coop-idc did not write', async () => {
    mkdirSync(join(w.project, 'out.failed'));
    writeFileSync(join(w.project, 'out.failed', 'thesis.tex'), 'years of work');
    const r = await refused(['build', '--out', 'out']);
    expectRefusal(r.err, 'out.failed', { ko: /실패한 빌드의 출력 폴더.*coop-idc가 만든 폴더가 아닙니다/, en: /folder for a failed build's output.*coop-idc did not write/ });
  });

  test('a folder whose staging name (this process) is taken by files coop-idc did not write', async () => {
    const staging = join(w.project, `.out.staging-${process.pid}`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'keep.txt'), 'mine');
    const r = await refused(['build', '--out', 'out']);
    expectRefusal(r.err, `.out.staging-${process.pid}`, { ko: /coop-idc가 만든 폴더가 아닙니다/, en: /coop-idc did not write/ });
  });

  test('the default out-coop/<id> of build --coop, when it holds files coop-idc did not write', async () => {
    mkdirSync(join(w.project, 'out-coop', 'korea-food'), { recursive: true });
    writeFileSync(join(w.project, 'out-coop', 'korea-food', 'notes.md'), 'mine');
    const r = await refused(['build', '--coop', 'korea-food']);
    expectRefusal(r.err, 'out-coop/korea-food', { ko: /coop-idc가 만든 폴더가 아닙니다/, en: /coop-idc did not write/ });
  });

  test('a folder an older coop-idc wrote (no marker), with a hint that says so', async () => {
    mkdirSync(join(w.project, 'out'));
    writeFileSync(join(w.project, 'out', 'plan.json'), '{}\n');
    writeFileSync(join(w.project, 'out', 'build.json'), '{}\n');
    const r = await refused(['build', '--out', 'out']);
    expect(r.err).toMatch(/looks like the output of a coop-idc build from before output markers/);
  });
});

describe('report refuses, exit 2, and leaves every file as it was, when --out is', () => {
  test('a folder coop-idc did not write, even with a plan.json in it', async () => {
    mkdirSync(join(w.project, 'mine', 'sub'));
    writeFileSync(join(w.project, 'mine', 'report.md'), 'my own report');
    writeFileSync(join(w.project, 'mine', 'plan.json'), readFileSync(join(w.project, 'config', 'platform.yaml')));
    const r = await refused(['report', '--out', 'mine']);
    expectRefusal(r.err, 'mine', { ko: /coop-idc가 만든 폴더가 아닙니다/, en: /coop-idc did not write/ });
  });

  test('a file', async () => {
    const r = await refused(['report', '--out', 'notes.txt']);
    expectRefusal(r.err, 'notes.txt', { ko: /파일입니다/, en: /it is a file/ });
  });

  test('empty', async () => {
    const r = await refused(['report', '--out', '']);
    expect(r.err).toMatch(/--out: it is empty/);
  });
});

describe('build replaces only what it wrote', () => {
  test('writes its marker, byte-identical every time, and replaces its own output', async () => {
    expect((await run(w, ['build', '--out', 'out'])).code).toBe(0);
    const marker = readFileSync(join(w.project, 'out', OUTPUT_MARKER), 'utf8');
    expect(JSON.parse(marker)).toEqual({ tool: 'coop-idc', format: 1, note: expect.stringMatching(/coop-idc build replaces this folder/) });
    writeFileSync(join(w.project, 'out', 'stale.txt'), 'from before');
    expect((await run(w, ['build', '--out', 'out'])).code).toBe(0);
    expect(existsSync(join(w.project, 'out', 'stale.txt'))).toBe(false);
    expect(readFileSync(join(w.project, 'out', OUTPUT_MARKER), 'utf8')).toBe(marker);
  });

  test('fills an empty folder', async () => {
    mkdirSync(join(w.project, 'empty'));
    expect((await run(w, ['build', '--out', 'empty'])).code).toBe(0);
    expect(existsSync(join(w.project, 'empty', 'plan.json'))).toBe(true);
  });

  test('keeps its marker in <out>.failed, so a later build may replace it', async () => {
    const failing = { name: 'checks', run: () => { throw new BuildFailure('1 check failed', ['rule x']); } };
    expect((await run(w, ['build', '--out', 'out'], w.project, [writePlanStep, failing])).code).toBe(1);
    expect(existsSync(join(w.project, 'out.failed', OUTPUT_MARKER))).toBe(true);
    expect((await run(w, ['build', '--out', 'out'], w.project, [writePlanStep, failing])).code).toBe(1);
    expect((await run(w, ['build', '--out', 'out'])).code).toBe(0);
    expect(existsSync(join(w.project, 'out.failed'))).toBe(false);
  });

  test('removes staging and old folders of builds that died, and nothing else', async () => {
    await run(w, ['build', '--out', 'out']);
    const dead = deadPid();
    const ours = (name: string) => {
      mkdirSync(join(w.project, name));
      writeFileSync(join(w.project, name, OUTPUT_MARKER), readFileSync(join(w.project, 'out', OUTPUT_MARKER)));
      writeFileSync(join(w.project, name, 'plan.json'), '{}');
      return name;
    };
    const foreign = (name: string) => {
      mkdirSync(join(w.project, name));
      writeFileSync(join(w.project, name, 'keep.txt'), 'mine');
      return name;
    };
    const stale = [ours(`.out.staging-${dead}`), ours(`.out.old-${dead}`)];
    // Another process that has exited (dead + 1 may be alive on a busy machine).
    const dead2 = deadPid();
    mkdirSync(join(w.project, `.out.staging-${dead2}`)); // empty: nothing to lose
    stale.push(`.out.staging-${dead2}`);
    const kept = [
      ours(`.out.staging-${process.ppid}`), // a live build
      foreign(`.out.old-${dead + 2}`), // named like ours, not ours
      ours(`.out.staging-0${dead}`), // not how coop-idc names them
      ours(`.out.staging-x`),
      ours(`.other.staging-${dead}`),
      ours(`.out.failed.staging-${dead}`),
    ];
    const before = Object.fromEntries(kept.map((k) => [k, snapshotTree(join(w.project, k))]));
    const r = await run(w, ['build', '--out', 'out']);
    expect(r.code).toBe(0);
    expect(stale.filter((s) => existsSync(join(w.project, s)))).toEqual([]);
    expect(Object.fromEntries(kept.map((k) => [k, snapshotTree(join(w.project, k))]))).toEqual(before);
    expect(r.out).toContain(`removed 3 folders left by interrupted builds: ${[...stale].sort().join(', ')}`);
  });
});

describe('as a process', () => {
  test.each([
    [['build', '--out', 'notes.txt/out']],
    [['build', '--out', '']],
  ])('%p exits 2 with a message, not 70 with a stack trace', (argv) => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'coop-idc.js'), ...argv], { cwd: w.project, encoding: 'utf8', env: { ...process.env, HOME: w.home, COOP_IDC_TODAY: '2026-11-27' } });
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coop-idc: /);
  });
});
