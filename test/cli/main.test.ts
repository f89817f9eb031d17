import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAG_CACHE, VALIDATION_CACHE } from '../../build/build-cache';
import { writePlanStep, type BuildStep } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { main } from '../../cli/main';
import { TEMPLATE_PLACEHOLDERS } from '../../infra/config/mistakes';
import { copySamples, sampleCooperativeIds, TODAY } from '../support/config';

/** A throw-away project folder with a copy of the sample config. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-cli-'));
  copySamples(join(dir, 'config'));
  return dir;
}

/** Runs the CLI; `build` writes only the plan (the renderers are covered by build.e2e.test.ts). */
async function run(cwd: string, ...argv: string[]) {
  return runWith([writePlanStep], cwd, ...argv);
}

async function runWith(buildSteps: readonly BuildStep[] | undefined, cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l), ...(buildSteps ? { buildSteps } : {}) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeEach(() => {
  dir = project();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('coop-idc validate', () => {
  test('exits 0 on the samples', async () => {
    const r = await run(dir, 'validate');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`config: ${sampleCooperativeIds().length} cooperatives valid`);
  });

  test('exits 1 with compiler-style lines on invalid config', async () => {
    const file = join(dir, 'config/cooperatives/korea-food.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('consumer: mss', 'consumer: ms'));
    const r = await run(dir, 'validate', 'config');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/korea-food\.yaml:\d+:15 error unknown-consumer consumer "ms" is not declared in config\/platform\.yaml \(did you mean "mss"\? known: ibk-bank, kiet, mss\)\n1 error$/);
  });

  test('checks one new cooperative file against the platform and the others', async () => {
    expect((await run(dir, 'new', 'korea-furniture')).code).toBe(0);
    // Unedited, it still holds the template's placeholders; filled in, it is valid.
    expect((await run(dir, 'validate', 'config/cooperatives/korea-furniture.yaml')).err).toContain('template-placeholder');
    const mine = join(dir, 'config/cooperatives/korea-furniture.yaml');
    writeFileSync(mine, TEMPLATE_PLACEHOLDERS.reduce((t, p, i) => t.replace(p, `가구 조합 실제 문구 ${i + 1}번`), readFileSync(mine, 'utf8')));
    const r = await run(dir, 'validate', 'config/cooperatives/korea-furniture.yaml');
    expect(r).toMatchObject({ code: 0, out: 'config/cooperatives/korea-furniture.yaml: valid' });
  });

  test("shows only the file's own problems and counts the others", async () => {
    const other = join(dir, 'config/cooperatives/korea-food.yaml');
    writeFileSync(other, readFileSync(other, 'utf8').replace('consumer: mss', 'consumer: ms'));
    await run(dir, 'new', 'korea-furniture');
    const mine = join(dir, 'config/cooperatives/korea-furniture.yaml');
    writeFileSync(mine, readFileSync(mine, 'utf8').replace('ksic: C29', 'ksic: 29'));
    const r = await run(dir, 'validate', 'config/cooperatives/korea-furniture.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('config/cooperatives/korea-furniture.yaml:');
    expect(r.err).not.toContain('korea-food.yaml');
    expect(r.err).toMatch(/1 error \(and 1 in other files; run 'coop-idc validate' to see them\)/);
  });

  test('reports a file that does not exist', async () => {
    const r = await run(dir, 'validate', 'config/cooperatives/nope.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/nope\.yaml:1:1 error missing-file/);
  });

  test('reports a folder without a platform file', async () => {
    const r = await run(dir, 'validate', 'config/cooperatives');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/platform\.yaml:1:1 error missing-file/);
  });

  test('prints the capacity table when quotas exceed the cluster', async () => {
    const platform = join(dir, 'config/platform.yaml');
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('nvidia-l40s: 32', 'nvidia-l40s: 2'));
    const r = await run(dir, 'validate');
    expect(r.code).toBe(1);
    expect(r.err).toContain('IDC capacity exceeded — who reserves what:');
    expect(r.err).toMatch(/korea-electronics\s+4/);
    const ko = await run(dir, 'validate', '--lang', 'ko');
    expect(ko.err).toContain('IDC 용량 초과 — 예약 현황:');
    expect(ko.err).toMatch(/^gpu\/nvidia-l40s +요청 +\d+ \/ 용량 +2 \(\d+\.\d%\)  초과$/m);
    expect(ko.err).not.toMatch(/requested|EXCEEDED/);
  });

  test('honours --today for expiry checks', async () => {
    const r = await run(dir, 'validate', '--today', '2029-01-01');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/agreement-expired/);
  });
});

