/**
 * The review flow against the checked output: `cdk.json` points the CDK CLI at the build's
 * cloud assembly (`out/cdk.out`), so `cdk ls` and `cdk diff` neither bundle nor check again.
 * A rebuild of an unchanged config diffs clean (no asset-metadata noise), a changed one shows
 * its change, and the CLI leaves nothing in the temp folder or the project. Generated
 * cooperatives: nothing here depends on config/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';
import { compile, readConfigDir } from '../infra';
import { generateSources, writeSources } from '../infra/testing/synthetic';
import { awsStackLayout } from '../stacks/aws/aws-app';
import { TODAY } from './support/config';

jest.setTimeout(600_000);

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'coop-idc-review-'));
const temp = join(work, 'tmp');
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function build(out: string): Promise<void> {
  const err: string[] = [];
  const code = await main(['build', '--out', out], { cwd: work, today: TODAY, env: { LANG: "en_US.UTF-8", COOP_IDC_CACHE_DIR: join(work, 'cache') }, out: () => undefined, err: (l) => err.push(l) });
  expect({ code, err }).toEqual({ code: 0, err: [] });
}

function cdk(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args, '--no-notices'], { cwd: work, encoding: 'utf8', env: { ...process.env, TMPDIR: temp, CDK_DISABLE_VERSION_CHECK: '1' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('cdk.json reads the checked output and turns off the CLI telemetry', () => {
  expect(JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8'))).toEqual({ app: 'out/cdk.out', context: { 'cli-telemetry': false } });
});

test('cdk diff against the previous build: clean when nothing changed, the change when something did, nothing left behind', async () => {
  mkdirSync(temp);
  writeSources(generateSources({ n: 3, seed: 11, cellCapacity: 2 }), join(work, 'config'));
  copyFileSync(join(root, 'cdk.json'), join(work, 'cdk.json'));
  await build('out');
  cpSync(join(work, 'out'), join(work, 'previous'), { recursive: true });
  await build('out');
  const plan = compile(readConfigDir(join(work, 'config')), { today: TODAY }).plan!;
  const layout = awsStackLayout(plan, { ingestion: true });
  const before = readdirSync(work).sort();

  // Every stack, from the assembly as built.
  const ls = cdk('ls');
  expect(ls.status).toBe(0);
  expect(ls.out.trim().split('\n')).toEqual(layout.map((s) => s.id));
  // A cooperative's stack carries the Lambda assets: the rebuild must not show them as changed.
  const coop = layout.find((s) => s.kind === 'cooperative')!;
  for (const id of [coop.id, layout[0].id]) {
    const diff = cdk('diff', '--exclusively', '--fail', '--template', join('previous', 'cdk.out', `${id}.template.json`), id);
    expect(diff.out).toContain('There were no differences');
    expect(diff.status).toBe(0);
  }

  // Fails (exit 1, the change shown) when the config changed.
  const file = join(work, 'config', 'cooperatives', `${coop.kind === 'cooperative' ? coop.cooperative.id : ''}.yaml`);
  const text = readFileSync(file, 'utf8');
  const m = /retentionDays: (\d+)/.exec(text)!;
  writeFileSync(file, text.replace(m[0], `retentionDays: ${Number(m[1]) + 1}`));
  await build('out');
  const changed = cdk('diff', '--exclusively', '--fail', '--template', join('previous', 'cdk.out', `${coop.id}.template.json`), coop.id);
  expect(changed.status).toBe(1);
  expect(changed.out).toContain(`[-]   "ExpirationInDays": ${m[1]},`);
  expect(changed.out).toContain(`[+]   "ExpirationInDays": ${Number(m[1]) + 1},`);

  // No temporary folder, no cdk.out of its own, no telemetry file.
  expect(readdirSync(temp)).toEqual([]);
  expect(readdirSync(work).sort()).toEqual(before);
});
