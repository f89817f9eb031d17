/**
 * Loading: YAML text → schema-checked configuration, with every problem located.
 *
 * Pure over its inputs (`SourceFile`s); `read.ts` does the file-system part, so the fuzz
 * tests can feed arbitrary documents without touching the disk.
 */
import type { z } from 'zod';
import { closest, diagnostic, type Diagnostic } from './diagnostics';
import { CATALOGUE, msg, userPathOf, type MessageArg, type MessageId, type MessageRef } from './messages';
import { cooperativeSchema, platformSchema, type CooperativeConfig, type PlatformConfig } from './schema';
import { ParsedSource, type DocPath, type SourceFile } from './source';
import { findTokenLike } from './tokens';

/** A configuration value with the source it came from, so later rules can point at it. */
export interface Located<T> {
  readonly value: T;
  readonly source: ParsedSource;
}

/** All configuration files that passed the schema, ready for the cross-file rules. */
export interface LoadedConfig {
  readonly platform: Located<PlatformConfig>;
  readonly cooperatives: readonly Located<CooperativeConfig>[];
}

/** The configuration sources of one run. */
export interface ConfigSources {
  readonly platform: SourceFile;
  readonly cooperatives: readonly SourceFile[];
}

/**
 * Result of loading. `config` holds the files that passed their schema (set whenever the
 * platform file did), so cross-file rules still run on them and every problem is reported
 * in one round; `complete` says whether every file passed.
 */
export interface LoadResult {
  readonly config?: LoadedConfig;
  readonly complete: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses and schema-checks the platform file and every cooperative file. Files that fail are reported and left out. */
export function loadSources(sources: ConfigSources): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const platform = checkFile(sources.platform, platformSchema, diagnostics);
  const cooperatives: Located<CooperativeConfig>[] = [];
  for (const file of sources.cooperatives) {
    const coop = checkFile(file, cooperativeSchema, diagnostics);
    if (coop) cooperatives.push(coop);
  }
  const complete = platform !== undefined && cooperatives.length === sources.cooperatives.length;
  return { config: platform ? { platform, cooperatives } : undefined, complete, diagnostics };
}

function checkFile<S extends z.ZodType>(
  file: SourceFile,
  schema: S,
  diagnostics: Diagnostic[],
): Located<z.output<S>> | undefined {
  if (file.readError) {
    diagnostics.push(file.readError);
    return undefined;
  }
  const source = new ParsedSource(file);
  if (source.diagnostics.length > 0) {
    diagnostics.push(...source.diagnostics);
    return undefined;
  }
  if (source.value === undefined || source.value === null) {
    diagnostics.push(diagnostic({ file: file.displayPath, line: 1, col: 1 }, 'error', 'empty-file', msg('load.empty-file'), msg('load.empty-file.hint')));
    return undefined;
  }
  const tokens = findTokenLike(source.value).map((t): Diagnostic =>
    diagnostic(
      { file: file.displayPath, ...source.at(t.path, { key: t.key }) },
      'error',
      'token-string',
      msg('load.token', { key: t.key ? 'key' : 'value', path: userPathOf(t.path, source.value), found: describe(t.value) }),
      msg('load.token.hint'),
    ),
  );
  diagnostics.push(...tokens);
  const result = schema.safeParse(source.value, { reportInput: true });
  if (result.success) return tokens.length ? undefined : { value: result.data, source };
  for (const issue of withoutTypoTwins(result.error.issues, schema)) diagnostics.push(...issueToDiagnostics(issue, source, schema));
  return undefined;
}

/**
 * A misspelt key is one mistake, not two: when an unknown key's closest allowed key is the
 * very key reported missing beside it (`retentionDay` for `retentionDays`), only the unknown
 * key is reported, with its "did you mean" first.
 */
function withoutTypoTwins(issues: readonly Issue[], schema: z.ZodType): Issue[] {
  const guessed = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const allowed = knownKeys(schema, path);
    for (const key of issue.keys) {
      const guess = closest(key, allowed);
      if (guess !== undefined) guessed.add(JSON.stringify([...path, guess]));
    }
  }
  if (guessed.size === 0) return [...issues];
  return issues.filter((i) => !(i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined && guessed.has(JSON.stringify(i.path))));
}

type Issue = z.core.$ZodIssue;

