/**
 * report.json and checks/*.json against their JSON Schemas, with a real validator (ajv):
 * the files the report writes validate, and a broken file does not.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { compactFindings, type CheckFinding } from '../../../infra/checks/findings';
import { CHECK_FILE_SCHEMA, REPORT_FILES, REPORT_SCHEMA } from '../../../infra/report';
import { writeReport } from '../../../build/report-step';
import { writeFindings } from '../../../build/output';
import { fixtureFindings, samplePlan, writeFixtureOutput } from './fixture';

let dir: string;
const ajv = new Ajv({ allErrors: true, strict: false });
const validReport = ajv.compile(REPORT_SCHEMA);
const validChecks = ajv.compile(CHECK_FILE_SCHEMA);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-schemas-'));
  const plan = samplePlan();
  writeFixtureOutput(dir, plan);
  // Check files as the build writes them.
  const f = fixtureFindings(plan);
  writeFindings(join(dir, 'checks/aws-solutions.json'), f.aws);
  writeFindings(join(dir, 'checks/kubernetes.json'), f.k8s);
  writeFindings(join(dir, 'checks/korea-law.json'), f.law);
  writeReport(dir, '2026-11-27');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));

test('report.json validates against REPORT_SCHEMA', () => {
  const ok = validReport(read(REPORT_FILES.json));
  expect(validReport.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
});

test('every check file validates against CHECK_FILE_SCHEMA', () => {
  const files = readdirSync(join(dir, 'checks')).sort();
  expect(files).toEqual(['aws-solutions.json', 'korea-law.json', 'kubernetes.json']);
  for (const f of files) {
    expect(validChecks(read(`checks/${f}`))).toBe(true);
  }
});

test('fails when a control carries a status word outside the four', () => {
  const r = read(REPORT_FILES.json) as { controls: { status: string }[] };
  r.controls[0].status = 'no evidence but 2 passed';
  expect(validReport(r)).toBe(false);
  expect(validReport.errors!.map((e) => e.instancePath)).toContain('/controls/0/status');
});

test('fails when an acknowledgement has no reason', () => {
  const r = read(REPORT_FILES.json) as { acknowledgements: { reason?: string }[] };
  expect(r.acknowledgements.length).toBe(1);
  delete r.acknowledgements[0].reason;
  expect(validReport(r)).toBe(false);
});

test('fails when a check file lists passes one by one among the findings', () => {
  const pass: CheckFinding = { pack: 'P', rule: 'R', controls: [], status: 'pass', stack: 'S', resource: 'r', message: 'm' };
  expect(validChecks(compactFindings([pass]))).toBe(true);
  expect(validChecks({ format: 2, findings: [pass], passes: [] })).toBe(false);
  expect(validChecks({ findings: [pass] })).toBe(false);
});

describe('checks.sarif (the build writes it with the report)', () => {
  let sarifDir: string;
  beforeAll(() => {
    sarifDir = mkdtempSync(join(tmpdir(), 'coop-idc-sarif-'));
    const plan = samplePlan();
    const out = join(sarifDir, 'out-x');
    writeFixtureOutput(out, plan, { checks: false });
    const f = fixtureFindings(plan);
    writeFindings(join(out, 'checks/aws-solutions.json'), f.aws);
    writeFindings(join(out, 'checks/kubernetes.json'), f.k8s);
    // The config folder beside the output folder, as in a repository.
    writeReport(join(sarifDir, 'out-x'), '2026-11-27', undefined, { configDir: join(sarifDir, 'config'), toolVersion: '0.1.0' });
  });
  afterAll(() => rmSync(sarifDir, { recursive: true, force: true }));

  test('is valid SARIF 2.1.0 holding every failure, at config/ files', () => {
    const { sarifErrors } = require('../../support/sarif') as typeof import('../../support/sarif');
    const log = JSON.parse(readFileSync(join(sarifDir, 'out-x', 'checks.sarif'), 'utf8'));
    expect(sarifErrors(log)).toEqual([]);
    const failures = [...fixtureFindings(samplePlan()).aws, ...fixtureFindings(samplePlan()).k8s].filter((x) => x.status === 'fail');
    expect(failures.length).toBeGreaterThan(0);
    expect(log.runs[0].results).toHaveLength(failures.length);
    for (const r of log.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^config\/(platform\.yaml|cooperatives\/[a-z0-9-]+\.yaml)$/);
  });
});
