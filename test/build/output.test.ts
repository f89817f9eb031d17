import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkReplaceable, OutputRefused, ROLES, writeFileAtomically } from '../../build/output';
import { formatMessage } from '../../infra/config/messages';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'coop-idc-output-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Pieces as the JSON writers yield them, with Korean text, astral characters, and pieces
// larger than the writer's buffer (4 MiB) or a third of it, between small ones.
const piece = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom('협동조합', '😀', '"a":', ',\n  ') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1_500_000), '가'.repeat(1_400_000), '😀'.repeat(700_000)) },
);

test('writes pieces of any size and script as the UTF-8 of their concatenation', () => {
  let n = 0;
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
      const file = join(dir, `f${n++}.json`);
      writeFileAtomically(file, pieces);
      expect(readFileSync(file).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    }),
    { numRuns: 60 },
  );
});

test('crosses the buffer many times with small pieces', () => {
  const pieces = Array.from({ length: 400_000 }, (_, i) => `{"i":${i},"협":"조합"},`);
  const file = join(dir, 'many.json');
  writeFileAtomically(file, pieces);
  expect(readFileSync(file).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
});

test('a refusal of the output folder reads whole in either language (role, reason, what to do)', () => {
  let refused: unknown;
  try {
    checkReplaceable('/', ROLES.output, { keep: [] });
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(OutputRefused);
  const why = (refused as OutputRefused).why;
  expect(formatMessage('ko', why)).toBe('출력 폴더로 쓸 수 없습니다: 파일 시스템의 루트(/)입니다. build는 이전 빌드가 만든 폴더(.coop-idc-output.json이 있는 폴더), 빈 폴더, 아직 없는 경로만 바꿉니다. 다른 --out을 지정하세요(예: --out out)');
  expect(formatMessage('en', why)).toBe('cannot use it as the output folder: it is the file-system root. build only replaces a folder an earlier build wrote (it holds .coop-idc-output.json), an empty folder or a path that does not exist: pass another --out, e.g. --out out');
});
