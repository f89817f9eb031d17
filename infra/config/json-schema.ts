/** JSON Schema for editors, derived from the zod schema so the two can never disagree. */
import { z } from 'zod';
import { cooperativeSchema, platformSchema } from './schema';

/** File name → JSON text of every schema in config/schema/. */
export function renderJsonSchemas(): Record<string, string> {
  // io: 'input' describes what a person writes (defaults make keys optional), draft-7 is what
  // the YAML language server supports best.
  const render = (schema: z.ZodType, id: string) =>
    `${JSON.stringify({ ...z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }), $id: id }, null, 2)}\n`;
  return {
    'cooperative.schema.json': render(cooperativeSchema, 'https://kbiz.or.kr/coop-idc/cooperative.schema.json'),
    'platform.schema.json': render(platformSchema, 'https://kbiz.or.kr/coop-idc/platform.schema.json'),
  };
}
