/**
 * The build's main thread reads the config, restores what the cache holds and hands AWS units
 * to unit processes (and many IDC stacks to the IDC step's worker thread). So loading the
 * build's steps loads neither aws-cdk-lib and cdk-nag nor cdktf and the Kubernetes provider
 * (together 1.4–1.9 s on this machine); they are loaded where stacks are built
 * (build/unit-worker.ts, build/idc-step.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const RENDERERS = ['aws-cdk-lib', 'cdk-nag', 'cdktf', '@cdktf/provider-kubernetes'];

/** The renderer packages loaded after requiring each of `modules` in turn, in a fresh process. */
function loadedAfter(modules: readonly string[]): string[][] {
  const script = `
require('tsx/cjs');
const names = ${JSON.stringify(RENDERERS)};
const loaded = () => names.filter((n) => Object.keys(require.cache).some((k) => k.split(require('node:path').sep).join('/').includes('/node_modules/' + n + '/')));
const out = [];
for (const m of ${JSON.stringify(modules.map((m) => join(root, m)))}) { require(m); out.push(loaded()); }
process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[][];
}

test('loading the build steps loads no renderer library; loading the apps does (so the test can tell)', () => {
  const [steps, aws, idc] = loadedAfter(['build/build-steps.ts', 'stacks/aws/aws-app.ts', 'stacks/idc/app.ts']);
  expect(steps).toEqual([]);
  expect(aws).toEqual(['aws-cdk-lib', 'cdk-nag']);
  expect(idc).toEqual(RENDERERS);
});
