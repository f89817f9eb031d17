/**
 * The CLI's flags as a careless CI script gives them: random argv built from the real
 * commands and flags, real and broken values, and junk. Whatever comes in, the CLI answers
 * with an exit code (0 ok, 1 invalid, 2 usage), never a crash (the shim's exit 70) or a
 * stack trace, and it never changes the user's files; a usage error changes nothing at all.
 * Every input reproduced while fixing the CLI is kept in cli-corpus.json and replayed with
 * its exact exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { snapshotTree } from '../support/files';
import { run, world, type World } from '../support/cli-world';

const COMMANDS = ['validate', 'plan', 'new', 'build', 'report', 'cache', 'cost', 'tf', 'help', '--help', '-h', '--version', '-v'];
const FLAGS = ['--config', '--today', '--out', '--coop', '--json', '--force', '--no-cache', '--since', '--baseline-checks', '--month', '--csv', '--format', '--help', '-h'];
// Values that mean something in the world (see cli-world.ts) or broke the CLI before.
const VALUES = [
  'config', 'out', 'o2', 'mine', 'mine/thesis.md', 'notes.txt', 'notes.txt/out', '.', '..', '../..', '', ' ', '~', '~/out',
  'config/cooperatives', 'config/platform.yaml', 'config/cooperatives/korea-food.yaml', 'out-coop', 'out.failed',
  'korea-food', 'nope', 'Korea_Food', 'a'.repeat(80), 'clean', 'purge',
  '2026-11-27', '2026-02-30', '2029-01-01', 'tomorrow', '0000-00-00',
  'HEAD', 'main', '--', '-', '-x', '=', '--out',
  '2026-12', '2026-13', 'sarif', 'json', 'text',
  'apply', 'destroy',
];
// Junk: any text a shell can pass (no NUL; the CLI refuses one anyway, see the corpus).
const junk = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0'));
const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: junk });
const token = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [f, v]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value).map(([f, v]) => [`${f}=${v}`]) },
  { weight: 2, arbitrary: fc.constantFrom(...FLAGS).map((f) => [f]) },
  { weight: 2, arbitrary: value.map((v) => [v]) },
);
const argv = fc
  .tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COMMANDS) }, { weight: 1, arbitrary: junk }), fc.array(token, { maxLength: 5 }))
  .map(([command, tokens]) => [command, ...tokens.flat()]);

/** What no run may change, whatever its exit code. */
const userFiles = (w: World) => ({ mine: snapshotTree(join(w.project, 'mine')), notes: readFileSync(join(w.project, 'notes.txt'), 'utf8'), pkg: readFileSync(join(w.project, 'package.json'), 'utf8') });

async function check(w: World, args: readonly string[]) {
  const mine = userFiles(w);
  const before = snapshotTree(w.root);
  const r = await run(w, args);
  expect([0, 1, 2]).toContain(r.code);
  expect(r.err).not.toMatch(/internal error|^\s+at .*\(.*:\d+:\d+\)$/m);
  expect(userFiles(w)).toEqual(mine);
  if (r.code === 2) expect(snapshotTree(w.root)).toEqual(before);
  return r;
}

test('random flags: exit 0, 1 or 2, no stack trace, the user\'s files intact', async () => {
  await fc.assert(
    fc.asyncProperty(argv, async (args) => {
      const w = world();
      try {
        await check(w, args);
      } finally {
        w.remove();
      }
    }),
    // Each run copies the samples and compiles them: a few dozen runs per `npm test`.
    { numRuns: 40 },
  );
}, 600_000);

/** One reproduced input: its argv and the exit code it must give. */
interface CorpusEntry {
  readonly argv: readonly string[];
  readonly code: 0 | 1 | 2;
  readonly why: string;
}
const CORPUS = JSON.parse(readFileSync(join(__dirname, 'cli-corpus.json'), 'utf8')) as CorpusEntry[];

describe('corpus of reproduced inputs', () => {
  let w: World;
  beforeEach(() => (w = world()));
  afterEach(() => w.remove());
  test.each(CORPUS.map((c) => [c.why, c] as const))('%s', async (_why, c) => {
    expect((await check(w, c.argv)).code).toBe(c.code);
  });
});
