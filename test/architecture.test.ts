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
const CORE = ['infra/config', 'infra/plan', 'infra/pipeline.ts', 'infra/checks/findings.ts', 'infra/checks/kubernetes', 'infra/report', 'infra/testing'];

describe('architecture', () => {
  const all = ['infra', 'stacks', 'lambdas', 'bench', 'scripts'].flatMap(sources);

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
