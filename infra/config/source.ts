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
import type { Diagnostic } from './diagnostics';

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
    if (ALIAS.test(source.text)) {
      const { doc } = this.parsed();
      for (const e of doc.errors) diagnostics.push(this.syntaxError(this.position(e.pos[0]), e.message));
      if (diagnostics.length === 0) {
        try {
          value = doc.toJS({ maxAliasCount: 100 });
        } catch (e) {
          diagnostics.push(this.syntaxError({ line: 1, col: 1 }, (e as Error).message, 'remove excessive aliases (*name) from the file'));
        }
      }
    } else {
      try {
        value = load(source.text, { schema: CORE_SCHEMA, filename: source.displayPath });
      } catch (e) {
        if (!(e instanceof YAMLException)) throw e;
        const mark = (e as YAMLException & { mark?: { line: number; column: number } }).mark;
        const hint = /duplicated mapping key/.test(e.reason) ? 'each key may appear once in a mapping: remove or merge the repeated key' : undefined;
        diagnostics.push(this.syntaxError(mark ? { line: mark.line + 1, col: mark.column + 1 } : { line: 1, col: 1 }, e.reason, hint));
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

  private syntaxError(pos: Position, message: string, hint?: string): Diagnostic {
    return {
      file: this.source.displayPath,
      ...pos,
      severity: 'error',
      code: 'yaml-syntax',
      message: firstLine(message),
      hint: hint ?? 'fix the YAML syntax; indent with spaces and quote values that contain ": " or start with a special character',
    };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
