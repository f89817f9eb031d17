import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
