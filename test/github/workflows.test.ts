/**
 * The GitHub Actions workflows (.github/workflows/) against GitHub's workflow schema, with
 * @action-validator/core (offline: the schema is compiled into its WASM), and the order of
 * their steps and jobs that the onboarding and release flows depend on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const dir = join(__dirname, '..', '..', '.github', 'workflows');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { jobs: Record<string, { needs?: string | string[]; environment?: string; steps: Step[] }> };

describe.each(['onboarding.yml', 'main.yml'])('%s', (file) => {
  test('is a valid GitHub Actions workflow', () => {
    expect(validateWorkflow(text(file)).errors).toEqual([]);
  });

  test('fails validation when a job carries a misspelt key', () => {
    const broken = text(file).replace(/^( {4})steps:/m, '$1stepz:');
    expect(broken).not.toBe(text(file));
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

test('fails validation when a step has neither run nor uses', () => {
  const broken = text('onboarding.yml').replace('      - name: validate\n        run: npx coop-idc validate', '      - name: validate');
  expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
});

describe('the onboarding pull request', () => {
  const steps = (parse(text('onboarding.yml')) as Workflow).jobs.build.steps;
  const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);

  test('validates, restores the cache, builds, posts report --since origin/main, uploads SARIF, in that order', () => {
    const order = [
      at((s) => s.run === 'npx coop-idc validate'),
      at((s) => s.uses === 'actions/cache@v4' && s.with?.path === 'node_modules/.cache/coop-idc'),
      at((s) => s.run === 'npx coop-idc build'),
      at((s) => s.run?.startsWith('npx coop-idc report --since origin/main') === true),
      at((s) => s.run?.startsWith('gh pr comment') === true),
      at((s) => s.uses === 'github/codeql-action/upload-sarif@v3'),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('writes validate --format sarif before the failing text validate, and uploads it and the build\'s checks.sarif even on failure', () => {
    const sarif = at((s) => s.run === 'npx coop-idc validate --format sarif > validate.sarif');
    expect(sarif).toBeGreaterThanOrEqual(0);
    expect(sarif).toBeLessThan(at((s) => s.run === 'npx coop-idc validate'));
    expect((steps[sarif] as Step & { 'continue-on-error'?: boolean })['continue-on-error']).toBe(true);
    const uploads = steps.filter((s) => s.uses === 'github/codeql-action/upload-sarif@v3') as (Step & { if?: string })[];
    expect(uploads.map((s) => s.with)).toEqual([
      { sarif_file: 'validate.sarif', category: 'coop-idc-validate' },
      { sarif_file: "${{ hashFiles('out.failed/checks.sarif') != '' && 'out.failed/checks.sarif' || 'out/checks.sarif' }}", category: 'coop-idc-build' },
    ]);
    for (const u of uploads) expect(u.if).toMatch(/^\$\{\{ always\(\) && hashFiles\(/);
  });
});

describe('main', () => {
  const wf = parse(text('main.yml')) as Workflow;

  test('builds eight shards without the cache, then merges every one of them', () => {
    const shard = wf.jobs.shard as unknown as { strategy: { matrix: { shard: number[] } }; steps: Step[] };
    expect(shard.strategy.matrix.shard).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(shard.steps.filter((s) => s.run?.startsWith('npx coop-idc build')).map((s) => s.run)).toEqual(['npx coop-idc build --no-cache --shard ${{ matrix.shard }}/8']);
    expect(wf.jobs.merge.needs).toEqual(['test', 'shard']);
    const merge = wf.jobs.merge.steps.find((s) => s.run?.startsWith('npx coop-idc build'))?.run;
    expect(merge).toContain('npx coop-idc build --no-cache');
    expect(merge).toContain("for i in 1 2 3 4 5 6 7 8; do printf -- '--merge out-shards/shard-%s '");
  });

  test('deploys behind approval: the data-lake account first, then the cells', () => {
    expect(wf.jobs['deploy-data-lake']).toMatchObject({ needs: 'merge', environment: 'data-lake' });
    expect(wf.jobs['deploy-cells']).toMatchObject({ needs: 'deploy-data-lake', environment: 'cells' });
    const deploy = (job: string) => wf.jobs[job].steps.find((s) => s.run?.includes('cdk deploy'))?.run;
    expect(deploy('deploy-data-lake')).toContain("--app out/cdk.out --exclusively --require-approval never 'CoopIdc-Platform' 'CoopIdc-DataLake-*'");
    expect(deploy('deploy-cells')).toContain("'CoopIdc-Coop-*'");
  });
});
