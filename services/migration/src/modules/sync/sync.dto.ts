import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';

const counts = z
  .object({
    read: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    deletesSkipped: z.number().int(),
    conflicts: z.number().int(),
    rejected: z.number().int(),
  })
  .meta({ id: 'SyncCounts' });

export const syncEntityStateSchema = z
  .object({
    entity: z.string(),
    mode: z.enum(['watermark', 'diff']).describe('watermark: changed rows only; diff: every row compared.'),
    watermark: z.string().nullable().describe('The last watermark applied, as the source writes it.'),
    syncedAt: z.iso.datetime().nullable().describe('When the last pass ended.'),
    inProgress: z.boolean().describe('A pass was left unfinished; the next sync resumes it.'),
    lastRunId: z.string().nullable(),
    lastRunAt: z.iso.datetime().nullable(),
    lastStatus: z.enum(['completed', 'failed']).nullable(),
    lastError: z.string().nullable(),
    lastCounts: counts.nullable(),
    totals: counts,
    openConflicts: z.number().int(),
  })
  .meta({ id: 'SyncEntityState' });
export type SyncEntityState = z.output<typeof syncEntityStateSchema>;

export const syncStateListSchema = z
  .object({ items: z.array(syncEntityStateSchema) })
  .meta({ id: 'SyncStateList' });

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const syncConflictSchema = z
  .object({
    id: z.string(),
    entity: z.string(),
    legacyKey: z.array(z.string()).describe('The row’s key in the legacy system, one text per key column.'),
    onlyId: z.string(),
    policy: z.string().describe('The entity’s conflict policy when it was found.'),
    fields: z.array(z.string()).describe('Fields whose values differ.'),
    legacyValues: z.record(z.string(), value).describe('The legacy row after mapping.'),
    onlyValues: z.record(z.string(), value).describe('Only’s row when the conflict was found.'),
    legacyWatermark: z.string().nullable(),
    onlyChangedAt: z.iso.datetime().nullable(),
    status: z.enum(['open', 'resolved']),
    resolution: z.enum(['legacy', 'modern']).nullable(),
    resolvedBy: z.string().nullable().describe('`policy:<name>`, or who resolved it.'),
    detectedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SyncConflict' });
export type SyncConflict = z.output<typeof syncConflictSchema>;

export const syncConflictPageSchema = pageSchema(syncConflictSchema).meta({ id: 'SyncConflictPage' });

export const listConflictsQuery = pageQuerySchema.extend({
  status: z.enum(['open', 'resolved']).optional().describe('Only open (parked) or resolved conflicts.'),
  entity: z.string().min(1).max(100).optional().describe('Only conflicts of this entity of the mapping.'),
});
export type ListConflictsQuery = z.output<typeof listConflictsQuery>;

export const conflictIdParams = z.object({ id: idSchema('msc') });

export const resolveConflictBody = z
  .object({
    resolution: z
      .enum(['legacy', 'modern'])
      .describe('legacy: apply the legacy values to Only; modern: keep Only’s values.'),
  })
  .strict();
