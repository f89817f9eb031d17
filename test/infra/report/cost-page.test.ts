/** report/cost.html: the estimate of the report's month as a stacked bar chart and a table. */
import Ajv from 'ajv';
import { compile, type TenancyPlan } from '../../../infra';
import { estimateCost } from '../../../infra/cost';
import { buildReport, renderHtml, renderHtmlPages, renderJson, REPORT_SCHEMA } from '../../../infra/report';
import { COST_CHART_LIMIT, costChartSvg } from '../../../infra/report/svg';
import { generateSources } from '../../../infra/testing/synthetic';

const TODAY = '2026-11-27';
const planOf = (n: number, cost: boolean): TenancyPlan => compile(generateSources({ n, seed: 4, ...(cost ? { cost: { split: 'byMembers' as const } } : {}) }), { today: TODAY }).plan!;
const reportOf = (plan: TenancyPlan) => buildReport({ plan, findings: [], checkFiles: [], problems: [] }, { today: TODAY });

describe('cost page', () => {
  const plan = planOf(6, true);
  const report = reportOf(plan);
  const page = renderHtmlPages(report).find((p) => p.path === 'cost.html');

  test('the report carries the estimate of its month, and report.json still validates', () => {
    expect(report.cost).toEqual(estimateCost(plan, { month: '2026-11' }));
    const valid = new Ajv({ strict: false }).compile(REPORT_SCHEMA);
    expect(valid(JSON.parse(renderJson(report)))).toBe(true);
  });

  test('draws one bar per cooperative with the components stacked, and the table with the whole-plan total', () => {
    expect(page).toBeDefined();
    expect(page!.body).toContain('<svg');
    expect(page!.body.match(/data-coop="/g)).toHaveLength(6);
    expect(page!.body).toContain(report.cost!.total.toLocaleString('en-US'));
    expect(renderHtml(report)).toContain('href="cost.html"');
  });

  test('is byte-stable', () => {
    expect(renderHtmlPages(reportOf(plan)).find((p) => p.path === 'cost.html')).toEqual(page);
  });

  test('draws at most the chart limit of bars, largest first', () => {
    const e = estimateCost(planOf(COST_CHART_LIMIT + 5, true), { month: '2026-11' });
    const svg = costChartSvg(e);
    const drawn = [...svg.matchAll(/data-coop="([^"]+)"/g)].map((m) => m[1]);
    expect(drawn).toHaveLength(COST_CHART_LIMIT);
    const totals = drawn.map((id) => e.cooperatives.find((c) => c.id === id)!.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  test('is absent without a rate card', () => {
    const bare = reportOf(planOf(3, false));
    expect(bare.cost).toBeUndefined();
    expect(renderHtmlPages(bare).some((p) => p.path === 'cost.html')).toBe(false);
    expect(renderHtml(bare)).not.toContain('cost.html');
  });
});
