import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { executor, type Database } from '@only/platform/db';
import { locations } from '../locations/locations.table.ts';
import { products } from '../products/products.table.ts';
import { stockLevels, stockMovements, type StockLevelRow, type StockMovementRow } from './stock.table.ts';

/** A stock level with what its views name: the product's SKU and name, the location's code. */
export type LevelRecord = Omit<StockLevelRow, 'available'> & {
  available: number;
  sku: string;
  productName: string;
  locationCode: string;
};

/** Quantities of a level after an update, and its reorder point. */
export interface LevelAfter {
  readonly onHand: number;
  readonly reserved: number;
  readonly reorderPoint: number | null;
}

const levelColumns = {
  tenantId: stockLevels.tenantId,
  productId: stockLevels.productId,
  locationId: stockLevels.locationId,
  onHand: stockLevels.onHand,
  reserved: stockLevels.reserved,
  available: sql<number>`${stockLevels.available}`,
  reorderPoint: stockLevels.reorderPoint,
  updatedAt: stockLevels.updatedAt,
  sku: products.sku,
  productName: products.name,
  locationCode: locations.code,
};

const levelAfter = {
  onHand: stockLevels.onHand,
  reserved: stockLevels.reserved,
  reorderPoint: stockLevels.reorderPoint,
};

