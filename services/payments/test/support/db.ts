// Reading what the payments service stored, straight from its tables.
import type { Database } from '@only/platform/db';
import { asc, eq } from 'drizzle-orm';
import {
  outbox,
  paymentOperations,
  payments,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from '../../src/db/schema.ts';

/** How many rows one tenant has in each table of the payments schema. */
export async function rowCounts(db: Database, tenantId: string): Promise<Record<string, number>> {
  const tables = {
    payments,
    paymentOperations,
    webhookEndpoints,
    webhookDeliveries,
    webhookAttempts,
    outbox,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables))
    counts[name] = await db.$count(table, eq(table.tenantId, tenantId));
  return counts;
}

export async function paymentRow(db: Database, id: string) {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

/** The operations of a payment, oldest first. */
export async function operationRows(db: Database, paymentId: string) {
  return db
    .select()
    .from(paymentOperations)
    .where(eq(paymentOperations.paymentId, paymentId))
    .orderBy(asc(paymentOperations.id));
}

export async function outboxRows(db: Database, tenantId: string) {
  return db.select().from(outbox).where(eq(outbox.tenantId, tenantId)).orderBy(asc(outbox.id));
}

/** Every stored row of every payments table, as JSON text: to search for what must never be stored. */
export async function everythingStored(db: Database): Promise<string> {
  const tables = {
    payments,
    paymentOperations,
    webhookEndpoints,
    webhookDeliveries,
    webhookAttempts,
    outbox,
  };
  const dump: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(tables)) dump[name] = await db.select().from(table);
  return JSON.stringify(dump);
}
