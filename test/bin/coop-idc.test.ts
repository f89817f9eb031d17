import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { copySamples } from '../support/config';

const BIN = join(__dirname, '..', '..', 'bin', 'coop-idc.js');

describe('bin/coop-idc.js as a process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coop-idc-bin-'));
    copySamples(join(dir, 'config'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('exits 0 on valid config', () => {
    const r = spawnSync(process.execPath, [BIN, 'validate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, COOP_IDC_TODAY: '2026-11-27' } });
    expect(r.status).toBe(0);
  });

  test('exits 1 on a user error without a stack trace', () => {
    writeFileSync(join(dir, 'config/cooperatives/broken.yaml'), 'id: broken\nname: [\n');
    const r = spawnSync(process.execPath, [BIN, 'validate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, COOP_IDC_TODAY: '2026-11-27' } });
    rmSync(join(dir, 'config/cooperatives/broken.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^config\/cooperatives\/broken\.yaml:\d+:\d+ error yaml-syntax /m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

test('a build leaves nothing in the temp folder: its processes, workers and bundles clean up after themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coop-idc-bin-build-'));
  try {
    writeSources(generateSources({ n: 2, seed: 5 }), join(dir, 'config'));
    const temp = join(dir, 'tmp');
    mkdirSync(temp);
    // tsx (which runs the sources when dist/ is not built) keeps its compile cache in the temp
    // folder on purpose, reused across runs: lend it the run's, warm, so that the build is not
    // compiled from nothing (tens of seconds); it is the one entry expected afterwards.
    const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
    mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
    symlinkSync(join(tmpdir(), tsxCache), join(temp, tsxCache));
    const env = { ...process.env, TMPDIR: temp, COOP_IDC_TODAY: '2026-11-27', COOP_IDC_CACHE_DIR: join(dir, 'cache') };
    const r = spawnSync(process.execPath, [BIN, 'build', '--quiet'], { cwd: dir, encoding: 'utf8', env });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(readdirSync(join(dir, 'out'))).toContain('report.json');
    expect(readdirSync(temp)).toEqual([tsxCache]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
