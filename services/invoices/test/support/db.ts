// Reading what the invoices service stored, straight from its tables.
import type { Database } from '@only/platform/db';
import { and, asc, eq } from 'drizzle-orm';
import { creditNotes, invoices, numberCounters, outbox } from '../../src/db/schema.ts';

export function invoiceRows(db: Database, tenantId: string) {
  return db.select().from(invoices).where(eq(invoices.tenantId, tenantId)).orderBy(asc(invoices.number));
}

export function invoiceRowsOfOrder(db: Database, tenantId: string, orderId: string) {
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.orderId, orderId)));
}

export function creditNoteRows(db: Database, tenantId: string) {
  return db
    .select()
    .from(creditNotes)
    .where(eq(creditNotes.tenantId, tenantId))
    .orderBy(asc(creditNotes.number));
}

export function counterRows(db: Database, tenantId: string) {
  return db.select().from(numberCounters).where(eq(numberCounters.tenantId, tenantId));
}

export function outboxRows(db: Database, tenantId: string) {
  return db.select().from(outbox).where(eq(outbox.tenantId, tenantId)).orderBy(asc(outbox.id));
}
