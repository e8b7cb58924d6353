import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';

/**
 * `migration.sync.failed` v1: a sync could not apply something — the whole entity (`run`: the source
 * or database failed) or one legacy row that no longer maps (`row`).
 */
export const syncFailedV1 = defineEvent({
  type: 'migration.sync.failed',
  version: 1,
  description:
    'A sync failed: `scope` run (an entity’s pass stopped; it resumes from its last batch) or row (a legacy row does not map; `errors` say why).',
  schema: z.object({
    scope: z.enum(['run', 'row']),
    entity: z.string().nullable(),
    /** The legacy key of a failed row, one text value per key column. */
    legacyKey: z.array(z.string()).nullable(),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })),
    failedAt: z.iso.datetime(),
  }),
});
