// The published JSON Schema is generated from the Zod schema; this keeps the committed file honest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mappingJsonSchema, TRANSFORM_NAMES } from './mapping.schema.ts';
import { MAPPING_JSON_SCHEMA_PATH } from './write-json-schema.ts';

describe('mapping.schema.json', () => {
  it('equals the schema generated from Zod (regenerate: node services/migration/src/modules/mapping/write-json-schema.ts)', () => {
    // Compared as JSON: the file's layout is Prettier's.
    expect(JSON.parse(readFileSync(MAPPING_JSON_SCHEMA_PATH, 'utf8'))).toEqual(mappingJsonSchema());
  });

  it('describes the format: required keys, closed objects, every transform', () => {
    const schema = mappingJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { entities: { additionalProperties: { required: string[] } } };
    };
    expect(schema.required).toEqual(['version', 'entities']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.entities.additionalProperties.required).toEqual(['target', 'key', 'fields']);
    const text = JSON.stringify(schema);
    for (const name of TRANSFORM_NAMES) expect(text).toContain(`"${name}"`);
  });
});
