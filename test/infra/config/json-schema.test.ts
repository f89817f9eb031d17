import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchemas } from '../../../infra';
import { SAMPLE_DIR } from '../../support/config';

describe('config/schema', () => {
  test('is up to date with infra/config/schema.ts (run `npm run schema` when this fails)', () => {
    for (const [file, text] of Object.entries(renderJsonSchemas())) {
      expect(readFileSync(join(SAMPLE_DIR, 'schema', file), 'utf8')).toBe(text);
    }
  });

  test('every sample and the template point their editor at the schema', () => {
    const files = ['platform.yaml', 'templates/cooperative.yaml', 'cooperatives/korea-machinery.yaml'];
    for (const f of files) {
      const first = readFileSync(join(SAMPLE_DIR, f), 'utf8').split('\n')[0];
      expect(first).toMatch(/^# yaml-language-server: \$schema=(\.\/|\.\.\/)schema\/(platform|cooperative)\.schema\.json$/);
    }
  });

  test('describes keys and allowed values for autocompletion', () => {
    const schema = JSON.parse(renderJsonSchemas()['cooperative.schema.json']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'name', 'ksic', 'contact', 'members']));
    const field = schema.properties.datasets.items.properties.fields.items.properties;
    expect(field.pii.enum).toEqual(['none', 'identifier', 'quasi-identifier', 'sensitive']);
  });
});
