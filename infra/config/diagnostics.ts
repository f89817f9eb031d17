/**
 * Compiler-style diagnostics for configuration problems.
 *
 * Every user error in coop-idc is reported as one line an editor or CI log viewer can
 * jump to: `config/cooperatives/x.yaml:12:5 error <code> <message> (<hint>)`. Validation
 * collects all of them and fails once, so a cooperative fixes its file in one round.
 *
 * A diagnostic carries its message as a catalogue id and arguments ({@link MessageRef}); the
 * CLI renders it in the user's language with {@link formatDiagnostic}. `message` and `hint`
 * give the English text as well, the same whatever the user reads, for logs, sorting and
 * comparing runs: derived from the references when first read, never stored beside them.
 */
import { formatMessage, type Lang, type MessageRef } from './messages';

/** How serious a finding is; only errors fail validation. */
export type Severity = 'error' | 'warning';

/** One problem found in the configuration, located in a file. */
export interface Diagnostic {
  /** The file as the user named it (relative to the working directory when possible). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  readonly severity: Severity;
  /** Stable, kebab-case rule id, e.g. `unknown-consumer`; documented in docs/onboarding.*.md. */
  readonly code: string;
  /** What was found and what is allowed, in English (see {@link Diagnostic.text}). */
  readonly message: string;
  /** How to fix it, in English. */
  readonly hint?: string;
  /**
   * The message and hint as catalogue references, rendered in the user's language at the
   * edge. Absent only on diagnostics made outside the catalogue (then `message` is shown).
   */
  readonly text?: DiagnosticText;
}

/** A diagnostic's message and hint by catalogue id. */
export interface DiagnosticText {
  readonly message: MessageRef;
  readonly hint?: MessageRef;
}

/** Where a diagnostic is: file and 1-based position. */
export interface DiagnosticAt {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * A diagnostic from catalogue messages. Its `message` and `hint` are the English of the
 * references, rendered when first read (a run in Korean seldom reads them) and kept: enumerable
 * like stored fields and in the same key order, so spreading, JSON and `toEqual` see plain
 * values, and no caller can make the English disagree with the references.
 */
export function diagnostic(at: DiagnosticAt, severity: Severity, code: string, message: MessageRef, hint?: MessageRef): Diagnostic {
  let english: string | undefined;
  let englishHint: string | undefined;
  // No spread: a transpiler may turn spread plus accessors into helpers that define the
  // accessors last, which would move `message` after `text` in JSON.
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    file: at.file,
    line: at.line,
    col: at.col,
    severity,
    code,
    get message() {
      return (english ??= formatMessage('en', message));
    },
  };
  if (hint) Object.defineProperty(d, 'hint', { get: () => (englishHint ??= formatMessage('en', hint)), enumerable: true });
  d.text = hint ? { message, hint } : { message };
  return d;
}

/** The message and hint of a diagnostic in a language. */
export function diagnosticText(d: Diagnostic, lang: Lang): { readonly message: string; readonly hint?: string } {
  if (!d.text) return { message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
  return { message: formatMessage(lang, d.text.message), ...(d.text.hint ? { hint: formatMessage(lang, d.text.hint) } : {}) };
}

/** Formats a diagnostic as one line in a language: `file:line:col severity code message (hint)`. */
export function formatDiagnostic(d: Diagnostic, lang: Lang): string {
  const t = diagnosticText(d, lang);
  const hint = t.hint ? ` (${t.hint})` : '';
  return `${d.file}:${d.line}:${d.col} ${d.severity} ${d.code} ${t.message}${hint}`;
}

/** A diagnostic with its message and hint rendered in a language (for JSON output). */
export function localizeDiagnostic(d: Diagnostic, lang: Lang): Diagnostic {
  const { text: _text, ...rest } = d;
  const t = diagnosticText(d, lang);
  const { hint: _hint, ...base } = rest;
  return { ...base, message: t.message, ...(t.hint ? { hint: t.hint } : {}) };
}

/** Orders diagnostics by file, then position, then code, so output is stable across runs. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.col - b.col ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * Thrown when the configuration is invalid. Carries every diagnostic, not just the first:
 * callers print them all and exit 1, never a stack trace.
 */
export class ConfigError extends Error {
  public readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], extra?: string) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(`${formatMessage('en', { id: 'common.config-errors', args: { errors } })}${extra ? `\n${extra}` : ''}`);
    this.name = 'ConfigError';
    this.diagnostics = [...diagnostics].sort(compareDiagnostics);
  }
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys and references. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * The closest candidate within a small edit distance, or undefined. Failing that, the one
 * candidate that differs only in case (`KWH` → `kwh`) or that the word begins up to a
 * separator (`ibk` → `ibk-bank`): an abbreviation is as common a slip as a typo.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = word.toLowerCase();
  const sameCase = list.filter((c) => c.toLowerCase() === lower);
  if (sameCase.length === 1 && sameCase[0] !== word) return sameCase[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of list) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined || word.length < 2) return best;
  const prefixed = list.filter((c) => c.toLowerCase().startsWith(lower) && /^[-_.]/.test(c.slice(word.length)));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
