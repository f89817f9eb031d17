import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckFinding } from '../../../infra';
import { buildReport, readReportInputs, renderReportFiles, REPORT_FILES } from '../../../infra/report';
import { groupAcknowledgements } from '../../../infra/report/render-text';
import { samplePlan, writeFixtureOutput } from './fixture';

const TODAY = '2026-11-27';
const REASON = 'Replication is out of scope: the data stays in ap-northeast-2 by law.';

/** The same accepted exception on many cooperatives' buckets, as at scale. */
function acks(n: number): CheckFinding[] {
  return Array.from({ length: n }, (_, i) => ({
    pack: 'NIST.800.53.R5',
    rule: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    controls: ['ISMS-P 2.10.2'],
    status: 'acknowledged' as const,
    cooperative: `coop-${String(i).padStart(3, '0')}`,
    stack: `CoopIdc-Coop-coop-${String(i).padStart(3, '0')}`,
    resource: 'RawZone/Resource/Resource',
    message: 'The S3 Bucket does not have replication enabled.',
    reason: REASON,
  }));
}

describe('acknowledgements at scale', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'coop-idc-acks-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('one exception on 50 resources reads as one row with its reason, in HTML and Markdown', () => {
    writeFixtureOutput(dir, samplePlan());
    writeFileSync(join(dir, 'checks', 'scale.json'), `${JSON.stringify({ findings: acks(50) })}\n`);
    const report = buildReport(readReportInputs(dir), { today: TODAY });
    // report.json keeps every acknowledgement.
    expect(report.acknowledgements.filter((a) => a.reason === REASON)).toHaveLength(50);
    const files = renderReportFiles(report);
    const html = files[REPORT_FILES.html];
    const section = html.slice(html.indexOf('<section id="acknowledgements">'), html.indexOf('</section>', html.indexOf('<section id="acknowledgements">')));
    expect(section.split(REASON.replace(/'/g, '&#39;')).length - 1).toBe(1);
    // No <details> (a printed page shows everything): the first three, then how many more.
    expect(section).not.toContain('<details');
    expect(section).toContain('coop-002: CoopIdc-Coop-coop-002 RawZone/Resource/Resource; … and 47 more (report.json lists all)');
    const md = files[REPORT_FILES.markdown];
    const mdSection = md.slice(md.indexOf('## Acknowledgements'), md.indexOf('## Data flow'));
    expect(mdSection.split(REASON).length - 1).toBe(1);
    expect(mdSection).toContain('… and 47 more (report.json lists all)');
  });
});

describe('groupAcknowledgements', () => {
  test('groups by pack, rule and reason; keeps different reasons apart; ignores other statuses', () => {
    const items = [...acks(3), { ...acks(1)[0], reason: 'another reason' }, { ...acks(1)[0], status: 'fail' as const }].map((f) => ({ ...f, source: 'check' as const }));
    const groups = groupAcknowledgements(items);
    expect(groups.map((g) => [g.reason, g.items.length])).toEqual([
      [REASON, 3],
      ['another reason', 1],
    ]);
  });
});

