/**
 * The SARIF 2.1.0 JSON Schema (OASIS, rtm.5, as shipped in @microsoft/jest-sarif, MIT) compiled
 * with ajv, offline. The schema is written in draft-04, whose only difference that matters to
 * ajv 8 here is the top-level `id` (draft-07 says `$id`); it uses no draft-04-only keyword
 * (no boolean exclusiveMinimum), so it is compiled as draft-07 with that one key renamed.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

const SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/** Validates a SARIF log; returns ajv's errors as readable lines (empty when valid). */
export function sarifErrors(log: unknown): string[] {
  const validate = (cached ??= compile());
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

let cached: ReturnType<typeof compile> | undefined;
function compile() {
  const { $schema: _draft, id, ...rest } = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown> & { id: string };
  // Formats (uri, date-time) are not checked: ajv-formats is not a dependency, and the
  // structure is what code scanning reads. The schema's `language` pattern has a stray `]`,
  // which only a Unicode-mode RegExp rejects: compile patterns as JSON Schema draft-07 did.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile({ ...rest, $id: id });
}
