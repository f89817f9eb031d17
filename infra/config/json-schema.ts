/** JSON Schema for editors, derived from the zod schema so the two can never disagree. */
import { z } from 'zod';
import { cooperativeSchema, platformSchema } from './schema';
import { COOPERATIVE_DOCS, PLATFORM_DOCS, type KeyDoc } from './schema-docs';

/** File name → JSON text of every schema in config/schema/. */
export function renderJsonSchemas(): Record<string, string> {
  // io: 'input' describes what a person writes (defaults make keys optional), draft-7 is what
  // the YAML language server supports best.
  const render = (schema: z.ZodType, id: string, docs: Readonly<Record<string, KeyDoc>>) => {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonNode;
    document(json, '', docs);
    return `${JSON.stringify({ ...json, $id: id }, null, 2)}\n`;
  };
  return {
    'cooperative.schema.json': render(cooperativeSchema, 'https://kbiz.or.kr/coop-idc/cooperative.schema.json', COOPERATIVE_DOCS),
    'platform.schema.json': render(platformSchema, 'https://kbiz.or.kr/coop-idc/platform.schema.json', PLATFORM_DOCS),
  };
}

/** A JSON Schema node, as far as documenting it goes. */
export interface JsonNode {
  description?: string;
  markdownDescription?: string;
  examples?: unknown[];
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  properties?: Record<string, JsonNode>;
  items?: JsonNode;
  additionalProperties?: JsonNode | boolean;
  anyOf?: JsonNode[];
  [key: string]: unknown;
}

/**
 * Every documented node of a generated schema with its path as the docs key it (`a.b`,
 * `a[]`, `a.*`); the branches of a union are the same key as the union.
 */
export function schemaNodes(node: JsonNode, path = ''): [string, JsonNode][] {
  const out: [string, JsonNode][] = [[path, node]];
  const join = (k: string) => (path ? `${path}.${k}` : k);
  const children = (n: JsonNode): [string, JsonNode][] => [
    ...Object.entries(n.properties ?? {}).flatMap(([k, v]) => schemaNodes(v, join(k))),
    ...(n.items ? schemaNodes(n.items, `${path}[]`) : []),
    ...(n.additionalProperties && typeof n.additionalProperties === 'object' ? schemaNodes(n.additionalProperties, join('*')) : []),
    ...(n.anyOf ?? []).flatMap(children),
  ];
  return [...out, ...children(node)];
}

/** Korean, then English; defaults and each allowed value in both languages. */
function document(root: JsonNode, base: string, docs: Readonly<Record<string, KeyDoc>>): void {
  for (const [path, node] of schemaNodes(root, base)) {
    const doc = docs[path];
    if (!doc) continue;
    const enumNode = node.enum ? node : node.anyOf?.find((b) => b.enum);
    const lines = [doc.ko, doc.en];
    if (node.default !== undefined) lines.push(`기본값 / Default: \`${JSON.stringify(node.default)}\``);
    if (enumNode?.enum && doc.values) {
      const values = enumNode.enum.map(String);
      lines.push(values.map((v) => `- \`${v}\`: ${doc.values![v]?.[0] ?? ''} / ${doc.values![v]?.[1] ?? ''}`).join('\n'));
      enumNode.enumDescriptions = values.map((v) => `${doc.values![v]?.[0] ?? ''} / ${doc.values![v]?.[1] ?? ''}`);
      enumNode.markdownEnumDescriptions = values.map((v) => `${doc.values![v]?.[0] ?? ''}\n\n${doc.values![v]?.[1] ?? ''}`);
    }
    // Two lines: a plain-text hover shows both languages, Korean first.
    node.description = `${doc.ko}\n${doc.en}`;
    node.markdownDescription = lines.join('\n\n');
    if (doc.examples) node.examples = [...doc.examples];
  }
}
