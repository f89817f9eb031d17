import fc from 'fast-check';
import { CHECK_FILE_FORMAT, compactFindings, compareFindings, expandCheckFile, regroupCheckFiles, summarizeCheckFile, summarizeFindings, type CheckFinding } from '../../../infra';

/** The order as first defined: the NUL-joined keys compared as strings. */
function joinedOrder(a: CheckFinding, b: CheckFinding): number {
  const key = (f: CheckFinding) => [f.pack, f.rule, f.stack, f.resource, f.status, f.message].join('\u0000');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// Small alphabets (NUL included) so that equal fields, prefixes and NULs inside fields all occur.
const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u0000', '가'), maxLength: 4 });
const finding = fc.record({
  pack: text,
  rule: text,
  controls: fc.constant([]),
  status: fc.constantFrom('pass' as const, 'fail' as const, 'acknowledged' as const),
  stack: text,
  resource: text,
  message: text,
});

describe('compareFindings', () => {
  test('orders exactly as comparing the NUL-joined keys', () => {
    fc.assert(
      fc.property(finding, finding, (a, b) => {
        expect(Math.sign(compareFindings(a, b))).toBe(joinedOrder(a, b));
      }),
      { numRuns: 5000 },
    );
  });

  test('sorts a list into the same order as the joined keys', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 30 }), (list) => {
        expect([...list].sort(compareFindings)).toEqual([...list].sort(joinedOrder));
      }),
    );
  });
});

/**
 * Findings whose rule, controls, status, cooperative and message repeat (so that they group),
 * with the other fields as `fields` says; optional fields are left out now and then.
 */
