import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TenancyPlan } from '../../../infra';
import type { BuildContext } from '../../../stacks/cli/build-steps';
import { BuildFailure } from '../../../stacks/cli/io';
import { idcStep } from '../../../stacks/idc/build-step';
import { compileAt, sampleSources, TODAY } from '../../support/config';

const plan = compileAt(sampleSources()).plan!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(p: TenancyPlan): { outDir: string; log: string[] } {
  const outDir = mkdtempSync(join(tmpdir(), 'idc-step-'));
  dirs.push(outDir);
  const log: string[] = [];
  const ctx: BuildContext = { plan: p, outDir, configDir: 'config', today: TODAY, env: {}, log: (l) => log.push(l) };
  idcStep.run(ctx);
  return { outDir, log };
}
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('idcStep', () => {
  let a: { outDir: string; log: string[] };
  beforeAll(() => {
    a = run(plan);
  });

  test('writes one stack per cooperative with IDC plus the platform stack, and a manifest', () => {
    const out = files(a.outDir);
    expect(Object.keys(out).filter((f) => f.endsWith('cdk.tf.json')).sort()).toEqual([
      'cdktf.out/stacks/coop-korea-electronics/cdk.tf.json',
      'cdktf.out/stacks/coop-korea-food/cdk.tf.json',
      'cdktf.out/stacks/coop-korea-machinery/cdk.tf.json',
      'cdktf.out/stacks/coop-korea-textile/cdk.tf.json',
      'cdktf.out/stacks/idc-platform/cdk.tf.json',
    ]);
    expect(out['cdktf.out/manifest.json']).toBeDefined();
  });

  test('keeps state outside the output folder, on a relative path', () => {
    const json = JSON.parse(readFileSync(join(a.outDir, 'cdktf.out/stacks/coop-korea-food/cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend.local.path).toBe('../../../../idc-state/coop-korea-food.tfstate');
  });

  test('is deterministic and carries no path of the machine that built it', () => {
    const b = run(plan);
    const fa = files(a.outDir);
    expect(files(b.outDir)).toEqual(fa);
    for (const [name, text] of Object.entries(fa)) {
      expect([name, text.includes(a.outDir) || text.includes(process.cwd())]).toEqual([name, false]);
    }
  });

  test('records passes for every rule in checks/kubernetes.json, sorted, in the shared format', () => {
    const { findings } = JSON.parse(readFileSync(join(a.outDir, 'checks/kubernetes.json'), 'utf8'));
    expect(findings.length).toBeGreaterThan(100);
    expect(findings.every((f: any) => f.status === 'pass')).toBe(true);
    expect(new Set(findings.map((f: any) => f.pack))).toEqual(new Set(['K8sConformance', 'Capacity']));
    expect(a.log.join('\n')).toMatch(/idc: 5 Terraform stacks .* 0 failed/);
  });

  test('fails the build with rule, cooperative, resource and fix when a check fails, and still writes the findings', () => {
    const broken: TenancyPlan = {
      ...plan,
      cooperatives: plan.cooperatives.map((c) =>
        c.id === 'korea-food' && c.idc ? { ...c, idc: { ...c.idc, models: c.idc.models.map((m) => ({ ...m, image: 'registry.idc.kbiz.or.kr/food/spoilage-risk:latest' })) } } : c,
      ),
    };
    let error: unknown;
    try {
      run(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildFailure);
    const failure = error as BuildFailure;
    expect(failure.summary).toBe('1 Kubernetes conformance finding failed');
    expect(failure.lines).toEqual([
      expect.stringMatching(/^K8sConformance CIS-5\.5\.1 korea-food coop-korea-food\/kubernetes_deployment_v1\.Model-spoilage-risk_Deployment_\w+: .*not pinned by digest \(fix: pin the image by digest/),
    ]);
    const written = JSON.parse(readFileSync(join(dirs[dirs.length - 1], 'checks/kubernetes.json'), 'utf8'));
    expect(written.findings.filter((f: any) => f.status === 'fail')).toHaveLength(1);
  });
});
