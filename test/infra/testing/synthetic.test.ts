import { compile } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';

describe('generateSources', () => {
  test('is deterministic for a seed', () => {
    expect(generateSources({ n: 20, seed: 7 })).toEqual(generateSources({ n: 20, seed: 7 }));
    expect(generateSources({ n: 20, seed: 7 })).not.toEqual(generateSources({ n: 20, seed: 8 }));
  });

  test.each([
    ['mixed', false],
    ['large', true],
  ])('generates a valid %s configuration', (_name, large) => {
    const result = compile(generateSources({ n: 50, seed: 3, large }), { today: '2026-11-27' });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan?.cooperatives).toHaveLength(50);
  });
});
