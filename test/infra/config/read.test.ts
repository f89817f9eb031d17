import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, readConfigDir, readFailure, type ConfigPathError, type Diagnostic } from '../../../infra';
import { korean } from '../../support/config';

const BASE = join(__dirname, 'corpus', 'base');
const TODAY = '2026-12-05';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-read-'));
  cpSync(BASE, dir, { recursive: true });
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** Compiles the temporary config folder, paths shown relative to it. */
function diagnostics(fs?: Parameters<typeof readConfigDir>[2]): readonly Diagnostic[] {
  const result = compile(readConfigDir(dir, dir, fs), { today: TODAY });
  expect(result.plan).toBeUndefined();
  return result.diagnostics;
}

describe('file-system shapes', () => {
  test('fails when a folder is named like a cooperative file, and still checks the others', () => {
    mkdirSync(join(dir, 'cooperatives', 'x.yaml'));
    const d = diagnostics();
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ file: 'cooperatives/x.yaml', line: 1, col: 1, code: 'unreadable-file' });
    expect(korean(d[0]).message).toBe('YAML 파일 자리에 폴더가 있습니다');
    expect(d[0].message).toBe('found a folder where a YAML file is expected');
    expect(d[0].hint).toMatch(/move the folder out of cooperatives\//);
  });

  test('fails when platform.yaml is a folder', () => {
    rmSync(join(dir, 'platform.yaml'));
    mkdirSync(join(dir, 'platform.yaml'));
    const d = diagnostics();
    expect(d[0]).toMatchObject({ file: 'platform.yaml', line: 1, col: 1, code: 'unreadable-file' });
    expect(d[0].message).toMatch(/a folder/);
    expect(d[0].hint).toMatch(/move the folder away and put the file there/);
  });

  test('fails when a cooperative file is a symbolic link loop', () => {
    symlinkSync('loop.yaml', join(dir, 'cooperatives', 'loop.yaml'));
    const [d] = diagnostics();
    expect(d).toMatchObject({ file: 'cooperatives/loop.yaml', code: 'unreadable-file' });
    expect(korean(d).message).toMatch(/링크가 순환합니다/);
    expect(d.message).toMatch(/a loop of symbolic links/);
  });

  test('fails when a cooperative file is a link to nothing, naming the missing target', () => {
    symlinkSync('gone/elsewhere.yaml', join(dir, 'cooperatives', 'dangling.yaml'));
    const [d] = diagnostics();
    expect(d).toMatchObject({ file: 'cooperatives/dangling.yaml', code: 'unreadable-file' });
    expect(d.message).toMatch(/a link to "gone\/elsewhere\.yaml", which does not exist/);
  });

  test('fails when platform.yaml is a link to nothing', () => {
    rmSync(join(dir, 'platform.yaml'));
    symlinkSync('nowhere.yaml', join(dir, 'platform.yaml'));
    const [d] = diagnostics();
    expect(d).toMatchObject({ file: 'platform.yaml', code: 'unreadable-file' });
    expect(d.message).toMatch(/a link to "nowhere\.yaml", which does not exist/);
  });

  // Tests run as root, which reads any file whatever its mode: EACCES comes through the seam.
  test('fails when a cooperative file cannot be read for lack of permission', () => {
    const denied = join(dir, 'cooperatives', 'base-coop.yaml');
    const d = diagnostics({
      readFile: (p) => {
        if (p === denied) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
        return require('node:fs').readFileSync(p);
      },
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ file: 'cooperatives/base-coop.yaml', line: 1, col: 1, code: 'unreadable-file' });
    expect(korean(d[0]).message).toMatch(/읽을 권한/);
    expect(d[0].message).toMatch(/no permission to read the file/);
    expect(d[0].hint).toMatch(/chmod a\+r/);
  });

  test('maps an unexpected read error to a located diagnostic naming its code', () => {
    const d = readFailure(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }), 'cooperatives/a.yaml', '/x/cooperatives/a.yaml');
    expect(d).toMatchObject({ file: 'cooperatives/a.yaml', line: 1, col: 1, code: 'unreadable-file' });
    expect(d.message).toMatch(/EIO/);
  });

  test('fails when cooperatives/ is a file', () => {
    rmSync(join(dir, 'cooperatives'), { recursive: true });
    writeFileSync(join(dir, 'cooperatives'), 'not a folder\n');
    let d: Diagnostic | undefined;
    try {
      readConfigDir(dir, dir);
    } catch (e) {
      d = (e as ConfigPathError).diagnostic;
    }
    expect(d).toMatchObject({ file: 'cooperatives', line: 1, col: 1, code: 'unreadable-file' });
    expect(d!.message).toMatch(/a file where the folder of cooperative files is expected/);
  });
});

describe('encodings', () => {
  const hangulCp949 = Buffer.from([0xc7, 0xd1, 0xb1, 0xb9]); // 한국 in CP949/EUC-KR

  test('fails when a file is saved as CP949, at the line and column of the first bad byte', () => {
    const file = join(dir, 'cooperatives', 'base-coop.yaml');
    const text = require('node:fs').readFileSync(file, 'utf8') as string;
    const [before, after] = text.split('기준협동조합');
    writeFileSync(file, Buffer.concat([Buffer.from(before, 'utf8'), hangulCp949, Buffer.from(after, 'utf8')]));
    const [d] = diagnostics();
    const lines = before.split('\n');
    expect(d).toMatchObject({ file: 'cooperatives/base-coop.yaml', line: lines.length, col: lines[lines.length - 1].length + 1, code: 'wrong-encoding' });
    expect(d.message).toMatch(/CP949\/EUC-KR/);
    expect(korean(d).hint).toMatch(/UTF-8로 다시 저장/);
    expect(d.hint).toMatch(/re-save the file as UTF-8/);
  });

  test('fails when a file is in another encoding, without guessing Korean', () => {
    writeFileSync(join(dir, 'cooperatives', 'latin.yaml'), Buffer.from('id: latin\nname: { ko: caf\xe9, en: x }\n', 'latin1'));
    const [d] = diagnostics();
    expect(d).toMatchObject({ file: 'cooperatives/latin.yaml', line: 2, col: 16, code: 'wrong-encoding' });
    expect(d.message).not.toMatch(/CP949/);
    expect(d.hint).toMatch(/re-save the file as UTF-8/);
  });

  test('reads a UTF-8 file with a byte-order mark', () => {
    const file = join(dir, 'cooperatives', 'base-coop.yaml');
    const text = require('node:fs').readFileSync(file, 'utf8') as string;
    writeFileSync(file, `\ufeff${text}`);
    expect(compile(readConfigDir(dir, dir), { today: TODAY }).plan?.cooperatives.map((c) => c.name.ko)).toEqual(['기준협동조합']);
  });
});
