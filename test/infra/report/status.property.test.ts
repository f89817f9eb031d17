/**
 * Status wording that cannot contradict itself: a control's status follows from its counts
 * by one rule (`controlStatus`), and HTML, Markdown and JSON say the same thing. Random
 * findings over the real control catalogue, so every mapping path is exercised.
 */
import fc from 'fast-check';
import type { CheckFinding, TenancyPlan } from '../../../infra';
import { buildReport, CONTROL_STATUS_LABEL, CONTROLS, controlStatus, formatCounts, parseReportJson, renderHtml, renderMarkdown, renderReportFiles, REPORT_FILES, type AuditReport, type ControlStatus } from '../../../infra/report';
import { samplePlan } from './fixture';

let plan: TenancyPlan;
beforeAll(() => {
  plan = samplePlan();
});

const PACK_RULES: readonly (readonly [string, string])[] = [
  ['AwsSolutions', 'AwsSolutions-S1'],
  ['AwsSolutions', 'AwsSolutions-S10'],
  ['AwsSolutions', 'AwsSolutions-KMS5'],
  ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
  ['K8sConformance', 'CIS-5.3.2'],
  ['K8sConformance', 'ADM-images'],
  ['K8sConformance', 'ADM-gpu-models'],
  ['Capacity', 'Capacity-quota-sum'],
  ['KoreaLaw', 'KR-PSEUDO-KEY'],
  ['ServiceQuotas', 'SQ-iam-roles'],
];
const CITATIONS = [...CONTROLS.map((c) => c.id), 'PIPA 28-4', 'ISMS-P 2.7.10', 'CIS 5.1.3'];

const finding: fc.Arbitrary<CheckFinding> = fc
  .record({
    pr: fc.constantFrom(...PACK_RULES),
    controls: fc.subarray(CITATIONS, { maxLength: 2 }),
    status: fc.constantFrom('pass', 'fail', 'acknowledged' as const),
    cooperative: fc.option(fc.constantFrom('korea-food', 'korea-textile'), { nil: undefined }),
    n: fc.nat(20),
  })
  .map(({ pr, controls, status, cooperative, n }) => ({
    pack: pr[0],
    rule: pr[1],
    controls,
    status: status as CheckFinding['status'],
    ...(cooperative ? { cooperative } : {}),
    stack: cooperative ? `Coop-${cooperative}` : 'Platform',
    resource: `R${n}/Resource`,
    message: `m${n}`,
    ...(status === 'fail' ? { fix: 'fix it' } : status === 'acknowledged' ? { reason: 'accepted because' } : {}),
  }));

function reportOf(findings: readonly CheckFinding[]): AuditReport {
  return buildReport({ plan, findings, checkFiles: findings.length ? ['checks/x.json'] : [], problems: [] }, { today: '2026-11-27' });
}

/** Control id → [status label, counts text] as the index page's controls table shows it. */
function htmlControls(html: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const m of html.matchAll(/<tr data-control="([^"]+)" data-status="([^"]+)">(.*?)<\/tr>/g)) {
    const counts = /data-counts="([^"]*)"/.exec(m[3])![1];
    out.set(m[1].replace(/&amp;/g, '&'), [m[2], counts]);
  }
  return out;
}

describe('control status', () => {
  test('one rule: failed, then acknowledged, then passed on any passed evidence, else no evidence', () => {
    expect(controlStatus({ pass: 3, acknowledged: 0, fail: 1 })).toBe('failed');
    expect(controlStatus({ pass: 3, acknowledged: 2, fail: 0 })).toBe('acknowledged');
    expect(controlStatus({ pass: 2, acknowledged: 0, fail: 0 })).toBe('passed');
    expect(controlStatus({ pass: 0, acknowledged: 0, fail: 0 })).toBe('no-evidence');
  });

  test('fails when a control reads "no evidence" beside passed evidence (no check results: plan facts are context, not counted)', () => {
    const r = reportOf([]);
    for (const c of r.controls) {
      expect({ id: c.id, status: c.status }).toEqual({ id: c.id, status: controlStatus(c.counts) });
      if (c.status === 'no-evidence') expect([...c.evidence, ...c.passes]).toEqual([]);
    }
    // Plan facts that alone do not establish a control stay visible as context.
    const keys = r.controls.find((c) => c.id === 'ISMS-P 2.7.1')!;
    expect(keys.status).toBe('no-evidence');
    expect(keys.context!.length).toBe(plan.cooperatives.length);
  });

  test('over random findings, status follows the counts and HTML, Markdown and JSON agree', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 25 }), (findings) => {
        const r = reportOf(findings);
        const json = parseReportJson(renderReportFiles(r)[REPORT_FILES.json]);
        const html = htmlControls(renderHtml(r));
        const md = renderMarkdown(r);
        for (const c of r.controls) {
          const status: ControlStatus = controlStatus(c.counts);
          expect(c.status).toBe(status);
          expect(c.status === 'no-evidence').toBe(c.evidence.length === 0 && c.passes.length === 0);
          expect(json.controls.find((x) => x.id === c.id)).toMatchObject({ status, counts: c.counts });
          expect(html.get(c.id)).toEqual([status, formatCounts(c.counts)]);
          expect(md).toContain(`| ${c.id} | ${c.title.ko} (${c.title.en}) | ${CONTROL_STATUS_LABEL[status]} | ${formatCounts(c.counts)} |`);
        }
        expect(json.summary.controls).toEqual({
          passed: r.controls.filter((c) => c.status === 'passed').length,
          acknowledged: r.controls.filter((c) => c.status === 'acknowledged').length,
          failed: r.controls.filter((c) => c.status === 'failed').length,
          'no-evidence': r.controls.filter((c) => c.status === 'no-evidence').length,
        });
      }),
      { numRuns: 60 },
    );
  });
});
