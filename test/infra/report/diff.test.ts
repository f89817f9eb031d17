import type { CheckFinding, Diagnostic, TenancyPlan } from '../../../infra';
import { diffDiagnostics, diffFindings, diffPlans, renderPlanDiffMarkdown, type SinceContext } from '../../../infra/report';
import { compileAt, patch, replaceOnce, sampleSources } from '../../support/config';

let base: TenancyPlan;
beforeAll(() => {
  base = compileAt(sampleSources()).plan!;
});

function planWith(...edits: [file: string, from: string, to: string][]): TenancyPlan {
  let s = sampleSources();
  for (const [file, from, to] of edits) s = patch(s, file, (t) => replaceOnce(t, from, to));
  const r = compileAt(s);
  if (!r.plan) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.plan;
}

const IBK_COLUMNS = 'columns: [failure_code, downtime_minutes, repair_cost_krw, occurred_at]';

describe('diffPlans', () => {
  test('no change gives an empty diff', () => {
    const d = diffPlans(base, base);
    expect(d.access).toEqual([]);
    expect(d.quotas).toEqual([]);
    expect(d.capacity).toEqual([]);
    expect(d.cooperatives).toEqual({ added: [], removed: [] });
  });

  test('a new column for a finance consumer is a gained permission', () => {
    const after = planWith(['korea-machinery', IBK_COLUMNS, 'columns: [failure_code, downtime_minutes, repair_cost_krw, occurred_at, machine_id]']);
    expect(diffPlans(base, after).access).toEqual([
      expect.objectContaining({
        change: 'modified',
        consumer: 'ibk-bank',
        cooperative: 'korea-machinery',
        dataset: 'maintenance_events',
        level: 'aggregated',
        columnsGained: ['machine_id'],
        columnsLost: [],
      }),
    ]);
  });

  test('a removed agreement is a lost permission with all its columns', () => {
    const before = base;
    const food = sampleSources().cooperatives.find((c) => c.relativePath.endsWith('korea-food.yaml'))!.text;
    const start = food.indexOf('  - consumer: mss');
    const end = food.indexOf('  - consumer: kiet');
    const after = planWith(['korea-food', food.slice(start, end), '']);
    expect(diffPlans(before, after).access).toEqual([
      expect.objectContaining({ change: 'revoked', consumer: 'mss', cooperative: 'korea-food', dataset: 'production_lots', columnsLost: ['member_company_id', 'plant_postcode', 'produced_on', 'product_category', 'quantity_kg'] }),
    ]);
  });

  test('a changed level is one permission lost and another gained', () => {
    const after = planWith(['korea-machinery', 'level: aggregated\n    aggregate:\n      dimensions: [failure_code]\n      grain: month\n      measures: [count, sum downtime_minutes, avg downtime_minutes, sum repair_cost_krw]\n      k: 10\n', 'level: pseudonymized\n']);
    const access = diffPlans(base, after).access.map((a) => `${a.change} ${a.consumer} ${a.level}`);
    expect(access).toEqual(['revoked ibk-bank aggregated', 'granted ibk-bank pseudonymized']);
  });

  test('changed terms (expiry) are reported without a permission change', () => {
    const after = planWith(['korea-food', 'expires: "2027-09-30"', 'expires: "2028-09-30"']);
    expect(diffPlans(base, after).access).toEqual([expect.objectContaining({ change: 'modified', consumer: 'kiet', columnsGained: [], columnsLost: [], terms: [{ field: 'expires', from: '2027-09-30', to: '2028-09-30' }] })]);
  });

  test('quota and capacity changes are listed per tenant and resource', () => {
    const after = planWith(['korea-food', 'cpu: "16"', 'cpu: "24"'], ['platform', 'nvidia-l40s: 32', 'nvidia-l40s: 40']);
    const d = diffPlans(base, after);
    expect(d.quotas).toEqual([{ tenant: 'korea-food', resource: 'cpu', from: '16', to: '24' }]);
    expect(d.capacity).toEqual([
      { tenant: 'reserved by all quotas', resource: 'cpu', from: expect.any(String), to: expect.any(String) },
      { tenant: 'cluster capacity', resource: 'gpu/nvidia-l40s', from: '32', to: '40' },
    ]);
  });

  test('tenants added and removed', () => {
    const fewer = { ...base, cooperatives: base.cooperatives.filter((c) => c.id !== 'korea-textile'), grants: base.grants.filter((g) => g.cooperative !== 'korea-textile') };
    const d = diffPlans(fewer, base);
    expect(d.cooperatives).toEqual({ added: ['korea-textile'], removed: [] });
    expect(diffPlans(base, fewer).cooperatives).toEqual({ added: [], removed: ['korea-textile'] });
    expect(diffPlans(base, fewer).access.every((a) => a.change === 'revoked' && a.cooperative === 'korea-textile')).toBe(true);
  });

  test('a PII reclassification is reported', () => {
    const after = planWith(['korea-machinery', '{ name: machine_id, type: string, required: true }', '{ name: machine_id, type: string, pii: quasi-identifier, required: true }']);
    expect(diffPlans(base, after).piiChanges).toEqual([{ column: 'korea-machinery/maintenance_events.machine_id', from: 'none', to: 'quasi-identifier' }]);
  });
});

