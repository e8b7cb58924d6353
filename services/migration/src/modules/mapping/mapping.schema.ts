// The mapping file format, defined once in Zod: the loader validates with it and the published
// JSON Schema (services/migration/mapping.schema.json) is generated from it.
import { currencySchema } from '@only/platform/money';
import { z } from 'zod';
import { isTimeZone } from './zoned-time.ts';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const name = (what: string) =>
  z.string().regex(NAME, { error: `${what} must be letters, digits and _, starting with a letter` });

const columnName = z
  .string()
  .min(1, 'a column name must not be empty')
  .max(128)
  .describe('A source column, spelled as the source spells it.');

const columnList = z.array(columnName).min(1, 'give at least one column');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const timeZone = z
  .string()
  .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin or UTC' })
  .describe('IANA time zone, e.g. Europe/Berlin.');

const batchSize = z.int().min(1).max(100_000).describe('Rows per batch read from the source and loaded.');
const parallelism = z.int().min(1).max(32).describe('Batches transformed and loaded at the same time.');
const tenant = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
    error: 'a tenant is its slug or id: letters, digits, - and _',
  })
  .describe('Tenant (slug or id) the rows are loaded into.');

/** Transform steps without arguments. */
export const SIMPLE_TRANSFORMS = [
  'trim',
  'trimStart',
  'trimEnd',
  'upper',
  'lower',
  'nullIfEmpty',
  'required',
  'email',
  'money',
  'datetime',
  'date',
  'concat',
] as const;
export type SimpleTransformName = (typeof SIMPLE_TRANSFORMS)[number];

const moneyOptions = z
  .strictObject({
    currency: currencySchema.optional().describe('ISO 4217 currency; default: the `source.currency`.'),
    currencyColumn: columnName.optional().describe('Column holding each row’s currency code instead.'),
    rounding: z
      .enum(['reject', 'halfUp', 'halfEven'])
      .optional()
      .describe('More decimals than the currency has: reject the row (default) or round.'),
  })
  .describe('Decimal amount → integer minor units (12.50 EUR → 1250), exact, never through floats.');

const datetimeOptions = z
  .strictObject({
    timeZone: timeZone.optional().describe('Zone of the local time; default: `source.timeZone`.'),
    disambiguation: z
      .enum(['compatible', 'earlier', 'later', 'reject'])
      .optional()
      .describe(
        'Local times skipped or repeated by daylight-saving changes: compatible (default: earlier of a repeated time, ' +
          'move a skipped one forward), earlier, later, or reject the row.',
      ),
  })
  .describe('Local date/time in the source’s time zone → UTC ISO 8601. Text with an offset keeps it.');

/** Transform steps with arguments, by name. */
const TRANSFORM_OBJECTS = {
  cast: z
    .enum(['string', 'integer', 'number', 'decimal', 'boolean'])
    .describe(
      'Convert the type: integer refuses fractions, decimal gives exact text, boolean takes 1/0/true/false/yes/no/y/n.',
    ),
  map: z
    .record(z.string(), scalar)
    .describe('Replace codes by values, e.g. { Y: true, N: false }; a code not listed rejects the row.'),
  lookup: name('a lookup name').describe('Like map, with a table from the top-level `lookups`.'),
  money: moneyOptions,
  datetime: datetimeOptions,
  default: scalar.describe('Value used when the value is null.'),
  concat: z
    .strictObject({ separator: z.string().optional().describe('Put between parts (default: none).') })
    .describe('Join the values of `columns`, skipping nulls and empty text; null when nothing is left.'),
  match: z
    .strictObject({
      pattern: z
        .string()
        .min(1)
        .refine(
          (pattern) => {
            try {
              new RegExp(pattern, 'u');
              return true;
            } catch {
              return false;
            }
          },
          { error: 'must be a valid regular expression' },
        )
        .describe('Regular expression (JavaScript syntax) the whole text must match.'),
      message: z.string().optional().describe('What to say when it does not.'),
    })
    .describe('Reject text that does not match (rule "pattern"); null passes.'),
  min: z.number().describe('Reject numbers below this (rule "min"); null passes.'),
  max: z.number().describe('Reject numbers above this (rule "max"); null passes.'),
  length: z
    .strictObject({ min: z.int().min(0).optional(), max: z.int().min(1).optional() })
    .describe('Reject text shorter or longer than this (rules "min_length", "max_length").'),
  expr: z.string().min(1).describe('Expression over the row; `value` is the value so far.'),
} as const;

