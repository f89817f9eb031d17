/**
 * The report's accounts section (issue 14 part 6): each AWS account (data lake and cells),
 * the cooperatives it holds against the cell's capacity, and its service-quota use as the
 * real ServiceQuotas check measured it; a table and a bar chart.
 */
import type { CheckFinding, TenancyPlan } from '../../../infra';
import { checkServiceQuotas, type QuotaStackInput } from '../../../infra/checks/aws/service-quotas';
import { accountsSvg, buildReport, renderHtml, renderMarkdown } from '../../../infra/report';
import { generateSources, syntheticCellAccount } from '../../../infra/testing/synthetic';
import { compileAt } from '../../support/config';

const plan: TenancyPlan = compileAt(generateSources({ n: 6, seed: 5, cellCapacity: 3 })).plan!;

/** One stack per cooperative in its account with `roles` IAM roles, and the data-lake stack. */
function quotaFindings(roles: number): CheckFinding[] {
  const stacks: QuotaStackInput[] = [
    ...plan.cooperatives.map((c) => ({
      stack: `Coop-${c.id}`,
      account: c.account,
      region: plan.platform.region,
      cooperative: c.id,
      template: { Resources: Object.fromEntries(Array.from({ length: roles }, (_, i) => [`Role${i}`, { Type: 'AWS::IAM::Role' }])) },
    })),
    { stack: 'Platform', account: plan.platform.account, region: plan.platform.region, template: { Resources: { Role: { Type: 'AWS::IAM::Role' } } } },
  ];
  return checkServiceQuotas(stacks);
}

function reportWith(findings: readonly CheckFinding[]) {
  return buildReport({ plan, findings, checkFiles: ['checks/service-quotas.json'], problems: [] }, { today: '2026-11-27' });
}

describe('accounts and cells', () => {
  test('lists the data-lake account and every cell with its cooperatives and capacity', () => {
    const r = reportWith(quotaFindings(6));
    expect(r.accounts.map((a) => [a.kind, a.cell ?? '-', a.account])).toEqual([
      ['data-lake', '-', plan.platform.account],
      ['cell', 'cell-01', syntheticCellAccount(0)],
      ['cell', 'cell-02', syntheticCellAccount(1)],
    ]);
    const cell1 = r.accounts[1];
    expect(cell1.cooperatives).toEqual(plan.platform.cells[0].cooperatives);
    expect(cell1.capacity).toBe(3);
  });

  test('carries each account-level quota with count, limit and percent from the quota check', () => {
    const r = reportWith(quotaFindings(7));
    const roles = r.accounts[1].quotas.find((q) => q.rule === 'SQ-iam-roles')!;
    // Three cooperatives of seven roles each in cell-01 (admin, uploader, ingestion, push API,
    // Lake Formation location, erasure, bucket notifications), of IAM's 1,000.
    expect(roles).toMatchObject({ used: 21, limit: 1000, percent: '2.1', status: 'pass' });
    expect(r.accounts[0].quotas.find((q) => q.rule === 'SQ-iam-roles')).toMatchObject({ used: 1, limit: 1000 });
  });

  test('fails when a cell above 80 % of a quota does not show as failed in table and chart', () => {
    const r = reportWith(quotaFindings(300));
    const roles = r.accounts[1].quotas.find((q) => q.rule === 'SQ-iam-roles')!;
    expect(roles).toMatchObject({ used: 900, limit: 1000, percent: '90.0', status: 'fail' });
    expect(r.accounts[1].status).toBe('fail');
    const svg = accountsSvg(r.accounts);
    expect(svg).toMatch(new RegExp(`data-account="${syntheticCellAccount(0)}"[^>]*data-status="fail"`));
    expect(renderHtml(r)).toContain('<section id="accounts">');
    expect(renderMarkdown(r)).toMatch(/\| cell-01 \| \d{12} \| 3 \/ 3 \| .*Roles in an AWS account.*90\.0 %/);
  });
});
