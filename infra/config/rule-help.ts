/**
 * What each rule code means and how to fix it, in Korean and English: the help text of the
 * SARIF output (`validate --format sarif`, the build's `checks.sarif`), which GitHub shows
 * beside a finding on the pull request. The rule-code tables of docs/onboarding.ko.md and
 * docs/onboarding.en.md say the same; a test holds the two to each other.
 */
import { CATALOGUE, formatMessage, msg, type MessageId } from './messages';

/** Help for one rule code. */
export interface RuleHelp {
  /** What the code means, in Korean. */
  readonly ko: string;
  /** What the code means, in English. */
  readonly en: string;
  /** How to fix it, in Korean. */
  readonly fixKo: string;
  /** How to fix it, in English. */
  readonly fixEn: string;
}

/** Every rule code of the catalogue (`rule.<code>` entries), in catalogue order. */
export const RULE_CODES: readonly string[] = Object.keys(CATALOGUE)
  .filter((id) => id.startsWith('rule.'))
  .map((id) => id.slice('rule.'.length));

/**
 * Every configuration rule code a user can see, with its help (the docs' rule-code table),
 * rendered from the message catalogue's `rule.<code>` and `fix.<code>` entries. Each entry is
 * rendered on first read: importing the core (every build worker does) compiles no message.
 */
export const RULE_HELP: Readonly<Record<string, RuleHelp>> = Object.defineProperties(
  {},
  Object.fromEntries(RULE_CODES.map((code) => [code, { enumerable: true, get: () => renderedHelp(code) }])),
);

const rendered = new Map<string, RuleHelp>();
function renderedHelp(code: string): RuleHelp {
  let help = rendered.get(code);
  if (!help) {
    const what = msg(`rule.${code}` as MessageId);
    const fix = msg(`fix.${code}` as MessageId);
    help = { ko: formatMessage('ko', what), en: formatMessage('en', what), fixKo: formatMessage('ko', fix), fixEn: formatMessage('en', fix) };
    rendered.set(code, help);
  }
  return help;
}

/** The help of a code; a generic text for a code the table does not know yet. */
export function ruleHelp(code: string): RuleHelp {
  return (
    RULE_HELP[code] ?? {
      ko: `규칙 ${code}`,
      en: `rule ${code}`,
      fixKo: '메시지의 안내를 따르세요(docs/onboarding.ko.md 규칙 코드)',
      fixEn: 'follow the message (docs/onboarding.en.md, rule codes)',
    }
  );
}
