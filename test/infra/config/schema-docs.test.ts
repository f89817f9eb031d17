/**
 * The schema as documentation: every node of both generated JSON Schemas (each key, each
 * list entry, each mapping value) carries a Korean and an English description, and every
 * allowed value of an enumeration its meaning in both languages, as an editor shows them.
 */
import { renderJsonSchemas, schemaNodes, type JsonNode } from '../../../infra/config/json-schema';
import { COOPERATIVE_DOCS, PLATFORM_DOCS } from '../../../infra/config/schema-docs';

const HANGUL = /[가-힣]/;
const ENGLISH = /[A-Za-z]{2,}/;

/** Why a node is not documented in both languages; empty when it is. */
function undocumented(schema: JsonNode): string[] {
  const problems: string[] = [];
  for (const [path, node] of schemaNodes(schema)) {
    const where = path || '(document)';
    const [ko, en, extra] = (node.description ?? '').split('\n');
    if (!ko || !HANGUL.test(ko) || !en || !ENGLISH.test(en) || extra !== undefined) problems.push(`${where}: description needs a Korean line, then an English one, has ${JSON.stringify(node.description)}`);
    if (!node.markdownDescription || !node.markdownDescription.includes(ko ?? '\0') || !node.markdownDescription.includes(en ?? '\0')) problems.push(`${where}: markdownDescription must hold both languages`);
    for (const e of [node, ...(node.anyOf ?? [])].filter((n) => n.enum)) {
      const descriptions = e.enumDescriptions ?? [];
      e.enum!.forEach((v, i) => {
        const [vk, ve] = (descriptions[i] ?? '').split(' / ');
        if (!vk || !HANGUL.test(vk) && !/^[A-Za-z0-9:.→ ,-]+$/.test(vk) || !ve || !ENGLISH.test(ve)) problems.push(`${where} = ${String(v)}: value needs Korean / English, has ${JSON.stringify(descriptions[i])}`);
      });
      if (e.markdownEnumDescriptions?.length !== e.enum!.length) problems.push(`${where}: markdownEnumDescriptions must describe each of ${e.enum!.length} values`);
    }
  }
  return problems;
}

const schemas = Object.entries(renderJsonSchemas()).map(([file, text]) => [file, JSON.parse(text) as JsonNode] as const);

test.each(schemas)('%s: every key and every allowed value is described in Korean and English', (_file, schema) => {
  expect(undocumented(schema)).toEqual([]);
  expect(schemaNodes(schema).length).toBeGreaterThan(60);
});

test.each([['cooperative.schema.json', COOPERATIVE_DOCS], ['platform.schema.json', PLATFORM_DOCS]] as const)('%s: every documented key exists (no stale docs)', (file, docs) => {
  const paths = new Set(schemaNodes(schemas.find(([f]) => f === file)![1]).map(([p]) => p));
  expect(Object.keys(docs).filter((k) => !paths.has(k))).toEqual([]);
});

test('shows defaults and examples', () => {
  const coop = schemas.find(([f]) => f === 'cooperative.schema.json')![1];
  const field = coop.properties!.datasets.items!.properties!.fields.items!.properties!;
  expect(field.pii.markdownDescription).toContain('기본값 / Default: `"none"`');
  expect(field.pii.enumDescriptions![1]).toMatch(/^식별자.* \/ identifier/);
  expect(coop.properties!.ksic.examples).toEqual(['C29', 'C13', 'C10']);
});

describe('fails on an undocumented node', () => {
  const coop = () => JSON.parse(JSON.stringify(schemas.find(([f]) => f === 'cooperative.schema.json')![1])) as JsonNode;

  test('a key without a description', () => {
    const s = coop();
    delete s.properties!.ksic.description;
    expect(undocumented(s)).toContain('ksic: description needs a Korean line, then an English one, has undefined');
  });

  test('an English-only description', () => {
    const s = coop();
    s.properties!.name.properties!.en.description = 'English name.';
    expect(undocumented(s).join('\n')).toContain('name.en');
  });

  test('an enumeration value without its meaning', () => {
    const s = coop();
    s.properties!.sharing.items!.properties!.level.enumDescriptions!.pop();
    expect(undocumented(s).join('\n')).toContain('sharing[].level = aggregated');
  });
});
