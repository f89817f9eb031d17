/**
 * Every line the CLI and the build show a person comes from the message catalogue: a string
 * or template literal that starts with a letter, passed straight to `io.out`, `io.err`,
 * `ctx.log`, `run.log` or `process.stdout|stderr.write`, is text in one language only. So is
 * English prose anywhere else in cli/ and build/ (a help page in a constant, a progress line
 * built by a function): it reaches a person by a longer road. Checked on the sources with
 * the TypeScript compiler's parser.
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

/**
 * English words in a literal's fixed text: lowercase words of two letters or more, once paths,
 * file names, ids and flags (anything with `.`, `/`, `_` or `-` in it) are set aside. Three
 * of them make prose (`stacks built`, `units, … stacks`, a help page), whether in a row or
 * spread between a template's values.
 */
export function englishWords(text: string): string[] {
  return text.replace(/[\w.\/-]*[./_-][\w.\/-]*/g, ' ').match(/(?<![\w-])[a-z]{2,}(?![\w-])/g) ?? [];
}

/**
 * English prose outside the catalogue, by file and the literal's start, each with its reason.
 * Keep short: a new entry needs a reason a reviewer accepts.
 */
const ALLOWED_PROSE: readonly { readonly file: string; readonly starts: string; readonly why: string }[] = [
  { file: 'build/output.ts', starts: 'written by coop-idc build', why: "the output marker's note: a file of the output, byte-identical whatever the run's language" },
  { file: 'build/parallel-validation.ts', starts: '\nconst { createHash }', why: "the validation worker's own source code" },
  { file: 'build/step-worker.ts', starts: '\nconst { parentPort', why: "the step worker's own source code" },
  { file: 'build/build-cache.ts', starts: '{"format":', why: "a cache entry's JSON text" },
  { file: 'build/parallel-validation.ts', starts: 'cfn-validate (main thread', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/unit-worker.ts', starts: 'cfn-validate (started', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/aws-step.ts', starts: 'aws units (', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/aws-step.ts', starts: 'aws stacks (', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/aws-step.ts', starts: 'aws findings (', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/idc-step.ts', starts: 'idc shards (', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/idc-step.ts', starts: 'idc cache (', why: 'a phase name of --verbose timing, an identifier as the step names are' },
  { file: 'build/report-pdf.ts', starts: 'Chromium not found at', why: "ChromiumMissingError's English message: the CLI shows report.no-chromium" },
  { file: 'build/build-cache.ts', starts: 'not JSON (truncated', why: 'why a cache entry was rejected: counted, never shown' },
  { file: 'build/build-cache.ts', starts: 'not an entry of this', why: 'why a cache entry was rejected: counted, never shown' },
  { file: 'build/build-cache.ts', starts: 'its ', why: 'why a cache entry was rejected: counted, never shown' },
  { file: 'build/up-to-date.ts', starts: 'no readable manifest', why: 'why a build is not up to date: returned to tests, never shown' },
  { file: 'build/up-to-date.ts', starts: 'manifest ', why: 'why a build is not up to date: returned to tests, never shown' },
  { file: 'build/up-to-date.ts', starts: '${…}: outside the output', why: 'why a build is not up to date: returned to tests, never shown' },
];

/** The fixed text of a string or template literal, or undefined for any other node. */
function literalParts(node: ts.Node): readonly string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return undefined;
}

/**
 * English prose in string and template literals of one source text, wherever it stands.
 * Not in `new Error(...)`: a plain Error is a defect, reported as one (cli.internal-error),
 * in the words of the code.
 */
export function scanProse(file: string, text: string): Hit[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hits: Hit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(sf) === 'Error') return;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    const parts = literalParts(node);
    if (parts && englishWords(parts.join(' ')).length >= 3) {
      hits.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, sink: 'literal', text: parts.join('${…}') });
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

  test('cli/ and build/ hold no English prose outside the catalogue', () => {
    const files = [...sources('cli'), ...sources('build')];
    const hits = files
      .flatMap((f) => scanProse(f, readFileSync(join(root, f), 'utf8')))
      .filter((h) => !ALLOWED_PROSE.some((a) => a.file === h.file && h.text.startsWith(a.starts)));
    expect(hits.map((h) => `${h.file}:${h.line} ${JSON.stringify(h.text)}`)).toEqual([]);
  });

  test('every allowance of prose is still needed (none outlives its literal)', () => {
    const hits = [...sources('cli'), ...sources('build')].flatMap((f) => scanProse(f, readFileSync(join(root, f), 'utf8')));
    expect(ALLOWED_PROSE.filter((a) => !hits.some((h) => h.file === a.file && h.text.startsWith(a.starts))).map((a) => `${a.file} ${a.starts}`)).toEqual([]);
  });

  test('finds a help page in a constant and words built by a function (the prose check can fail)', () => {
    const snippet = [
      'const HELP = `Usage: coop-idc build [--out dir]',
      '',
      '  --out <dir>   the output folder`;',
      'export function unitLine(p: P): string {',
      "  return `aws: ${p.unit}: ${p.stacks} stack${p.stacks === 1 ? '' : 's'} (${p.units.done}/${p.units.total} units, ${p.done}/${p.total} stacks)`;",
      '}',
      "const how = (p: P) => (p.how === 'restored' ? 'restored from the build cache' : 'built');",
      'const summary = (c: C) => `${c.n} controls: ${c.passed} passed, ${c.failed} failed`;',
    ].join('\n');
    expect(scanProse('x.ts', snippet).map((h) => h.line)).toEqual([1, 5, 7, 8]);
  });

  test('lets names, paths, codes, catalogue ids and defects through', () => {
    const snippet = [
      "import { x } from '../infra/config/messages';",
      "const file = 'checks/aws.json';",
      "say(ctx, 'build.report-note', { note });",
      'const bar = `${"#".repeat(n)}${"-".repeat(m)}`;',
      "throw new Error('WorkerValidation: one job per app');",
      "const key = `${lang}\\u0000${id}`;",
      "const where = `${dir}/cdk.out/manifest.json (--out ${out}, COOP_IDC_CACHE_DIR)`;",
      'const bar = `aws [${bar}] ${done}/${total}`;',
    ].join('\n');
    expect(scanProse('x.ts', snippet)).toEqual([]);
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
