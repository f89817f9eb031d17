/**
 * Writes the JSON Schemas in config/schema/ from the zod schema, the single source of
 * truth. Editors (VS Code's YAML extension, IntelliJ) read them through the
 * `# yaml-language-server: $schema=` line for autocompletion and inline errors.
 * A test fails when the committed files are stale: run `npm run schema` after changing
 * infra/config/schema.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchemas } from '../infra/config/json-schema';

const dir = join(__dirname, '..', 'config', 'schema');
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote config/schema/${file}`);
}
