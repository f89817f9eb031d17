/**
 * The whole build on the samples, twice, in two different folders: the output must be
 * byte-identical and must not contain the machine's paths (deterministic output is what lets
 * reviewers diff builds and auditors trust that the evidence is the deployed code). The two
 * builds share one build cache: the first fills it, the second takes every stack's
 * CloudFormation validation and cdk-nag results from it, so this also proves a warm build
 * equals a cold one, and so do a build without the cache and one that verifies it. Only how
 * the check results were produced (build.json's checkResults and the report's sentence about
 * it) differs, and says what each build did.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_CACHE, sealEntry } from '../../build/build-cache';
import { main } from '../../cli/main';
import { copySamples, sampleAwsStackCount, TODAY } from '../support/config';
import { differingFiles, outputFiles } from '../support/files';
import { RUN_RECORD_FILES, withoutCheckResultOrigin } from '../support/provenance';
import { BUILD_MANIFEST } from '../../build/up-to-date';
import { parseReportJson } from '../../infra/report';

const cache = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function build(...flags: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-'));
  copySamples(join(dir, 'config'));
  const err: string[] = [];
  const code = await main(['build', ...flags], { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8", COOP_IDC_CACHE_DIR: cache }, out: () => undefined, err: (l) => err.push(l) });
  expect({ code, err }).toEqual({ code: 0, err: [] });
  return dir;
}

const checkResultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'out', 'build.json'), 'utf8')).checkResults;

test('npm start output is byte-identical across folders and free of absolute paths', async () => {
  const a = await build();
  const entries = readdirSync(join(cache, 'cfn-validate'));
  const nag = readdirSync(join(cache, 'cdk-nag'));
  const inventories = readdirSync(join(cache, INVENTORY_CACHE));
  const b = await build();
  const c = await build('--no-cache');
  const d = await build('--verify-cache');
  try {
    // One entry per stack (the platform's, each cooperative's, each cell's shared zone and
    // shared-table shards) and per pack (AwsSolutions,
    // NIST 800-53 R5, KoreaLaw), written by the cold build; the warm one found them all (same keys).
    const stacks = sampleAwsStackCount();
    expect(entries).toHaveLength(stacks);
    expect(readdirSync(join(cache, 'cfn-validate'))).toEqual(entries);
    expect(nag).toHaveLength(3 * stacks);
    expect(readdirSync(join(cache, 'cdk-nag'))).toEqual(nag);
    // The report kept each template's inventory under the hash the AWS step gave it; the warm
    // build's report read them (no new entry) and wrote the same bytes (below).
    expect(inventories).toHaveLength(stacks);
    expect(readdirSync(join(cache, INVENTORY_CACHE)).filter((f) => f.endsWith('.json'))).toEqual(inventories);
    const outA = join(a, 'out');
    const outB = join(b, 'out');
    const listA = outputFiles(outA);
    expect(existsSync(join(outA, BUILD_MANIFEST))).toBe(true);
    expect(outputFiles(outB)).toEqual(listA);
    // Every renderer wrote something.
    for (const part of ['plan.json', 'checks/aws.json', 'checks/kubernetes.json', 'report.json', 'report/index.html']) expect(listA).toContain(part);
    expect(listA.some((f) => f.startsWith('cdk.out/') && f.endsWith('.template.json'))).toBe(true);
    expect(listA.some((f) => f.startsWith('cdktf.out/') && f.endsWith('cdk.tf.json'))).toBe(true);
    for (const other of [b, c, d]) {
      const outO = join(other, 'out');
      expect(outputFiles(outO)).toEqual(listA);
      // Byte for byte, but for how the check results were produced...
      const differing = differingFiles(outA, outO, listA);
      expect(differing).toEqual([...RUN_RECORD_FILES].sort());
      // ...which is all that differs.
      for (const f of differing) expect(withoutCheckResultOrigin(f, readFileSync(join(outO, f), 'utf8'))).toBe(withoutCheckResultOrigin(f, readFileSync(join(outA, f), 'utf8')));
    }
    // One result per stack and check (cache entries: one per stack and per stack and pack).
    const results = entries.length + nag.length;
    expect(checkResultsOf(a)).toEqual({ cache: 'on', computed: results, replayed: 0, verified: 0, rejected: 0 });
    expect(checkResultsOf(b)).toEqual({ cache: 'on', computed: 0, replayed: results, verified: 0, rejected: 0 });
    expect(checkResultsOf(c)).toEqual({ cache: 'off', computed: results, replayed: 0, verified: 0, rejected: 0 });
    expect(checkResultsOf(d)).toEqual({ cache: 'verify', computed: 0, replayed: results, verified: results, rejected: 0 });
    // The report says it where an auditor reads: the same counts, in words.
    expect(readFileSync(join(b, 'out', 'report.md'), 'utf8')).toContain(`How this evidence was produced: of ${results} per-stack check results (CloudFormation validation and cdk-nag, one per stack and check), 0 computed in this build and ${results} replayed from the build cache`);
    expect(JSON.parse(readFileSync(join(d, 'out', 'report.json'), 'utf8')).inputs.checkResults).toEqual(checkResultsOf(d));
    const leaking = listA.filter((f) => {
      const text = readFileSync(join(outA, f), 'latin1');
      return text.includes(a) || text.includes(process.cwd());
    });
    expect(leaking).toEqual([]);

    // The report ties every finding it cites to the resource in the synthesized output.
    const report = parseReportJson(readFileSync(join(outA, 'report.json'), 'utf8'));
    expect(report.inputs).toMatchObject({ idcOutput: true });
    for (const id of ['ISMS-P 2.6.1', 'ISMS-P 2.7.1']) {
      const control = report.controls.find((c) => c.id === id)!;
      const checks = control.evidence.filter((e: { source: string }) => e.source === 'check');
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.filter((e: { logicalId?: string }) => !e.logicalId)).toEqual([]);
      // The samples pass; what is accepted carries a reason an auditor can read.
      expect(['passed', 'acknowledged']).toContain(control.status);
      expect(checks.filter((e: { status: string; reason?: string }) => e.status === 'acknowledged' && !e.reason)).toEqual([]);
    }
  } finally {
    for (const dir of [a, b, c, d]) rmSync(dir, { recursive: true, force: true });
  }
}, 900_000);

test('fails under --verify-cache when a cache entry was forged with a matching checksum, naming stack, check and difference', async () => {
  // A copy of the warm cache of the test above, with one validation report forged to carry a
  // failure the template does not have, and sealed again as coop-idc seals entries.
  const forged = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-forged-'));
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-e2e-'));
  try {
    cpSync(cache, forged, { recursive: true });
    const folder = join(forged, 'cfn-validate');
    const file = join(folder, readdirSync(folder).sort()[0]);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    const violation = { ruleName: 'E0000', description: 'forged', severity: 'error', violatingResources: [{ resourceLogicalId: 'Forged', templatePath: '', locations: [] }] };
    const content = { ...entry.content, report: { success: false, violations: [violation] } };
    writeFileSync(file, JSON.stringify(sealEntry(entry.kind, entry.key, content)));
    copySamples(join(dir, 'config'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['build', '--verify-cache'], { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8", COOP_IDC_CACHE_DIR: forged }, out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err).toContain(
      `cache: ${entry.key.stack} CloudFormation validation: cached: 1 violation (E0000 on Forged); recomputed: no violation (the recomputed result is in the output; clear the cache with 'coop-idc cache clean' and find who can write to it)`,
    );
    expect(err).toContain('coop-idc: build failed: 1 cached check result differed from a recomputation (--verify-cache)');
    // The evidence is the recomputed one: no forged failure reaches the report.
    const report = JSON.parse(readFileSync(join(dir, 'out.failed', 'report.json'), 'utf8'));
    expect(report.failures).toEqual([]);
    expect(report.inputs.checkResults).toMatchObject({ cache: 'verify', computed: 0 });
    expect(report.inputs.checkResults.verified).toBe(report.inputs.checkResults.replayed - 1);
    // Rewritten with the recomputed report: the next build trusts the entry again.
    expect(readFileSync(file, 'utf8')).not.toContain('E0000');
  } finally {
    rmSync(forged, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
