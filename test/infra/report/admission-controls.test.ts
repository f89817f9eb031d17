import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenancyPlan } from '../../../infra';
import { buildReport, CONTROLS, readReportInputs, type AuditReport } from '../../../infra/report';
import { compactFindings, expandCheckFile } from '../../../infra/checks/findings';
import { generateSources } from '../../../infra/testing/synthetic';
import { buildIdc, KUBERNETES_FINDINGS } from '../../../build/idc-step';
import { compileAt } from '../../support/config';

// The real IDC step's output on generated config is the evidence; each "fails when" test
// turns one guardrail's findings into failures and shows which controls go red.
const TODAY = '2026-11-27';
const plan: TenancyPlan = compileAt(generateSources({ n: 6, seed: 5 })).plan!;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-adm-report-'));
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
  expect(buildIdc(plan, dir).failure).toBeUndefined();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const control = (r: AuditReport, id: string) => r.controls.find((c) => c.id === id)!;
const rulesOf = (r: AuditReport, id: string) => [...new Set([...control(r, id).evidence, ...control(r, id).passes].map((e) => e.rule))].sort();

/** The report with every finding of `rule` turned into a failure. */
function reportWithFailing(rule: string): AuditReport {
  const file = join(dir, KUBERNETES_FINDINGS);
  const original = readFileSync(file, 'utf8');
  try {
    const findings = expandCheckFile(JSON.parse(original));
    for (const f of findings) if (f.rule === rule) Object.assign(f, { status: 'fail', message: 'no binding denies', fix: 'render the guardrails' });
    writeFileSync(file, JSON.stringify(compactFindings(findings)));
    return buildReport(readReportInputs(dir), { today: TODAY });
  } finally {
    writeFileSync(file, original);
  }
}

describe('admission guardrails in the audit report', () => {
  const report = () => buildReport(readReportInputs(dir), { today: TODAY });

  test('the catalogue has the change, capacity and malware controls with Korean titles', () => {
    const byId = Object.fromEntries(CONTROLS.map((c) => [c.id, c.title.ko]));
    expect(byId).toMatchObject({ 'ISMS-P 2.9.1': '변경관리', 'ISMS-P 2.9.2': '성능 및 장애관리', 'ISMS-P 2.10.9': '악성코드 통제' });
  });

  test.each([
    ['ISMS-P 2.9.1', ['ADM-images', 'CIS-5.5.1']],
    ['ISMS-P 2.9.2', ['ADM-gpu-models', 'Capacity-quota-sum', 'MTB-PL1-CC-FNS-1']],
    ['ISMS-P 2.10.9', ['ADM-images']],
  ])('%s passes on the guardrail findings, which are its evidence', (id, rules) => {
    const r = report();
    expect(control(r, id).status).toBe('passed');
    expect(rulesOf(r, id)).toEqual(rules);
  });

  test('ISMS-P 2.10.2 (cloud security) counts the IDC host-isolation guardrail and checks as evidence', () => {
    expect(rulesOf(report(), 'ISMS-P 2.10.2')).toEqual(expect.arrayContaining(['ADM-host-isolation', 'MTB-PL1-BC-CPI-5', 'MTB-PL1-BC-HI-1-hostpath', 'MTB-PL1-BC-HI-3', 'MTB-PL1-BC-HI-4', 'MTB-PL1-BC-HI-5']));
  });

  test.each([
    ['ADM-images', ['ISMS-P 2.9.1', 'ISMS-P 2.10.9']],
    ['ADM-gpu-models', ['ISMS-P 2.9.2']],
    ['ADM-host-isolation', ['ISMS-P 2.10.2']],
  ])('fails when %s fails: %s go red, with the namespace as evidence', (rule, ids) => {
    const r = reportWithFailing(rule);
    for (const id of ids) {
      expect([id, control(r, id).status]).toEqual([id, 'failed']);
      expect(control(r, id).evidence.find((e) => e.status === 'fail')).toMatchObject({ rule, resource: expect.stringMatching(/^kubernetes_namespace_v1\./) });
    }
    const red = r.controls.filter((c) => c.status === 'failed').map((c) => c.id).sort();
    expect(red).toEqual([...ids].sort());
  });
});
