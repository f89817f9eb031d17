/**
 * The `--help` of the tool and of each command, from the catalogue (`help.<topic>`) in the
 * run's language; the values the code owns (version, paths, file names) filled in here.
 */
import { DEFAULT_CHROMIUM } from '../build/report-pdf';
import { TERRAFORM_ENV, TF_PLAN_FILE } from '../build/terraform';
import { formatMessage, msg, type Lang, type MessageArgs } from '../infra/config/messages';
import { OUTPUT, TOOL_VERSION } from '../infra/shared-names';

/** What `coop-idc help <topic>` and `<command> --help` show: the tool (`main`) and each command. */
export const HELP_TOPICS = ['main', 'validate', 'plan', 'new', 'build', 'report', 'cost', 'cache', 'tf'] as const;

/** A topic of {@link HELP_TOPICS}. */
export type HelpTopic = (typeof HELP_TOPICS)[number];

/** Whether `s` names a help topic (`coop-idc help <s>`). */
export function isHelpTopic(s: string | undefined): s is HelpTopic {
  return (HELP_TOPICS as readonly (string | undefined)[]).includes(s);
}

const ARGS: Readonly<Record<HelpTopic, MessageArgs | undefined>> = {
  main: { version: TOOL_VERSION },
  validate: undefined,
  plan: undefined,
  new: undefined,
  build: undefined,
  report: { chromium: DEFAULT_CHROMIUM },
  cost: undefined,
  cache: undefined,
  tf: { cdktfOut: OUTPUT.cdktfOut, planFile: TF_PLAN_FILE, env: TERRAFORM_ENV },
};

/** The help of a topic in a language. */
export function helpText(topic: HelpTopic, lang: Lang): string {
  return formatMessage(lang, msg(`help.${topic}`, ARGS[topic]));
}
