import { compileAt, sampleSources } from '../support/config';

describe('compile on the sample cooperatives', () => {
  test('produces a plan with no diagnostics', () => {
    const result = compileAt(sampleSources());
    expect(result.diagnostics).toEqual([]);
    expect(result.plan?.cooperatives.map((c) => c.id)).toEqual([
      'kbiz-federation',
      'korea-electronics',
      'korea-food',
      'korea-machinery',
      'korea-textile',
    ]);
  });
});
