import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileAt, patch, replaceOnce, sampleSources } from './support/config';

const root = join(__dirname, '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('onboarding docs', () => {
  // Every code a user can see must be explained in both languages.
  const sources = ['infra/config/rules.ts', 'infra/config/cells.ts', 'infra/config/lifecycle.ts', 'infra/report/diff.ts', 'infra/plan/disclosure.ts', 'infra/config/load.ts', 'infra/config/source.ts', 'infra/config/read.ts', 'infra/config/encoding.ts', 'infra/config/tokens.ts', 'infra/config/unique-names.ts', 'infra/config/mistakes.ts', 'cli/main.ts'].map(read).join('\n');
  const codes = new Set([...sources.matchAll(/code: '([a-z-]+)'|'([a-z]+(?:-[a-z]+)+)', `/g)].map((m) => m[1] ?? m[2]));
  for (const m of sources.matchAll(/error ([a-z]+(?:-[a-z]+)+) /g)) codes.add(m[1]);
  for (const m of sources.matchAll(/refused\('([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1]);
  // The rate-card rules pass their code as an argument on a line of its own.
  for (const m of read('infra/config/cost-rules.ts').matchAll(/^\s+'([a-z]+(?:-[a-z]+)+)',$/gm)) codes.add(m[1]);
  // Codes passed beside their catalogue message: `err(at, path, 'code', msg(...))`, `diagnostic(at, 'error', 'code', ...)`.
  for (const m of sources.matchAll(/'([a-z]+(?:-[a-z]+)+)',\s*msg\(|'(?:error|warning)',\s*'([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1] ?? m[2]);

  test('finds the rule codes', () => {
    expect(codes.size).toBeGreaterThan(50);
  });

  test('every code has its help in the catalogue, in Korean and English', () => {
    const { RULE_HELP } = require('../infra/config/rule-help') as typeof import('../infra/config/rule-help');
    const lacking = [...codes].filter((c) => !RULE_HELP[c] || !RULE_HELP[c].ko || !RULE_HELP[c].en || !RULE_HELP[c].fixKo || !RULE_HELP[c].fixEn);
    expect(lacking).toEqual([]);
  });

  test.each(['docs/onboarding.en.md', 'docs/onboarding.ko.md'])('%s documents every rule code', (doc) => {
    const text = read(doc);
    const missing = [...codes].filter((c) => !text.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });
});

describe('service-quota design note', () => {
  // The table auditors read must be the model the check runs: value, adjustability and source.
  const text = read('docs/design/service-quotas.md');
  const { SERVICE_QUOTAS } = require('../infra/config/service-quotas') as typeof import('../infra/config/service-quotas');

  test.each(SERVICE_QUOTAS.map((q) => [q.id, q] as const))('lists %s as the model has it', (id, q) => {
    const row = text.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${q.value.toLocaleString('en-US')} ${q.unit} |`);
    expect(row).toContain(`| ${q.adjustable ? 'yes' : 'no'} |`);
    expect(row).toContain(q.source);
  });
});

describe('the Korean ERP example (header:) in both onboarding guides', () => {
  test.each(['docs/onboarding.en.md', 'docs/onboarding.ko.md'])('%s: validates and carries the Korean headers into the plan', (doc) => {
    const block = read(doc).split('```yaml\n').map((b) => b.split('```')[0]).find((b) => b.includes('header: 측정시각'));
    expect(block).toBeDefined();
    // The example's dataset list, added to a sample cooperative's datasets.
    const datasets = block!.split('\n').slice(1).join('\n').replace(/#.*$/gm, '');
    const sources = patch(sampleSources(), 'korea-machinery', (t) => replaceOnce(t, 'datasets:\n', `datasets:\n${datasets}`));
    const result = compileAt(sources);
    expect(result.diagnostics).toEqual([]);
    const d = result.plan!.cooperatives.find((c) => c.id === 'korea-machinery')!.datasets.find((x) => x.name === 'equipment_readings')!;
    expect(d.columns.map((c) => [c.name, c.header])).toEqual([['measured_at', '측정시각'], ['machine_id', '설비ID'], ['temperature_c', '온도(°C)']]);
  });
});

describe('rule help (SARIF) and the guides\' rule-code tables', () => {
  const { RULE_HELP } = require('../infra/config/rule-help') as typeof import('../infra/config/rule-help');
  const table = (doc: string) =>
    // The rule-code table is the guide's last section.
    new Map(read(doc).slice(read(doc).lastIndexOf('\n## ')).split('\n').flatMap((l) => {
      const m = /^\| `([a-z-]+)` \| (.*) \| (.*) \|$/.exec(l);
      return m ? [[m[1], { what: m[2], fix: m[3] }] as const] : [];
    }));

  test.each([['docs/onboarding.ko.md', 'ko', 'fixKo'], ['docs/onboarding.en.md', 'en', 'fixEn']] as const)('%s says what RULE_HELP says, code by code', (doc, what, fix) => {
    const rows = [...table(doc)];
    expect(rows.length).toBeGreaterThan(50);
    for (const [code, row] of rows) expect([code, RULE_HELP[code]?.[what], RULE_HELP[code]?.[fix]]).toEqual([code, row.what, row.fix]);
  });
});