const finding = (status: CheckFinding['status'], resource: string, rule = 'AwsSolutions-S10'): CheckFinding => ({
  pack: 'AwsSolutions',
  rule,
  controls: ['ISMS-P 2.7.1'],
  status,
  stack: 'S',
  resource,
  message: 'm',
  ...(status === 'acknowledged' ? { reason: 'accepted because' } : {}),
});

describe('diffFindings', () => {
  test('newly failing, newly acknowledged and resolved', () => {
    const d = diffFindings([finding('pass', 'a'), finding('fail', 'b'), finding('pass', 'c')], [finding('fail', 'a'), finding('pass', 'b'), finding('acknowledged', 'c'), finding('fail', 'd')]);
    expect(d.newlyFailing.map((f) => f.resource)).toEqual(['a', 'd']);
    expect(d.newlyAcknowledged.map((f) => f.resource)).toEqual(['c']);
    expect(d.resolved.map((f) => f.resource)).toEqual(['b']);
  });

  test('a finding failing on both sides is not new', () => {
    expect(diffFindings([finding('fail', 'a')], [finding('fail', 'a')]).newlyFailing).toEqual([]);
  });
});

describe('diffDiagnostics', () => {
  const diag = (line: number, code: string): Diagnostic => ({ file: 'f.yaml', line, col: 1, severity: 'warning', code, message: `m ${code}` });
  test('compares by file, code and message, not position', () => {
    const d = diffDiagnostics([diag(1, 'a'), diag(2, 'b')], [diag(10, 'a'), diag(3, 'c')]);
    expect(d.added.map((x) => x.code)).toEqual(['c']);
    expect(d.removed.map((x) => x.code)).toEqual(['b']);
  });
});

describe('renderPlanDiffMarkdown', () => {
  const ctx: SinceContext = { ref: 'main', commit: 'a'.repeat(40), configPath: 'config', diagnostics: { added: [], removed: [] }, notes: [] };

  test('says what was compared and that check results were not', () => {
    const md = renderPlanDiffMarkdown(diffPlans(base, base), ctx);
    expect(md).toMatch(/^## coop-idc: access and tenancy changes since `main` \(aaaaaaaaaaaa\)/);
    expect(md).toContain('### Access gained (0)');
    expect(md).toContain('### Access lost (0)');
    expect(md).toMatch(/were not compared: only the configuration exists at the old ref/);
  });

  test('lists gained and lost permissions and escapes table cells', () => {
    const after = planWith(['korea-machinery', IBK_COLUMNS, 'columns: [failure_code, downtime_minutes, repair_cost_krw, occurred_at, machine_id]']);
    const md = renderPlanDiffMarkdown(diffPlans(base, after), { ...ctx, notes: ['a | b <x>'] });
    expect(md).toContain('| ibk-bank | korea-machinery | maintenance_events | aggregated | machine_id | cooperatives/korea-machinery.yaml#sharing[1] |');
    expect(md).toContain('> a \\| b &lt;x&gt;');
  });

  test('reports check differences when a baseline is given', () => {
    const findings = diffFindings([finding('pass', 'a')], [finding('fail', 'a'), finding('acknowledged', 'b')]);
    const md = renderPlanDiffMarkdown(diffPlans(base, base), { ...ctx, findings });
    expect(md).toContain('1 newly failing, 1 newly acknowledged, 0 resolved');
    expect(md).toContain('- newly acknowledged: AwsSolutions AwsSolutions-S10 platform S/b, reason: accepted because');
  });
});
