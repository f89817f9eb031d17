/** `--lang ko|en` on any command, else LC_ALL, else LANG, else Korean; usage errors too. */
import { main } from '../../cli/main';

async function run(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: __dirname, today: '2026-11-27', env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const KO = ['coop-idc: 알 수 없는 명령 "frobnicate"', "사용법: 'coop-idc --help'"].join('\n');
const EN = ['coop-idc: unknown command "frobnicate"', "Run 'coop-idc --help' for usage."].join('\n');

test.each([
  ['no locale', {}, [], KO],
  ['LANG=ko_KR.UTF-8', { LANG: 'ko_KR.UTF-8' }, [], KO],
  ['LANG=en_US.UTF-8', { LANG: 'en_US.UTF-8' }, [], EN],
  ['LANG=C (no language chosen)', { LANG: 'C' }, [], KO],
  ['LANG=C.UTF-8, as on CI runners', { LANG: 'C.UTF-8' }, [], KO],
  ['--lang=en over LANG=C.UTF-8', { LANG: 'C.UTF-8' }, ['--lang=en'], EN],
  ['LC_ALL over LANG', { LC_ALL: 'ko_KR.UTF-8', LANG: 'en_US.UTF-8' }, [], KO],
  ['--lang en over the locale', { LC_ALL: 'ko_KR.UTF-8' }, ['--lang', 'en'], EN],
  ['--lang=ko over the locale', { LANG: 'C' }, ['--lang=ko'], KO],
])('%s', async (_what, env, flag, expected) => {
  expect(await run(env, 'frobnicate', ...flag)).toEqual({ code: 2, out: '', err: expected });
});

test('--lang may stand before the command', async () => {
  expect((await run({}, '--lang', 'en', 'frobnicate')).err).toBe(EN);
});

test('a command option error names the command, in the chosen language', async () => {
  expect((await run({}, 'validate', '--format', 'xml')).err).toBe(["coop-idc: --format 값 \"xml\" — 다음 중 하나여야 합니다: text, json, sarif", "사용법: 'coop-idc validate --help'"].join('\n'));
  expect((await run({}, 'validate', '--format', 'xml', '--lang', 'en')).err).toBe(["coop-idc: --format is \"xml\"; expected one of text, json, sarif", "Run 'coop-idc validate --help' for usage."].join('\n'));
});

test('fails with exit 2 when --lang is neither ko nor en', async () => {
  const r = await run({ LANG: 'en_US.UTF-8' }, 'validate', '--lang', 'jp');
  expect(r).toEqual({ code: 2, out: '', err: ['coop-idc: --lang must be ko or en, got "jp"', "Run 'coop-idc --help' for usage."].join('\n') });
  expect((await run({}, 'validate', '--lang')).err).toMatch(/^coop-idc: --lang은 ko 또는 en이어야 합니다/);
});
