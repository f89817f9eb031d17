import { parseBytes, parseCpuMillis } from '../../../infra';
import { BASE_COOP, baseText, compileCorpus, withCooperatives } from '../../support/corpus';
import { positionOf, replaceOnce, korean } from '../../support/config';
import { formatCapacityTable } from '../../../infra/plan/capacity';

/** Diagnostics of the fixture with its cooperative file edited; the edit must make it fail. */
function failing(edit: (text: string) => string) {
  const text = edit(baseText(BASE_COOP));
  const result = compileCorpus(withCooperatives(text));
  expect(result.plan).toBeUndefined();
  return { diagnostics: result.diagnostics, text };
}

describe('parser depth', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  test('fails when flow collections nest deeper than the limit (a 6 KB file), at the bracket past the limit', () => {
    const { diagnostics, text } = failing((t) => replaceOnce(t, 'count: 10', `count: ${deep(3000)}`));
    expect(text.length).toBeGreaterThan(6000);
    expect(diagnostics).toHaveLength(1);
    const at = positionOf(text, 'count: ');
    expect(diagnostics[0]).toMatchObject({ file: BASE_COOP, line: at.line, col: at.col + 7 + 32, code: 'too-deep' });
    expect(korean(diagnostics[0]).message).toMatch(/중첩/);
    expect(diagnostics[0].message).toMatch(/nested more than 32 levels deep/);
  });

  test('fails when flow collections nest deeper than the limit in a file with aliases (the other parser)', () => {
    const { diagnostics } = failing((t) => replaceOnce(t, 'count: 10', `count: &n ${deep(3000)}\n  other: *n`));
    expect(diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });

  test('fails when flow mappings nest deeper than the limit', () => {
    const { diagnostics } = failing((t) => replaceOnce(t, 'count: 10', `count: ${'{a: '.repeat(200)}1${'}'.repeat(200)}`));
    expect(diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });

  test('accepts brackets inside quoted and plain strings', () => {
    const text = replaceOnce(baseText(BASE_COOP), 'role: Data manager', `role: "${'['.repeat(100)}" # ${'{'.repeat(100)}`);
    expect(compileCorpus(withCooperatives(text)).plan).toBeDefined();
  });
});

describe('token-like strings', () => {
  test.each([
    ['${Token[TOKEN.123]}', 'aws-cdk-lib string token'],
    ['#{Token[TOKEN.5]}', 'aws-cdk-lib list token'],
    ['${TfToken[TOKEN.7]}', 'cdktf string token'],
    ['#{TfToken[TOKEN.7]}', 'cdktf list token'],
    ['&{TfToken[TOKEN.7]}', 'cdktf map token'],
    ['-1.8881545897087626e+289', 'aws-cdk-lib number token as text'],
  ])('fails when a string holds %s (%s), at the string', (token) => {
    const { diagnostics, text } = failing((t) => replaceOnce(t, 'en: Base Cooperative', `en: "Base ${token} Cooperative"`));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: BASE_COOP, ...positionOf(text, '"Base'), code: 'token-string' });
    expect(diagnostics[0].message).toMatch(/^name → en holds /);
    expect(korean(diagnostics[0]).message).toMatch(/^name → en: 값 .*CDK 토큰 표식/);
  });

  test('fails when a number is an aws-cdk-lib number token', () => {
    const { diagnostics, text } = failing((t) => replaceOnce(t, '{ name: value, type: double }', '{ name: value, type: double, min: -1.8881545897087626e+289 }'));
    expect(diagnostics.map((d) => d.code)).toEqual(['token-string']);
    expect(diagnostics[0]).toMatchObject(positionOf(text, '-1.888'));
  });

  test('accepts dollar signs and braces that are not tokens', () => {
    const text = replaceOnce(baseText(BASE_COOP), 'role: Data manager', 'role: "Data manager (${budget} {team})"');
    expect(compileCorpus(withCooperatives(text)).plan).toBeDefined();
  });
});