describe('coop-idc plan', () => {
  test('prints a table of cooperatives', async () => {
    const r = await run(dir, 'plan');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^korea-machinery\s+cell-02\s+777788889999\s+C29\s+2\s+2\s+identifier\s+coop-korea-machinery\s+48\s+192Gi\s+4×nvidia-a100-80gb\s+1$/m);
  });

  test('prints the summary in the run\'s language, its columns aligned by display width', async () => {
    const r = await run(dir, 'plan', '--lang', 'ko');
    expect(r.out).toMatch(/^협동조합 \d+곳 · 셀 \d+개 · 이용기관 \d+곳 · 권한 \d+개 · 공동 서버 \d+대$/m);
    expect(r.out).not.toMatch(/cooperatives ·|COOPERATIVE|requested/);
    const lines = r.out.split('\n');
    const head = lines.find((l) => l.startsWith('협동조합  '))!;
    const row = lines.find((l) => l.startsWith('korea-machinery '))!;
    // "네임스페이스" (6 Hangul syllables, 12 columns) starts where the namespace does.
    const column = (s: string, at: number) => [...s.slice(0, at)].reduce((w, ch) => w + (/[가-힣]/.test(ch) ? 2 : 1), 0);
    expect(column(head, head.indexOf('네임스페이스'))).toBe(column(row, row.indexOf('coop-korea-machinery')));
  });

  test('--coop shows every derived name of one cooperative', async () => {
    const r = await run(dir, 'plan', '--coop', 'korea-food');
    expect(r.out).toContain('Cloud (AWS) · cell cell-01 · account 444455556666');
    expect(r.out).toContain('s3://kbiz-prod-korea-food-raw-444455556666');
    expect(r.out).toContain('alias/kbiz/prod/coop/korea-food');
    const ko = await run(dir, 'plan', '--coop', 'korea-food', '--lang', 'ko');
    expect(ko.out).toContain('클라우드(AWS) · 셀 cell-01 · 계정 444455556666');
    expect(ko.out).toContain('  KMS 키 별칭     alias/kbiz/prod/coop/korea-food');
  });

  test('--json prints the plan itself', async () => {
    const r = await run(dir, 'plan', '--json');
    expect(JSON.parse(r.out).cooperatives.map((c: { id: string }) => c.id).sort()).toEqual(sampleCooperativeIds());
  });

  test('exits 2 for an unknown cooperative', async () => {
    const r = await run(dir, 'plan', '--coop', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no cooperative "nope"/);
  });
});

describe('coop-idc new', () => {
  test('creates a file from the template that validates', async () => {
    const r = await run(dir, 'new', 'korea-furniture');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'config/cooperatives/korea-furniture.yaml'), 'utf8');
    expect(text).toMatch(/^id: korea-furniture$/m);
    expect(text).not.toContain('__ID__');
    // cell-01 holds three sample cooperatives, cell-02 two: the new one goes where there is most room.
    expect(text).toMatch(/^cell: cell-02$/m);
  });

  test('refuses to overwrite without --force', async () => {
    const before = readFileSync(join(dir, 'config/cooperatives/korea-food.yaml'), 'utf8');
    const r = await run(dir, 'new', 'korea-food');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/file-exists/);
    expect(readFileSync(join(dir, 'config/cooperatives/korea-food.yaml'), 'utf8')).toBe(before);
  });

  test('exits 2 for an invalid id', async () => {
    const r = await run(dir, 'new', 'Korea_Food');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a valid id/);
  });
});

describe('coop-idc build', () => {
  test('writes the plan to the output folder', async () => {
    const r = await run(dir, 'build', '--out', 'out');
    expect(r.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'out/plan.json'), 'utf8'));
    expect(plan.cooperatives.map((c: { id: string }) => c.id).sort()).toEqual(sampleCooperativeIds());
  });

  test('leaves the previous output untouched when the config is invalid', async () => {
    await run(dir, 'build', '--out', 'out');
    const before = readFileSync(join(dir, 'out/plan.json'), 'utf8');
    const file = join(dir, 'config/cooperatives/korea-food.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('ksic: C10', 'ksic: [C10'));
    const r = await run(dir, 'build', '--out', 'out');
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'out/plan.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.out.staging-' + process.pid))).toBe(false);
  });
});

