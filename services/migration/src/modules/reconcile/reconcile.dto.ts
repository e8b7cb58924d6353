import { idSchema } from '@only/platform/ids';
import { pageQuerySchema } from '@only/platform/http';
import { z } from 'zod';
import { REPORT_FORMATS } from './reconcile-report.ts';
import { DISCREPANCY_KINDS, RECONCILE_STATUSES, RECONCILE_TRIGGERS } from './reconcile.table.ts';

export const reconcileRunIdParams = z.object({ id: idSchema('rrun') });

export const reconcileReportParams = reconcileRunIdParams.extend({
  format: z.enum(REPORT_FORMATS).describe('`json`, `csv` or `html`.'),
});

export const listReconcileRunsQuery = pageQuerySchema;

export const discrepancyQuery = pageQuerySchema.extend({
  entity: z.string().min(1).max(100).optional().describe('Only the discrepancies of this entity.'),
  kind: z.enum(DISCREPANCY_KINDS).optional().describe('Only discrepancies of this kind.'),
});
export type DiscrepancyQueryInput = z.output<typeof discrepancyQuery>;

const diffValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const counts = z.object({
  missing: z.number().int(),
  extra: z.number().int(),
  changed: z.number().int(),
  quarantined: z.number().int().describe('Reported, not counted as discrepancies.'),
});
const sums = z.record(z.string(), z.string().nullable());

export const reconcileRunSchema = z
  .object({
    id: z.string(),
    mappingName: z.string(),
    mappingHash: z.string(),
    sourceUrl: z.string().describe('Without its password.'),
    trigger: z.enum(RECONCILE_TRIGGERS),
    status: z.enum(RECONCILE_STATUSES),
    entityFilter: z.array(z.string()).readonly().nullable(),
    counts,
    entities: z
      .array(
        z.object({
          entity: z.string(),
          target: z.string(),
          status: z.enum(['compared', 'pending']),
          reason: z.string().optional(),
          legacy: z.object({ rows: z.number().int(), sums }),
          only: z.object({ rows: z.number().int(), native: z.number().int(), sums }),
          compared: z.number().int(),
          matched: z.number().int(),
          counts,
        }),
      )
      .readonly(),
    error: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReconcileRun' });

export const reconcileRunPageSchema = z
  .object({ items: z.array(reconcileRunSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ReconcileRunPage' });

export const discrepancySchema = z
  .object({
    id: z.string(),
    entity: z.string(),
    kind: z.enum(DISCREPANCY_KINDS),
    legacyKey: z.string().nullable(),
    onlyId: z.string().nullable(),
    fields: z.array(z.object({ field: z.string(), legacy: diffValue, only: diffValue })).readonly(),
    errors: z
      .array(z.object({ field: z.string(), rule: z.string(), message: z.string() }))
      .readonly()
      .nullable()
      .describe('Why the legacy row no longer maps, when it does not.'),
  })
  .meta({ id: 'Discrepancy' });

export const reconcileRunWithDiscrepanciesSchema = z
  .object({
    run: reconcileRunSchema,
    discrepancies: z.object({ items: z.array(discrepancySchema), nextCursor: z.string().nullable() }),
  })
  .meta({ id: 'ReconcileRunWithDiscrepancies' });
