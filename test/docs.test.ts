import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('onboarding docs', () => {
  // Every code a user can see must be explained in both languages.
  const sources = ['infra/config/rules.ts', 'infra/plan/disclosure.ts', 'infra/config/load.ts', 'infra/config/source.ts', 'infra/config/read.ts', 'stacks/cli/main.ts'].map(read).join('\n');
  const codes = new Set([...sources.matchAll(/code: '([a-z-]+)'|'([a-z]+(?:-[a-z]+)+)', `/g)].map((m) => m[1] ?? m[2]));
  for (const m of sources.matchAll(/error ([a-z]+(?:-[a-z]+)+) /g)) codes.add(m[1]);
  for (const m of sources.matchAll(/refused\('([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1]);

  test('finds the rule codes', () => {
    expect(codes.size).toBeGreaterThan(20);
  });

  test.each(['docs/onboarding.en.md', 'docs/onboarding.ko.md'])('%s documents every rule code', (doc) => {
    const text = read(doc);
    const missing = [...codes].filter((c) => !text.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });
});