/** Names of every transform step. */
export const TRANSFORM_NAMES: readonly string[] = [
  ...new Set<string>([...SIMPLE_TRANSFORMS, ...Object.keys(TRANSFORM_OBJECTS)]),
];

/** `{ <key>: <schema> }`, typed by its one key. */
function oneKey<K extends keyof typeof TRANSFORM_OBJECTS>(key: K) {
  const schema = TRANSFORM_OBJECTS[key];
  return z
    .strictObject({ [key]: schema } as { [P in K]: (typeof TRANSFORM_OBJECTS)[K] })
    .describe(schema.description ?? key);
}

const transformStep = z
  .union(
    [
      z.enum(SIMPLE_TRANSFORMS),
      oneKey('cast'),
      oneKey('map'),
      oneKey('lookup'),
      oneKey('money'),
      oneKey('datetime'),
      oneKey('default'),
      oneKey('concat'),
      oneKey('match'),
      oneKey('min'),
      oneKey('max'),
      oneKey('length'),
      oneKey('expr'),
    ],
    {
      // Only shown when no step fits at all (see mapping-loader: a step that names a known
      // transform reports the problem inside it instead).
      error: (issue) => unknownTransformMessage(issue.input),
    },
  )
  .describe(
    'One transform step: a name such as trim, or a one-key object such as { money: { currency: EUR } }.',
  );

/** The message for a transform step that names no known transform. */
export function unknownTransformMessage(input: unknown): string {
  const stepName =
    typeof input === 'string'
      ? input
      : input !== null &&
          typeof input === 'object' &&
          !Array.isArray(input) &&
          Object.keys(input).length === 1
        ? Object.keys(input)[0]
        : undefined;
  if (stepName === undefined) {
    return 'a transform step is a name such as trim or a one-key object such as { money: { currency: EUR } }';
  }
  const suggestion = closest(stepName, TRANSFORM_NAMES);
  return `unknown transform "${stepName}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`;
}

/** The candidate within edit distance 2 of `word`, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const refSchema = z
  .strictObject({
    entity: name('an entity name').describe('The entity referred to.'),
    columns: columnList.describe(
      'Columns of this row holding the other entity’s legacy key, in its key order.',
    ),
    optional: z.boolean().optional().describe('All columns null means "no reference" instead of an error.'),
  })
  .describe('A reference to another entity, resolved through the legacy-key → Only-id map.');

const fieldObject = z
  .strictObject({
    column: columnName.optional().describe('Take the value of this column.'),
    columns: columnList.optional().describe('Take these columns as a list (join them with concat).'),
    value: scalar.optional().describe('A constant.'),
    expr: z.string().min(1).optional().describe('Compute the value with an expression over the row.'),
    ref: refSchema.optional(),
    transform: z.array(transformStep).optional().describe('Steps applied in order.'),
    description: z.string().optional(),
  })
  .describe(
    'Where a field’s value comes from (exactly one of column, columns, value, expr, ref) and its steps.',
  );

/** One target field: a column name (shorthand) or a full field mapping. */
export const fieldSchema = z
  .union([columnName, fieldObject], {
    error: () => 'a field is a column name or an object with one of column, columns, value, expr, ref',
  })
  .describe('A column name, or an object with one of column, columns, value, expr, ref.');

/** How conflicts (both sides changed since the last sync) are resolved. */
export const SYNC_CONFLICT_POLICIES = ['legacy-wins', 'modern-wins', 'newest-wins', 'manual'] as const;
export type SyncConflictPolicy = (typeof SYNC_CONFLICT_POLICIES)[number];

const syncWatermark = z
  .strictObject({
    column: columnName.describe('The column the legacy system bumps on every change of the row.'),
    type: z
      .enum(['timestamp', 'version'])
      .optional()
      .describe(
        'timestamp (default): a date/time, zone-less ones in `source.timeZone`; version: an increasing integer.',
      ),
  })
  .describe('Incremental sync reads only the rows whose watermark reached the last one synced.');

