import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFindings, compile, expandPasses, type PassGroup, type TenancyPlan } from '../../../infra';
import { agreement, sharingSources } from '../../support/sharing-fixture';
import { formatMessage } from '../../../infra/config/messages';
import {
  attentionOf,
  buildReport,
  citesControl,
  controlPagePath,
  CONTROLS,
  parseReportJson,
  readReportInputs,
  renderReportFiles,
  reportNotes,
  REPORT_FILES,
  type AuditReport,
} from '../../../infra/report';
import { compileAt, patch, replaceOnce, sampleCooperativeIds, sampleSources, sampleTotals } from '../../support/config';
import { samplePlan, writeFixtureOutput } from './fixture';

const TODAY = '2026-11-27';
let plan: TenancyPlan;
let dir: string;

beforeAll(() => {
  plan = samplePlan();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function reportOf(p: TenancyPlan, opts: Parameters<typeof writeFixtureOutput>[2] = {}, today = TODAY): AuditReport {
  writeFixtureOutput(dir, p, opts);
  return buildReport(readReportInputs(dir), { today });
}

/** report.json as a reader of the file sees it. */
function json(r: AuditReport): AuditReport {
  return parseReportJson(renderReportFiles(r)[REPORT_FILES.json]);
}

const control = (r: AuditReport, id: string) => r.controls.find((c) => c.id === id)!;

describe('report.md', () => {
  test('counts each inventory by type and links the HTML page that lists every row, which the report writes', () => {
    const r = reportOf(plan);
    const files = renderReportFiles(r);
    const md = files[REPORT_FILES.markdown];
    const coop = r.cooperatives.find((c) => c.cloud.resources.length > 0)!;
    const types = new Map<string, number>();
    for (const row of coop.cloud.resources) types.set(row.type, (types.get(row.type) ?? 0) + 1);
    const line = md.split('\n').find((l) => l.startsWith('**Cloud inventory:**') && l.includes(`report/coops/${coop.id}.html`))!;
    expect(line).toContain(`${coop.cloud.resources.length} resources in ${coop.cloud.stacks.join(', ')}`);
    for (const [type, n] of types) expect(line).toContain(`${type} ${n}`);
    // The rows themselves are on the page it links, not in report.md.
    const row = coop.cloud.resources[0];
    expect(md).not.toContain(`| ${row.logicalId} |`);
    expect(files[`report/coops/${coop.id}.html`]).toContain(row.logicalId);
    for (const [, link] of md.matchAll(/\]\(([^)]+\.html)\)/g)) expect(Object.keys(files)).toContain(link);
  });
});