describe('quantities never round a positive request to 0', () => {
  test.each([
    ['cpu: 500m', 'cpu: "0.5m"', /"0\.5m".*smallest CPU unit is 1m/, /1m/],
    ['cpu: 500m', 'cpu: 0.0004', /0\.0004.*smallest CPU unit is 1m/, /1m/],
    ['memory: 1Gi', 'memory: "0.4"', /"0\.4".*smallest memory unit is 1 byte/, /1 or more bytes/],
  ])('fails when %s becomes %s', (from, to, message, hint) => {
    const { diagnostics, text } = failing((t) => replaceOnce(t, from, to));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: BASE_COOP, ...positionOf(text, to.split(': ')[1]), code: 'schema' });
    expect(diagnostics[0].message).toMatch(message);
    expect(diagnostics[0].hint).toMatch(hint);
  });

  test('fails when a quantity is not a whole number of the smallest unit', () => {
    const { diagnostics } = failing((t) => replaceOnce(t, 'cpu: 500m', 'cpu: "1.5m"'));
    expect(diagnostics[0].message).toMatch(/"1\.5m": not a whole number of millicores/);
  });

  test.each([
    ['0.5m', undefined],
    ['1.5m', undefined],
    ['0.0005', undefined],
    ['0.001', 1],
    ['1.005', 1005],
  ])('parseCpuMillis(%p) = %p, exactly', (input, expected) => {
    expect(parseCpuMillis(input)).toBe(expected);
  });

  test.each([
    ['0.4', undefined],
    ['1.5', undefined],
    ['0.3Ki', undefined],
    ['0.5Ki', 512],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['99999999P', undefined],
  ])('parseBytes(%p) = %p, exactly', (input, expected) => {
    expect(parseBytes(input)).toBe(expected);
  });
});

describe('config keys never reach an object prototype', () => {
  const withGpu = (model: string) => (t: string) => replaceOnce(replaceOnce(t, 'nvidia-a100-80gb: 1', `${model}: 1`), '      memory: 1Gi\n', `      memory: 1Gi\n      gpu: { model: ${model}, count: 1 }\n`);

  test('fails when a GPU model named "constructor" is not in the capacity, without printing a function', () => {
    const result = compileCorpus(withCooperatives(withGpu('constructor')(baseText(BASE_COOP))));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-gpu-model', 'unknown-gpu-model', 'capacity-exceeded']);
    expect(result.diagnostics[2].message).toBe('quotas reserve 1 gpu/constructor but the cluster has 0');
    for (const d of result.diagnostics) expect(`${d.message} ${d.hint}`).not.toMatch(/function|native code|\[object/);
    expect(formatCapacityTable(result.capacityExceeded!, 'en', { onlyExceeded: true })).toMatch(/^gpu\/constructor +requested +1 of +0 \(∞%\)  EXCEEDED$/m);
  });

  test('plans a GPU model named "constructor" that the platform offers, counting it exactly', () => {
    const platform = replaceOnce(baseText('platform.yaml'), 'nvidia-a100-80gb: 4', 'nvidia-a100-80gb: 4\n      constructor: 2');
    const result = compileCorpus(withCooperatives(withGpu('constructor')(baseText(BASE_COOP)), {}, platform));
    expect(result.diagnostics).toEqual([]);
    const row = result.plan!.capacity.rows.find((r) => r.resource === 'gpu/constructor')!;
    expect(row).toEqual({ resource: 'gpu/constructor', capacity: 2, requested: 1, byTenant: { 'base-coop': 1 } });
  });

  test('fails when models need more of a GPU model named "constructor" than the quota holds', () => {
    const platform = replaceOnce(baseText('platform.yaml'), 'nvidia-a100-80gb: 4', 'nvidia-a100-80gb: 4\n      constructor: 2');
    const text = replaceOnce(withGpu('constructor')(baseText(BASE_COOP)), 'constructor: 1\n', 'nvidia-a100-80gb: 1\n');
    const result = compileCorpus(withCooperatives(text, {}, platform));
    const d = result.diagnostics.find((x) => x.code === 'model-exceeds-quota')!;
    expect(d.message).toBe('models request 1 constructor GPU(s) but the quota allows 0');
  });
});
