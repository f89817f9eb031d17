/**
 * `npm run build`: compiles infra/, stacks/, build/, cli/ and lambdas/ to dist/ (tsconfig.build.json) for
 * a faster CLI start (bin/compiled.js). The stamp is created before the compiler reads any
 * source and kept only when compilation succeeds, so a source changed during or after the
 * build, or a failed build, leaves dist/ unused.
 *
 * The build bundles the Lambda handlers from their TypeScript (lambdas/bundle.ts, relative to
 * its own folder), so the handlers' sources (lambdas/, infra/) are copied beside the compiled
 * files: the bundles are the same bytes whichever way the CLI runs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const pending = join(dist, '.stamp.pending');
writeFileSync(pending, '');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  process.exitCode = tsc.status ?? 1;
} else {
  for (const dir of ['lambdas', 'infra']) cpSync(join(root, dir), join(dist, dir), { recursive: true, filter: (src) => !src.endsWith('.js') });
  renameSync(pending, join(dist, '.stamp'));
}