describe('usage', () => {
  test.each([['frobnicate'], ['plan', '--bogus'], ['new'], ['validate', '--today', 'tomorrow'], ['cache', 'purge']])('exits 2 for %p', async (...argv) => {
    const r = await run(dir, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--help' for usage/);
  });

  test.each([['--help'], ['validate', '--help'], ['plan', '-h'], ['new', '--help'], ['build', '--help'], ['cache', '--help']])('prints help for %p', async (...argv) => {
    const r = await run(dir, ...argv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: coop-idc/);
  });
});

describe('coop-idc build --coop', () => {
  test('builds and checks one cooperative, with every renderer, into out-coop/<id>', async () => {
    const r = await runWith(undefined, dir, 'build', '--coop', 'korea-food');
    // The platform's, its cell's shared zone, shared-table and monitoring stacks, the cell's
    // gateways' trust anchor and ingestion API, its own.
    expect(r.out).toMatch(/^aws: 7 stacks/m);
    expect(readdirSync(join(dir, 'out-coop/korea-food/cdktf.out/stacks')).sort()).toEqual(['coop-korea-food', 'idc-platform']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'out-coop/korea-food/plan.json'), 'utf8'));
    expect(plan.cooperatives.map((c: { id: string }) => c.id)).toEqual(['korea-food']);
    expect(plan.grants.every((g: { cooperative: string }) => g.cooperative === 'korea-food')).toBe(true);
    // Capacity stays whole: one tenant fits only against everyone's reservations.
    expect(plan.capacity.rows.find((x: { resource: string }) => x.resource === 'cpu').byTenant['korea-machinery']).toBe(48000);
  });

  test('still fails on problems in other files', async () => {
    const platform = join(dir, 'config/platform.yaml');
    writeFileSync(platform, readFileSync(platform, 'utf8').replace('cpu: "512"', 'cpu: "50"'));
    const r = await run(dir, 'build', '--coop', 'korea-food');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/capacity-exceeded/);
  });

  test('exits 2 for an unknown cooperative', async () => {
    expect((await run(dir, 'build', '--coop', 'nope')).code).toBe(2);
  });
});