describe('acknowledgements whose rule id brackets the finding (cdk-nag)', () => {
  const IAM5 = 'The IAM entity contains wildcard permissions.';
  const bracketed = (variant: string, i: number): CheckFinding => ({
    ...acks(1)[0],
    pack: 'AwsSolutions',
    rule: `AwsSolutions-IAM5[${variant}]`,
    controls: ['ISMS-P 2.7.1'],
    cooperative: `coop-${i}`,
    stack: `CoopIdc-Coop-coop-${i}`,
    resource: 'Role/DefaultPolicy/Resource',
    message: IAM5,
  });

  test('two differing only in the bracketed part are one group of 2 with both variants', () => {
    const items = [bracketed('Resource::arn:aws:s3:::b/*', 1), bracketed('Action::s3:*', 2)].map((f) => ({ ...f, source: 'check' as const }));
    const groups = groupAcknowledgements(items);
    expect(groups.map((g) => [g.pack, g.rule, g.reason, g.items.length, g.variants])).toEqual([
      ['AwsSolutions', 'AwsSolutions-IAM5', REASON, 2, ['AwsSolutions-IAM5[Action::s3:*]', 'AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]']],
    ]);
  });

  test('the index and report.md show them as one row with count 2, linked to the control page; report.json keeps both ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coop-idc-acks-bracket-'));
    try {
      writeFixtureOutput(dir, samplePlan());
      writeFileSync(join(dir, 'checks', 'scale.json'), `${JSON.stringify({ findings: [bracketed('Action::s3:*', 1), bracketed('Resource::*', 2)] })}\n`);
      const report = buildReport(readReportInputs(dir), { today: TODAY });
      expect(report.acknowledgements.map((a) => a.rule).filter((r) => r.startsWith('AwsSolutions-IAM5')).sort()).toEqual(['AwsSolutions-IAM5[Action::s3:*]', 'AwsSolutions-IAM5[Resource::*]']);
      const files = renderReportFiles(report);
      const html = files[REPORT_FILES.html];
      const start = html.indexOf('<section id="acknowledgements">');
      const section = html.slice(start, html.indexOf('</section>', start));
      const rows = section.split('<tr>').filter((r) => r.includes('AwsSolutions-IAM5'));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('AwsSolutions AwsSolutions-IAM5 (2 variants, e.g. AwsSolutions-IAM5[Action::s3:*])');
      expect(rows[0]).toContain('<td class="num">2</td>');
      expect(rows[0]).toContain('<a href="controls/isms-p-2-7-1.html">ISMS-P 2.7.1</a>');
      expect(files['report/controls/isms-p-2-7-1.html']).toContain('AwsSolutions-IAM5 (2 variants');
      // The check packs table sums the variants into one rule row too.
      const packsStart = html.indexOf('<section id="packs">');
      const packRows = html.slice(packsStart, html.indexOf('</section>', packsStart)).split('<tr>').filter((r) => r.includes('AwsSolutions-IAM5'));
      expect(packRows).toEqual(['<td>AwsSolutions-IAM5 (2 variants)</td><td><span class="badge s-acknowledged">acknowledged</span></td><td class="num">0</td><td class="num">2</td><td class="num">0</td><td>ISMS-P 2.7.1</td></tr>']);
      const md = files[REPORT_FILES.markdown];
      const mdSection = md.slice(md.indexOf('## Acknowledgements'), md.indexOf('## Data flow'));
      expect(mdSection.split('\n').filter((l) => l.includes('AwsSolutions-IAM5'))).toHaveLength(1);
      expect(md.split('\n').filter((l) => l.startsWith('| AwsSolutions-IAM5'))).toEqual(['| AwsSolutions-IAM5 (2 variants) | acknowledged | 0 | 2 | 0 | ISMS-P 2.7.1 |']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('routine acknowledgements are local to the cell', () => {
  // The sample plan: cell-01 holds kbiz-federation, korea-food and korea-textile; cell-02
  // korea-electronics and korea-machinery.
  const ack = (cooperative: string, reason = REASON): CheckFinding => ({ ...acks(1)[0], cooperative, stack: `CoopIdc-Coop-${cooperative}`, reason });
  const ROUTINE = 'Routine exceptions of this cell';
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'coop-idc-acks-cell-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function pages(findings: CheckFinding[]): Record<string, string> {
    writeFixtureOutput(dir, samplePlan());
    writeFileSync(join(dir, 'checks', 'scale.json'), `${JSON.stringify({ findings })}\n`);
    return renderReportFiles(buildReport(readReportInputs(dir), { today: TODAY }));
  }
  /** The part of a cooperative page listing its routine acknowledgements. */
  const routinePart = (page: string) => page.slice(page.indexOf(ROUTINE), page.indexOf('</section>', page.indexOf(ROUTINE)));

  test('the same rule and reason on two cooperatives of one cell is routine there, not in another cell', () => {
    const files = pages([ack('kbiz-federation'), ack('korea-food'), ack('korea-electronics')]);
    const escaped = REASON.replace(/'/g, '&#39;');
    expect(routinePart(files['report/coops/korea-food.html'])).toContain(escaped);
    expect(routinePart(files['report/coops/kbiz-federation.html'])).toContain(escaped);
    const electronics = files['report/coops/korea-electronics.html'];
    expect(electronics).toContain(escaped);
    expect(routinePart(electronics)).not.toContain(escaped);
  });

  test("report.md lists a cooperative's own exceptions in full and counts its cell's routine ones, linking its page", () => {
    const md = pages([ack('kbiz-federation'), ack('korea-food'), ack('korea-electronics')])[REPORT_FILES.markdown];
    const section = (id: string) => md.slice(md.indexOf(`### ${id}:`), md.indexOf('\n### ', md.indexOf(`### ${id}:`) + 1));
    const food = section('korea-food');
    expect(food).not.toContain(REASON);
    expect(food).toContain('Routine exceptions of this cell (셀 공통 예외): 1 acknowledgement in 1 group');
    expect(food).toContain('[report/coops/korea-food.html](report/coops/korea-food.html#attention)');
    const electronics = section('korea-electronics');
    expect(electronics).toContain(REASON);
    expect(electronics).not.toContain('Routine exceptions of this cell');
  });

  test('the same base rule and reason with different bracketed parts is routine too', () => {
    const variant = (cooperative: string, v: string): CheckFinding => ({ ...ack(cooperative), rule: `${ack(cooperative).rule}[${v}]` });
    const files = pages([variant('kbiz-federation', 'Bucket::a'), variant('korea-food', 'Bucket::b')]);
    expect(routinePart(files['report/coops/korea-food.html'])).toContain(REASON.replace(/'/g, '&#39;'));
  });

  test("changing a cooperative of cell-01 leaves every cooperative page of cell-02 byte-identical", () => {
    const before = pages([ack('kbiz-federation'), ack('korea-electronics'), ack('korea-machinery', 'another reason')]);
    const after = pages([ack('korea-electronics'), ack('korea-machinery', 'another reason')]);
    // The cell-01 page changed (so the comparison below compares real pages) ...
    expect(after['report/coops/kbiz-federation.html']).not.toBe(before['report/coops/kbiz-federation.html']);
    // ... and cell-02's did not.
    for (const id of ['korea-electronics', 'korea-machinery']) {
      const path = `report/coops/${id}.html`;
      expect(after[path]).toBeDefined();
      expect(after[path]).toBe(before[path]);
    }
  });
});
