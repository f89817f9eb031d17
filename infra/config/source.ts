/**
 * YAML sources with positions.
 *
 * Configuration is parsed with `yaml` (eemeli) rather than js-yaml because it keeps a
 * concrete syntax tree: every value can be traced back to its line and column, which is
 * what makes compiler-style errors possible for schema and cross-file rules alike.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics';

/** The text of one configuration file and how to name it. */
export interface SourceFile {
  /** Path shown to the user in diagnostics (relative to the working directory). */
  readonly displayPath: string;
  /** Path relative to the configuration root, recorded in the plan (machine independent). */
  readonly relativePath: string;
  readonly text: string;
}

/** A 1-based position in a file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A path into a parsed document: keys and array indexes. */
export type DocPath = readonly (string | number)[];

/** A parsed YAML file that can map any value path back to a position. */
export class ParsedSource {
  /** The plain JavaScript value, or undefined when the YAML could not be parsed. */
  public readonly value: unknown;
  /** YAML syntax errors, already as diagnostics. */
  public readonly diagnostics: readonly Diagnostic[];
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(public readonly source: SourceFile) {
    this.lines = new LineCounter();
    this.doc = parseDocument(source.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const diagnostics: Diagnostic[] = this.doc.errors.map((e) => {
      const pos = this.position(e.pos[0]);
      return {
        file: source.displayPath,
        ...pos,
        severity: 'error' as const,
        code: 'yaml-syntax',
        message: firstLine(e.message),
        hint: 'fix the YAML syntax; indent with spaces and quote values that contain ": " or start with a special character',
      };
    });
    let value: unknown;
    if (diagnostics.length === 0) {
      try {
        // maxAliasCount bounds alias expansion ("billion laughs"); a pathological file gets an error, not an OOM.
        value = this.doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        diagnostics.push({
          file: source.displayPath,
          line: 1,
          col: 1,
          severity: 'error',
          code: 'yaml-syntax',
          message: firstLine((e as Error).message),
          hint: 'remove excessive aliases (*name) from the file',
        });
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
    let node: unknown = this.doc.contents;
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

  private position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