function issueToDiagnostics(issue: Issue, source: ParsedSource, schema: z.ZodType): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // The path as the user reads it: one-based, each list item with its name.
  const where = userPathOf(path, source.value);
  const file = source.source.displayPath;
  const at = (p: DocPath, key = false) => ({ file, ...source.at(p, { key }) });
  const schemaError = (message: MessageRef, hint: MessageRef, code = 'schema') => diagnostic(at(path), 'error', code, message, hint);
  const input = (issue as { input?: unknown }).input;

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = knownKeys(schema, path);
        const guess = closest(key, allowed);
        return diagnostic(at([...path, key], true), 'error', 'unknown-key', msg('schema.unknown-key', { key, where }), msg('schema.unknown-key.hint', { guess: guess ?? 'none', allowed: allowed.join(', ') }));
      });
    case 'invalid_type': {
      if (input === undefined) {
        return [diagnostic(at(path), 'error', 'missing-key', msg('schema.missing-key', { key: String(path[path.length - 1]), where }), msg('schema.missing-key.hint', { key: String(path[path.length - 1]), expected: issue.expected }))];
      }
      return [schemaError(msg('schema.invalid-type', { where, found: describe(input), expected: issue.expected }), hintForType(issue.expected))];
    }
    case 'invalid_value': {
      const guess = typeof input === 'string' ? closest(input, issue.values.map(String)) : undefined;
      return [schemaError(msg('schema.invalid-value', { where, found: describe(input), allowed: issue.values.map(String).join(', ') }), msg('schema.invalid-value.hint', { guess: guess ?? 'none' }))];
    }
    case 'too_small':
    case 'too_big': {
      const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const what = issue.origin === 'string' || issue.origin === 'array' ? issue.origin : 'other';
      const bound = issue.code === 'too_small' ? 'min' : 'max';
      return [schemaError(msg('schema.bound', { where, found: describe(input), bound, limit, what }), msg('schema.bound.hint', { bound, limit, what }))];
    }
    case 'invalid_union': {
      // For a union of mappings ({count} | {ids}), report the branch the author evidently
      // meant (the one whose keys match) at the exact value, not "invalid input" at the parent.
      const branches = (issue as { errors?: Issue[][] }).errors ?? [];
      const keyed = branches.filter((b) => !b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
      if (input && typeof input === 'object' && !Array.isArray(input) && keyed.length > 0) {
        const best = keyed.reduce((a, b) => (b.length < a.length ? b : a));
        return best.flatMap((i) => issueToDiagnostics({ ...i, path: [...issue.path, ...i.path] } as Issue, source, schema));
      }
      return [schemaError(msg('schema.other', { where, found: describe(input), detail: detailOf(issue.message) }), msg('schema.see-template'))];
    }
    case 'invalid_format':
    case 'custom':
    default: {
      // Refinements that carry their own message and fix (quantities, durations), and maybe their own rule code.
      const params = issue.code === 'custom' ? (issue.params as { text?: MessageRef; hint?: MessageRef; code?: string } | undefined) : undefined;
      if (params?.text) return [schemaError(msg('schema.refined', { where, found: describe(input), detail: params.text }), params.hint ?? msg('schema.see-template'), params.code)];
      return [schemaError(msg('schema.other', { where, found: describe(input), detail: detailOf(issue.message) }), msg('schema.see-template'))];
    }
  }
}

/**
 * The schema's own words for a problem: the catalogue id the schema names as the issue's
 * message (`refusal(...)` in schema.ts), else zod's own text as it is.
 */
function detailOf(message: string): MessageArg {
  return Object.hasOwn(CATALOGUE, message) ? msg(message as MessageId) : message;
}

/** `datasets[0].fields[2].type` */
export function renderPath(path: DocPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(value: unknown): MessageArg {
  if (value === undefined) return msg('value.missing');
  if (value === null) return msg('value.null');
  if (Array.isArray(value)) return msg('value.list');
  if (typeof value === 'object') return msg('value.mapping');
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function hintForType(expected: string): MessageRef {
  switch (expected) {
    case 'string':
      return msg('schema.type-hint.string');
    case 'array':
      return msg('schema.type-hint.array');
    case 'object':
      return msg('schema.type-hint.object');
    default:
      return msg('schema.type-hint.other', { expected });
  }
}

/** Keys the schema allows at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: DocPath): string[] {
  let nodes: unknown[] = [schema];
  for (const seg of path) {
    nodes = nodes.flatMap((n) => unwrap(n)).flatMap((n) => step(n, seg));
  }
  const keys = new Set<string>();
  for (const n of nodes.flatMap((x) => unwrap(x))) {
    const def = defOf(n);
    if (def.type === 'object') for (const k of Object.keys(def.shape as object)) keys.add(k);
  }
  return [...keys].sort();
}

interface Def {
  type: string;
  [k: string]: unknown;
}
function defOf(n: unknown): Def {
  return (n as { _zod: { def: Def } })._zod.def;
}
function unwrap(n: unknown): unknown[] {
  const def = defOf(n);
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') return unwrap(def.innerType);
  if (def.type === 'pipe') return unwrap(def.in);
  if (def.type === 'union') return (def.options as unknown[]).flatMap(unwrap);
  return [n];
}
function step(n: unknown, seg: string | number): unknown[] {
  const def = defOf(n);
  if (def.type === 'object') {
    const child = (def.shape as Record<string, unknown>)[String(seg)];
    return child ? [child] : [];
  }
  if (def.type === 'array' && typeof seg === 'number') return [def.element];
  if (def.type === 'record') return [def.valueType];
  return [];
}
