import { compileAt, sampleCooperativeIds, sampleSources } from '../support/config';

describe('compile on the sample cooperatives', () => {
  test('produces a plan with no diagnostics', () => {
    const result = compileAt(sampleSources());
    expect(result.diagnostics).toEqual([]);
    // Every file of config/cooperatives/, whatever it holds.
    expect(result.plan?.cooperatives.map((c) => c.id)).toEqual(sampleCooperativeIds());
  });
});
