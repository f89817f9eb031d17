/**
 * YAML sources with positions.
 *
 * Two parsers, each for what it is best at: js-yaml (YAML 1.2 core schema) reads values
 * about 8× faster than `yaml` (eemeli), which matters at ~1,000 cooperatives a build;
 * `yaml` keeps a concrete syntax tree that maps any value back to its line and column,
 * and is only built for a file that has something to report. Documents with aliases
 * take the `yaml` path from the start, because it bounds alias expansion
 * ("billion laughs") where js-yaml 4 does not.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics';
import { msg, type MessageRef } from './messages';

/** The text of one configuration file and how to name it. */
export interface SourceFile {
  /** Path shown to the user in diagnostics (relative to the working directory). */
  readonly displayPath: string;
  /** Path relative to the configuration root, recorded in the plan (machine independent). */
  readonly relativePath: string;
  readonly text: string;
  /**
   * Why the file could not be read or decoded (then `text` is empty); reported as the
   * file's only diagnostic, so one unreadable file never hides the others' problems.
   */
  readonly readError?: Diagnostic;
}

/** A 1-based position in a file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A path into a parsed document: keys and array indexes. */
export type DocPath = readonly (string | number)[];

/** An alias (`*name`) anywhere outside a comment-only line; a false positive only costs speed. */
const ALIAS = /(^|[\s\[{,:-])\*[^\s,[\]{}]/m;

/**
 * How deep flow collections (`[...]`, `{...}`) may nest. Both parsers recurse per level and
 * overflow the stack at a few thousand (a 6 KB line); the deepest valid configuration nests
 * 6 levels, so this leaves ample room and stops long before either parser's limit.
 */
export const MAX_NESTING = 32;

/** A parsed YAML file that can map any value path back to a position. */
export class ParsedSource {
  /** The plain JavaScript value, or undefined when the YAML could not be parsed. */
  public readonly value: unknown;
  /** YAML syntax errors, already as diagnostics. */
  public readonly diagnostics: readonly Diagnostic[];
  private tree?: { doc: Document.Parsed; lines: LineCounter };

  constructor(public readonly source: SourceFile) {
    const diagnostics: Diagnostic[] = [];
    let value: unknown;
    const tooDeep = flowTooDeep(source.text, MAX_NESTING);
    if (tooDeep !== undefined) {
      // Not parsed at all: the parser that maps positions would overflow too.
      diagnostics.push(this.nestingError(positionIn(source.text, tooDeep)));
    } else if (ALIAS.test(source.text)) {
      const { doc } = this.parsed();
      for (const e of doc.errors) diagnostics.push(this.syntaxError(this.position(e.pos[0]), e.message));
      if (diagnostics.length === 0) {
        try {
          value = doc.toJS({ maxAliasCount: 100 });
        } catch (e) {
          diagnostics.push(this.syntaxError({ line: 1, col: 1 }, (e as Error).message, msg('yaml.aliases.hint')));
        }
      }
    } else {
      try {
        value = load(source.text, { schema: CORE_SCHEMA, filename: source.displayPath });
      } catch (e) {
        // Nesting the scan above cannot see (e.g. block collections) is still the user's input.
        if (e instanceof RangeError) diagnostics.push(this.nestingError({ line: 1, col: 1 }));
        else if (e instanceof YAMLException) {
          const mark = (e as YAMLException & { mark?: { line: number; column: number } }).mark;
          const hint = /duplicated mapping key/.test(e.reason) ? msg('yaml.duplicate-key.hint') : undefined;
          diagnostics.push(this.syntaxError(mark ? { line: mark.line + 1, col: mark.column + 1 } : { line: 1, col: 1 }, e.reason, hint));
        } else throw e;
      }
    }
    this.value = value;
    this.diagnostics = diagnostics;
  }

  /**
   * Where a value sits. With `key`, points at the key of the last path segment (for
   * unknown or misspelt keys); a path that does not exist resolves to its deepest
   * existing ancestor, which is where a missing key has to be added.
   */
  at(path: DocPath, opts: { key?: boolean } = {}): Position {
    let node: unknown = this.parsed().doc.contents;
    let pos = node && (node as Node).range ? this.position((node as Node).range![0]) : { line: 1, col: 1 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return pos;
        if (last && opts.key && isScalar(pair.key) && pair.key.range) return this.position(pair.key.range[0]);
        node = pair.value;
        const range = (pair.value as Node | null)?.range ?? (pair.key as Node | null)?.range;
        if (range) pos = this.position(range[0]);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return pos;
        node = item;
        if (item.range) pos = this.position(item.range[0]);
      } else {
        return pos;
      }
    }
    return pos;
  }

  /** The concrete syntax tree, built on first use. */
  private parsed(): { doc: Document.Parsed; lines: LineCounter } {
    if (!this.tree) {
      const lines = new LineCounter();
      const doc = parseDocument(this.source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
      this.tree = { doc, lines };
    }
    return this.tree;
  }

  private position(offset: number): Position {
    const { line, col } = this.parsed().lines.linePos(offset);
    return { line, col };
  }

  private nestingError(pos: Position): Diagnostic {
    return diagnostic({ file: this.source.displayPath, ...pos }, 'error', 'too-deep', msg('yaml.too-deep', { max: MAX_NESTING }), msg('yaml.too-deep.hint'));
  }

  private syntaxError(pos: Position, message: string, hint?: MessageRef): Diagnostic {
    // The parser's own words stay English (they come from js-yaml or yaml); the frame is translated.
    return diagnostic({ file: this.source.displayPath, ...pos }, 'error', 'yaml-syntax', msg('yaml.syntax', { detail: firstLine(message) }), hint ?? msg('yaml.syntax.hint'));
  }
}

/**
 * Offset of the first flow bracket that opens a collection nested more than `max` deep, or
 * undefined. A light scan, not a parser: brackets in quoted scalars and comments do not count,
 * nor inside plain scalars of block context (where `[` and `{` are ordinary characters).
 */
export function flowTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  // Last character that is not a space on this line: whether a `[`, `{` or quote starts a node.
  let prev = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    if (c === '\n') {
      prev = '\n';
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end - 1;
      continue;
    }
    const startsNode = depth > 0 ? '[{,:?'.includes(prev) || prev === '\n' : ':-?'.includes(prev) || prev === '\n';
    if ((c === '&' || c === '!') && startsNode) {
      // An anchor or tag before a node: the node still starts after it.
      while (i + 1 < text.length && !/[\s,[\]{}]/.test(text[i + 1])) i++;
      continue;
    }
    if ((c === '"' || c === "'") && startsNode) quote = c;
    else if ((c === '[' || c === '{') && startsNode) {
      depth++;
      if (depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    prev = c;
  }
  return undefined;
}

function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
