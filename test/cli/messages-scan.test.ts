/**
 * Every line the CLI and the build show a person comes from the message catalogue: a string
 * or template literal that starts with a letter, passed straight to `io.out`, `io.err`,
 * `ctx.log`, `run.log` or `process.stdout|stderr.write`, is text in one language only.
 * Checked on the sources with the TypeScript compiler's parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');

/** Calls whose first argument is shown to a person. */
const SINKS = new Set(['io.out', 'io.err', 'ctx.log', 'run.log', 'guard.log', 'process.stdout.write', 'process.stderr.write']);

/**
 * Literals allowed anyway, by file and the literal's start, each with its reason. Keep short.
 * (None at present: a new entry needs a reason a reviewer accepts.)
 */
const ALLOWED: readonly { readonly file: string; readonly starts: string; readonly why: string }[] = [];

/** A user-facing literal passed straight to an output call. */
export interface Hit {
  readonly file: string;
  readonly line: number;
  readonly sink: string;
  readonly text: string;
}

/** The literal text an argument starts with, if it is a string or template literal. */
function literalStart(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  if (ts.isParenthesizedExpression(node)) return literalStart(node.expression);
  if (ts.isConditionalExpression(node)) return literalStart(node.whenTrue) ?? literalStart(node.whenFalse);
  return undefined;
}

/** The hits of one source text. */
export function scanSource(file: string, text: string): Hit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hits: Hit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression.getText(sf).replace(/\s+/g, '');
      if (SINKS.has(callee)) {
        const start = literalStart(node.arguments[0]);
        // Starts with a letter (any script): words a person reads, not `\r` or an escape code.
        if (start !== undefined && /^\p{L}/u.test(start)) {
          hits.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, sink: callee, text: start });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return hits;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('user-facing text comes from the catalogue', () => {
  test('cli/ and build/ pass no literal text to an output call', () => {
    const files = [...sources('cli'), ...sources('build')];
    expect(files.length).toBeGreaterThan(20);
    const hits = files
      .flatMap((f) => scanSource(f, readFileSync(join(root, f), 'utf8')))
      .filter((h) => !ALLOWED.some((a) => a.file === h.file && h.text.startsWith(a.starts)));
    expect(hits.map((h) => `${h.file}:${h.line} ${h.sink}(${JSON.stringify(h.text)})`)).toEqual([]);
  });

  test('finds a literal, a template literal and a conditional (the check can fail)', () => {
    const snippet = [
      "io.out('wrote the report');",
      'io.err(`no plan at ${file}`);',
      'ctx.log(n === 1 ? `one stack` : `${n} stacks`);',
      "process.stderr.write('실패\\n');",
      'run.log(`tf ${action}: ${name}`);',
      "guard.log?.('removed folders');",
    ].join('\n');
    expect(scanSource('x.ts', snippet).map((h) => [h.line, h.sink])).toEqual([
      [1, 'io.out'],
      [2, 'io.err'],
      [3, 'ctx.log'],
      [4, 'process.stderr.write'],
      [5, 'run.log'],
      [6, 'guard.log'],
    ]);
  });

  test('lets catalogue text, values and control codes through', () => {
    const snippet = [
      "io.out(t(io, 'cli.created', { file }));",
      'io.out(md.trimEnd());',
      'ctx.log(outcome.line);',
      'tty(`\\r${bar}`);',
      'process.stdout.write(`${json}\\n`);',
      "io.out(`\\r${bar}`);",
    ].join('\n');
    expect(scanSource('x.ts', snippet)).toEqual([]);
  });
});
