/**
 * Property tests over what sits where a config file is expected: folders, links, link
 * loops, links to nothing, empty files, arbitrary bytes, other encodings and deep nesting.
 * Whatever the shape, loading returns located diagnostics (never an exception), one for
 * each broken file, and the files beside it are still checked. Real temporary folders.
 */
import { isUtf8 } from 'node:buffer';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compile, ConfigPathError, MAX_NESTING, readConfigDir, readSource, type CompileResult } from '../../../infra';
import { main } from '../../../cli/main';
import { BASE_COOP, BASE_DIR, baseText, compileCorpus, CORPUS_TODAY, withCooperatives } from '../../support/corpus';

/** A broken shape and the diagnostic code it must produce at its path. */
const shape = fc.oneof(
  fc.constant({ kind: 'folder' as const, code: 'unreadable-file' }),
  fc.constant({ kind: 'self-link' as const, code: 'unreadable-file' }),
  fc.constant({ kind: 'loop-of-two' as const, code: 'unreadable-file' }),
  fc.constant({ kind: 'dangling-link' as const, code: 'unreadable-file' }),
  fc.constant({ kind: 'empty' as const, code: 'empty-file' }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes, code: undefined })),
);
type Shape = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function place(dir: string, rel: string, s: Shape): void {
  const abs = join(dir, rel);
  switch (s.kind) {
    case 'folder':
      mkdirSync(abs);
      return;
    case 'self-link':
      symlinkSync(rel.split('/').pop()!, abs);
      return;
    case 'loop-of-two':
      // The partner starts with "_", so only the link under test is read as a cooperative file.
      symlinkSync(`_${rel.split('/').pop()!}`, abs);
      symlinkSync(rel.split('/').pop()!, join(dir, rel.replace(/([^/]+)$/, '_$1')));
      return;
    case 'dangling-link':
      symlinkSync('missing/nothing.yaml', abs);
      return;
    case 'empty':
      writeFileSync(abs, '');
      return;
    case 'bytes':
      writeFileSync(abs, s.bytes);
  }
}

function load(dir: string): CompileResult {
  try {
    return compile(readConfigDir(dir, dir), { today: CORPUS_TODAY });
  } catch (e) {
    // The only exception loading may raise: a located diagnostic about the folder itself.
    if (e instanceof ConfigPathError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

describe('file-system shapes', () => {
  test('any shape in place of cooperative files gives one diagnostic per broken file, and the fixture cooperative is still checked', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 4 }), fc.array(shape, { minLength: 4, maxLength: 4 }), (ids, shapes) => {
        const dir = mkdtempSync(join(tmpdir(), 'coop-idc-shapes-'));
        try {
          cpSync(BASE_DIR, dir, { recursive: true });
          const placed = ids.filter((id) => id !== 'base-coop').map((id, i) => ({ file: `cooperatives/${id}.yaml`, shape: shapes[i] }));
          for (const p of placed) place(dir, p.file, p.shape);
          const result = load(dir);
          expect(result.plan === undefined).toBe(placed.length > 0);
          for (const p of placed) {
            const mine = result.diagnostics.filter((d) => d.file === p.file);
            expect(mine.length).toBeGreaterThanOrEqual(1);
            for (const d of mine) expect(d.line).toBeGreaterThanOrEqual(1);
            if (p.shape.code) expect(mine.map((d) => d.code)).toEqual([p.shape.code]);
            else if (!isUtf8(p.shape.kind === 'bytes' ? p.shape.bytes : new Uint8Array())) expect(mine.map((d) => d.code)).toEqual(['wrong-encoding']);
          }
          // The fixture beside them is valid: nothing is reported in it.
          expect(result.diagnostics.filter((d) => d.file === BASE_COOP)).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40, seed: 20261205 },
    );
  });

  test('any shape in place of platform.yaml gives a diagnostic at platform.yaml', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const dir = mkdtempSync(join(tmpdir(), 'coop-idc-shapes-'));
        try {
          cpSync(BASE_DIR, dir, { recursive: true });
          rmSync(join(dir, 'platform.yaml'));
          place(dir, 'platform.yaml', s);
          const result = load(dir);
          expect(result.plan).toBeUndefined();
          expect(result.diagnostics.some((d) => d.file === 'platform.yaml')).toBe(true);
          if (s.code) expect(result.diagnostics.filter((d) => d.file === 'platform.yaml').map((d) => d.code)).toEqual([s.code]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 30, seed: 5 },
    );
  });
});

