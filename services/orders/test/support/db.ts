// Reading what the orders service stored, straight from its tables.
import type { Database } from '@only/platform/db';
import { and, asc, eq } from 'drizzle-orm';
import {
  customers,
  idempotencyKeys,
  orderLines,
  orderStatusHistory,
  orders,
  outbox,
} from '../../src/db/schema.ts';

/** How many rows one tenant has in each table of the orders schema. */
export interface RowCounts {
  readonly customers: number;
  readonly orders: number;
  readonly orderLines: number;
  readonly history: number;
  readonly outbox: number;
  readonly idempotencyKeys: number;
}

export async function rowCounts(db: Database, tenantId: string): Promise<RowCounts> {
  const [c, o, l, h, e, k] = await Promise.all([
    db.$count(customers, eq(customers.tenantId, tenantId)),
    db.$count(orders, eq(orders.tenantId, tenantId)),
    db.$count(orderLines, eq(orderLines.tenantId, tenantId)),
    db.$count(orderStatusHistory, eq(orderStatusHistory.tenantId, tenantId)),
    db.$count(outbox, eq(outbox.tenantId, tenantId)),
    db.$count(idempotencyKeys, eq(idempotencyKeys.tenantId, tenantId)),
  ]);
  return { customers: c, orders: o, orderLines: l, history: h, outbox: e, idempotencyKeys: k };
}

/** The stored customer row, deleted or not, whatever its tenant. */
export async function customerRow(db: Database, id: string) {
  const [row] = await db.select().from(customers).where(eq(customers.id, id));
  return row;
}

/** The stored order row, whatever its tenant. */
export async function orderRow(db: Database, id: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row;
}

export async function orderLineRows(db: Database, orderId: string) {
  return db
    .select()
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.position));
}

export async function historyRows(db: Database, orderId: string) {
  return db
    .select()
    .from(orderStatusHistory)
    .where(eq(orderStatusHistory.orderId, orderId))
    .orderBy(asc(orderStatusHistory.id));
}

export async function outboxRows(db: Database, tenantId: string) {
  return db.select().from(outbox).where(eq(outbox.tenantId, tenantId)).orderBy(asc(outbox.id));
}

export async function idempotencyRow(db: Database, tenantId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  return row;
}
