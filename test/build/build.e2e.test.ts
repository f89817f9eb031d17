/**
 * The whole build on the samples, twice, in two different folders: the output must be
 * byte-identical and must not contain the machine's paths (deterministic output is what lets
 * reviewers diff builds and auditors trust that the evidence is the deployed code). The two
 * builds share one build cache: the first fills it, the second takes every stack's
 * CloudFormation validation and cdk-nag results from it, so this also proves a warm build
 * equals a cold one.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../cli/main';
import { SAMPLE_DIR, sampleCooperativeIds, TODAY } from '../support/config';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const cache = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function build(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-'));
  cpSync(SAMPLE_DIR, join(dir, 'config'), { recursive: true });
  const err: string[] = [];
  const code = await main(['build'], { cwd: dir, today: TODAY, env: { COOP_IDC_CACHE_DIR: cache }, out: () => undefined, err: (l) => err.push(l) });
  expect({ code, err }).toEqual({ code: 0, err: [] });
  return dir;
}

test('npm start output is byte-identical across folders and free of absolute paths', async () => {
  const a = await build();
  const entries = readdirSync(join(cache, 'cfn-validate'));
  const nag = readdirSync(join(cache, 'cdk-nag'));
  const b = await build();
  try {
    // One entry per stack (each cooperative's and the platform's) and per pack (AwsSolutions,
    // NIST 800-53 R5, KoreaLaw), written by the cold build; the warm one found them all (same keys).
    const stacks = sampleCooperativeIds().length + 1;
    expect(entries).toHaveLength(stacks);
    expect(readdirSync(join(cache, 'cfn-validate'))).toEqual(entries);
    expect(nag).toHaveLength(3 * stacks);
    expect(readdirSync(join(cache, 'cdk-nag'))).toEqual(nag);
    const outA = join(a, 'out');
    const outB = join(b, 'out');
    const listA = files(outA).map((f) => relative(outA, f)).sort();
    expect(files(outB).map((f) => relative(outB, f)).sort()).toEqual(listA);
    // Every renderer wrote something.
    for (const part of ['plan.json', 'checks/aws.json', 'checks/kubernetes.json', 'report.json', 'report/index.html']) expect(listA).toContain(part);
    expect(listA.some((f) => f.startsWith('cdk.out/') && f.endsWith('.template.json'))).toBe(true);
    expect(listA.some((f) => f.startsWith('cdktf.out/') && f.endsWith('cdk.tf.json'))).toBe(true);
    const differing = listA.filter((f) => !readFileSync(join(outA, f)).equals(readFileSync(join(outB, f))));
    expect(differing).toEqual([]);
    const leaking = listA.filter((f) => {
      const text = readFileSync(join(outA, f), 'latin1');
      return text.includes(a) || text.includes(process.cwd());
    });
    expect(leaking).toEqual([]);

    // The report ties every finding it cites to the resource in the synthesized output.
    const report = JSON.parse(readFileSync(join(outA, 'report.json'), 'utf8'));
    expect(report.inputs).toMatchObject({ idcOutput: true });
    for (const id of ['ISMS-P 2.6.1', 'ISMS-P 2.7.1']) {
      const control = report.controls.find((c: { id: string }) => c.id === id);
      const checks = control.evidence.filter((e: { source: string }) => e.source === 'check');
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.filter((e: { logicalId?: string }) => !e.logicalId)).toEqual([]);
      // The samples pass; what is accepted carries a reason an auditor can read.
      expect(['passed', 'acknowledged']).toContain(control.status);
      expect(checks.filter((e: { status: string; reason?: string }) => e.status === 'acknowledged' && !e.reason)).toEqual([]);
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
  // Two whole builds of every sample: more than the default 60 s when the machine is shared.
}, 300_000);