const syncSchema = z
  .strictObject({
    watermark: syncWatermark.optional(),
    conflicts: z
      .enum(SYNC_CONFLICT_POLICIES)
      .optional()
      .describe(
        'A row changed on both sides since the last sync: legacy-wins, modern-wins, newest-wins (needs a timestamp ' +
          'watermark) or manual (default: parked until resolved through the API).',
      ),
    deletes: z
      .enum(['apply', 'ignore'])
      .optional()
      .describe('Rows deleted in the legacy system: apply (default; where the target can) or ignore.'),
  })
  .describe(
    'How `only sync` keeps this entity up to date; without a watermark it compares every row (diff).',
  );

/** One target entity. */
export const entitySchema = z
  .strictObject({
    target: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9]*$/, {
        error: 'target is <service>.<entity>, e.g. orders.customers',
      })
      .describe('Where the rows go: <owning service>.<entity>, e.g. orders.customers or catalog.products.'),
    table: z.string().min(1).optional().describe('Source table (schema.table allowed).'),
    query: z
      .string()
      .min(1)
      .optional()
      .describe('Source SQL query instead of a table; its key columns must be unique.'),
    key: z
      .union([columnName, columnList])
      .describe('Legacy key column(s): identify a row, order the reads, key the id map. Composite allowed.'),
    filter: z.string().min(1).optional().describe('SQL WHERE fragment in the source’s dialect.'),
    watermark: columnName
      .optional()
      .describe(
        'Last-updated column for incremental sync (shorthand of sync.watermark with type timestamp); absent: sync by diff.',
      ),
    sync: syncSchema.optional(),
    batchSize: batchSize.optional(),
    parallelism: parallelism.optional(),
    tenant: tenant.optional(),
    description: z.string().optional(),
    fields: z
      .record(name('a field name'), fieldSchema)
      .describe('Target field → where its value comes from.'),
  })
  .describe('One target entity and where its rows come from.');

/** The whole mapping file. */
export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('Format version: 1.'),
    description: z.string().optional(),
    tenant: tenant.optional(),
    source: z
      .strictObject({
        description: z.string().optional(),
        timeZone: timeZone.optional().describe('Zone of the source’s zone-less date/times.'),
        currency: currencySchema
          .optional()
          .describe('Currency of money columns unless a field says otherwise.'),
      })
      .optional()
      .describe('Conventions of the legacy source.'),
    defaults: z
      .strictObject({ batchSize: batchSize.optional(), parallelism: parallelism.optional() })
      .optional()
      .describe('Defaults for every entity.'),
    lookups: z
      .record(name('a lookup name'), z.record(z.string(), scalar))
      .optional()
      .describe('Named code lists for the lookup step, e.g. orderStatus: { N: pending, X: cancelled }.'),
    entities: z.record(name('an entity name'), entitySchema).describe('Target entities by name.'),
  })
  .meta({
    title: 'Only migration mapping',
    description:
      'Maps a legacy database to Only’s entities: sources, keys, fields, transforms and references.',
  });

/** A mapping file as validated (shorthands not yet expanded). */
export type Mapping = z.output<typeof mappingSchema>;
export type EntityMapping = z.output<typeof entitySchema>;
export type FieldMapping = z.output<typeof fieldSchema>;
export type TransformStep = z.output<typeof transformStep>;

/**
 * The mapping with entities left unchecked: the loader validates each entity on its own, so one
 * broken entity does not hide the problems of the others.
 */
export const mappingHeadSchema = mappingSchema.extend({
  entities: z.record(name('an entity name'), z.unknown()),
});

/** Every property name the format knows, for "did you mean" hints on unknown keys. */
export const KNOWN_PROPERTIES: readonly string[] = [
  ...Object.keys(mappingSchema.shape),
  ...Object.keys(entitySchema.shape),
  ...Object.keys(fieldObject.shape),
  ...Object.keys(refSchema.shape),
  ...Object.keys(syncSchema.shape),
  'column',
  'type',
  ...Object.keys(moneyOptions.shape),
  ...Object.keys(datetimeOptions.shape),
  'timeZone',
  'currency',
  'separator',
  'pattern',
  'message',
  'min',
  'max',
];

/** The JSON Schema of the mapping format (published as services/migration/mapping.schema.json). */
export function mappingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(mappingSchema, { target: 'draft-2020-12', io: 'input' });
}
