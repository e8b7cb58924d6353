import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';

export const listQuarantineQuery = pageQuerySchema.extend({
  runId: idSchema('mrun').optional().describe('Only the rows this run quarantined.'),
  entity: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Only rows of this entity of the mapping (e.g. `customers`).'),
});
export type ListQuarantineQuery = z.output<typeof listQuarantineQuery>;

const sourceValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const quarantinedRowSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    entity: z.string(),
    sourceKey: z
      .array(z.string())
      .nullable()
      .describe('The row’s key in the source, one text value per key column; null when the row had none.'),
    reasons: z
      .array(
        z.object({
          field: z.string(),
          rule: z.string(),
          message: z.string(),
          columns: z.array(z.string()).optional(),
        }),
      )
      .describe('Why the row was not loaded: the mapped field, the rule it broke, and the source columns.'),
    values: z
      .record(z.string(), sourceValue)
      .describe(
        'The source row as it was read (binary values in base64); columns named like passwords, secrets or tokens are masked as "***".',
      ),
    quarantinedAt: z.iso.datetime(),
  })
  .meta({ id: 'QuarantinedRow' });
export type QuarantinedRow = z.output<typeof quarantinedRowSchema>;

export const quarantinePageSchema = pageSchema(quarantinedRowSchema).meta({ id: 'QuarantinedRowPage' });
