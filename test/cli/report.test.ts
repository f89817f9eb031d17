import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_STEPS } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { main } from '../../cli/main';
import { copySamples, TODAY } from '../support/config';
import { samplePlan, writeFixtureOutput } from '../infra/report/fixture';

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, today: TODAY, env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A throw-away git repository holding a copy of the sample config, committed. */
function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-since-'));
  copySamples(join(dir, 'config'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'samples');
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`anchor ${from} missing`);
  writeFileSync(file, text.replace(from, to));
}

let dir: string;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('coop-idc report', () => {
  test('writes report/index.html, report.md and report.json into the output folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-cli-'));
    writeFixtureOutput(join(dir, 'out'), samplePlan());
    const r = await run(dir, 'report', '--today', '2027-09-10');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^report: 18 controls: 8 passed, 3 acknowledged, 3 failed, 4 no evidence; checks 5 passed, 1 acknowledged, 1 failed$/m);
    expect(r.out).toContain(`wrote ${join('out', 'report', 'index.html')}`);
    for (const f of ['report/index.html', 'report.md', 'report.json']) expect(existsSync(join(dir, 'out', f))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))).toMatchObject({ today: '2027-09-10', summary: { agreementsExpiringSoon: 1 } });
  });

  test('says how the check results were produced, from build.json, or that it is not recorded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-cli-'));
    const out = join(dir, 'out');
    writeFixtureOutput(out, samplePlan());
    expect((await run(dir, 'report')).code).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/^How this evidence was produced: not recorded \(this output folder has no build\.json/m);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).inputs.checkResults).toBeUndefined();
    const checkResults = { cache: 'on', computed: 4, replayed: 20, verified: 0, rejected: 1 };
    writeFileSync(join(out, 'build.json'), JSON.stringify({ steps: [], cooperatives: 1, failed: [], checkResults }));
    expect((await run(dir, 'report')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).inputs.checkResults).toEqual(checkResults);
    const sentence =
      'How this evidence was produced: of 24 per-stack check results (CloudFormation validation and cdk-nag, one per stack and check), 4 computed in this build and 20 replayed from the build cache (results an earlier build computed from identical input; their checksum was checked, they were not computed again). 1 cache entry was found damaged or edited and computed again. Release and deploy builds run with --no-cache or --verify-cache. The Kubernetes checks and the CloudFormation limits check are computed in every build.';
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`\n${sentence}\n`);
    expect(readFileSync(join(out, 'report', 'index.html'), 'utf8')).toContain(`<p class="provenance">${sentence}</p>`);
  });

  test('fails when build.json records check results of the wrong shape: a note, never a guess', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-cli-'));
    const out = join(dir, 'out');
    writeFixtureOutput(out, samplePlan());
    writeFileSync(join(out, 'build.json'), JSON.stringify({ checkResults: { cache: 'on', computed: -1, replayed: 'all', verified: 0, rejected: 0 } }));
    const r = await run(dir, 'report');
    expect(r.err).toContain('note: build.json: "checkResults" is not { cache, computed, replayed, verified, rejected }');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/^How this evidence was produced: not recorded/m);
  });

  test('fails with a clear message when there is no build output', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-cli-'));
    const r = await run(dir, 'report');
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe("coop-idc: no plan at out/plan.json (run 'coop-idc build' first, or pass --out with a build output folder)");
  });

  test('rejects --baseline-checks without --since', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-cli-'));
    const r = await run(dir, 'report', '--baseline-checks', 'x');
    expect(r.code).toBe(2);
  });

  test('as a build step, fails the build when a file the build wrote cannot be read, after writing the report', () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-step-'));
    const out = join(dir, 'out');
    writeFixtureOutput(out, samplePlan());
    writeFileSync(join(out, 'checks', 'aws-solutions.json'), '{"findings": [');
    const lines: string[] = [];
    const step = BUILD_STEPS.find((s) => s.name === 'report')!;
    let failure: unknown;
    try {
      step.run({ plan: samplePlan(), outDir: out, configDir: 'config', today: TODAY, env: {}, log: (l) => lines.push(l) });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(BuildFailure);
    expect((failure as BuildFailure).summary).toBe('보고서가 이 빌드가 쓴 파일 1개를 읽지 못했습니다');
    expect((failure as BuildFailure).lines).toEqual([expect.stringMatching(/^checks\/aws-solutions\.json: 읽지 못했습니다 \(/)]);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    // No language given: the progress lines are Korean, the default.
    expect(lines.join('\n')).toMatch(/report: 참고: checks\/aws-solutions\.json: 읽지 못했습니다/);
    // The report itself keeps its own language.
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/checks\/aws-solutions\.json: not read/);
    expect(lines).toContainEqual(expect.stringMatching(/^report: 통제 항목 18개: 통과 \d+, 승인 \d+, 실패 \d+, 증거 없음 \d+; 검사 통과 \d+, 승인 \d+, 실패 \d+ → /));
  });

  test('is the last step of the build (the whole build and its evidence links: build.e2e.test.ts)', () => {
    expect(BUILD_STEPS[BUILD_STEPS.length - 1].name).toBe('report');
  });
});

