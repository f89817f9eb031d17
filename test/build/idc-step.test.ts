import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenancyPlan } from '../../infra';
import { expandCheckFile } from '../../infra/checks/findings';
import type { BuildContext } from '../../build/build-steps';
import { BuildFailure } from '../../cli/io';
import { buildIdc, idcStep, type IdcOutcome } from '../../build/idc-step';
import { buildIdcOnWorker, idcStacksToSynthesize } from '../../build/idc-step';
import { IDC_CACHE, sealedEntryText } from '../../build/build-cache';
import { generateSources } from '../../infra/testing/synthetic';
import { compileAt, sampleSources, sampleTotals, TODAY } from '../support/config';
import { readTree } from '../support/files';

const plan = compileAt(sampleSources()).plan!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function context(p: TenancyPlan): BuildContext & { log: (l: string) => void; lines: string[] } {
  const outDir = mkdtempSync(join(tmpdir(), 'idc-step-'));
  dirs.push(outDir);
  const lines: string[] = [];
  return { plan: p, outDir, configDir: 'config', today: TODAY, env: {}, lang: 'en', log: (l) => lines.push(l), lines };
}
function run(p: TenancyPlan): { outDir: string; log: string[] } {
  const ctx = context(p);
  idcStep.run(ctx);
  return { outDir: ctx.outDir, log: ctx.lines };
}
/** The build's way for large plans: on a worker thread. */
async function runOnWorker(p: TenancyPlan): Promise<{ outDir: string; outcome: IdcOutcome }> {
  const ctx = context(p);
  return { outDir: ctx.outDir, outcome: await buildIdcOnWorker(p, ctx.outDir) };
}

