/**
 * What a person filling in a cooperative file gets wrong, and the schema cannot see: text
 * left as the template wrote it, and personal data in free-text fields (this file lives in
 * git, readable by everyone at KBIZ, for good). Each finding is located at the value.
 */
import { bilingual, type Diagnostic } from './diagnostics';
import type { Located } from './load';
import type { CooperativeConfig } from './schema';
import type { DocPath } from './source';

/**
 * Texts of config/templates/cooperative.yaml a cooperative must replace: the names and the
 * descriptions. (The example role and legal basis are real values a cooperative may keep.)
 * A test holds this list to the template.
 */
export const TEMPLATE_PLACEHOLDERS: readonly string[] = [
  '협동조합 이름',
  'Cooperative name in English',
  'What the data is and where it comes from',
  'Describe the research or statistical purpose in one sentence',
];

/** One kind of personal data and how it is recognised in free text. */
interface PersonalPattern {
  readonly ko: string;
  readonly en: string;
  readonly pattern: RegExp;
}

// Surnames that cover ~99 % of Koreans (Statistics Korea census); a name is one of them and
// one or two syllables, standing alone before (or after) a job title.
const SURNAMES = '김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용';
const TITLES = '사원|주임|대리|과장|차장|부장|팀장|실장|본부장|이사|상무|전무|대표|대표이사|선임|책임|수석|매니저|담당자|연구원|위원';
const NAME_AND_TITLE = new RegExp(`(?:^|[^가-힣])([${SURNAMES}][가-힣]{1,2}) ?(?:${TITLES})(?:님)?(?=$|[^가-힣])|(?:^|[^가-힣])(?:${TITLES}) ([${SURNAMES}][가-힣]{1,2})(?:님)?(?=$|[^가-힣])`);

/** Personal data a free-text field must not hold, most specific first. */
export const PERSONAL_PATTERNS: readonly PersonalPattern[] = [
  { ko: '주민등록번호', en: 'a resident registration number', pattern: /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[- ]?[1-8]\d{6}(?!\d)/ },
  { ko: '휴대전화 번호', en: 'a mobile phone number', pattern: /(?<!\d)(?:\+82[- ]?|0)1[016789][- .)]?\d{3,4}[- .]?\d{4}(?!\d)/ },
  { ko: '전화번호', en: 'a phone number', pattern: /(?<!\d)(?:\+82[- ]?|0)(?:2|[3-6][1-5]|70)[- .)]?\d{3,4}[- .]?\d{4}(?!\d)/ },
  { ko: '이메일 주소', en: 'an e-mail address', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/ },
  { ko: '사람 이름과 직함', en: 'a person\'s name next to a job title', pattern: NAME_AND_TITLE },
];

/** The first kind of personal data in `text`, with what matched. */
export function personalDataIn(text: string): { readonly kind: PersonalPattern; readonly found: string } | undefined {
  for (const kind of PERSONAL_PATTERNS) {
    const m = kind.pattern.exec(text);
    if (m) return { kind, found: (m[1] ?? m[2] ?? m[0]).trim() };
  }
  return undefined;
}

const normalise = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const PLACEHOLDER_SET = new Set(TEMPLATE_PLACEHOLDERS.map(normalise));

/** Free-text values of a cooperative file, with their paths. */
function freeText(c: CooperativeConfig): [DocPath, string | undefined][] {
  return [
    [['name', 'ko'], c.name.ko],
    [['name', 'en'], c.name.en],
    [['contact', 'role'], c.contact.role],
    [['contact', 'channel'], c.contact.channel],
    ...c.datasets.flatMap((d, di): [DocPath, string | undefined][] => [
      [['datasets', di, 'description'], d.description],
      ...d.fields.map((f, fi): [DocPath, string | undefined] => [['datasets', di, 'fields', fi, 'description'], f.description]),
    ]),
    ...c.sharing.flatMap((s, si): [DocPath, string | undefined][] => [
      [['sharing', si, 'purpose'], s.purpose],
      [['sharing', si, 'legalBasis'], s.legalBasis],
      [['sharing', si, 'sensitiveBasis'], s.sensitiveBasis],
    ]),
  ];
}

/** Placeholders left from the template and personal data in free text, at each value. */
export function checkMistakes(located: Located<CooperativeConfig>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const file = located.source.source.displayPath;
  for (const [path, text] of freeText(located.value)) {
    if (text === undefined) continue;
    const at = { file, ...located.source.at(path), severity: 'error' as const };
    const key = path.filter((p) => typeof p === 'string').join('.');
    if (PLACEHOLDER_SET.has(normalise(text))) {
      out.push({
        ...at,
        code: 'template-placeholder',
        message: bilingual(`${key}에 템플릿의 예시 문구 "${text}"가 그대로 있습니다`, `${key} still holds the template's placeholder "${text}"`),
        hint: bilingual('협동조합의 실제 내용으로 바꾸세요', 'replace it with your cooperative\'s own text'),
      });
      continue;
    }
    const personal = personalDataIn(text);
    if (personal) {
      out.push({
        ...at,
        code: 'personal-data',
        message: bilingual(`${key}에 개인정보(${personal.kind.ko})로 보이는 "${personal.found}"가 있습니다`, `${key} holds what looks like ${personal.kind.en}: "${personal.found}"`),
        hint: bilingual(
          '이 파일은 git에 영구히 남습니다: 사람 대신 직무나 부서(예: 데이터 담당, 디지털전환팀), 개인 연락처 대신 부서 공용 창구를 적으세요',
          'this file stays in git for good: write a role or team (e.g. Data steward, Digital Transformation Team) and a shared team channel, never a person or their contact details',
        ),
      });
    }
  }
  return out;
}