describe('report.json for the samples', () => {
  test('summary counts cooperatives, datasets, consumers, agreements and check outcomes', () => {
    const r = json(reportOf(plan));
    const samples = sampleTotals();
    expect(r.summary).toEqual({
      cooperatives: samples.cooperatives,
      datasets: samples.datasets,
      consumers: samples.consumers,
      agreements: samples.agreements,
      agreementsExpiringSoon: 0,
      checks: { pass: 5, acknowledged: 1, fail: 1 },
      controls: expect.any(Object),
    });
    expect(r.inputs.notes).toEqual([]);
    expect(r.cooperatives.map((c) => c.id)).toEqual(sampleCooperativeIds());
  });

  test('a failing check shows up as failed: in its controls, the failure list and its cooperative', () => {
    const r = json(reportOf(plan));
    expect(control(r, 'ISMS-P 2.7.1').status).toBe('failed');
    expect(control(r, 'Safety measures standard art. 7').status).toBe('failed');
    expect(control(r, 'ISMS-P 2.10.2').status).toBe('failed');
    expect(r.failures).toEqual([
      expect.objectContaining({
        rule: 'AwsSolutions-S10',
        status: 'fail',
        cooperative: 'korea-food',
        type: 'AWS::S3::Bucket',
        logicalId: 'CuratedBucketD4E5F6',
        file: 'cdk.out/CoopKoreaFood.template.json',
        properties: expect.objectContaining({ BucketName: 'kbiz-prod-korea-food-curated-444455556666', Encryption: 'aws:kms' }),
        fix: 'set enforceSSL: true on the bucket',
      }),
    ]);
    const food = r.cooperatives.find((c) => c.id === 'korea-food')!;
    expect(food.checks).toEqual({ pass: 4, acknowledged: 0, fail: 1 });
    expect(attentionOf(r, food.id).map((e) => e.rule)).toEqual(['AwsSolutions-S10']);
    expect(r.packs.find((p) => p.pack === 'AwsSolutions')!.rules.find((x) => x.rule === 'AwsSolutions-S10')).toMatchObject({ status: 'failed', counts: { pass: 1, acknowledged: 0, fail: 1 } });
  });

  test('the same control passes when the failure is fixed', () => {
    const r = reportOf(plan, { failing: false });
    expect(control(r, 'ISMS-P 2.7.1').status).toBe('passed');
    expect(r.failures).toEqual([]);
  });

  test('every acknowledgement is listed with its reason, and its controls show acknowledged', () => {
    const r = json(reportOf(plan));
    expect(r.acknowledgements).toEqual([expect.objectContaining({ rule: 'AwsSolutions-S1', stack: 'Platform', reason: expect.stringMatching(/log destination/) })]);
    expect(control(r, 'ISMS-P 2.9.4').status).toBe('acknowledged');
    expect(control(r, 'Safety measures standard art. 8').status).toBe('acknowledged');
  });

  test('a control with nothing mapped is "no evidence", never passed', () => {
    const r = reportOf(plan);
    expect(control(r, 'PIPA art. 28-3')).toMatchObject({ status: 'no-evidence', evidence: [] });
    // The fixture has no change-management, capacity or image-guardrail findings either.
    expect(r.controls.filter((c) => c.status === 'no-evidence').map((c) => c.id).sort()).toEqual(['ISMS-P 2.10.9', 'ISMS-P 2.9.1', 'ISMS-P 2.9.2', 'PIPA art. 28-3']);
    expect(r.summary.controls['no-evidence']).toBe(4);
  });

  test('stacks are attributed to their cooperative; the rest is platform inventory', () => {
    const r = json(reportOf(plan));
    const food = r.cooperatives.find((c) => c.id === 'korea-food')!;
    expect(food.cloud.stacks).toEqual(['CoopKoreaFood']);
    expect(food.cloud.resources.map((x) => `${x.type} ${x.logicalId}`)).toEqual([
      'AWS::KMS::Alias KeyAlias0F0F0F',
      'AWS::KMS::Key KeyABC123',
      'AWS::S3::Bucket CuratedBucketD4E5F6',
      'AWS::S3::Bucket QuarantineBucket778899',
      'AWS::S3::Bucket RawBucketA1B2C3',
    ]);
    expect(food.cloud.resources.find((x) => x.logicalId === 'KeyABC123')!.properties).toEqual({ DeletionPolicy: 'Retain', Description: 'data key of korea-food', Rotation: 'true' });
    expect(food.idc.stacks).toEqual(['coop-korea-food']);
    expect(food.idc.resources.find((x) => x.type === 'kubernetes_namespace_v1')!.properties).toEqual({ Name: 'coop-korea-food', 'Pod security (enforce)': 'restricted' });
    expect(r.platform.cloud.stacks).toEqual(['Platform']);
    expect(r.platform.idc.stacks).toEqual(['idc-platform']);
    expect(r.cooperatives.find((c) => c.id === 'korea-textile')!.cloud).toEqual({ found: true, stacks: [], resources: [] });
  });

  test('datasets carry the PII class of every column and the sharing matrix every agreement', () => {
    const r = json(reportOf(plan));
    const food = r.cooperatives.find((c) => c.id === 'korea-food')!;
    expect(food.datasets.find((d) => d.name === 'production_lots')!.columns).toContainEqual({ name: 'plant_postcode', pii: 'quasi-identifier', generalized: true });
    expect(food.sharing).toEqual([
      expect.objectContaining({ consumer: 'kiet', dataset: 'cold_chain_readings', level: 'pseudonymized', expires: '2027-09-30', legalBasis: expect.stringMatching(/28-2/), expiringSoon: false }),
      expect.objectContaining({ consumer: 'mss', consumerKind: 'government', dataset: 'production_lots', level: 'aggregated', columns: ['member_company_id', 'plant_postcode', 'produced_on', 'product_category', 'quantity_kg'] }),
    ]);
  });

  test('agreements ending within 30 days of the report date are flagged, counting from today', () => {
    const at = (today: string) => reportOf(plan, {}, today).cooperatives.find((c) => c.id === 'korea-food')!.sharing.find((s) => s.consumer === 'kiet')!;
    expect(at('2027-08-31')).toMatchObject({ daysLeft: 30, expiringSoon: true });
    expect(at('2027-08-30')).toMatchObject({ daysLeft: 31, expiringSoon: false });
    expect(reportOf(plan, {}, '2027-09-10').summary.agreementsExpiringSoon).toBe(1);
  });

  test('the capacity rows and data flow come from the plan', () => {
    const r = reportOf(plan);
    expect(r.capacity.map((c) => c.resource)).toEqual(plan.capacity.rows.map((x) => x.resource));
    expect(r.dataFlow.edges).toHaveLength(plan.grants.length);
    expect(r.dataFlow.consumers.map((c) => c.id)).toEqual(['ibk-bank', 'kiet', 'mss']);
  });
});

