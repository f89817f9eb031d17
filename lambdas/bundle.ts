/**
 * Bundles each Lambda handler once with esbuild; the stacks deploy these folders
 * (`lambda.Code.fromAsset(dir)`, one Code per stack from the same folder — still one asset).
 *
 * Output is deterministic: esbuild itself is, and source-map paths are rewritten relative to
 * the repository (dependencies as `node_modules/...`) so neither the output folder nor where
 * node_modules really lives changes a byte. Set NODE_OPTIONS=--enable-source-maps on the
 * functions to get TypeScript positions in stack traces.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** The handlers, each `lambdas/<name>/handler.ts` exporting `handler`. */
export const LAMBDA_NAMES = ['ingest-object', 'ingest-api', 'erase', 'stats-refresh'] as const;
/** A handler name. */
export type LambdaName = (typeof LAMBDA_NAMES)[number];

/** Where one bundle was written. */
export interface BundleOutput {
  /** Folder holding `index.js` and `index.js.map`. */
  readonly dir: string;
  /** Size of `index.js` in bytes. */
  readonly bytes: number;
  /** Every file esbuild read for it, relative to the repository, sorted (its metafile's inputs). */
  readonly inputs: readonly string[];
}

const ROOT = resolve(__dirname, '..');

/** Bundles every handler into `<outDir>/<name>/index.js` (+ `.map`), replacing what was there. */
export async function bundleLambdas(outDir: string): Promise<Record<LambdaName, BundleOutput>> {
  const out = {} as Record<LambdaName, BundleOutput>;
  for (const name of LAMBDA_NAMES) out[name] = await bundleOne(name, resolve(outDir));
  return out;
}

/** Bundles one handler into `<outDir>/<name>/`, replacing what was there. */
export async function bundleOne(name: LambdaName, outDir: string): Promise<BundleOutput> {
  return bundleEntry(join(ROOT, 'lambdas', name, 'handler.ts'), name, resolve(outDir));
}

/** The repository the bundles are built from (their inputs are relative to it). */
export const BUNDLE_ROOT = ROOT;

/**
 * Bundles one entry file into `<outDir>/<name>/`. Exported for tests of the bundler's own
 * guards; deployments use {@link bundleLambdas}.
 */
export async function bundleEntry(entry: string, name: string, outDir: string): Promise<BundleOutput> {
  // Build against a fixed virtual path inside the repository so source-map paths never depend on outDir.
  const virtualFile = join(ROOT, 'out', '.bundle', name, 'index.js');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: virtualFile,
    bundle: true,
    write: false,
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    // Deploy-time libraries must never reach a handler; fail the bundle if one is imported.
    plugins: [{
      name: 'no-infra-frameworks',
      setup(b) {
        b.onResolve({ filter: /^(aws-cdk-lib|cdktf|constructs|cdk-nag)(\/|$)/ }, (args) => ({
          errors: [{ text: `${args.path} must not be bundled into a Lambda (imported from ${relative(ROOT, args.importer)})` }],
        }));
      },
    }],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!js || !map) throw new Error(`esbuild produced no output for ${name}`);
  const dir = join(outDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.js'), js.contents);
  await writeFile(join(dir, 'index.js.map'), portableSourceMap(map.text, join(ROOT, 'out', '.bundle', name)));
  const inputs = Object.keys(result.metafile.inputs).map((f) => relative(ROOT, resolve(ROOT, f)).replace(/\\/g, '/')).sort();
  return { dir, bytes: js.contents.length, inputs };
}

/** Rewrites source paths to `lambdas/...`, `infra/...` or `node_modules/...`. */
function portableSourceMap(text: string, mapDir: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
  map.sources = map.sources.map((s) => {
    const abs = resolve(mapDir, s).replace(/\\/g, '/');
    const nm = abs.indexOf('/node_modules/');
    return nm >= 0 ? abs.slice(nm + 1) : relative(ROOT, abs).replace(/\\/g, '/');
  });
  map.sourceRoot = '';
  return JSON.stringify(map);
}
