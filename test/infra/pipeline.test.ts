import { compileAt, sampleCooperativeIds, sampleSources } from '../support/config';

describe('compile on the sample cooperatives', () => {
  test('produces a plan with no diagnostics', () => {
    const result = compileAt(sampleSources());
    expect(result.diagnostics).toEqual([]);
    // Every shipped sample (test/support/config.ts: files a pull request adds are not test input).
    expect(result.plan?.cooperatives.map((c) => c.id)).toEqual(sampleCooperativeIds());
  });
});
