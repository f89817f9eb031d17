/**
 * The report of a large build: at 1,000 cooperatives `checks/aws.json` holds ~300,000
 * findings. Spreading that many values into one call's arguments (`push(...findings)`)
 * exceeds the call stack, and the report then dropped the whole file as "not read": the
 * build passed with an audit report that had no AWS evidence. Grouping them by pack and
 * rule copied each rule's list once per finding (quadratic: minutes at this size).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckFinding } from '../../../infra';
import { buildReport, readReportInputs, type AuditReport, type ReportInputs } from '../../../infra/report';
import { fixtureFindings, samplePlan, writeFixtureOutput } from './fixture';

const COUNT = 200_000;
let dir: string;
let inputs: ReportInputs;
let report: AuditReport;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-large-'));
  const plan = samplePlan();
  writeFixtureOutput(dir, plan);
  // The fixture's failing and acknowledged findings, repeated on distinct resources.
  const { aws } = fixtureFindings(plan);
  const templates = aws.filter((f) => f.status !== 'pass');
  const many: CheckFinding[] = [];
  for (let i = 0; i < COUNT; i++) {
    const t = templates[i % templates.length];
    many.push({ ...t, resource: `${t.resource}-${String(i).padStart(6, '0')}` });
  }
  writeFileSync(join(dir, 'checks', 'aws-solutions.json'), JSON.stringify({ findings: many }));
  inputs = readReportInputs(dir);
  report = buildReport(inputs, { today: '2026-11-27' });
  // ~2 s here; the quadratic grouping took minutes (this hook then hangs rather than fails).
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('reads every finding of a checks file with hundreds of thousands of them', () => {
  expect(inputs.problems).toEqual([]);
  expect(report.summary.checks.fail + report.summary.checks.acknowledged).toBe(COUNT);
  expect(report.failures).toHaveLength(COUNT / 2);
});
