/**
 * Loading: YAML text → schema-checked configuration, with every problem located.
 *
 * Pure over its inputs (`SourceFile`s); `read.ts` does the file-system part, so the fuzz
 * tests can feed arbitrary documents without touching the disk.
 */
import type { z } from 'zod';
import { bilingual, closest, type Diagnostic } from './diagnostics';
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
    diagnostics.push({
      file: file.displayPath,
      line: 1,
      col: 1,
      severity: 'error',
      code: 'empty-file',
      message: 'the file is empty',
      hint: 'start from config/templates/cooperative.yaml or run `coop-idc new <id>`',
    });
    return undefined;
  }
  const tokens = findTokenLike(source.value).map((t): Diagnostic => ({
    file: file.displayPath,
    ...source.at(t.path, { key: t.key }),
    severity: 'error',
    code: 'token-string',
    message: bilingual(
      `${t.key ? '키' : '값'}에 CDK 토큰 표식이 있습니다`,
      `${t.key ? 'a key in ' : ''}\`${renderPath(t.path)}\` holds ${describe(t.value)}, which aws-cdk-lib or cdktf would take for a token (a deploy-time placeholder), not text`,
    ),
    hint: bilingual('${Token[…]}, #{…}, &{…} 형태를 지우세요', 'remove the ${Token[...]}-style marker (${, #{ or &{ followed by Token[ or TfToken[) or the -1.8…e+289 number'),
  }));
  diagnostics.push(...tokens);
  const result = schema.safeParse(source.value, { reportInput: true });
  if (result.success) return tokens.length ? undefined : { value: result.data, source };
  for (const issue of result.error.issues) diagnostics.push(...issueToDiagnostics(issue, source, schema));
  return undefined;
}

type Issue = z.core.$ZodIssue;

function issueToDiagnostics(issue: Issue, source: ParsedSource, schema: z.ZodType): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const where = path.length ? `\`${renderPath(path)}\`` : 'the document';
  const file = source.source.displayPath;
  const base = { file, severity: 'error' as const, code: 'schema' };

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = knownKeys(schema, path);
        const guess = closest(key, allowed);
        return {
          ...base,
          ...source.at([...path, key], { key: true }),
          code: 'unknown-key',
          message: `unknown key \`${key}\` in ${where}`,
          hint: `${guess ? `did you mean \`${guess}\`? ` : ''}allowed keys: ${allowed.join(', ')}`,
        };
      });
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        return [{ ...base, ...source.at(path), code: 'missing-key', message: `missing required key ${where}`, hint: `add \`${path[path.length - 1]}:\` (expected ${issue.expected})` }];
      }
      return [{ ...base, ...source.at(path), message: `${where} is ${describe(input)}; expected ${issue.expected}`, hint: hintForType(issue.expected) }];
    }
    case 'invalid_value': {
      const input = (issue as { input?: unknown }).input;
      const guess = typeof input === 'string' ? closest(input, issue.values.map(String)) : undefined;
      return [{ ...base, ...source.at(path), message: `${where} is ${describe(input)}; allowed: ${issue.values.map(String).join(', ')}`, hint: guess ? `did you mean \`${guess}\`?` : 'use one of the allowed values' }];
    }
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'string' ? 'characters' : issue.origin === 'array' ? 'entries' : '';
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      const input = (issue as { input?: unknown }).input;
      return [{ ...base, ...source.at(path), message: `${where} is ${describe(input)}; must be ${bound} ${String(limit)}${what ? ` ${what}` : ''}`, hint: `change it to ${bound} ${String(limit)}${what ? ` ${what}` : ''}` }];
    }
    case 'invalid_union': {
      // For a union of mappings ({count} | {ids}), report the branch the author evidently
      // meant (the one whose keys match) at the exact value, not "invalid input" at the parent.
      const input = (issue as { input?: unknown }).input;
      const branches = (issue as { errors?: Issue[][] }).errors ?? [];
      const keyed = branches.filter((b) => !b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
      if (input && typeof input === 'object' && !Array.isArray(input) && keyed.length > 0) {
        const best = keyed.reduce((a, b) => (b.length < a.length ? b : a));
        return best.flatMap((i) => issueToDiagnostics({ ...i, path: [...issue.path, ...i.path] } as Issue, source, schema));
      }
      return [{ ...base, ...source.at(path), message: `${where} is ${describe(input)}; ${issue.message}`, hint: 'see config/templates/cooperative.yaml for an example' }];
    }
    case 'invalid_format':
    case 'custom':
    default: {
      const input = (issue as { input?: unknown }).input;
      // Refinements that carry their own Korean message and fix (quantities, durations), and maybe their own rule code.
      const params = issue.code === 'custom' ? (issue.params as { ko?: string; hint?: string; code?: string } | undefined) : undefined;
      if (params?.ko) return [{ ...base, ...source.at(path), code: params.code ?? base.code, message: bilingual(params.ko, `${where} is ${describe(input)}: ${issue.message}`), hint: params.hint ?? 'see config/templates/cooperative.yaml for an example' }];
      return [{ ...base, ...source.at(path), message: `${where} is ${describe(input)}; ${issue.message}`, hint: 'see config/templates/cooperative.yaml for an example' }];
    }
  }
}

/** `datasets[0].fields[2].type` */
export function renderPath(path: DocPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function hintForType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'quote the value, e.g. "123456789012"';
    case 'array':
      return 'write a list: one "- item" per line';
    case 'object':
      return 'write a mapping: "key: value" lines indented under it';
    default:
      return `write a ${expected}`;
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
