/**
 * Every user-facing message in Korean and English, from one catalogue ({@link CATALOGUE}),
 * written in ICU MessageFormat and rendered by FormatJS's `intl-messageformat`: plurals and
 * selections are the library's, never string concatenation.
 *
 * Code below the CLI never picks a language: a diagnostic carries a {@link MessageRef} (an id
 * and its arguments) and is rendered at the edge, in the language the CLI resolved
 * (`--lang`, else LC_ALL, else LANG, else Korean; see {@link langOfLocale}).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUE } from './catalogue';

export { CATALOGUE } from './catalogue';

/** The languages every message exists in; Korean first (the people who onboard read it). */
export const LANGS = ['ko', 'en'] as const;

/** A language of the catalogue. */
export type Lang = (typeof LANGS)[number];

/** The language when neither `--lang` nor the locale says otherwise. */
export const DEFAULT_LANG: Lang = 'ko';

/** The id of a message in the catalogue. */
export type MessageId = keyof typeof CATALOGUE;

/**
 * A path into a document as a person reads it: one-based positions, each list item with its
 * name when it has one, e.g. `datasets[1] (이름: spindle_telemetry) → fields[2] (이름: pii_flag)`.
 */
export interface UserPath {
  readonly path: readonly (string | { readonly index: number; readonly name?: string })[];
}

/** A list of values, joined as the language joins them. */
export interface ListArg {
  readonly list: readonly MessageArg[];
  /**
   * Between two values, for items that hold commas themselves.
   * @default ', '
   */
  readonly separator?: string;
}

/** One argument of a message: text, a number, a path, a list, or another message. */
export type MessageArg = string | number | UserPath | ListArg | MessageRef;

/** The arguments of a message, by placeholder name. */
export type MessageArgs = Readonly<Record<string, MessageArg>>;

/** A message by id with its arguments: what a diagnostic carries until it is shown. */
export interface MessageRef {
  readonly id: MessageId;
  readonly args?: MessageArgs;
}

/** A reference to a message (typed id, checked arguments at the call site by the catalogue test). */
export function msg(id: MessageId, args?: MessageArgs): MessageRef {
  return args ? { id, args } : { id };
}

const compiled = new Map<string, IntlMessageFormat>();

/** The compiled ICU message of an id in a language (compiled once, on first use). */
export function compiledMessage(lang: Lang, id: MessageId): IntlMessageFormat {
  const key = `${lang}\u0000${id}`;
  let m = compiled.get(key);
  if (!m) {
    const entry = CATALOGUE[id];
    if (!entry) throw new Error(`no message "${String(id)}" in the catalogue`);
    // No rich-text tags: `<id>` in a message is text (a placeholder the user replaces).
    m = new IntlMessageFormat(entry[lang], lang, undefined, { ignoreTag: true });
    compiled.set(key, m);
  }
  return m;
}

/** Renders a message in a language; its arguments (paths, lists, nested messages) too. */
export function formatMessage(lang: Lang, ref: MessageRef): string {
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(ref.args ?? {})) values[k] = formatArg(lang, v);
  return String(compiledMessage(lang, ref.id).format(values));
}

/** One argument as text in a language. */
export function formatArg(lang: Lang, v: MessageArg): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if ('list' in v) return v.list.map((x) => formatArg(lang, x)).join(v.separator ?? ', ');
  if ('path' in v) return formatUserPath(lang, v);
  return formatMessage(lang, v);
}

/** `datasets[1] (이름: spindle_telemetry) → fields[2] (이름: temp) → pii` (one-based). */
export function formatUserPath(lang: Lang, p: UserPath): string {
  const label = lang === 'ko' ? '이름' : 'name';
  const parts: string[] = [];
  for (const seg of p.path) {
    if (typeof seg === 'string') parts.push(seg);
    else {
      const item = `[${seg.index + 1}]${seg.name !== undefined ? ` (${label}: ${seg.name})` : ''}`;
      if (parts.length) parts[parts.length - 1] += item;
      else parts.push(item);
    }
  }
  return parts.length ? parts.join(' → ') : lang === 'ko' ? '문서 전체' : 'the document';
}

/**
 * The language a POSIX locale names: `ko_KR.UTF-8` and `ko` give Korean; `en_US.UTF-8` gives
 * English; `C`, `C.UTF-8` and `POSIX` name no language (they are what a container or a CI
 * runner has when nobody chose one), so they give undefined like anything else or nothing,
 * and the caller goes on to the next source and in the end to Korean. Pure: the CLI passes
 * the values it read.
 */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale.trim().toLowerCase();
  if (l === 'c' || l === 'posix' || l.startsWith('c.')) return undefined;
  const m = /^([a-z]{2,3})(?:[_.@-]|$)/.exec(l);
  if (!m) return undefined;
  return m[1] === 'ko' ? 'ko' : m[1] === 'en' ? 'en' : undefined;
}

/**
 * The language of a run: an explicit choice, else LC_ALL, else LANG (POSIX order: LC_ALL
 * overrides LANG), else {@link DEFAULT_LANG}. A locale in another language (e.g. `ja_JP`)
 * falls back to Korean, the default of the people this tool is for.
 */
export function resolveLang(choice: Lang | undefined, env: Readonly<Record<string, string | undefined>>): Lang {
  if (choice) return choice;
  if (env.LC_ALL) return langOfLocale(env.LC_ALL) ?? DEFAULT_LANG;
  return langOfLocale(env.LANG) ?? DEFAULT_LANG;
}

/** Whether a string names a language of the catalogue. */
export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

/**
 * A document path as the user reads it: list positions one-based, each item with its `name`
 * (datasets, fields, models) or `id` (consumers, cells, servers) read from the document.
 */
export function userPathOf(path: readonly (string | number)[], root: unknown): UserPath {
  let node: unknown = root;
  const out: UserPath['path'][number][] = [];
  for (const seg of path) {
    const child = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
    if (typeof seg === 'number') {
      const named = child !== null && typeof child === 'object' ? (child as { name?: unknown; id?: unknown }) : undefined;
      const name = typeof named?.name === 'string' ? named.name : typeof named?.id === 'string' ? named.id : undefined;
      out.push(name !== undefined ? { index: seg, name } : { index: seg });
    } else out.push(seg);
    node = child;
  }
  return { path: out };
}