describe('encodings', () => {
  /**
   * KS X 1001 Hangul syllables as CP949/EUC-KR bytes: lead 0xB0-0xC8, trail 0xA1-0xFE. Leads
   * from 0xC2 with a trail up to 0xBF happen to be a valid UTF-8 pair ("¡"), so the first
   * syllables' leads are kept below 0xC2, where a lead is never part of a UTF-8 character.
   */
  const cp949Hangul = fc.array(fc.tuple(fc.integer({ min: 0xb0, max: 0xc1 }), fc.integer({ min: 0xa1, max: 0xfe })), { minLength: 1, maxLength: 8 }).map((pairs) => Uint8Array.from(pairs.flat()));

  test('Korean saved as CP949 anywhere in a value is named as CP949/EUC-KR, on the line of its first byte', () => {
    const text = baseText(BASE_COOP);
    const lines = text.split('\n');
    // Free-text values, where a cooperative types Korean.
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(en|role|purpose|legalBasis): [A-Za-z]/.test(l));
    fc.assert(
      fc.property(fc.constantFrom(...candidates), cp949Hangul, ([line, index], hangul) => {
        const cut = line.indexOf(': ') + 2;
        const before = Buffer.from([...lines.slice(0, index), line.slice(0, cut)].join('\n'), 'utf8');
        const after = Buffer.from(`${line.slice(cut)}\n${lines.slice(index + 1).join('\n')}`, 'utf8');
        const bytes = Buffer.concat([before, hangul, after]);
        const dir = mkdtempSync(join(tmpdir(), 'coop-idc-enc-'));
        try {
          cpSync(BASE_DIR, dir, { recursive: true });
          writeFileSync(join(dir, BASE_COOP), bytes);
          const [d, ...rest] = load(dir).diagnostics;
          expect(rest).toEqual([]);
          expect(d).toMatchObject({ file: BASE_COOP, line: index + 1, col: cut + 1, code: 'wrong-encoding' });
          expect(d.message).toMatch(/CP949\/EUC-KR/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40, seed: 949 },
    );
  });

  test('any bytes: valid UTF-8 is parsed, anything else is one wrong-encoding error on the line of the first bad byte', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 6 }), fc.constant(Uint8Array.of(0x0a)), fc.string({ maxLength: 6 }).map((s) => new TextEncoder().encode(s))), { maxLength: 20 }), (parts) => {
        const bytes = Buffer.concat(parts);
        const sources = withCooperatives(baseText(BASE_COOP));
        const dir = mkdtempSync(join(tmpdir(), 'coop-idc-bytes-'));
        try {
          writeFileSync(join(dir, 'x.yaml'), bytes);
          const source = readSource(dir, join(dir, 'x.yaml'), dir);
          const result = compile({ ...sources, cooperatives: [...sources.cooperatives, source] }, { today: CORPUS_TODAY });
          const mine = result.diagnostics.filter((d) => d.file === 'x.yaml');
          if (isUtf8(bytes)) {
            expect(mine.every((d) => d.code !== 'wrong-encoding')).toBe(true);
          } else {
            // Oracle: the first line (split at 0x0A, which no UTF-8 sequence contains) that is not UTF-8.
            let line = 1;
            let start = 0;
            for (;;) {
              const end = bytes.indexOf(0x0a, start);
              if (!isUtf8(bytes.subarray(start, end < 0 ? bytes.length : end))) break;
              start = end + 1;
              line++;
            }
            expect(mine.map((d) => [d.code, d.line])).toEqual([['wrong-encoding', line]]);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150, seed: 8 },
    );
  });
});

describe('nesting', () => {
  /** Flow collections nested `depth` deep, with brackets of either kind. */
  const nested = fc.array(fc.boolean(), { minLength: 1, maxLength: 120 }).map((kinds) => {
    let text = '1';
    for (const seq of kinds) text = seq ? `[${text}]` : `{a: ${text}}`;
    return { depth: kinds.length, text };
  });

  test('flow collections up to the limit parse; deeper ones are one too-deep error, whichever parser reads the file', () => {
    fc.assert(
      fc.property(nested, fc.boolean(), ({ depth, text }, alias) => {
        const doc = baseText(BASE_COOP).replace('members:\n  count: 10', `members:\n  count: ${alias ? '&n ' : ''}${text}${alias ? '\n  other: *n' : ''}`);
        const codes = compileCorpus(withCooperatives(doc)).diagnostics.map((d) => d.code);
        if (depth > MAX_NESTING) expect(codes).toEqual(['too-deep']);
        else expect(codes).not.toContain('too-deep');
      }),
      { numRuns: 150, seed: 32 },
    );
  });
});

describe('--today', () => {
  const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

  test('is accepted exactly when it is a calendar date', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), async (y, m, d) => {
        const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && leap(y) ? 29 : DAYS[m - 1]);
        const code = await main(['validate', '--today', date, '--config', BASE_DIR], { cwd: BASE_DIR, today: CORPUS_TODAY, env: { LANG: "en_US.UTF-8" }, out: () => undefined, err: () => undefined });
        // 1 is an expired fixture agreement on a late date: still a date accepted.
        expect(code === 2).toBe(!real);
      }),
      { numRuns: 150, seed: 2026 },
    );
  });
});
