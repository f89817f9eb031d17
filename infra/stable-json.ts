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
      yield* chunks(v === undefined ? null : v, inner, depth - 1);
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
    yield* chunks(v, inner, depth - 1);
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