describe('missing or broken output', () => {
  test('says so explicitly when no renderer or check has run', () => {
    const r = reportOf(plan, { cloud: false, idc: false, checks: false });
    // The report states them in English, its own language, whatever the run's.
    expect(r.inputs.notes).toEqual([
      'no cloud synth output found (cdk.out/ is missing): the cloud inventory is empty and cdk-nag evidence is absent',
      'no IDC synth output found (cdktf.out/ is missing): the IDC inventory is empty and Kubernetes conformance evidence is absent',
      'no check results found (checks/ is missing or empty): every control backed only by checks shows "no evidence"',
    ]);
    expect(r.cooperatives[0].cloud).toEqual({ found: false, stacks: [], resources: [] });
    // Controls that need a check on the synthesized output are not passed on plan facts alone.
    for (const id of ['ISMS-P 2.6.1', 'ISMS-P 2.7.1', 'ISMS-P 2.7.2', 'ISMS-P 2.9.4', 'ISMS-P 2.10.2', 'Safety measures standard art. 7']) {
      expect(control(r, id).status).toBe('no-evidence');
    }
    const md = renderReportFiles(r)[REPORT_FILES.markdown];
    expect(md).toContain('no cloud synth output found');
  });

  test('an unreadable check file is reported and skipped, not a crash', () => {
    writeFixtureOutput(dir, plan);
    writeFileSync(join(dir, 'checks', 'broken.json'), '{ "findings": [ { "pack": "X" } ] }');
    writeFileSync(join(dir, 'checks', 'truncated.json'), '{ "findin');
    const r = buildReport(readReportInputs(dir), { today: TODAY });
    expect(r.inputs.notes).toEqual([expect.stringMatching(/^checks\/broken\.json: not read \(findings\[0\] lacks/), expect.stringMatching(/^checks\/truncated\.json: not read/)]);
    // The same notes as catalogue messages, for the terminal in the run's language.
    const notes = reportNotes(readReportInputs(dir));
    expect(notes.map((n) => formatMessage('en', n))).toEqual(r.inputs.notes);
    expect(notes.map((n) => formatMessage('ko', n))).toEqual([expect.stringMatching(/^checks\/broken\.json: 읽지 못했습니다 \(findings\[0\] lacks/), expect.stringMatching(/^checks\/truncated\.json: 읽지 못했습니다/)]);
    expect(r.summary.checks).toEqual({ pass: 5, acknowledged: 1, fail: 1 });
  });
});

describe('plan facts', () => {
  test('fails log retention when the plan keeps logs shorter than required', () => {
    const short = { ...plan, platform: { ...plan.platform, audit: { ...plan.platform.audit, logRetentionDays: 365 } } } as TenancyPlan;
    const r = reportOf(short, { failing: false });
    expect(control(r, 'ISMS-P 2.9.4').status).toBe('failed');
    expect(control(r, 'ISMS-P 2.9.4').evidence[0]).toMatchObject({ source: 'plan', rule: 'log-retention', status: 'fail' });
  });

  test('fails the pseudonymization controls when a consumer reads outside the shared zone', () => {
    const leaky = { ...plan, grants: plan.grants.map((g) => (g.level === 'pseudonymized' ? { ...g, database: 'kbiz_prod_korea_food' } : g)) } as TenancyPlan;
    const r = reportOf(leaky, { failing: false });
    expect(control(r, 'ISMS-P 3.2.5').status).toBe('failed');
    expect(control(r, 'PIPA art. 28-2').status).toBe('failed');
  });

  test('fails ISMS-P 3.2.5 and PIPA 28-5 when a sensitive column is granted without a separate legal basis (the plan was edited past validation)', () => {
    const grants = plan.grants.map((g) => (g.consumer === 'mss' && g.cooperative === 'kbiz-federation'
      ? { ...g, columns: [...g.columns, 'disability_owned'].sort(), disclosures: [...g.disclosures, { column: 'disability_owned', disclosure: { kind: 'aggregate-only' as const, use: 'any' as const } }] }
      : g));
    const r = reportOf({ ...plan, grants } as TenancyPlan, { failing: false });
    for (const id of ['ISMS-P 3.2.5', 'PIPA art. 28-5']) {
      expect(control(r, id).status).toBe('failed');
      expect(control(r, id).evidence.find((e) => e.status === 'fail')!.message).toMatch(/disability_owned refused \(sensitive-without-basis\)/);
    }
  });

  test('fails ISMS-P 3.2.5 when a grant records another disclosure than disclosureOf gives', () => {
    const grants = plan.grants.map((g) => (g.level === 'pseudonymized' ? { ...g, disclosures: g.disclosures.map((d) => ({ ...d, disclosure: { kind: 'clear' as const } })) } : g));
    const r = reportOf({ ...plan, grants } as TenancyPlan, { failing: false });
    expect(control(r, 'ISMS-P 3.2.5').status).toBe('failed');
    expect(control(r, 'ISMS-P 3.2.5').evidence.find((e) => e.status === 'fail')!.message).toMatch(/member_company_id granted as clear but disclosureOf gives token/);
  });

  test('PIPA 28-4 passes on the manifests\' processing records, linked per shared dataset', () => {
    const r = reportOf(plan, { failing: false });
    const records = control(r, 'PIPA art. 28-4').evidence.filter((e) => e.rule === 'pseudonymization-record');
    const shared = plan.cooperatives.flatMap((c) => c.datasets.filter((d) => d.sharedColumns).map((d) => `s3://${c.cloud.buckets.curated}/_manifests/${d.name}/`));
    expect(records.map((e) => e.resource).sort()).toEqual(shared.sort());
    expect(records.every((e) => /tokenised .*member_company_id/.test(e.message))).toBe(true);
  });

  test('the matrix lists every granted column of every consumer with its disclosure', () => {
    const r = reportOf(plan, { failing: false });
    expect(r.disclosureMatrix).toHaveLength(plan.grants.reduce((n, g) => n + g.columns.length, 0));
    const g = plan.grants.find((x) => x.level === 'pseudonymized')!;
    expect(r.disclosureMatrix).toContainEqual(expect.objectContaining({ consumer: g.consumer, cooperative: g.cooperative, column: 'member_company_id', disclosure: 'token', source: g.source }));
  });

  test('fails PIPA art. 28-5 when a finance consumer reads an identifier raw', () => {
    const raw = plan.grants.map((g) => (g.consumer === 'ibk-bank' ? { ...g, level: 'raw' as const, columns: [...g.columns, 'member_company_id'].sort() } : g));
    const r = reportOf({ ...plan, grants: raw } as TenancyPlan, { failing: false });
    expect(control(r, 'PIPA art. 28-5').status).toBe('failed');
    const evidence = control(r, 'PIPA art. 28-5').evidence;
    expect(evidence.find((e) => e.rule === 'no-raw-personal')!.message).toMatch(/finance consumer ibk-bank reads personal columns member_company_id raw/);
    // The disclosure fact, recomputed with disclosureOf, catches the same grant on its own.
    expect(evidence.find((e) => e.rule === 'disclosure' && e.status === 'fail')!.message).toMatch(/member_company_id refused \(pii-raw-share\)/);
  });

  test('fails the pseudonymization key fact when it is also a data key', () => {
    const shared = { ...plan, platform: { ...plan.platform, pseudonymizationKeyAlias: plan.cooperatives[0].cloud.keyAlias } } as TenancyPlan;
    expect(control(reportOf(shared, { failing: false }), 'ISMS-P 2.7.2').status).toBe('failed');
  });
});

describe('control citations', () => {
  const c = (id: string) => CONTROLS.find((x) => x.id === id)!;
  test.each([
    ['ISMS-P 2.7.1', 'ISMS-P 2.7.1', true],
    ['ISMS-P 2.7.1 (encryption)', 'ISMS-P 2.7.1', true],
    ['isms-p 2.7.1', 'ISMS-P 2.7.1', true],
    ['ISMS-P 2.7.10', 'ISMS-P 2.7.1', false],
    ['ISMS-P 2.7.1.2', 'ISMS-P 2.7.1', false],
    ['ISMS-P 2.10.2', 'ISMS-P 2.10.2', true],
    ['ISMS-P 2.1', 'ISMS-P 2.10.2', false],
    ['PIPA art. 28-2', 'PIPA art. 28-2', true],
    ['PIPA art. 28-20', 'PIPA art. 28-2', false],
    ['개인정보 보호법 제28조의4', 'PIPA art. 28-4', true],
    ['Safety measures standard art. 8.', 'Safety measures standard art. 8', true],
  ])('%s cites %s: %s', (citation, id, expected) => {
    expect(citesControl(citation, c(id))).toBe(expected);
  });

  test('the catalogue covers exactly the controls the issue names', () => {
    expect(CONTROLS.map((x) => x.id)).toEqual([
      'ISMS-P 2.6.1',
      'ISMS-P 2.7.1',
      'ISMS-P 2.7.2',
      'ISMS-P 2.9.1',
      'ISMS-P 2.9.2',
      'ISMS-P 2.9.4',
      'ISMS-P 2.10.2',
      'ISMS-P 2.10.9',
      'ISMS-P 3.2.5',
      'ISMS-P 3.3.1',
      'PIPA art. 21',
      'PIPA art. 28-2',
      'PIPA art. 28-3',
      'PIPA art. 28-4',
      'PIPA art. 28-5',
      'PIPA art. 36',
      'Safety measures standard art. 7',
      'Safety measures standard art. 8',
    ]);
  });
});

describe('determinism and escaping', () => {
  test('the same input gives byte-identical files', () => {
    writeFixtureOutput(dir, plan);
    const a = renderReportFiles(buildReport(readReportInputs(dir), { today: TODAY }));
    const b = renderReportFiles(buildReport(readReportInputs(dir), { today: TODAY }));
    expect(Object.keys(a).slice(0, 3)).toEqual([REPORT_FILES.html, REPORT_FILES.json, REPORT_FILES.markdown]);
    // One page per cooperative, per control, the platform page and, with a rate card, the cost page.
    expect(Object.keys(a).slice(3).sort()).toEqual(
      [...plan.cooperatives.map((c) => `report/coops/${c.id}.html`), ...CONTROLS.map((c) => `report/${controlPagePath(c.id)}`), 'report/platform.html', ...(plan.platform.cost ? ['report/cost.html'] : [])].sort(),
    );
    for (const f of Object.keys(a)) expect(b[f]).toBe(a[f]);
    // A second compile of the same config gives the same bytes too (no clock, no map order).
    const other = mkdtempSync(join(tmpdir(), 'coop-idc-report-'));
    try {
      writeFixtureOutput(other, compileAt(sampleSources()).plan!);
      const c = renderReportFiles(buildReport(readReportInputs(other), { today: TODAY }));
      for (const f of Object.keys(a)) expect(c[f]).toBe(a[f]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('a cooperative not in the plan is noted whether a finding or only a pass group names it', () => {
    writeFixtureOutput(dir, plan);
    const inputs = readReportInputs(dir);
    const pass: PassGroup = { pack: 'AwsSolutions', rule: 'AwsSolutions-S1', controls: [], cooperative: 'gone-coop', stack: 'CoopGone', message: 'logging on', count: 1, resources: ['Raw/Resource'] };
    const fail = { ...inputs.findings[0], cooperative: 'other-gone' };
    const notes = (i: typeof inputs) => reportNotes(i).map((n) => formatMessage('en', n));
    expect(notes({ ...inputs, passes: [...(inputs.passes ?? []), pass] })).toContain('findings name cooperatives that are not in the plan: gone-coop (output from an older build?)');
    expect(notes({ ...inputs, findings: [...inputs.findings, fail], passes: [...(inputs.passes ?? []), pass] })).toContain('findings name cooperatives that are not in the plan: gone-coop, other-gone (output from an older build?)');
    expect(notes(inputs).some((n) => n.startsWith('findings name cooperatives'))).toBe(false);
  });

  test('passes kept in groups, as check files store them, give the files of the same passes one by one', () => {
    writeFixtureOutput(dir, plan);
    const inputs = readReportInputs(dir);
    const account = plan.platform.account;
    const group = (rule: string, controls: string[], stack: string, message: string, resources: string[], cooperative?: string): PassGroup => ({
      pack: rule.startsWith('SQ-') ? 'ServiceQuotas' : 'AwsSolutions',
      rule,
      controls,
      ...(cooperative ? { cooperative } : {}),
      stack,
      message,
      count: resources.length,
      resources,
    });
    const passes = [
      // Resources out of order; the same rule and stack again with another message and a repeated resource.
      group('AwsSolutions-S1', ['ISMS-P 2.9.4'], 'CoopKoreaFood', 'logging on', ['Raw/Resource', 'Curated/Resource'], 'korea-food'),
      group('AwsSolutions-S1', ['ISMS-P 2.9.4'], 'CoopKoreaFood', 'logging on (2)', ['Raw/Resource', 'Shared/Resource'], 'korea-food'),
      // The same rule citing another control, on the same stack: a control taking both groups them again.
      group('AwsSolutions-S1', ['ISMS-P 2.7.1'], 'CoopKoreaFood', 'other', ['Audit/Resource'], 'korea-food'),
      // A rule of one citation: its rows serve every control as they are.
      group('AwsSolutions-SQS2', [], 'Platform', 'encrypted', ['Platform/Logs/Resource', 'Platform/Audit/Resource']),
      group('AwsSolutions-SQS2', [], 'Platform', 'none', []),
      // An account-level quota in two places of one account, for the accounts section.
      group('SQ-iam-roles', [], 'quotas', '12 roles, 1.2 % of the IAM quota', [`${account}/us-east-1`, account]),
    ];
    const grouped = buildReport({ ...inputs, passes }, { today: TODAY });
    const single = buildReport({ ...inputs, findings: [...inputs.findings, ...expandPasses(passes)].sort(compareFindings) }, { today: TODAY });
    expect(grouped.summary.checks.pass).toBe(buildReport(inputs, { today: TODAY }).summary.checks.pass + 9);
    expect(grouped.accounts[0].quotas.filter((q) => q.rule === 'SQ-iam-roles')).toHaveLength(2);
    // With the fixture's own pass on Raw/Resource: one row, sorted, for a control taking both citations.
    const rows = grouped.controls.flatMap((c) => c.passes.filter((p) => p.rule === 'AwsSolutions-S1' && p.stack === 'CoopKoreaFood'));
    expect(rows.map((p) => p.resources)).toContainEqual(['Audit/Resource', 'Curated/Resource', 'Raw/Resource', 'Raw/Resource', 'Raw/Resource', 'Shared/Resource']);
    expect(grouped).toEqual(single);
    const a = renderReportFiles(grouped);
    const b = renderReportFiles(single);
    for (const f of Object.keys(b)) expect(a[f]).toBe(b[f]);
  });

  test('the report date is the only date in the files', () => {
    const files = renderReportFiles(reportOf(plan));
    for (const text of Object.values(files)) {
      const dates = new Set(text.match(/\b20\d\d-\d\d-\d\d(T[\d:.]+Z?)?/g));
      expect([...dates].filter((d) => d.includes('T'))).toEqual([]);
    }
  });

  test('markup in a cooperative name or agreement cannot reach the HTML or Markdown', () => {
    let sources = patch(sampleSources(), 'korea-food', (t) => replaceOnce(t, 'ko: 한국식품산업협동조합', `ko: "<script>alert(1)</script><img src=x onerror=alert(2)>"`));
    sources = patch(sources, 'korea-food', (t) => replaceOnce(t, 'purpose: Research on cold-chain failure rates across small food processors', 'purpose: "</td></tr></table><iframe src=//evil> | pipe"'));
    const evil = compileAt(sources).plan!;
    expect(evil.cooperatives.find((c) => c.id === 'korea-food')!.name.ko).toContain('<script>');
    const files = renderReportFiles(reportOf(evil));
    const html = files[REPORT_FILES.html];
    expect(html).not.toMatch(/<script|<img|<iframe|onerror=alert\(2\)>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    const md = files[REPORT_FILES.markdown];
    expect(md).not.toMatch(/<script|<img|<iframe/i);
    expect(md).toContain('\\| pipe');
  });
});

describe('statistics refresh evidence (ISMS-P 3.2.5, PIPA art. 28-5)', () => {
  const statisticsPlan = () => {
    const compiled = compile(sharingSources(agreement({ consumer: 'mss', level: 'aggregated', columns: 'measured_at, energy_kwh, machine_id, member_company_id',
      extra: '    aggregate: { dimensions: [machine_id], grain: month, measures: [count, sum energy_kwh] }\n' })), { today: TODAY });
    return compiled.plan!;
  };

  test('lists, per statistics table, its schedule, the schedule\'s end and the refresh function', () => {
    const p = statisticsPlan();
    const r = reportOf(p, { checks: false, cloud: false, idc: false });
    const g = p.grants.find((x) => x.aggregate)!;
    for (const id of ['ISMS-P 3.2.5', 'PIPA art. 28-5']) {
      const items = r.controls.find((c) => c.id === id)!.evidence.filter((e) => e.rule === 'statistics-refresh');
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ status: 'pass', resource: g.source });
      expect(items[0].message).toContain(`schedule ${g.aggregate!.refresh.schedule}`);
      expect(items[0].message).toContain(`ends ${g.accessEndsAt.replace('T', ' ').replace(/:00Z$/, ' UTC')}, the agreement's access end`);
      expect(items[0].message).toContain(`function ${g.aggregate!.refresh.function}`);
    }
  });

  test('fails when a schedule would outlive its agreement', () => {
    const p = statisticsPlan();
    const bad = JSON.parse(JSON.stringify(p)) as TenancyPlan;
    (bad.grants.find((y) => y.aggregate)!.aggregate!.refresh as { endsAt: string }).endsAt = '2099-01-01T00:00:00Z';
    const item = reportOf(bad, { checks: false, cloud: false, idc: false }).controls.find((c) => c.id === 'ISMS-P 3.2.5')!.evidence.find((e) => e.rule === 'statistics-refresh')!;
    expect(item.status).toBe('fail');
    expect(item.message).toMatch(/NOT the agreement's access end/);
  });
});
