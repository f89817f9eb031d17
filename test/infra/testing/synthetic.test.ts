import { compile } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';

describe('generateSources', () => {
  test('is deterministic for a seed', () => {
    expect(generateSources({ n: 20, seed: 7 })).toEqual(generateSources({ n: 20, seed: 7 }));
    expect(generateSources({ n: 20, seed: 7 })).not.toEqual(generateSources({ n: 20, seed: 8 }));
  });

  // Every large cooperative has the same shape, at the schema's limits (~0.2 MB of YAML
  // each): ten of them prove the limits hold without parsing 10 MB; what depends on how many
  // there are (cells, platform totals) is the mixed case's, at fifty.
  test.each([
    ['mixed', false, 50],
    ['large', true, 10],
  ])('generates a valid %s configuration', (_name, large, n) => {
    const result = compile(generateSources({ n, seed: 3, large }), { today: '2026-11-27' });
    expect(result.diagnostics).toEqual([]);
    expect(result.plan?.cooperatives).toHaveLength(n);
  });
});
