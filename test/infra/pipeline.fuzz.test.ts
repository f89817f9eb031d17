/**
 * Property tests: whatever text a cooperative commits, compile() returns either a plan or a
 * non-empty list of located errors — never an exception, never both, never neither.
 */
import fc from 'fast-check';
import { stringify, parse } from 'yaml';
import { compile, type CompileResult, type ConfigSources } from '../../infra';
import { sampleSources, TODAY } from '../support/config';

const base = sampleSources();
const machinery = base.cooperatives.find((c) => c.relativePath.endsWith('korea-machinery.yaml'))!;

function check(sources: ConfigSources): CompileResult {
  const result = compile(sources, { today: TODAY });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(result.plan === undefined).toBe(errors.length > 0);
  const files = new Set([sources.platform.displayPath, ...sources.cooperatives.map((c) => c.displayPath)]);
  for (const d of result.diagnostics) {
    expect(files.has(d.file)).toBe(true);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  return result;
}

// One cooperative beside the platform file keeps each run cheap; cross-file rules still apply.
const withText = (text: string): ConfigSources => ({ platform: base.platform, cooperatives: [{ ...machinery, text }] });

/** Text edits a person makes by accident: deletions, insertions, swapped and duplicated lines. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...': -[]{}#&*!|>\'"%@`\n\t ab0\u00e9\ud55c'.split('')), maxLength: 12 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), a: fc.nat() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, m: TextMutation): string {
  switch (m.kind) {
    case 'delete': {
      const at = m.at % text.length;
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'swap': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'dup': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      lines.splice(a, 0, lines[a]);
      return lines.join('\n');
    }
  }
}

/** Replaces one value somewhere in the document with an arbitrary JSON value. */
function replaceValue(doc: unknown, pathSeed: readonly number[], value: unknown): unknown {
  if (pathSeed.length === 0 || doc === null || typeof doc !== 'object') return value;
  const [head, ...rest] = pathSeed;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return value;
    const i = head % doc.length;
    return doc.map((v, j) => (j === i ? replaceValue(v, rest, value) : v));
  }
  const keys = Object.keys(doc);
  if (keys.length === 0) return value;
  const k = keys[head % keys.length];
  return { ...(doc as Record<string, unknown>), [k]: replaceValue((doc as Record<string, unknown>)[k], rest, value) };
}

describe('compile never throws', () => {
  test('on text mutations of a sample cooperative', () => {
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 4 }), (ms) => {
        check(withText(ms.reduce(applyText, machinery.text)));
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  test('on structural mutations: any value replaced by any JSON value', () => {
    const doc = parse(machinery.text);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        check(withText(stringify(replaceValue(doc, path, value))));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('on random YAML documents in every file', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }), (a, b) => {
        check({ platform: { ...base.platform, text: stringify(a) }, cooperatives: [{ ...machinery, text: stringify(b) }] });
        check(withText(stringify(b)));
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  test('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        check(withText(text));
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});
