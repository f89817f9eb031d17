/**
 * report.json and checks/*.json against their JSON Schemas, with a real validator (ajv):
 * the files the report writes validate, and a broken file does not.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { compactFindings, type CheckFinding } from '../../../infra/checks/findings';
import { buildReport, CHECK_FILE_SCHEMA, parseReportJson, readReportInputs, renderJson, REPORT_FILES, REPORT_SCHEMA, REPORT_VERSION, ReportFormatError } from '../../../infra/report';
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

test('report.json reads back into the very model it was written from, and renders to the same bytes', () => {
  const model = buildReport(readReportInputs(dir), { today: '2026-11-27' });
  const text = readFileSync(join(dir, REPORT_FILES.json), 'utf8');
  expect(text).toBe(renderJson(model));
  const back = parseReportJson(text);
  expect(back).toEqual(model);
  expect(renderJson(back)).toBe(text);
});

test('report.json holds each acknowledgement once: controls cite them by index', () => {
  const r = read(REPORT_FILES.json) as { controls: { evidence: Record<string, unknown>[] }[]; acknowledgements: { at: number[] }[] };
  const cited = r.controls
    .flatMap((c) => c.evidence)
    .flatMap((e) => ('acknowledgement' in e ? [e.acknowledgement as number] : 'acknowledgements' in e ? [(e.acknowledgements as number[])[0], (e.acknowledgements as number[])[1]] : []));
  expect(cited.length).toBeGreaterThan(0);
  const at = new Set(r.acknowledgements.flatMap((g) => g.at));
  for (const i of cited) expect(at.has(i)).toBe(true);
  expect(r.controls.flatMap((c) => c.evidence).some((e) => e.status === 'acknowledged')).toBe(false);
});

test('an acknowledgement repeated in many stacks is one group, its reason written once; a stack inputs.stacks does not give names its own cooperative and file', () => {
  const model = buildReport(readReportInputs(dir), { today: '2026-11-27' });
  // A resource no inventory lists, so that no copy takes properties from a row.
  const { properties: _p, ...sample } = { ...model.acknowledgements[0], logicalId: 'NotInAnyInventory' };
  const stacks = model.inputs.stacks;
  expect(stacks.length).toBeGreaterThan(2);
  const reason = 'one reason an auditor reads once';
  const copies = stacks.map((s) => ({ ...sample, stack: s.stack, file: s.file, cooperative: s.cooperative, reason }));
  const stray = { ...sample, stack: 'NotAnInputStack', file: 'cdk.out/elsewhere.json', cooperative: 'someone', reason };
  const acknowledgements = [...model.acknowledgements, ...copies, stray];
  const withCopies = { ...model, acknowledgements, controls: model.controls.map((c, i) => (i === 0 ? { ...c, evidence: [...c.evidence, ...copies, stray] } : c)) };
  const text = renderJson(withCopies);
  expect(text.split(reason)).toHaveLength(2);
  const j = JSON.parse(text) as { acknowledgements: { reason: string; at: number[]; stacks: unknown[] }[] };
  const group = j.acknowledgements.find((g) => g.reason === reason)!;
  // The control cites the copies, consecutive in the list, as one run.
  const first = model.acknowledgements.length;
  expect((JSON.parse(text) as { controls: { evidence: unknown[] }[] }).controls[0].evidence).toContainEqual({ acknowledgements: [first, first + copies.length] });
  expect(group.at).toEqual(acknowledgements.map((_, i) => i).slice(model.acknowledgements.length));
  expect(group.stacks).toEqual([...stacks.map((s) => s.stack), { stack: 'NotAnInputStack', cooperative: 'someone', file: 'cdk.out/elsewhere.json' }]);
  expect(validReport(j)).toBe(true);
  expect(parseReportJson(text)).toEqual(withCopies);
});

test("an acknowledgement's key properties are left to its inventory row when they are the row's, and written otherwise", () => {
  const model = buildReport(readReportInputs(dir), { today: '2026-11-27' });
  const coop = model.cooperatives.find((c) => c.cloud.resources.some((x) => Object.keys(x.properties).length > 0))!;
  const row = coop.cloud.resources.find((x) => Object.keys(x.properties).length > 0)!;
  const base = { ...model.acknowledgements[0], cooperative: coop.id, stack: row.stack, file: model.inputs.stacks.find((s) => s.stack === row.stack)!.file, logicalId: row.logicalId, type: row.type };
  const same = { ...base, reason: 'as the row', properties: row.properties };
  const other = { ...base, reason: 'other properties', properties: { Changed: 'yes' } };
  const none = { ...base, reason: 'no properties' };
  delete (none as { properties?: unknown }).properties;
  const withThree = { ...model, acknowledgements: [...model.acknowledgements, same, other, none] };
  const text = renderJson(withThree);
  const groups = (JSON.parse(text) as { acknowledgements: Record<string, unknown>[] }).acknowledgements;
  const group = (reason: string) => groups.find((g) => g.reason === reason)!;
  expect(group('as the row')).not.toHaveProperty('properties');
  expect(group('other properties').properties).toEqual({ Changed: 'yes' });
  expect(group('no properties').properties).toEqual({});
  expect(parseReportJson(text)).toEqual(withThree);
});

test('an acknowledgement with a field the model does not name is kept apart and read back with it', () => {
  const model = buildReport(readReportInputs(dir), { today: '2026-11-27' });
  const plain = model.acknowledgements[0];
  const odd = { ...plain, ticket: 'SEC-12' } as typeof plain;
  const withOdd = { ...model, acknowledgements: [...model.acknowledgements, odd] };
  const text = renderJson(withOdd);
  expect((JSON.parse(text) as { acknowledgements: Record<string, unknown>[] }).acknowledgements.filter((g) => g.ticket === 'SEC-12')).toHaveLength(1);
  expect(parseReportJson(text)).toEqual(withOdd);
});

test('fails when a control cites evidence inline that is neither a full item nor an index', () => {
  const r = read(REPORT_FILES.json) as { controls: { evidence: unknown[] }[] };
  const c = r.controls.find((x) => x.evidence.length > 0)!;
  c.evidence[0] = { acknowledgement: 'first' };
  expect(validReport(r)).toBe(false);
});

test('fails when passes are listed one finding per entry rather than per rule with stacks', () => {
  const r = read(REPORT_FILES.json) as { controls: { passes: unknown[] }[] };
  const c = r.controls.find((x) => x.passes.length > 0)!;
  c.passes[0] = { pack: 'P', rule: 'R', stack: 'S', count: 1, resources: ['r'] };
  expect(validReport(r)).toBe(false);
});

test('an inventory row leaves out a Terraform address (type.logicalId) and reads it back', () => {
  const model = buildReport(readReportInputs(dir), { today: '2026-11-27' });
  const coop = model.cooperatives.find((c) => c.idc.resources.length > 0)!;
  const row = coop.idc.resources[0];
  expect(row.address).toBe(`${row.type}.${row.logicalId}`);
  const r = read(REPORT_FILES.json) as { cooperatives: { id: string; idc: { resources: { stack: string; rows: unknown[][] }[] } }[] };
  const written = r.cooperatives.find((c) => c.id === coop.id)!.idc.resources.find((x) => x.stack === row.stack)!.rows.find((x) => x[1] === row.logicalId)!;
  expect(written.slice(0, 2)).toEqual([row.type, row.logicalId]);
  expect(written).not.toContain(row.address);
});

test('fails when an inventory lists one object per resource rather than rows per stack', () => {
  const r = read(REPORT_FILES.json) as { cooperatives: { cloud: { resources: unknown[] } }[] };
  const c = r.cooperatives.find((x) => x.cloud.resources.length > 0)!;
  c.cloud.resources[0] = { stack: 'S', type: 'AWS::S3::Bucket', logicalId: 'B', address: 'B/Resource', properties: {} };
  expect(validReport(r)).toBe(false);
});

test('fails when an acknowledgement is listed without the index controls cite it by', () => {
  const r = read(REPORT_FILES.json) as { acknowledgements: Record<string, unknown>[] };
  delete r.acknowledgements[0].at;
  expect(validReport(r)).toBe(false);
});

test('an older report.json is refused with a message saying how to rewrite it', () => {
  const text = readFileSync(join(dir, REPORT_FILES.json), 'utf8').replace(`"reportVersion": ${REPORT_VERSION}`, '"reportVersion": 2');
  expect(() => parseReportJson(text)).toThrow(ReportFormatError);
  expect(() => parseReportJson(text)).toThrow(/reportVersion 2.*coop-idc report/);
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
    writeReport(join(sarifDir, 'out-x'), '2026-11-27', { sarif: { configDir: join(sarifDir, 'config'), toolVersion: '0.1.0' } });
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
