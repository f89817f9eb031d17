/**
 * The onboarding guide (docs/onboarding.*.md), walked as a cooperative's staff member would:
 * `coop-idc new`, validate the unedited file, fill it in, make three typical mistakes, read
 * the messages (asserted exactly, Korean first), fix them, validate. On a synthetic platform,
 * whatever config/ holds.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { positionOf, SAMPLE_DIR, TODAY } from '../support/config';

let dir: string;
const FILE = 'config/cooperatives/korea-furniture.yaml';
const read = () => readFileSync(join(dir, FILE), 'utf8');
const write = (text: string) => writeFileSync(join(dir, FILE), text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coop-idc-guide-'));
  writeSources(generateSources({ n: 2 } as never), join(dir, 'config'));
  mkdirSync(join(dir, 'config', 'templates'));
  copyFileSync(join(SAMPLE_DIR, 'templates', 'cooperative.yaml'), join(dir, 'config', 'templates', 'cooperative.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with no locale set (Korean, the default) unless `--lang` says otherwise. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, today: TODAY, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
async function runIn(env: Record<string, string>, ...argv: string[]) {
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, today: TODAY, env, out: () => undefined, err: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}
const at = (text: string, needle: string) => {
  const p = positionOf(text, needle);
  return `${FILE}:${p.line}:${p.col}`;
};

test('new, the unedited file, filling it in, three typical mistakes and their fixes', async () => {
  // 2. Create the file.
  expect(await run('new', 'korea-furniture')).toEqual({ code: 0, out: `만들었습니다: ${FILE}\n다음: 내용을 채운 뒤 실행하세요: 'npx coop-idc validate ${FILE}'`, err: '' });

  // Validating it unedited names each text the template left, at its line.
  const template = read();
  const unedited = await run('validate', FILE);
  expect(unedited.code).toBe(1);
  expect(unedited.err.split('\n')).toEqual([
    `${at(template, '협동조합 이름')} error template-placeholder name → ko: "협동조합 이름" — 템플릿의 예시 문구가 그대로 남아 있습니다 (협동조합의 실제 내용으로 바꾸세요)`,
    `${at(template, 'Cooperative name in English')} error template-placeholder name → en: "Cooperative name in English" — 템플릿의 예시 문구가 그대로 남아 있습니다 (협동조합의 실제 내용으로 바꾸세요)`,
    `${at(template, 'What the data is')} error template-placeholder datasets[1] (이름: sensor_readings) → description: "What the data is and where it comes from" — 템플릿의 예시 문구가 그대로 남아 있습니다 (협동조합의 실제 내용으로 바꾸세요)`,
    `${at(template, 'Describe the research')} error template-placeholder sharing[1] → purpose: "Describe the research or statistical purpose in one sentence" — 템플릿의 예시 문구가 그대로 남아 있습니다 (협동조합의 실제 내용으로 바꾸세요)`,
    '오류 4개',
  ]);
  // The same run in English, chosen by --lang or by the locale.
  const english = [
    `${at(template, '협동조합 이름')} error template-placeholder name → ko still holds the template's placeholder "협동조합 이름" (replace it with your cooperative's own text)`,
    `${at(template, 'Cooperative name in English')} error template-placeholder name → en still holds the template's placeholder "Cooperative name in English" (replace it with your cooperative's own text)`,
    `${at(template, 'What the data is')} error template-placeholder datasets[1] (name: sensor_readings) → description still holds the template's placeholder "What the data is and where it comes from" (replace it with your cooperative's own text)`,
    `${at(template, 'Describe the research')} error template-placeholder sharing[1] → purpose still holds the template's placeholder "Describe the research or statistical purpose in one sentence" (replace it with your cooperative's own text)`,
    '4 errors',
  ];
  expect((await run('validate', '--lang', 'en', FILE)).err.split('\n')).toEqual(english);
  expect((await runIn({ LANG: 'en_US.UTF-8' }, 'validate', FILE)).err.split('\n')).toEqual(english);

  // 3. Fill it in.
  const filled = template
    .replace('ko: 협동조합 이름', 'ko: 한국가구공업협동조합')
    .replace('en: Cooperative name in English', 'en: Korea Furniture Industry Cooperative')
    .replace('description: What the data is and where it comes from', 'description: 조합원사 공장 설비의 1분 단위 센서 측정값')
    .replace('purpose: Describe the research or statistical purpose in one sentence', 'purpose: 가구 업종 설비 가동률과 에너지 효율 통계 연구');
  write(filled);
  expect(await run('validate', FILE)).toEqual({ code: 0, out: `${FILE}: 유효`, err: '' });
  expect(await run('validate', FILE, '--lang', 'en')).toEqual({ code: 0, out: `${FILE}: valid`, err: '' });

  // Three typical mistakes: a person's mobile number as the contact, an abbreviated consumer
  // id, a model image from a registry the platform does not allow.
  const image = 'docker.io/randomuser/miner@sha256:' + 'ab'.repeat(32);
  const wrong = filled
    .replace('role: Data steward, Digital Transformation Team', 'role: 홍길동 과장 010-1234-5678')
    .replace('consumer: kiet', 'consumer: ibk')
    .replace('  models: []', `  models:\n    - { name: defect-detector, image: "${image}", cpu: "1", memory: 2Gi }`);
  write(wrong);
  const mistakes = await run('validate', FILE);
  expect(mistakes.code).toBe(1);
  expect(mistakes.err.split('\n')).toEqual([
    `${at(wrong, '홍길동')} error personal-data contact → role: "010-1234-5678" — 개인정보(휴대전화 번호)로 보이는 값이 있습니다 (이 파일은 git에 영구히 남습니다: 사람 대신 직무나 부서(예: 데이터 담당, 디지털전환팀), 개인 연락처 대신 부서 공용 창구를 적으세요)`,
    `${at(wrong, 'ibk')} error unknown-consumer 이용기관 "ibk"은(는) config/platform.yaml에 선언되어 있지 않습니다 ("ibk-bank"인가요? 선언된 값: ibk-bank, kiet, mss)`,
    `${at(wrong, `"${image}"`)} error image-registry-not-allowed 이미지 "${image}" — 허용되지 않은 레지스트리에서 옵니다 (플랫폼 idc.allowedRegistries: registry.idc.kbiz.or.kr) (registry.idc.kbiz.or.kr 중 한 곳에 이미지를 올리고 다이제스트로 지정하세요)`,
    '오류 3개',
  ]);
  expect((await run('validate', FILE, '--lang', 'en')).err.split('\n')).toEqual([
    `${at(wrong, '홍길동')} error personal-data contact → role holds what looks like a mobile phone number: "010-1234-5678" (this file stays in git for good: write a role or team (e.g. Data steward, Digital Transformation Team) and a shared team channel, never a person or their contact details)`,
    `${at(wrong, 'ibk')} error unknown-consumer consumer "ibk" is not declared in config/platform.yaml (did you mean "ibk-bank"? known: ibk-bank, kiet, mss)`,
    `${at(wrong, `"${image}"`)} error image-registry-not-allowed image "${image}" is not from an allowed registry (platform idc.allowedRegistries: registry.idc.kbiz.or.kr) (push the image to registry.idc.kbiz.or.kr and pin it by digest)`,
    '3 errors',
  ]);

  // Fixed as the messages say.
  write(wrong
    .replace('role: 홍길동 과장 010-1234-5678', 'role: 데이터 담당, 디지털전환팀')
    .replace('consumer: ibk', 'consumer: ibk-bank')
    .replace(image, `registry.idc.kbiz.or.kr/korea-furniture/defect-detector@sha256:${'ab'.repeat(32)}`));
  expect(await run('validate', FILE)).toEqual({ code: 0, out: `${FILE}: 유효`, err: '' });
});
