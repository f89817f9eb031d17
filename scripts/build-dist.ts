/**
 * `npm run build`: compiles infra/, stacks/ and lambdas/ to dist/ (tsconfig.build.json) for
 * a faster CLI start (bin/compiled.js). The stamp is created before the compiler reads any
 * source and kept only when compilation succeeds, so a source changed during or after the
 * build, or a failed build, leaves dist/ unused.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  renameSync(pending, join(dist, '.stamp'));
}