describe('idcStep', () => {
  let a: { outDir: string; log: string[] };
  beforeAll(() => {
    a = run(plan);
  });

  test('writes one stack per cooperative with IDC plus the platform stack, and a manifest', () => {
    const out = readTree(a.outDir);
    expect(Object.keys(out).filter((f) => f.endsWith('cdk.tf.json')).sort()).toEqual(
      [...sampleTotals().idc.map((id) => `coop-${id}`), 'idc-platform'].map((s) => `cdktf.out/stacks/${s}/cdk.tf.json`).sort(),
    );
    expect(out['cdktf.out/manifest.json']).toBeDefined();
  });

  test('keeps state outside the output folder, on a relative path', () => {
    const json = JSON.parse(readFileSync(join(a.outDir, 'cdktf.out/stacks/coop-korea-food/cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend.local.path).toBe('../../../../idc-state/coop-korea-food.tfstate');
  });

  test('is deterministic and carries no path of the machine that built it', () => {
    const b = run(plan);
    const fa = readTree(a.outDir);
    expect(readTree(b.outDir)).toEqual(fa);
    for (const [name, text] of Object.entries(fa)) {
      expect([name, text.includes(a.outDir) || text.includes(process.cwd())]).toEqual([name, false]);
    }
  });

  test('records passes for every rule in checks/kubernetes.json, sorted, in the shared format', () => {
    const file = JSON.parse(readFileSync(join(a.outDir, 'checks/kubernetes.json'), 'utf8'));
    // Passes are counted per rule and stack; the reader gives each one back.
    expect(file.findings).toEqual([]);
    const findings = expandCheckFile(file);
    expect(findings.length).toBeGreaterThan(100);
    expect(findings.every((f: any) => f.status === 'pass')).toBe(true);
    expect(new Set(findings.map((f: any) => f.pack))).toEqual(new Set(['K8sConformance', 'Capacity']));
    expect(a.log.join('\n')).toMatch(new RegExp(`idc: ${sampleTotals().idc.length + 1} Terraform stacks .* 0 failed`));
  });

  const broken = (): TenancyPlan => ({
      ...plan,
      cooperatives: plan.cooperatives.map((c) =>
        c.id === 'korea-food' && c.idc ? { ...c, idc: { ...c.idc, models: c.idc.models.map((m) => ({ ...m, image: 'registry.idc.kbiz.or.kr/food/spoilage-risk:latest' })) } } : c,
      ),
  });

  test('fails the build with rule, cooperative, resource and fix when a check fails, and still writes the findings', () => {
    let error: unknown;
    try {
      run(broken());
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

  describe('on a worker thread', () => {
    test('writes the same files and reports the same outcome as in the main thread', async () => {
      const w = await runOnWorker(plan);
      const m = context(plan);
      expect(w.outcome).toEqual(buildIdc(plan, m.outDir));
      expect(w.outcome.failure).toBeUndefined();
      expect(readTree(w.outDir)).toEqual(readTree(a.outDir));
    });

    test('on stacks a merge put in place (assembled): synthesizes nothing, checks and writes the same', async () => {
      const w = context(plan);
      cpSync(join(a.outDir, 'cdktf.out'), join(w.outDir, 'cdktf.out'), { recursive: true });
      const outcome = await buildIdcOnWorker(plan, w.outDir, undefined, 'en', true);
      expect(outcome).toEqual(buildIdc(plan, context(plan).outDir, undefined, 'en'));
      expect(readTree(w.outDir)).toEqual(readTree(a.outDir));
      // Nothing synthesized: without the stacks in place the assembled step has nothing to read.
      const empty = context(plan);
      await expect(buildIdcOnWorker(plan, empty.outDir, undefined, 'en', true)).rejects.toThrow(/ENOENT/);
    });

    test('reports a failing check the same way', async () => {
      const w = await runOnWorker(broken());
      expect(w.outcome.failure?.lines).toHaveLength(1);
      expect(w.outcome).toEqual(buildIdc(broken(), context(broken()).outDir));
    });

    test('rejects with the error of a bug in the step, as the main thread would throw it', async () => {
      const bad = { ...plan, cooperatives: undefined } as unknown as TenancyPlan;
      let inProcess: unknown;
      try {
        buildIdc(bad, context(bad).outDir);
      } catch (e) {
        inProcess = e;
      }
      expect(inProcess).toBeInstanceOf(Error);
      const onWorker = await buildIdcOnWorker(bad, context(bad).outDir).catch((e: unknown) => e);
      expect(onWorker).toBeInstanceOf(Error);
      expect([(onWorker as Error).name, (onWorker as Error).message]).toEqual([(inProcess as Error).name, (inProcess as Error).message]);
    });
  });

  test('started by the build, says nothing until its turn, then the same as run', async () => {
    const ctx = context(plan);
    const finish = await idcStep.start!(ctx);
    expect(ctx.lines).toEqual([]);
    finish();
    expect(ctx.lines).toEqual(a.log);
  });
});

describe('idcStep with the build cache', () => {
  const base = compileAt(generateSources({ n: 6, seed: 5 })).plan!;
  const target = base.cooperatives.find((c) => c.idc)!;
  const targetStack = target.idc!.namespace;
  // One cooperative's IDC section changed: its stack and the platform's (which reads every cooperative) change.
  const changed: TenancyPlan = { ...base, cooperatives: base.cooperatives.map((c) => (c.id === target.id ? { ...c, idc: { ...c.idc!, adminGroup: `${c.idc!.adminGroup}-ops` } } : c)) };
  const stackCount = base.cooperatives.filter((c) => c.idc).length + 1;
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'idc-cache-'));
    dirs.push(cacheDir);
  });
  function cachedRun(p: TenancyPlan, verifyCache = false): { outDir: string; log: string[] } {
    const ctx = { ...context(p), cacheDir, verifyCache };
    idcStep.run(ctx);
    return { outDir: ctx.outDir, log: ctx.lines };
  }
  const counts = (log: string[]) => log.join('\n').match(/(\d+) Terraform stacks: (\d+) synthesized, (\d+) restored/)?.slice(1).map(Number);
  const entries = () => readdirSync(join(cacheDir, IDC_CACHE)).map((f) => join(cacheDir, IDC_CACHE, f));
  const entryOf = (stack: string) => entries().find((f) => JSON.parse(readFileSync(f, 'utf8')).key.stack === stack)!;

  test('a second build restores every stack and writes what a build without the cache writes', () => {
    const first = cachedRun(base);
    expect(counts(first.log)).toEqual([stackCount, stackCount, 0]);
    expect(entries()).toHaveLength(stackCount);
    const second = cachedRun(base);
    expect(counts(second.log)).toEqual([stackCount, 0, stackCount]);
    expect(readTree(second.outDir)).toEqual(readTree(run(base).outDir));
  });

  test('one cooperative changed: its stack and the platform stack are synthesized, the others restored, the output as without the cache', () => {
    const before = cachedRun(base);
    const after = cachedRun(changed);
    expect(counts(after.log)).toEqual([stackCount, 2, stackCount - 2]);
    const fresh = readTree(run(changed).outDir);
    expect(readTree(after.outDir)).toEqual(fresh);
    // The change reaches the stack: a cache that restored the old one would differ here.
    const file = `cdktf.out/stacks/${targetStack}/cdk.tf.json`;
    expect(readTree(before.outDir)[file]).not.toEqual(fresh[file]);
  });

  test('a damaged entry is a miss: that stack is synthesized again (with the platform stack, which every app holds)', () => {
    cachedRun(base);
    writeFileSync(entryOf(targetStack), '{"format":');
    const again = cachedRun(base);
    expect(counts(again.log)).toEqual([stackCount, 2, stackCount - 2]);
    expect(readTree(again.outDir)).toEqual(readTree(run(base).outDir));
  });

  test('--verify-cache synthesizes every stack and names one whose entry was altered and resealed', () => {
    cachedRun(base);
    const file = entryOf(targetStack);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    const altered = { ...entry.content, json: entry.content.json.replace(target.idc!.adminGroup, 'intruders') };
    expect(altered.json).not.toEqual(entry.content.json);
    writeFileSync(file, sealedEntryText(IDC_CACHE, entry.key, altered));
    // Without verification the cache is trusted (as every entry of the build cache is)…
    expect(readFileSync(join(cachedRun(base).outDir, `cdktf.out/stacks/${targetStack}/cdk.tf.json`), 'utf8')).toContain('intruders');
    // …with it, the recomputation is written and the build fails naming the stack.
    let error: unknown;
    const ctx = { ...context(base), cacheDir, verifyCache: true };
    try {
      idcStep.run(ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildFailure);
    expect((error as BuildFailure).lines).toEqual([expect.stringMatching(new RegExp(`^cache: ${targetStack} cached IDC stack: `))]);
    expect(readTree(ctx.outDir)).toEqual(readTree(run(base).outDir));
  });

  test('counts the stacks a build would synthesize (what decides between this thread and a worker)', () => {
    const cache = { dir: cacheDir, verify: false };
    expect(idcStacksToSynthesize(base, cache)).toBe(stackCount);
    cachedRun(base);
    expect([idcStacksToSynthesize(base, cache), idcStacksToSynthesize(changed, cache)]).toEqual([0, 2]);
    expect([idcStacksToSynthesize(base, { ...cache, verify: true }), idcStacksToSynthesize(base, undefined)]).toEqual([stackCount, stackCount]);
  });

  test('on a worker thread: restores the same way', async () => {
    cachedRun(base);
    const ctx = context(changed);
    const outcome = await buildIdcOnWorker(changed, ctx.outDir, undefined, 'en', false, { dir: cacheDir, verify: false });
    expect(counts([outcome.line])).toEqual([stackCount, 2, stackCount - 2]);
    expect(readTree(ctx.outDir)).toEqual(readTree(run(changed).outDir));
  });
});
