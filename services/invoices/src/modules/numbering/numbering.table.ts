import { sql } from 'drizzle-orm';
import { bigint, check, primaryKey, text } from 'drizzle-orm/pg-core';
import { invoicesSchema } from '../../db/invoices-schema.ts';

/**
 * The last number given in each series of a tenant, per period (the year when the format shows
 * one, so numbering restarts each year; empty otherwise). Locked `FOR UPDATE` and advanced in the
 * issuing transaction: a rollback gives the number back, so numbers have no gaps — unlike a
 * sequence, which never gives a value back.
 */
export const numberCounters = invoicesSchema.table(
  'number_counters',
  {
    tenantId: text('tenant_id').notNull(),
    series: text('series', { enum: ['invoice', 'credit_note'] }).notNull(),
    period: text('period').notNull(),
    lastValue: bigint('last_value', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.series, t.period] }),
    check('number_counters_series_check', sql`${t.series} in ('invoice', 'credit_note')`),
    check('number_counters_last_value_check', sql`${t.lastValue} >= 0`),
  ],
);

export type NumberSeries = (typeof numberCounters.$inferSelect)['series'];
