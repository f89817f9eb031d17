/**
 * The regression corpus of bad inputs (issue 12): each case in corpus/cases/<name>/ is a
 * change to the fixture config folder (files to add or replace, file-system shapes such as
 * folders, links and loops) and a command; the test runs the CLI on it and checks the exit
 * code and the exact `file:line:col error code` lines, so no input ever regresses to a crash
 * or to a different place. `CORPUS_RECORD=1` rewrites the expected lines of validate cases
 * (review the diff before committing it).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writePlanStep } from '../../../build/build-steps';
import { main } from '../../../cli/main';
import { SAMPLE_DIR } from '../../support/config';
import { BASE_DIR, CORPUS_DIR, CORPUS_TODAY } from '../../support/corpus';

/** A change to the file system of the project before the command runs. */
type Shape = { dir: string } | { remove: string } | { symlink: string; target: string } | { file: string; text: string };

interface Case {
  readonly description: string;
  readonly argv: string[];
  readonly exit: number;
  /** Every error line the command prints, as `file:line:col error code`. */
  errors?: string[];
  readonly stderrContains?: string[];
  readonly shapes?: Shape[];
}

const CASES = join(CORPUS_DIR, 'cases');
const names = readdirSync(CASES).sort();

/** The project folder of a case: the fixture config (with the onboarding template), then the case's files and shapes. */
function project(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `coop-idc-corpus-${name}-`));
  cpSync(BASE_DIR, join(dir, 'config'), { recursive: true });
  cpSync(join(SAMPLE_DIR, 'templates'), join(dir, 'config', 'templates'), { recursive: true });
  const files = join(CASES, name, 'files');
  if (existsSync(files)) cpSync(files, dir, { recursive: true });
  return dir;
}

/** Applies file-system shapes (shared with the property tests). */
export function applyShapes(dir: string, shapes: readonly Shape[]): void {
  for (const s of shapes) {
    if ('remove' in s) rmSync(join(dir, s.remove), { recursive: true, force: true });
    else if ('dir' in s) mkdirSync(join(dir, s.dir), { recursive: true });
    else if ('symlink' in s) symlinkSync(s.target, join(dir, s.symlink));
    else {
      mkdirSync(dirname(join(dir, s.file)), { recursive: true });
      writeFileSync(join(dir, s.file), s.text);
    }
  }
}

const ERROR_LINE = /^(\S+:\d+:\d+ error [a-z0-9-]+) /;

describe('regression corpus', () => {
  test('holds every input of issue 12 this part covers', () => {
    expect(names).toEqual(expect.arrayContaining(['folder-named-yaml', 'platform-folder', 'symlink-loop', 'dangling-link', 'cp949', 'deep-flow', 'cdk-token', 'report-empty-plan', 'report-corrupt-plan', 'cpu-half-millicore', 'memory-fraction', 'today-february-30', 'new-id-too-long', 'gpu-constructor', 'config-is-file', 'id-shared', 'shared-table-clash', 'field-dt']));
  });

  test.each(names)('%s', async (name) => {
    const file = join(CASES, name, 'case.json');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Case;
    const dir = project(name);
    try {
      applyShapes(dir, spec.shapes ?? []);
      const err: string[] = [];
      const code = await main(spec.argv, { cwd: dir, today: CORPUS_TODAY, env: { LANG: "en_US.UTF-8" }, out: () => undefined, err: (l) => err.push(l), buildSteps: [writePlanStep] });
      const errors = err.flatMap((l) => ERROR_LINE.exec(l)?.[1] ?? []);
      if (process.env.CORPUS_RECORD === '1' && spec.stderrContains === undefined) {
        spec.errors = errors;
        writeFileSync(file, `${JSON.stringify(spec, null, 2)}\n`);
      }
      expect(code).toBe(spec.exit);
      if (spec.errors !== undefined) expect(errors).toEqual(spec.errors);
      for (const s of spec.stderrContains ?? []) expect(err.join('\n')).toContain(s);
      // Never a stack trace, never a value read off Object.prototype (a function's text).
      expect(err.join('\n')).not.toMatch(/internal error|^\s+at |\[native code\]/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
