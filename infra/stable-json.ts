/**
 * The build's JSON format (`JSON.stringify(value, null, 2)` plus a final newline) produced in
 * pieces, so a large file can be written without first building it as one string.
 *
 * Why: at 1,000 cooperatives `checks/aws.json` is ~155 MB and `report.json` ~300 MB;
 * stringifying either in one go was the build's peak memory (+1 GB of heap for aws.json).
 * The pieces are the top levels of the value; everything below `depth` is stringified per
 * element, so the bytes are exactly those of `JSON.stringify` (a property test holds them
 * equal) while no piece is larger than one element.
 */

/** Yields `JSON.stringify(value, null, 2) + '\n'` in pieces; `depth` levels are split up. */
export function* jsonChunks(value: unknown, depth = 2): Generator<string> {
  const v = toJsonValue(value, '');
  if (v === undefined) throw new TypeError('jsonChunks: the value has no JSON form');
  yield* chunks(v, '', depth);
  yield '\n';
}

function* chunks(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object') {
    const text = JSON.stringify(value, null, 2);
    yield indent && text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
    return;
  }
  yield* members(value, indent, (v, inner) => chunks(v, inner, depth - 1));
}

/**
 * The brackets, keys and separators of an array or object as `JSON.stringify(v, null, 2)`
 * lays them out, each member written by `member` (told whether it is an array element).
 */
function* members(value: object, indent: string, member: (v: unknown, inner: string, element: boolean) => Generator<string>): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield i === 0 ? `\n${inner}` : `,\n${inner}`;
      const v = toJsonValue(value[i], String(i));
      yield* member(v === undefined ? null : v, inner, true);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = toJsonValue((value as Record<string, unknown>)[key], key);
    if (v === undefined) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* member(v, inner, false);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** What JSON.stringify would serialize for a value: after `toJSON`, undefined when it skips it. */
function toJsonValue(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(k: string): unknown }).toJSON(key);
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  return v;
}

/**
 * JSON with one array element per line: objects are indented as `JSON.stringify(v, null, 2)`
 * indents them, and each element of an array is written compact on a line of its own,
 * unless it holds an array of objects (then it is laid out the same way, one level in); an
 * array of arrays (rows of a table) stays on the line of what holds it. A large file of many small records (report.json) is a third smaller than fully
 * indented and still diffs by record. Same value, same bytes; `JSON.parse` gives back the
 * value. Ends with a newline.
 */
export function* jsonLineChunks(value: unknown): Generator<string> {
  const v = toJsonValue(value, '');
  if (v === undefined) throw new TypeError('jsonLineChunks: the value has no JSON form');
  yield* lines(v, '', false);
  yield '\n';
}

function* lines(value: unknown, indent: string, element: boolean): Generator<string> {
  if (value === null || typeof value !== 'object' || (element && !holdsRecords(value)) || (Array.isArray(value) && !value.some(isRecord))) {
    yield JSON.stringify(value);
    return;
  }
  yield* members(value, indent, lines);
}

/** An object that is not an array: what gets a line of its own as an element of an array. */
function isRecord(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * True when `value` holds, at any depth, an array with a record in it. An array of arrays (a
 * table of rows, such as an inventory's `[type, logicalId, address]`) is not one: it is
 * written on one line with what holds it, not a line per row.
 */
function holdsRecords(value: object): boolean {
  if (Array.isArray(value)) return value.some(isRecord);
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object' && holdsRecords(v)) return true;
  }
  return false;
}
