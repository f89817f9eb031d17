import { diagnosticsToSarif, findingsToSarif } from '../../../infra/report/sarif';
import { RULE_HELP } from '../../../infra/config/rule-help';
import type { CheckFinding } from '../../../infra/checks/findings';
import type { Diagnostic } from '../../../infra/config/diagnostics';
import { sarifErrors } from '../../support/sarif';

const diagnostics: Diagnostic[] = [
  { file: 'config/cooperatives/한국-x.yaml', line: 12, col: 5, severity: 'error', code: 'unknown-consumer', message: 'consumer "ibk" is not declared', hint: 'did you mean "ibk-bank"?' },
  { file: 'config/cooperatives/b.yaml', line: 3, col: 1, severity: 'warning', code: 'agreement-expired', message: 'expired' },
  { file: 'config/cooperatives/b.yaml', line: 4, col: 2, severity: 'error', code: 'not-a-documented-code', message: 'x' },
];

describe('diagnosticsToSarif', () => {
  const log = diagnosticsToSarif(diagnostics, { toolVersion: '0.1.0' });

  test('is valid SARIF 2.1.0', () => {
    expect(sarifErrors(log)).toEqual([]);
  });

  test('places each result at its file, line and column with its rule id and level', () => {
    const r = log.runs[0].results[0];
    expect(r).toMatchObject({ ruleId: 'unknown-consumer', level: 'error', message: { text: 'consumer "ibk" is not declared (did you mean "ibk-bank"?)' } });
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'config/cooperatives/%ED%95%9C%EA%B5%AD-x.yaml' }, region: { startLine: 12, startColumn: 5 } });
    expect(log.runs[0].results[1].level).toBe('warning');
    expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe('unknown-consumer');
  });

  test('gives every rule its Korean and English help', () => {
    const rule = log.runs[0].tool.driver.rules.find((x) => x.id === 'unknown-consumer')!;
    expect(rule.help.text).toContain(RULE_HELP['unknown-consumer'].ko);
    expect(rule.help.text).toContain(RULE_HELP['unknown-consumer'].en);
    expect(rule.help.text).toContain(RULE_HELP['unknown-consumer'].fixKo);
    expect(rule.help.markdown).toContain(RULE_HELP['unknown-consumer'].fixEn);
    // A code the table lacks still gets a help text (never an invalid rule).
    expect(log.runs[0].tool.driver.rules.find((x) => x.id === 'not-a-documented-code')!.help.text).toContain('docs/onboarding.ko.md');
  });

  test('fails the schema when a result loses its message (the validator is not vacuous)', () => {
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.runs[0].results[0].message;
    broken.runs[0].results[1].level = 'fatal';
    expect(sarifErrors(broken).length).toBeGreaterThanOrEqual(2);
  });
});

describe('findingsToSarif', () => {
  const base = { pack: 'KoreaLaw', controls: ['ISMS-P 2.7.1'], stack: 'CoopIdc-Coop-a', resource: 'Raw/Resource', message: 'not encrypted' };
  const findings: CheckFinding[] = [
    { ...base, rule: 'KR-CMK', status: 'fail', cooperative: 'a', fix: 'use the cooperative key' },
    { ...base, rule: 'KR-CMK', status: 'pass', cooperative: 'a' },
    { ...base, rule: 'KR-LOG', status: 'acknowledged', cooperative: 'a', reason: 'r' },
    { ...base, rule: 'CIS-5.1.3', pack: 'K8sConformance', status: 'fail', stack: 'idc-platform', resource: 'x' },
  ];
  const log = findingsToSarif(findings, { cooperatives: [{ source: 'cooperatives/a.yaml', id: 'a' }] as never }, { toolVersion: '0.1.0', configRoot: 'config', platformFile: 'platform.yaml' });

  test('is valid SARIF 2.1.0 with one result per failure, at the file that caused it', () => {
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].logicalLocations![0].fullyQualifiedName])).toEqual([
      ['KR-CMK', 'config/cooperatives/a.yaml', 'CoopIdc-Coop-a/Raw/Resource'],
      ['CIS-5.1.3', 'config/platform.yaml', 'idc-platform/x'],
    ]);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['CIS-5.1.3', 'KR-CMK']);
    expect(log.runs[0].tool.driver.rules[1].help.text).toContain('use the cooperative key');
  });
});
