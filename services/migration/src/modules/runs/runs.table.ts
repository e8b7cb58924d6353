import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { migrationSchema } from '../../db/migration-schema.ts';

/** Read / loaded / quarantined / skipped rows of one entity in a run. */
export interface EntityCounts {
  read: number;
  loaded: number;
  quarantined: number;
  skipped: number;
}

export type RunStatus = 'running' | 'completed' | 'failed';

/** One `only migrate` run of a mapping into one tenant. */
export const runs = migrationSchema.table(
  'runs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    mappingName: text('mapping_name').notNull(),
    mappingHash: text('mapping_hash').notNull(),
    /** The source URL with any password removed. */
    sourceUrl: text('source_url').notNull(),
    status: text('status', { enum: ['running', 'completed', 'failed'] }).notNull(),
    counts: jsonb('counts').$type<Record<string, EntityCounts>>().notNull().default({}),
    error: text('error'),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    check('runs_status_check', sql`${t.status} in ('running', 'completed', 'failed')`),
    index('runs_tenant_started_idx').on(t.tenantId, t.id.desc()),
  ],
);

/**
 * Where a run got to per entity: the legacy key of the last committed batch. Written in the same
 * transaction as the batch, so a resumed run starts exactly after what is stored.
 */
export const checkpoints = migrationSchema.table(
  'checkpoints',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    /** Source key values of the last row of the last committed batch (JSON array). */
    lastKey: jsonb('last_key').$type<unknown[]>(),
    done: boolean('done').notNull().default(false),
    counts: jsonb('counts').$type<EntityCounts>().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.entity] })],
);

/** Legacy key → Only id, per tenant and entity: what makes re-runs upserts and resolves references. */
export const idMap = migrationSchema.table(
  'id_map',
  {
    tenantId: text('tenant_id').notNull(),
    entity: text('entity').notNull(),
    legacyKey: text('legacy_key').notNull(),
    onlyId: text('only_id').notNull(),
    runId: text('run_id').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.entity, t.legacyKey] })],
);

/** A rejected source row with its reasons: nothing is dropped silently. */
export interface QuarantineError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  readonly columns?: readonly string[];
}

export const quarantine = migrationSchema.table(
  'quarantine',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    /** Null only when the row's own key is missing. */
    legacyKey: text('legacy_key'),
    sourceRow: jsonb('source_row').$type<Record<string, unknown>>().notNull(),
    errors: jsonb('errors').$type<QuarantineError[]>().notNull(),
    quarantinedAt: timestamptz('quarantined_at').notNull().defaultNow(),
  },
  (t) => [
    index('quarantine_run_idx').on(t.runId, t.entity, t.id),
    uniqueIndex('quarantine_run_entity_key_key').on(t.runId, t.entity, t.legacyKey),
    index('quarantine_tenant_entity_key_idx').on(t.tenantId, t.entity, t.legacyKey),
  ],
);

export type RunRow = typeof runs.$inferSelect;
export type CheckpointRow = typeof checkpoints.$inferSelect;
export type QuarantineRow = typeof quarantine.$inferSelect;
