/** `coop-idc` with no command, `--version`, and the help that names both. */
import { main } from '../../cli/main';
import { TOOL_VERSION } from '../../infra/shared-names';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: __dirname, today: '2026-11-27', env: { LANG: "en_US.UTF-8" }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('no command prints the help on stderr and exits 2', async () => {
  const r = await run();
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain('Usage: coop-idc <command> [options]');
});

test('--help prints the same help on stdout, exit 0, naming --version', async () => {
  const r = await run('--help');
  expect(r).toMatchObject({ code: 0, err: '' });
  expect(r.out).toContain('-v, --version');
  expect(r.out).toBe((await run()).err);
});

test('--version prints package.json\'s version', async () => {
  expect(await run('--version')).toEqual({ code: 0, out: TOOL_VERSION, err: '' });
  expect(TOOL_VERSION).toBe((require('../../package.json') as { version: string }).version);
});

test('the help names tf plan|apply, and tf --help says the order, the saved plan and where Terraform comes from', async () => {
  expect((await run('--help')).out).toMatch(/^  tf plan\|apply +.*dependency order$/m);
  const r = await run('tf', '--help');
  expect(r).toMatchObject({ code: 0, err: '' });
  expect(r.out).toContain('Usage: coop-idc tf plan|apply [--out dir] [--coop id]');
  expect(r.out).toContain("'terraform apply -input=false tfplan'");
  expect(r.out).toContain('COOP_IDC_TERRAFORM');
  expect((await run('help', 'tf')).out).toBe(r.out);
});
