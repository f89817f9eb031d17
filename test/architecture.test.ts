/**
 * The layering the brief fixes, checked on the source: the core never imports a renderer's
 * framework, cdktf stays inside infra/idc (archived upstream: that renderer must be
 * replaceable alone) and is imported module by module, never through its index.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(root, p)).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Module specifiers a file imports or requires. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(|import\()\s*'([^']+)'/g)].map((m) => m[1]);
}

const FRAMEWORKS = /^(aws-cdk-lib|cdktf|@cdktf\/|constructs$|cdk-nag)/;
const CORE = ['infra/config', 'infra/plan', 'infra/cost', 'infra/shared-names.ts', 'infra/pipeline.ts', 'infra/checks/findings.ts', 'infra/checks/kubernetes', 'infra/report', 'infra/testing'];

describe('architecture', () => {
  const all = ['infra', 'stacks', 'build', 'cli', 'lambdas', 'bench', 'scripts'].flatMap(sources);

  test('finds the sources', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  test('the core imports neither aws-cdk-lib, cdktf, constructs nor cdk-nag', () => {
    const core = all.filter((f) => CORE.some((c) => f === c || f.startsWith(`${c}/`)));
    expect(core.length).toBeGreaterThan(20);
    const offending = core.flatMap((f) => imports(f).filter((m) => FRAMEWORKS.test(m)).map((m) => `${f}: ${m}`));
    expect(offending).toEqual([]);
  });

  test('cdktf and its provider are imported only inside infra/idc', () => {
    const offending = all.filter((f) => !f.startsWith('infra/idc/')).flatMap((f) => imports(f).filter((m) => /^(cdktf|@cdktf\/)/.test(m)).map((m) => `${f}: ${m}`));
    expect(offending).toEqual([]);
  });

  test('the Kubernetes provider is imported module by module, never through its index', () => {
    const offending = all.flatMap((f) => imports(f).filter((m) => m === '@cdktf/provider-kubernetes' || m === '@cdktf/provider-kubernetes/lib').map((m) => `${f}: ${m}`));
    expect(offending).toEqual([]);
  });

  test('Lambda handlers do not depend on a renderer', () => {
    const offending = all.filter((f) => f.startsWith('lambdas/') && f !== 'lambdas/bundle.ts').flatMap((f) => imports(f).filter((m) => FRAMEWORKS.test(m) || m.includes('/aws/') || m.includes('/idc/')).map((m) => `${f}: ${m}`));
    expect(offending).toEqual([]);
  });

  test('cdktf and the provider are pinned exactly', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies.cdktf).toBe('0.21.0');
    expect(pkg.dependencies['@cdktf/provider-kubernetes']).toBe('12.1.1');
  });
});

/**
 * The layers, each importing only those before it: the library (`infra/`), the Lambda
 * handlers over its core, the composition of apps and stacks (`stacks/`), the build (steps,
 * workers, caches: `build/`) and the command line (`cli/`). Imports are read with the
 * TypeScript compiler's parser (type-only imports, re-exports, `require` and dynamic
 * `import()` included), never with a pattern.
 */
describe('layering', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ts = require('typescript') as typeof import('typescript');
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const { dirname, normalize, relative } = require('node:path') as typeof import('node:path');
  const LAYERS = ['infra', 'lambdas', 'stacks', 'build', 'cli'] as const;
  const layerOf = (file: string) => LAYERS.findIndex((l) => file === l || file.startsWith(`${l}/`));

  /** Every module specifier of a file, by the compiler's syntax tree. */
  function specifiers(file: string): string[] {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const out: string[] = [];
    const visit = (node: import('typescript').Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) out.push(node.moduleReference.expression.text);
      else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteral(node.arguments[0])) {
        const callee = node.expression;
        const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
        const isResolve = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
        if (isRequire || isResolve || callee.kind === ts.SyntaxKind.ImportKeyword) out.push(node.arguments[0].text);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    return out;
  }

  /** The project file a relative specifier names, or undefined for a package. */
  function resolveFrom(file: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const base = normalize(join(dirname(file), spec));
    for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
      if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return relative(root, join(root, candidate)).split('\\').join('/');
    }
    throw new Error(`${file}: cannot resolve ${spec}`);
  }

  const files = [...LAYERS, 'bench', 'scripts'].flatMap(sources);
  const graph = new Map(files.map((f) => [f, specifiers(f).map((s) => resolveFrom(f, s)).filter((x): x is string => x !== undefined)]));

  test('reads real import edges (the build step imports the AWS layout; the unit builder requires the app it builds)', () => {
    expect(graph.get('build/aws-step.ts')).toContain('stacks/aws/layout.ts');
    expect(graph.get('build/unit-worker.ts')).toContain('stacks/aws/aws-app.ts');
    expect(graph.get('cli/main.ts')).toContain('build/run-build.ts');
  });

  test('no file imports a later layer', () => {
    const offending = [...graph].flatMap(([f, deps]) => {
      const layer = layerOf(f);
      if (layer < 0) return []; // bench/ and scripts/ sit on top and may use every layer
      return deps.filter((d) => layerOf(d) > layer).map((d) => `${f} → ${d}`);
    });
    expect(offending).toEqual([]);
  });

  test('the Lambda handlers use only the core of the library', () => {
    const offending = [...graph].flatMap(([f, deps]) => (f.startsWith('lambdas/') ? deps.filter((d) => d.startsWith('infra/') && !CORE.some((c) => d === c || d.startsWith(`${c}/`))).map((d) => `${f} → ${d}`) : []));
    expect(offending).toEqual([]);
  });

  /** The framework imports of every file `start` reaches, type-only imports included. */
  function frameworksReached(start: string): string[] {
    const reached = new Set<string>();
    const walk = (f: string): void => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const d of graph.get(f) ?? []) walk(d);
    };
    walk(start);
    return [...reached].flatMap((f) => specifiers(f).filter((m) => FRAMEWORKS.test(m)).map((m) => `${f}: ${m}`));
  }

  test('the up-to-date check reaches no framework: it answers before aws-cdk-lib or cdktf load', () => {
    expect(frameworksReached('build/up-to-date.ts')).toEqual([]);
  });

  test('the framework probe can fail: the AWS build step reaches aws-cdk-lib', () => {
    expect(frameworksReached('build/aws-step.ts')).toContainEqual(expect.stringMatching(/: aws-cdk-lib$/));
  });

  test('no import cycle, type-only imports included', () => {
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const connect = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          connect(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!index.has(f)) connect(f);
    expect(cycles).toEqual([]);
  });

  test('the library and the composition read neither argv nor the environment, and start no worker', () => {
    const entryPoints = new Set(['stacks/aws/app.ts', 'stacks/idc/app.ts']);
    const offending = files
      .filter((f) => (f.startsWith('infra/') || f.startsWith('stacks/')) && !entryPoints.has(f))
      .filter((f) => /\bprocess\.(env|argv)\b|['"]node:(worker_threads|child_process)['"]/.test(readFileSync(join(root, f), 'utf8')));
    expect(offending).toEqual([]);
  });
});