const groupable = (fields: { pack: fc.Arbitrary<string>; stack: fc.Arbitrary<string>; resource: fc.Arbitrary<string> } & Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(
    {
      rule: fc.constantFrom('R1', 'R2'),
      controls: fc.constantFrom([], ['ISMS-P 2.7.1']),
      status: fc.constantFrom('pass' as const, 'fail' as const, 'acknowledged' as const),
      cooperative: fc.constantFrom('a', 'b'),
      message: fc.constantFrom('m', 'n'),
      ...fields,
    },
    { requiredKeys: ['pack', 'rule', 'controls', 'status', 'stack', 'resource', 'message'] },
  ) as unknown as fc.Arbitrary<CheckFinding>;

describe('check files: passes counted per rule and stack, failures and acknowledgements in full', () => {
  const full = groupable({ pack: fc.constantFrom('AwsSolutions', 'K8sConformance'), stack: fc.constantFrom('S1', 'S2'), resource: text, fix: fc.constant('fix'), reason: fc.constant('why') });

  test('reading a compact file back gives every finding, fields included', () => {
    fc.assert(
      fc.property(fc.array(full, { maxLength: 40 }), (list) => {
        const file = JSON.parse(JSON.stringify(compactFindings(list)));
        // compareFindings leaves ties (e.g. findings differing only in cooperative): break them
        // by content, whatever order the reader gives a finding's fields in.
        const content = (f: CheckFinding) => JSON.stringify(Object.entries(f).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
        const order = (a: CheckFinding, b: CheckFinding) => compareFindings(a, b) || (content(a) < content(b) ? -1 : content(a) > content(b) ? 1 : 0);
        expect(expandCheckFile(file).sort(order)).toEqual([...list].sort(order));
      }),
      { numRuns: 2000 },
    );
  });

  test('fails when passes are written one object per resource', () => {
    const passes: CheckFinding[] = Array.from({ length: 100 }, (_, i) => ({ pack: 'AwsSolutions', rule: 'AwsSolutions-S1', controls: [], status: 'pass', cooperative: 'a', stack: 'CoopA', resource: `B${String(i).padStart(3, '0')}/Resource`, message: 'passed' }));
    const fail: CheckFinding = { ...passes[0], status: 'fail', resource: 'X/Resource', message: 'no logs', fix: 'enable logs' };
    const ack: CheckFinding = { ...passes[0], status: 'acknowledged', resource: 'Y/Resource', message: 'no logs', reason: 'log target' };
    const file = compactFindings([...passes, fail, ack]);
    expect(file.format).toBe(CHECK_FILE_FORMAT);
    expect(file.findings).toEqual([fail]);
    expect(file.passes).toEqual([{ pack: 'AwsSolutions', rule: 'AwsSolutions-S1', controls: [], message: 'passed', count: 100, sets: [{ resources: passes.map((p) => p.resource), stacks: [['CoopA', 'a']] }] }]);
    expect(file.acknowledgements).toEqual([{ pack: 'AwsSolutions', rule: 'AwsSolutions-S1', controls: [], message: 'no logs', reason: 'log target', count: 1, sets: [{ resources: ['Y/Resource'], stacks: [['CoopA', 'a']] }] }]);
  });

  test('the same acknowledged construct in many stacks is one group of one set, its reason written once', () => {
    const ack = (i: number): CheckFinding => ({ pack: 'AwsSolutions', rule: 'AwsSolutions-IAM4[Policy::x]', controls: [], status: 'acknowledged', cooperative: `c${i}`, stack: `Coop-c${i}`, resource: 'Handler/Role/Resource', message: 'managed policy', reason: 'deploy-time only' });
    const platform: CheckFinding = { ...ack(0), cooperative: undefined, stack: 'Platform' };
    delete (platform as { cooperative?: string }).cooperative;
    const list = [...Array.from({ length: 50 }, (_, i) => ack(49 - i)), platform];
    const file = compactFindings(list);
    expect(file.acknowledgements).toHaveLength(1);
    expect(file.acknowledgements[0].count).toBe(51);
    expect(file.acknowledgements[0].sets).toEqual([{ resources: ['Handler/Role/Resource'], stacks: [...Array.from({ length: 50 }, (_, i) => [`Coop-c${i}`, `c${i}`]).sort((a, b) => (a[0] < b[0] ? -1 : 1)), ['Platform']] }]);
    expect(JSON.stringify(file).split('deploy-time only')).toHaveLength(2);
    expect(expandCheckFile(JSON.parse(JSON.stringify(file))).sort(compareFindings)).toEqual([...list].sort(compareFindings));
  });

  test('a finding with a field CheckFinding does not name is grouped apart and read back with it', () => {
    const plain: CheckFinding = { pack: 'P', rule: 'R', controls: [], status: 'acknowledged', stack: 'S', resource: 'a', message: 'm', reason: 'why' };
    const ticket = { ...plain, resource: 'b', ticket: 'SEC-12' } as CheckFinding;
    const file = compactFindings([plain, ticket]);
    expect(file.acknowledgements).toHaveLength(2);
    expect(expandCheckFile(JSON.parse(JSON.stringify(file))).sort(compareFindings)).toEqual([plain, ticket]);
  });

  test('a file of the second format (passes per rule and stack) is still read', () => {
    const pass: CheckFinding = { pack: 'P', rule: 'R', controls: [], status: 'pass', stack: 'S', resource: 'r', message: 'm' };
    const ack: CheckFinding = { ...pass, status: 'acknowledged', resource: 'q', reason: 'why' };
    expect(expandCheckFile({ format: 2, findings: [ack], passes: [{ pack: 'P', rule: 'R', controls: [], stack: 'S', message: 'm', count: 1, resources: ['r'] }] })).toEqual([ack, pass]);
  });

  test('a file in the first format (every finding in full) is still read', () => {
    const f: CheckFinding = { pack: 'P', rule: 'R', controls: [], status: 'pass', stack: 'S', resource: 'r', message: 'm' };
    expect(expandCheckFile({ findings: [f] })).toEqual([f]);
  });

  test('fails when a group is malformed', () => {
    expect(() => expandCheckFile({ format: 2, findings: [], passes: [{ pack: 'P', rule: 'R', controls: [], stack: 'S', message: 'm', count: 2, resources: ['a'] }] })).toThrow(/passes\[0\]: count 2 but 1 resource/);
    const group = { pack: 'P', rule: 'R', controls: [], message: 'm', count: 4, sets: [{ resources: ['a', 'b'], stacks: [['S1'], ['S2', 'c']] }] };
    expect(expandCheckFile({ format: 3, findings: [], acknowledgements: [], passes: [group] })).toHaveLength(4);
    expect(() => expandCheckFile({ format: 3, findings: [], acknowledgements: [{ ...group, count: 3 }], passes: [] })).toThrow(/acknowledgements\[0\]: count 3 but 4 findings/);
    expect(() => expandCheckFile({ format: 3, findings: [], acknowledgements: [], passes: [{ ...group, sets: [{ resources: [], stacks: [['S']] }] }] })).toThrow(/passes\[0\]\.sets\[0\]/);
    expect(() => expandCheckFile({ format: 3, findings: [], acknowledgements: [], passes: [{ ...group, sets: [{ resources: ['a'], stacks: [['S', 'c', 'x']] }] }] })).toThrow(/passes\[0\]\.sets\[0\]/);
    expect(() => expandCheckFile({ format: 3, findings: [], passes: [] })).toThrow(/"acknowledgements"/);
    expect(() => expandCheckFile({ format: 4, findings: [] })).toThrow(/format 4/);
  });
});

describe('check files put together from parts over disjoint stacks (the build\'s units)', () => {
  // Four stacks, an odd field now and then (grouped apart), duplicates of a resource.
  const item = groupable({ pack: fc.constantFrom('AwsSolutions', 'KoreaLaw'), stack: fc.constantFrom('S1', 'S2', 'S3', 'S4'), resource: fc.constantFrom('r1', 'r2', 'r3', 'x/가'), reason: fc.constantFrom('why', 'because'), ticket: fc.constant('SEC-1') });
  const split = fc.record({ list: fc.array(item, { maxLength: 60 }), part: fc.func(fc.integer({ min: 0, max: 2 })) });

  test('the parts\' files regrouped are byte for byte the file of all their findings', () => {
    fc.assert(
      fc.property(split, ({ list, part }) => {
        const parts: CheckFinding[][] = [[], [], []];
        for (const f of list) parts[part(f.stack)].push(f);
        const whole = compactFindings(list);
        expect(JSON.stringify(regroupCheckFiles(parts.map(compactFindings)))).toBe(JSON.stringify(whole));
        expect(summarizeCheckFile(whole)).toEqual(summarizeFindings(list));
      }),
      { numRuns: 3000 },
    );
  });

  test('a stack whose findings are in two files (no unit does this) has them put together, as one file would', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.func(fc.integer({ min: 0, max: 2 })), (all, part) => {
        // Failures of equal order may differ in other fields: their order is the input's, so only groups here.
        const list = all.filter((f) => f.status !== 'fail');
        const parts: CheckFinding[][] = [[], [], []];
        for (const f of list) parts[part(f.resource, f.status)].push(f);
        expect(JSON.stringify(regroupCheckFiles(parts.map(compactFindings)))).toBe(JSON.stringify(compactFindings(list)));
      }),
      { numRuns: 3000 },
    );
  });

  test('the part of a file in some stacks is the file of their findings', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.subarray(['S1', 'S2', 'S3', 'S4']), (list, stacks) => {
        const keep = new Set(stacks);
        const mine = list.filter((f) => keep.has(f.stack));
        expect(JSON.stringify(regroupCheckFiles([compactFindings(list)], (s) => keep.has(s)))).toBe(JSON.stringify(compactFindings(mine)));
      }),
      { numRuns: 3000 },
    );
  });
});

