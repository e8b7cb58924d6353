// Reading what the catalog service stored, straight from its tables.
import type { Database } from '@only/platform/db';
import { and, asc, eq } from 'drizzle-orm';
import {
  categories,
  locations,
  outbox,
  productCategories,
  products,
  reservationLines,
  reservations,
  stockLevels,
  stockMovements,
} from '../../src/db/schema.ts';

/** How many rows one tenant has in each table of the catalog schema. */
export async function rowCounts(db: Database, tenantId: string): Promise<Record<string, number>> {
  const tables = {
    products,
    productCategories,
    categories,
    locations,
    stockLevels,
    stockMovements,
    reservations,
    reservationLines,
    outbox,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables))
    counts[name] = await db.$count(table, eq(table.tenantId, tenantId));
  return counts;
}

/** A stock level row, whatever its tenant. */
export async function levelRow(db: Database, productId: string, locationId: string) {
  const [row] = await db
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, locationId)));
  return row;
}

/** Audit rows of a product, oldest first. */
export async function movementRows(db: Database, productId: string) {
  return db
    .select()
    .from(stockMovements)
    .where(eq(stockMovements.productId, productId))
    .orderBy(asc(stockMovements.id));
}

export async function productRow(db: Database, id: string) {
  const [row] = await db.select().from(products).where(eq(products.id, id));
  return row;
}

export async function outboxRows(db: Database, tenantId: string) {
  return db.select().from(outbox).where(eq(outbox.tenantId, tenantId)).orderBy(asc(outbox.id));
}
