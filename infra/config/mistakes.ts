/**
 * What a person filling in a cooperative file gets wrong, and the schema cannot see: text
 * left as the template wrote it, and personal data in free-text fields (this file lives in
 * git, readable by everyone at KBIZ, for good). Each finding is located at the value.
 */
import { diagnostic, type Diagnostic } from './diagnostics';
import type { Located } from './load';
import { msg, userPathOf, type MessageId } from './messages';
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
  /** The catalogue message naming the kind, e.g. `personal.mobile`. */
  readonly kind: MessageId;
  readonly pattern: RegExp;
}

// Surnames that cover ~99 % of Koreans (Statistics Korea census); a name is one of them and
// one or two syllables, standing alone before (or after) a job title.
const SURNAMES = '김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용';
// Titles that are a unit's head (팀장 = 팀 + 장) also end team names written as one word
// ("정보팀장", "전산실장"): after a name they count only when a space separates them.
const UNIT_TITLES = '본부장|팀장|실장|부장|과장';
const PERSON_TITLES = '대표이사|사원|주임|대리|차장|이사|상무|전무|대표|선임|책임|수석|매니저|담당자|연구원|위원';
const TITLES = `${UNIT_TITLES}|${PERSON_TITLES}`;
const NOT_HANGUL_BEFORE = '(?:^|[^가-힣])';
const NOT_HANGUL_AFTER = '(?:님)?(?=$|[^가-힣])';
const NAME_AND_TITLE = new RegExp(
  [
    // "김철수 팀장", "이산 과장": name, space, any title.
    `${NOT_HANGUL_BEFORE}([${SURNAMES}][가-힣]{1,2}) (?:${TITLES})${NOT_HANGUL_AFTER}`,
    // "김철수대리": a full three-syllable name run into a personal title.
    `${NOT_HANGUL_BEFORE}([${SURNAMES}][가-힣]{2})(?:${PERSON_TITLES})${NOT_HANGUL_AFTER}`,
    // "팀장 김철수": title, space, name.
    `${NOT_HANGUL_BEFORE}(?:${TITLES}) ([${SURNAMES}][가-힣]{1,2})${NOT_HANGUL_AFTER}`,
  ].join('|'),
);

/** Personal data a free-text field must not hold, most specific first. */
export const PERSONAL_PATTERNS: readonly PersonalPattern[] = [
  { kind: 'personal.rrn', pattern: /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[- ]?[1-8]\d{6}(?!\d)/ },
  { kind: 'personal.mobile', pattern: /(?<!\d)(?:\+82[- ]?|0)1[016789][- .)]?\d{3,4}[- .]?\d{4}(?!\d)/ },
  { kind: 'personal.phone', pattern: /(?<!\d)(?:\+82[- ]?|0)(?:2|[3-6][1-5]|70)[- .)]?\d{3,4}[- .]?\d{4}(?!\d)/ },
  { kind: 'personal.email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/ },
  { kind: 'personal.name-title', pattern: NAME_AND_TITLE },
];

/** The first kind of personal data in `text`, with what matched. */
export function personalDataIn(text: string): { readonly kind: PersonalPattern; readonly found: string } | undefined {
  for (const kind of PERSONAL_PATTERNS) {
    const m = kind.pattern.exec(text);
    if (m) return { kind, found: (m.slice(1).find((g) => g !== undefined) ?? m[0]).trim() };
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
    // Positions and the user's path only for a finding: a position parses the file a second
    // time, with the parser that keeps positions (source.ts), which most files never need.
    const at = () => ({ file, ...located.source.at(path) });
    // The path as the user reads it: `datasets[1] (이름: telemetry) → description`.
    const where = () => userPathOf(path, located.value);
    if (PLACEHOLDER_SET.has(normalise(text))) {
      out.push(diagnostic(at(), 'error', 'template-placeholder', msg('mistakes.placeholder', { path: where(), text }), msg('mistakes.placeholder.hint')));
      continue;
    }
    const personal = personalDataIn(text);
    if (personal) {
      out.push(diagnostic(at(), 'error', 'personal-data', msg('mistakes.personal', { path: where(), kind: msg(personal.kind.kind), found: personal.found }), msg('mistakes.personal.hint')));
    }
  }
  return out;
}
