import { z } from 'zod';
import { defineEvent } from '../../envelope.ts';

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `migration.sync.conflict_detected` v1: a row changed in the legacy system and in Only since the last sync. */
export const syncConflictDetectedV1 = defineEvent({
  type: 'migration.sync.conflict_detected',
  version: 1,
  description:
    'Sync found a row changed on both sides since the last sync; `resolution` says what the entity’s policy did (null: parked for a decision through the API).',
  schema: z.object({
    conflictId: z.string(),
    entity: z.string(),
    /** The legacy key, one text value per key column. */
    legacyKey: z.array(z.string()),
    onlyId: z.string(),
    policy: z.enum(['legacy-wins', 'modern-wins', 'newest-wins', 'manual']),
    resolution: z.enum(['legacy', 'modern']).nullable(),
    fields: z.array(z.string()),
    legacyValues: z.record(z.string(), value),
    onlyValues: z.record(z.string(), value),
    detectedAt: z.iso.datetime(),
  }),
});
