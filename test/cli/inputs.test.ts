/**
 * The CLI on inputs a careless user or CI script gives it: every one ends in a located
 * diagnostic or a usage error (exit 1 or 2), never a stack trace (exit 70).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePlanStep } from '../../build/build-steps';
import { OUTPUT_MARKER } from '../../build/output';
import { main } from '../../cli/main';
import { SAMPLE_DIR } from '../support/config';
import { BASE_DIR, CORPUS_TODAY } from '../support/corpus';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-inputs-'));
  cpSync(BASE_DIR, join(dir, 'config'), { recursive: true });
  // `new` copies the onboarding template; the fixture platform and cooperative are the corpus's own.
  cpSync(join(SAMPLE_DIR, 'templates'), join(dir, 'config', 'templates'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, today: CORPUS_TODAY, env: { LANG: "en_US.UTF-8", ...env }, out: (l) => out.push(l), err: (l) => err.push(l), buildSteps: [writePlanStep] });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('--today', () => {
  test.each(['2026-02-30', '2026-13-01', '2025-02-29'])('fails when --today %s is not a calendar date', async (date) => {
    const r = await run(['validate', '--today', date]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--today must be a calendar date YYYY-MM-DD, got "${date}"`);
  });

  test('fails when COOP_IDC_TODAY is not a calendar date', async () => {
    const r = await run(['validate'], { COOP_IDC_TODAY: '2026-02-30' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('"2026-02-30"');
  });

  test('accepts a leap day', async () => {
    expect((await run(['validate', '--today', '2028-02-29'])).code).toBe(0);
  });
});

describe('coop-idc new', () => {
  test('fails when the id is too long for the names derived from it, giving the maximum', async () => {
    const id = `k${'x'.repeat(39)}`;
    const r = await run(['new', id]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`"${id}" is 40 characters; with environment "prod" at most 29 fit`);
    expect(r.err).toMatch(/S3 bucket "kbiz-prod-kx+-quarantine-111122223333" would be 74 characters; the limit is 63/);
  });

  test('creates a file for an id of exactly the maximum length', async () => {
    const r = await run(['new', `k${'x'.repeat(28)}`]);
    expect(r.code).toBe(0);
  });

  test.each(['shared', 'platform'])('fails when the id is the reserved "%s"', async (id) => {
    const r = await run(['new', id]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`"${id}" is reserved.*reserved: platform, shared`));
  });

  test('fails when the id is not a DNS label', async () => {
    expect((await run(['new', 'Korea_Furniture'])).code).toBe(2);
  });
});

describe('--config', () => {
  test.each([['validate'], ['plan'], ['build'], ['report']])('%s fails when --config points at a file', async (command) => {
    const r = await run([command, '--config', 'config/platform.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--config must be the config folder (the one holding platform.yaml and cooperatives/), not the file config/platform.yaml');
  });

  test('validate checks platform.yaml given as a file as the platform file, not as a cooperative', async () => {
    const r = await run(['validate', 'config/platform.yaml']);
    expect(r).toMatchObject({ code: 0, err: '', out: 'config/platform.yaml: valid' });
  });

  test('validate reports problems of platform.yaml given as a file', async () => {
    const file = join(dir, 'config', 'platform.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('logRetentionDays: 731', 'logRetentionDays: 30'));
    const r = await run(['validate', 'config/platform.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/platform\.yaml:\d+:\d+ error retention-too-short /m);
  });
});

describe('coop-idc report on a damaged output folder', () => {
  // An output folder a build wrote (it carries the marker) whose plan was damaged since.
  const write = (text: string) => {
    mkdirSync(join(dir, 'out'), { recursive: true });
    writeFileSync(join(dir, 'out', OUTPUT_MARKER), JSON.stringify({ tool: 'coop-idc', format: 1 }));
    writeFileSync(join(dir, 'out', 'plan.json'), text);
  };

  test('fails when plan.json is empty, naming the file', async () => {
    write('');
    const r = await run(['report']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe("coop-idc: out/plan.json is empty (run 'coop-idc build' to write the output folder again)");
  });

  test('fails when plan.json is not JSON, naming the file and the position', async () => {
    write('{"version": 1, "cooperatives": [');
    const r = await run(['report']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^coop-idc: out\/plan\.json is not valid JSON \(.+\) \(run 'coop-idc build' to write the output folder again\)$/);
  });

  test('fails when plan.json is JSON but not a plan', async () => {
    write('[1, 2, 3]');
    const r = await run(['report']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('out/plan.json is not a coop-idc plan of format version 1');
  });

  test('fails when plan.json is a folder', async () => {
    mkdirSync(join(dir, 'out', 'plan.json'), { recursive: true });
    writeFileSync(join(dir, 'out', OUTPUT_MARKER), JSON.stringify({ tool: 'coop-idc', format: 1 }));
    const r = await run(['report']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('out/plan.json is a folder');
  });
});

describe('validate <file> on file-system shapes', () => {
  test('fails when the named cooperative file is a folder, at that file', async () => {
    mkdirSync(join(dir, 'config', 'cooperatives', 'x.yaml'));
    const r = await run(['validate', 'config/cooperatives/x.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/x\.yaml:1:1 error unreadable-file .*a folder where a YAML file is expected/m);
  });

  test('fails when the named cooperative file is a link to nothing, naming its target', async () => {
    symlinkSync('moved/y.yaml', join(dir, 'config', 'cooperatives', 'y.yaml'));
    const r = await run(['validate', 'config/cooperatives/y.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^config\/cooperatives\/y\.yaml:1:1 error unreadable-file .*a link to "moved\/y\.yaml", which does not exist/m);
  });
});
