/**
 * The pull request this project exists for: a cooperative adds one file. On a copy of
 * config/ (whatever it holds), `coop-idc new` creates the file, the cooperative fills in its
 * names, and the file validates and builds with every renderer and check.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { awsStackCount, copySamples, sampleCooperativeIds, TODAY } from '../support/config';

/** An id no sample uses, whatever config/ holds. */
function freshId(): string {
  const taken = new Set(sampleCooperativeIds());
  for (let i = 0; ; i++) if (!taken.has(`onboard-${i}`)) return `onboard-${i}`;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-onboard-'));
  copySamples(join(dir, 'config'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, today: TODAY, env: { LANG: "en_US.UTF-8", HOME: dir }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a cooperative added with coop-idc new to a copy of config/ validates and builds', async () => {
  const id = freshId();
  expect(await run('new', id)).toMatchObject({ code: 0, err: '' });
  const file = join(dir, 'config', 'cooperatives', `${id}.yaml`);
  // What the template leaves for the cooperative to write: its names, descriptions and purposes.
  writeFileSync(file, readFileSync(file, 'utf8').replace('ko: 협동조합 이름', 'ko: 온보딩시험협동조합').replace('en: Cooperative name in English', 'en: Onboarding Test Cooperative')
    .replace('description: What the data is and where it comes from', 'description: 설비 센서의 1분 단위 측정값').replace('purpose: Describe the research or statistical purpose in one sentence', 'purpose: 업종별 설비 가동률 통계 연구'));

  expect(await run('validate', `config/cooperatives/${id}.yaml`)).toEqual({ code: 0, out: `config/cooperatives/${id}.yaml: valid`, err: '' });
  expect(await run('validate')).toEqual({ code: 0, out: `config: ${sampleCooperativeIds().length + 1} cooperatives valid`, err: '' });

  const r = await run('build', '--coop', id);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const out = join(dir, 'out-coop', id);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  expect(plan.cooperatives.map((c: { id: string }) => c.id)).toEqual([id]);
  expect(readdirSync(join(out, 'cdktf.out', 'stacks')).sort()).toEqual([`coop-${id}`, 'idc-platform']);
  // The platform's, its own and, in a cell, the cell's shared zone (and shared-table stack if it shares above raw).
  expect(readdirSync(join(out, 'cdk.out')).filter((f) => f.endsWith('.template.json')).length).toBe(awsStackCount(plan));
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  expect(report.summary.checks.fail).toBe(0);
  expect(existsSync(`${out}.failed`)).toBe(false);
}, 300_000);