describe('coop-idc build cache', () => {
  /** The cache folder the build steps are given, for these arguments and environment. */
  async function cacheDirOf(env: Record<string, string>, ...argv: string[]): Promise<string | undefined> {
    let seen: string | undefined = 'not run';
    const probe: BuildStep = { name: 'probe', run: (ctx) => void (seen = ctx.cacheDir) };
    const code = await main(['build', ...argv], { cwd: dir, today: TODAY, env, out: () => undefined, err: () => undefined, buildSteps: [probe] });
    expect(code).toBe(0);
    return seen;
  }

  test('lives in node_modules/.cache/coop-idc of the project, outside the output', async () => {
    expect(await cacheDirOf({})).toBe(join(dir, 'node_modules', '.cache', 'coop-idc'));
  });

  test('moves with COOP_IDC_CACHE_DIR', async () => {
    expect(await cacheDirOf({ COOP_IDC_CACHE_DIR: 'ci-cache' })).toBe(join(dir, 'ci-cache'));
  });

  test('is not used with --no-cache', async () => {
    expect(await cacheDirOf({ COOP_IDC_CACHE_DIR: 'ci-cache' }, '--no-cache')).toBeUndefined();
  });

  test('is used and verified with --verify-cache', async () => {
    let seen: unknown;
    const probe: BuildStep = { name: 'probe', run: (ctx) => void (seen = [ctx.cacheDir, ctx.verifyCache]) };
    expect(await main(['build', '--verify-cache'], { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: () => undefined, err: () => undefined, buildSteps: [probe] })).toBe(0);
    expect(seen).toEqual([join(dir, 'node_modules', '.cache', 'coop-idc'), true]);
  });

  test('fails with exit 2 when --no-cache and --verify-cache are both given', async () => {
    const r = await run(dir, 'build', '--no-cache', '--verify-cache');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^coop-idc: --no-cache and --verify-cache exclude each other \(.*\): pass one/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('coop-idc build cache eviction', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const cache = () => join(dir, 'node_modules', '.cache', 'coop-idc');
  /** An entry of `folder` last used `days` ago. */
  function entry(folder: string, seed: string, days: number): string {
    const path = join(cache(), folder, `${seed.repeat(64).slice(0, 64)}.json`);
    mkdirSync(join(cache(), folder), { recursive: true });
    writeFileSync(path, '{}');
    const at = new Date(Date.now() - days * DAY);
    utimesSync(path, at, at);
    return path;
  }
  const buildWith = async (step: BuildStep, env: Record<string, string> = {}, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['build', ...argv], { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8", ...env }, out: (l) => out.push(l), err: (l) => err.push(l), buildSteps: [step] }).catch((e: Error) => e);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const ok: BuildStep = { name: 'ok', run: () => undefined };

  test('prunes entries not used for the maximum age after a build, and says so', async () => {
    const old = entry(NAG_CACHE, 'a', 31);
    const recent = entry(VALIDATION_CACHE, 'b', 29);
    const r = await buildWith(ok);
    expect(r.code).toBe(0);
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
    expect(r.out).toMatch(/^cache: pruned 1 entry \(0\.0 MB\) not used for 30 days$/m);
  });

  test('says nothing about the cache when nothing was pruned', async () => {
    entry(NAG_CACHE, 'a', 1);
    expect((await buildWith(ok)).out).not.toMatch(/cache/);
  });

  test('takes the maximum age from COOP_IDC_CACHE_MAX_AGE_DAYS', async () => {
    const old = entry(NAG_CACHE, 'a', 3);
    expect((await buildWith(ok, { COOP_IDC_CACHE_MAX_AGE_DAYS: '2' })).out).toMatch(/not used for 2 days/);
    expect(existsSync(old)).toBe(false);
  });

  test('prunes after a build that failed its checks too', async () => {
    const old = entry(NAG_CACHE, 'a', 31);
    const failing: BuildStep = { name: 'failing', run: () => { throw new BuildFailure('1 check failed', ['rule x']); } };
    expect((await buildWith(failing)).code).toBe(1);
    expect(existsSync(old)).toBe(false);
  });

  test('does not prune after a build that crashed', async () => {
    const old = entry(NAG_CACHE, 'a', 31);
    const crashing: BuildStep = { name: 'crashing', run: () => { throw new Error('bug'); } };
    expect((await buildWith(crashing)).code).toBeInstanceOf(Error);
    expect(existsSync(old)).toBe(true);
  });

  test('does not prune with --no-cache', async () => {
    const old = entry(NAG_CACHE, 'a', 31);
    expect((await buildWith(ok, {}, '--no-cache')).code).toBe(0);
    expect(existsSync(old)).toBe(true);
  });

  test('fails before building when a limit is not a whole number, with what is allowed and how to fix it', async () => {
    let ran = false;
    const r = await buildWith({ name: 'probe', run: () => void (ran = true) }, { COOP_IDC_CACHE_MAX_MB: '1.5G' });
    expect(r.code).toBe(2);
    expect(ran).toBe(false);
    expect(r.err).toBe(
      'coop-idc: COOP_IDC_CACHE_MAX_MB must be a whole number of MB from 1 to 10,000,000, got "1.5G" (set e.g. COOP_IDC_CACHE_MAX_MB=2000, or unset it for the default 2000; use --no-cache to build without the cache)\n' +
        "Run 'coop-idc build --help' for usage.",
    );
    expect((await buildWith(ok, { COOP_IDC_CACHE_MAX_AGE_DAYS: '0' }, '--lang', 'ko')).err).toBe(
      'coop-idc: COOP_IDC_CACHE_MAX_AGE_DAYS은(는) 1부터 36,500까지의 정수여야 합니다(단위: 일). 받은 값: "0" (예: COOP_IDC_CACHE_MAX_AGE_DAYS=14로 설정하거나, 기본값 30을(를) 쓰려면 변수를 지우세요. 캐시 없이 빌드하려면 --no-cache)\n' +
        "사용법: 'coop-idc build --help'",
    );
    // The way out the message offers works.
    expect((await buildWith(ok, { COOP_IDC_CACHE_MAX_MB: '1.5G' }, '--no-cache')).code).toBe(0);
  });

  test('coop-idc cache shows where the cache is, what it holds and what is kept', async () => {
    entry(NAG_CACHE, 'a', 1);
    const r = await run(dir, 'cache');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^cache: node_modules\/\.cache\/coop-idc: 1 entry \(0\.0 MB\)\nremoved after each build: entries not used for 30 days, then the least recently used above 2,000\.0 MB$/);
  });

  test('coop-idc cache clean empties the cache and leaves foreign files', async () => {
    const ours = [entry(NAG_CACHE, 'a', 0), entry(VALIDATION_CACHE, 'b', 0)];
    const theirs = join(cache(), NAG_CACHE, 'mine.txt');
    writeFileSync(theirs, 'not the cache');
    const r = await run(dir, 'cache', 'clean');
    expect(r).toMatchObject({ code: 0, out: 'cache: removed 2 entries (0.0 MB) from node_modules/.cache/coop-idc' });
    expect(ours.filter(existsSync)).toEqual([]);
    expect(existsSync(theirs)).toBe(true);
  });
});