describe('coop-idc report --since', () => {
  const machinery = () => join(dir, 'config', 'cooperatives', 'korea-machinery.yaml');
  const food = () => join(dir, 'config', 'cooperatives', 'korea-food.yaml');

  test('granting a finance consumer a new column shows as a gained permission; removing an agreement as a lost one', async () => {
    dir = repo();
    edit(machinery(), 'columns: [failure_code, downtime_minutes, repair_cost_krw, occurred_at]', 'columns: [failure_code, downtime_minutes, repair_cost_krw, occurred_at, machine_id]');
    const text = readFileSync(food(), 'utf8');
    writeFileSync(food(), text.slice(0, text.indexOf('  - consumer: mss')) + text.slice(text.indexOf('  - consumer: kiet')));
    const r = await run(dir, 'report', '--since', 'main');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const commit = git(dir, 'rev-parse', 'HEAD').trim();
    expect(r.out).toContain(`## coop-idc: access and tenancy changes since \`main\` (${commit.slice(0, 12)})`);
    const section = (title: string) => r.out.slice(r.out.indexOf(title), r.out.indexOf('###', r.out.indexOf(title) + 4));
    expect(section('### Access gained (1)')).toContain('| ibk-bank | korea-machinery | maintenance_events | aggregated | machine_id | cooperatives/korea-machinery.yaml#sharing[1] |');
    expect(section('### Access lost (1)')).toContain('| mss | korea-food | production_lots | aggregated | member_company_id, plant_postcode, produced_on, product_category, quantity_kg | cooperatives/korea-food.yaml#sharing[0] (agreement removed) |');
    expect(r.out).toContain('_no tenant added or removed_');
  });

  test('reports a new cooperative and its quota', async () => {
    dir = repo();
    const textile = readFileSync(join(dir, 'config', 'cooperatives', 'korea-textile.yaml'), 'utf8');
    rmSync(join(dir, 'config', 'cooperatives', 'korea-textile.yaml'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'drop textile');
    writeFileSync(join(dir, 'config', 'cooperatives', 'korea-textile.yaml'), textile);
    const r = await run(dir, 'report', '--since', 'HEAD');
    expect(r.code).toBe(0);
    expect(r.out).toContain('- cooperatives added: korea-textile');
    expect(r.out).toMatch(/\| korea-textile \| cpu \| - \| \d+ \|/);
  });

  test('compares check results against --baseline-checks', async () => {
    dir = repo();
    const plan = samplePlan();
    writeFixtureOutput(join(dir, 'out'), plan, { failing: true });
    writeFixtureOutput(join(dir, 'base'), plan, { failing: false });
    const r = await run(dir, 'report', '--since', 'main', '--baseline-checks', 'base/checks');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 newly failing, 0 newly acknowledged, 0 resolved');
    expect(r.out).toMatch(/- newly failing: AwsSolutions AwsSolutions-S10 korea-food CoopKoreaFood\/Curated\/Resource/);
  });

  test('fails with git\'s message on an unknown ref', async () => {
    dir = repo();
    const r = await run(dir, 'report', '--since', 'no-such-branch');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^coop-idc: git rev-parse: fatal: /);
    // git's own words stay git's; what coop-idc says around them is in the run's language.
    expect((await run(dir, 'report', '--since', 'no-such-branch', '--lang', 'ko')).err).toMatch(/^coop-idc: git rev-parse 실패: fatal: /);
  });

  test('refuses a ref that looks like an option', async () => {
    dir = repo();
    const r = await run(dir, 'report', '--since=--output=/tmp/x');
    expect(r.code).toBe(2);
  });

  test('fails outside a git repository', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-nogit-'));
    mkdirSync(join(dir, 'config'));
    copySamples(join(dir, 'config'));
    const r = await run(dir, 'report', '--since', 'main');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a git repository/);
  });
});