/** Stock levels and their audit trail; every query is scoped to one tenant. */
export class StockRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  private levels() {
    return executor(this.db)
      .select(levelColumns)
      .from(stockLevels)
      .innerJoin(
        products,
        and(eq(products.tenantId, stockLevels.tenantId), eq(products.id, stockLevels.productId)),
      )
      .innerJoin(
        locations,
        and(eq(locations.tenantId, stockLevels.tenantId), eq(locations.id, stockLevels.locationId)),
      );
  }

  private static key(tenantId: string, productId: string, locationId: string): SQL | undefined {
    return and(
      eq(stockLevels.tenantId, tenantId),
      eq(stockLevels.productId, productId),
      eq(stockLevels.locationId, locationId),
    );
  }

  /**
   * The level of a product at a location, locked for this transaction; created empty when the
   * product was never there.
   */
  async lock(tenantId: string, productId: string, locationId: string, now: Date): Promise<LevelRecord> {
    await executor(this.db)
      .insert(stockLevels)
      .values({ tenantId, productId, locationId, updatedAt: now })
      .onConflictDoNothing();
    // Locked without the joined product and location rows, which other work may lock meanwhile.
    await executor(this.db)
      .select({ productId: stockLevels.productId })
      .from(stockLevels)
      .where(StockRepository.key(tenantId, productId, locationId))
      .for('update');
    const row = await this.find(tenantId, productId, locationId);
    if (!row) throw new Error(`stock level ${productId}@${locationId} vanished`);
    return row;
  }

  async find(tenantId: string, productId: string, locationId: string): Promise<LevelRecord | undefined> {
    const [row] = await this.levels().where(StockRepository.key(tenantId, productId, locationId));
    return row;
  }

  async ofProduct(tenantId: string, productId: string): Promise<LevelRecord[]> {
    return this.levels()
      .where(and(eq(stockLevels.tenantId, tenantId), eq(stockLevels.productId, productId)))
      .orderBy(asc(locations.code));
  }

  async setQuantities(
    tenantId: string,
    productId: string,
    locationId: string,
    quantities: { onHand: number; reserved?: number },
    now: Date,
  ): Promise<void> {
    await executor(this.db)
      .update(stockLevels)
      .set({ ...quantities, updatedAt: now })
      .where(StockRepository.key(tenantId, productId, locationId));
  }

  async setReorderPoint(
    tenantId: string,
    productId: string,
    locationId: string,
    reorderPoint: number | null,
    now: Date,
  ): Promise<void> {
    await executor(this.db)
      .update(stockLevels)
      .set({ reorderPoint, updatedAt: now })
      .where(StockRepository.key(tenantId, productId, locationId));
  }

  /**
   * Reserves `quantity` in one statement, and only if that much is available: under concurrency
   * the row lock serialises the contenders and each re-checks the condition on the latest row, so
   * two orders can never take the same unit. Undefined (and nothing changed) when short.
   */
  async reserve(
    tenantId: string,
    productId: string,
    locationId: string,
    quantity: number,
    now: Date,
  ): Promise<LevelAfter | undefined> {
    const [row] = await executor(this.db)
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} + ${quantity}`, updatedAt: now })
      .where(
        and(
          StockRepository.key(tenantId, productId, locationId),
          sql`${stockLevels.onHand} - ${stockLevels.reserved} >= ${quantity}`,
        ),
      )
      .returning(levelAfter);
    return row;
  }

  /** Hands `quantity` back from reserved to available. */
  async unreserve(
    tenantId: string,
    productId: string,
    locationId: string,
    quantity: number,
    now: Date,
  ): Promise<LevelAfter> {
    const [row] = await executor(this.db)
      .update(stockLevels)
      .set({ reserved: sql`${stockLevels.reserved} - ${quantity}`, updatedAt: now })
      .where(StockRepository.key(tenantId, productId, locationId))
      .returning(levelAfter);
    if (!row) throw new Error(`stock level ${productId}@${locationId} vanished`);
    return row;
  }

  /** Takes `quantity` out of both reserved and on hand: sold. */
  async consumeReserved(
    tenantId: string,
    productId: string,
    locationId: string,
    quantity: number,
    now: Date,
  ): Promise<LevelAfter> {
    const [row] = await executor(this.db)
      .update(stockLevels)
      .set({
        onHand: sql`${stockLevels.onHand} - ${quantity}`,
        reserved: sql`${stockLevels.reserved} - ${quantity}`,
        updatedAt: now,
      })
      .where(StockRepository.key(tenantId, productId, locationId))
      .returning(levelAfter);
    if (!row) throw new Error(`stock level ${productId}@${locationId} vanished`);
    return row;
  }

  async insertMovements(rows: readonly StockMovementRow[]): Promise<void> {
    if (rows.length === 0) return;
    await executor(this.db)
      .insert(stockMovements)
      .values([...rows]);
  }

  /** Ordered by product and location, keyset-paginated. */
  list(
    tenantId: string,
    filter: { productId?: string; locationId?: string; low?: boolean },
    page: { limit: number; after?: { productId: string; locationId: string } },
  ): Promise<LevelRecord[]> {
    const after = page.after;
    return this.levels()
      .where(
        and(
          eq(stockLevels.tenantId, tenantId),
          filter.productId === undefined ? undefined : eq(stockLevels.productId, filter.productId),
          filter.locationId === undefined ? undefined : eq(stockLevels.locationId, filter.locationId),
          filter.low === undefined
            ? undefined
            : filter.low
              ? sql`${stockLevels.available} <= ${stockLevels.reorderPoint}`
              : sql`(${stockLevels.reorderPoint} is null or ${stockLevels.available} > ${stockLevels.reorderPoint})`,
          after === undefined
            ? undefined
            : or(
                gt(stockLevels.productId, after.productId),
                and(eq(stockLevels.productId, after.productId), gt(stockLevels.locationId, after.locationId)),
              ),
        ),
      )
      .orderBy(asc(stockLevels.productId), asc(stockLevels.locationId))
      .limit(page.limit + 1);
  }

  /** Newest first, keyset-paginated by id. */
  movements(
    tenantId: string,
    filter: { productId?: string; locationId?: string },
    page: { limit: number; afterId?: string },
  ): Promise<StockMovementRow[]> {
    return executor(this.db)
      .select()
      .from(stockMovements)
      .where(
        and(
          eq(stockMovements.tenantId, tenantId),
          filter.productId === undefined ? undefined : eq(stockMovements.productId, filter.productId),
          filter.locationId === undefined ? undefined : eq(stockMovements.locationId, filter.locationId),
          page.afterId === undefined ? undefined : lt(stockMovements.id, page.afterId),
        ),
      )
      .orderBy(desc(stockMovements.id))
      .limit(page.limit + 1);
  }
}
