/**
 * The up-to-date check of `build` (build/up-to-date.ts) through the CLI: a second build with
 * nothing changed is skipped; any changed input, option or output file builds again; and the
 * skip never loads aws-cdk-lib, cdktf or cdk-nag.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildStep } from '../../build/step';
import { BUILD_MANIFEST, checkUpToDate, inputHash, writeBuildManifest } from '../../build/up-to-date';
import { main } from '../../cli/main';
import { copySamples, TODAY } from '../support/config';

const ROOT = join(__dirname, '..', '..');
const OUTPUT = join(ROOT, 'test-output', 'up-to-date');

/** Writes two files, one nested, and counts its runs: a real build in miniature. */
let runs = 0;
const fakeStep: BuildStep = {
  name: 'fake',
  run(ctx) {
    runs++;
    writeFileSync(join(ctx.outDir, 'plan.json'), `${ctx.plan.cooperatives.length}\n`);
    mkdirSync(join(ctx.outDir, 'checks'));
    writeFileSync(join(ctx.outDir, 'checks', 'aws.json'), '[]\n');
  },
};

async function build(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const before = runs;
  const code = await main(['build', ...argv], { cwd, today: TODAY, env: { LANG: 'en_US.UTF-8' }, out: (l) => out.push(l), err: (l) => err.push(l), buildSteps: [fakeStep], upToDateCheck: true });
  return { code, built: runs > before, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeEach(() => {
  mkdirSync(OUTPUT, { recursive: true });
  dir = mkdtempSync(join(OUTPUT, 'project-'));
  copySamples(join(dir, 'config'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build is skipped when nothing changed', () => {
  test('the second build prints one line and builds nothing; the first wrote the manifest', async () => {
    expect(await build(dir)).toMatchObject({ code: 0, built: true });
    expect(existsSync(join(dir, 'out', BUILD_MANIFEST))).toBe(true);
    const second = await build(dir);
    expect(second).toMatchObject({ code: 0, built: false, err: '' });
    // Every file the build wrote (the output marker, build.json, plan.json, checks/aws.json) is counted.
    expect(second.out).toBe('up to date: the inputs (config, code, libraries, options) are those of the last build and its 4 output files are unchanged, so nothing was built: out (--force builds anyway)');
  });

  test('the line is in Korean by default', async () => {
    await build(dir);
    const out: string[] = [];
    expect(await main(['build'], { cwd: dir, today: TODAY, env: {}, out: (l) => out.push(l), err: () => undefined, buildSteps: [fakeStep], upToDateCheck: true })).toBe(0);
    // LANG is part of the inputs: an English build's output is not a Korean one's.
    expect(out.join('\n')).toMatch(/^빌드 성공/);
    const again: string[] = [];
    await main(['build'], { cwd: dir, today: TODAY, env: {}, out: (l) => again.push(l), err: () => undefined, buildSteps: [fakeStep], upToDateCheck: true });
    expect(again.join('\n')).toMatch(/^최신 상태입니다: .*출력 파일 4개가 그대로여서 빌드하지 않았습니다: out/);
  });
});

describe('any change builds again', () => {
  beforeEach(async () => {
    expect(await build(dir)).toMatchObject({ code: 0, built: true });
  });

  test('a config file touched (its bytes changed)', async () => {
    appendFileSync(join(dir, 'config', 'platform.yaml'), '\n# a comment\n');
    expect(await build(dir)).toMatchObject({ code: 0, built: true });
    expect(await build(dir)).toMatchObject({ code: 0, built: false });
  });

  test('a config file added', async () => {
    writeFileSync(join(dir, 'config', 'notes.txt'), 'kept with the config\n');
    expect((await build(dir)).built).toBe(true);
  });

  test('an output file edited (its size changed)', async () => {
    appendFileSync(join(dir, 'out', 'checks', 'aws.json'), ' ');
    expect((await build(dir)).built).toBe(true);
    expect(readFileSync(join(dir, 'out', 'checks', 'aws.json'), 'utf8')).toBe('[]\n');
  });

  test('an output file edited in place (same size, another mtime)', async () => {
    const file = join(dir, 'out', 'plan.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\d/, '9'));
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect((await build(dir)).built).toBe(true);
  });

  test('an output file deleted', async () => {
    unlinkSync(join(dir, 'out', 'plan.json'));
    expect((await build(dir)).built).toBe(true);
    expect(existsSync(join(dir, 'out', 'plan.json'))).toBe(true);
  });

  test.each([['--no-cache'], ['--lang', 'ko'], ['--coop', 'korea-food', '--out', 'out']])('a changed option: %s', async (...option) => {
    expect((await build(dir, ...option)).built).toBe(true);
    expect((await build(dir, ...option)).built).toBe(false);
    expect((await build(dir)).built).toBe(true);
  });

  test('--force and --verify-cache always build', async () => {
    expect((await build(dir, '--force')).built).toBe(true);
    expect((await build(dir, '--verify-cache')).built).toBe(true);
    expect((await build(dir)).built).toBe(false);
  });

  test('a missing or damaged manifest', async () => {
    writeFileSync(join(dir, 'out', BUILD_MANIFEST), '{"format":1,"inputs":');
    expect((await build(dir)).built).toBe(true);
    unlinkSync(join(dir, 'out', BUILD_MANIFEST));
    expect((await build(dir)).built).toBe(true);
    expect((await build(dir)).built).toBe(false);
  });

  test('a failed build left <out>.failed', async () => {
    mkdirSync(join(dir, 'out.failed'));
    expect((await build(dir)).built).toBe(true);
    expect(existsSync(join(dir, 'out.failed'))).toBe(false);
  });
});

describe('checkUpToDate', () => {
  test('a same-size edit whose mtime was put back is caught by its ctime', async () => {
    await build(dir);
    const out = join(dir, 'out');
    const inputs = inputHash(join(dir, 'config'), { steps: ['fake'], coop: null, shard: null, noCache: false, lang: 'en', today: TODAY, validation: true });
    expect(checkUpToDate(out, inputs)).toEqual({ upToDate: true, files: 4 });
    // A whole-second mtime, recorded, so that putting it back after the edit is exact.
    const file = join(out, 'checks', 'aws.json');
    const when = new Date(2026, 0, 1);
    utimesSync(file, when, when);
    writeBuildManifest(out, inputs);
    writeFileSync(file, '{}\n');
    utimesSync(file, when, when);
    expect(statSync(file).mtimeMs).toBe(when.getTime());
    expect(checkUpToDate(out, inputs)).toEqual({ upToDate: false, reason: 'checks/aws.json: changed' });
  });

  test('a manifest naming a file outside the output folder is not trusted', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, BUILD_MANIFEST), JSON.stringify({ format: 2, inputs: 'x', files: { '../config/platform.yaml': { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1 } } }));
    expect(checkUpToDate(out, 'x')).toEqual({ upToDate: false, reason: '../config/platform.yaml: outside the output folder' });
  });

  test('a manifest of the first format (content hashes) means build', async () => {
    await build(dir);
    const out = join(dir, 'out');
    const inputs = inputHash(join(dir, 'config'), { steps: ['fake'], coop: null, shard: null, noCache: false, lang: 'en', today: TODAY, validation: true });
    expect(checkUpToDate(out, inputs)).toEqual({ upToDate: true, files: 4 });
    const manifest = JSON.parse(readFileSync(join(out, BUILD_MANIFEST), 'utf8')) as { files: Record<string, object> };
    const files = Object.fromEntries(Object.entries(manifest.files).map(([name, r]) => [name, { ...r, sha256: 'x' }]));
    writeFileSync(join(out, BUILD_MANIFEST), JSON.stringify({ format: 1, inputs, files }));
    expect(checkUpToDate(out, inputs)).toEqual({ upToDate: false, reason: 'manifest of another format' });
  });
});

describe('the skip loads no framework', () => {
  // A child process, so that nothing this test file imported counts: it builds nothing (the
  // jest process built already), then reports which framework modules were loaded, before
  // and after loading the AWS app (which must load them: the probe can fail; the build's
  // steps no longer do, test/build/main-thread-modules.test.ts).
  test('aws-cdk-lib, cdktf and cdk-nag stay unloaded on the skip path', async () => {
    await build(dir);
    const script = `
      const { main } = require(${JSON.stringify(join(ROOT, 'cli', 'main.ts'))});
      const frameworks = () => Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](aws-cdk-lib|cdktf|cdk-nag)[\\\\/]/.test(k)).length;
      let runs = 0;
      const fakeStep = { name: 'fake', run() { runs++; } };
      main(['build'], { cwd: ${JSON.stringify(dir)}, today: ${JSON.stringify(TODAY)}, env: { LANG: 'en_US.UTF-8' }, out: () => {}, err: (l) => process.stderr.write(l + '\\n'), buildSteps: [fakeStep], upToDateCheck: true }).then((code) => {
        const skipped = frameworks();
        require(${JSON.stringify(join(ROOT, 'stacks', 'aws', 'aws-app.ts'))});
        process.stdout.write(JSON.stringify({ code, runs, skipped, afterApp: frameworks() }));
      });`;
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { code: number; runs: number; skipped: number; afterApp: number };
    expect(result).toMatchObject({ code: 0, runs: 0, skipped: 0 });
    expect(result.afterApp).toBeGreaterThan(0);
  });
});
