// Regenerates services/migration/mapping.schema.json from the Zod schema, formatted by the
// repository's Prettier settings:
//   node services/migration/src/modules/mapping/write-json-schema.ts
// (mapping.schema.test.ts fails when the committed file is out of date.)
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { mappingJsonSchema } from './mapping.schema.ts';

/** Where the published JSON Schema lives. */
export const MAPPING_JSON_SCHEMA_PATH = fileURLToPath(
  new URL('../../../mapping.schema.json', import.meta.url),
);

if (import.meta.main) {
  // Prettier is a development tool of the repository, loaded only by this script.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(MAPPING_JSON_SCHEMA_PATH)) ?? {};
  const text = await prettier.format(JSON.stringify(mappingJsonSchema()), { ...options, parser: 'json' });
  await writeFile(MAPPING_JSON_SCHEMA_PATH, text);
  console.log(`wrote ${MAPPING_JSON_SCHEMA_PATH}`);
}
