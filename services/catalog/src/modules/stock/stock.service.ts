import { stockAdjustedV1, stockTransferredV1, type AdjustmentReason } from '@only/contracts/catalog';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { catalogErrors } from '../../errors.ts';
import type { LocationsService } from '../locations/locations.service.ts';
import type { ProductsRepository } from '../products/products.repository.ts';
import type { LowStockAlerts } from './low-stock.ts';
import {
  toMovement,
  type AdjustmentResult,
  type AdjustStockInput,
  type ListLevelsQuery,
  type ListMovementsQuery,
  type Movement,
  type ProductStock,
  type SetReorderPointInput,
  type StockLevel,
  type TransferResult,
  type TransferStockInput,
} from './stock.dto.ts';
import type { LevelRecord, StockRepository } from './stock.repository.ts';
import type { StockMovementRow } from './stock.table.ts';

const levelCursor = z.object({ p: z.string(), l: z.string() });
const movementCursor = z.object({ id: z.string() });

/** The view of a level (and, without the view fields, what events carry). */
export function toStockLevel(row: LevelRecord): StockLevel {
  return {
    productId: row.productId,
    sku: row.sku,
    productName: row.productName,
    locationId: row.locationId,
    locationCode: row.locationCode,
    onHand: row.onHand,
    reserved: row.reserved,
    available: row.available,
    reorderPoint: row.reorderPoint,
    low: row.reorderPoint !== null && row.available <= row.reorderPoint,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function snapshot(level: StockLevel) {
  return {
    productId: level.productId,
    sku: level.sku,
    locationId: level.locationId,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    reorderPoint: level.reorderPoint,
  };
}

/** `level` with new quantities, as it is after an update in the same transaction. */
function withQuantities(level: LevelRecord, onHand: number, reserved: number, now: Date): LevelRecord {
  return { ...level, onHand, reserved, available: onHand - reserved, updatedAt: now };
}

/** Location-creating races (two first adjustments of a tenant at once) are retried once. */
function isFirstLocationRace(error: unknown): boolean {
  return (
    isUniqueViolation(error, 'locations_tenant_default_key') ||
    isUniqueViolation(error, 'locations_tenant_code_key')
  );
}

/**
 * Stock per product and location: adjustments and transfers, each with its audit trail rows, and
 * reorder points with low-stock alerts. Reserved stock is never touched here: on hand cannot go
 * below what is reserved.
 */
export class StockService {
  private readonly db: Database;
  private readonly repository: StockRepository;
  private readonly products: ProductsRepository;
  private readonly locations: LocationsService;
  private readonly alerts: LowStockAlerts;
  private readonly outbox: Outbox;
  private readonly clock: Clock;

  constructor(deps: {
    db: Database;
    repository: StockRepository;
    products: ProductsRepository;
    locations: LocationsService;
    alerts: LowStockAlerts;
    outbox: Outbox;
    clock: Clock;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.products = deps.products;
    this.locations = deps.locations;
    this.alerts = deps.alerts;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
  }

  /** Stock of one product: per location and in total. */
  async ofProduct(ctx: RequestContext, productId: string): Promise<ProductStock> {
    const product = await this.products.find(ctx.tenantId, productId);
    if (!product) throw catalogErrors.product_not_found(`No product ${productId}`);
    const levels = (await this.repository.ofProduct(ctx.tenantId, productId)).map(toStockLevel);
    const sum = (pick: (level: StockLevel) => number) => levels.reduce((total, l) => total + pick(l), 0);
    return {
      productId,
      sku: product.sku,
      onHand: sum((l) => l.onHand),
      reserved: sum((l) => l.reserved),
      available: sum((l) => l.available),
      levels,
    };
  }

  async list(
    ctx: RequestContext,
    query: ListLevelsQuery,
  ): Promise<{ items: StockLevel[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, levelCursor);
    const rows = await this.repository.list(
      ctx.tenantId,
      {
        ...(query.productId === undefined ? {} : { productId: query.productId }),
        ...(query.locationId === undefined ? {} : { locationId: query.locationId }),
        ...(query.low === undefined ? {} : { low: query.low }),
      },
      {
        limit: query.limit,
        ...(after === undefined ? {} : { after: { productId: after.p, locationId: after.l } }),
      },
    );
    return toPage(rows, query.limit, toStockLevel, (row) => ({ p: row.productId, l: row.locationId }));
  }

  async movements(
    ctx: RequestContext,
    query: ListMovementsQuery,
  ): Promise<{ items: Movement[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, movementCursor).id;
    const rows = await this.repository.movements(
      ctx.tenantId,
      {
        ...(query.productId === undefined ? {} : { productId: query.productId }),
        ...(query.locationId === undefined ? {} : { locationId: query.locationId }),
      },
      { limit: query.limit, afterId: after },
    );
    return toPage(rows, query.limit, toMovement, (row) => ({ id: row.id }));
  }

  /**
   * Changes stock on hand for a reason, records the audit row (who, when, why, before and after)
   * and emits `catalog.stock.adjusted` (and `catalog.stock.low` when it crossed the reorder point).
   * A tenant's first adjustment creates its first location when it has none.
   */
  async adjust(ctx: RequestContext, input: AdjustStockInput): Promise<AdjustmentResult> {
    try {
      return await this.adjustOnce(ctx, input);
    } catch (error) {
      if (!isFirstLocationRace(error)) throw error;
      return this.adjustOnce(ctx, input);
    }
  }

  private adjustOnce(ctx: RequestContext, input: AdjustStockInput): Promise<AdjustmentResult> {
    return inTransaction(this.db, async () => {
      await this.requireProduct(ctx, input.productId);
      const location = await this.locations.resolveOrCreateDefault(ctx, input.locationId);
      const now = this.clock.now();
      const level = await this.repository.lock(ctx.tenantId, input.productId, location.id, now);
      const delta =
        input.countedQuantity === undefined ? (input.delta ?? 0) : input.countedQuantity - level.onHand;
      const onHand = level.onHand + delta;
      if (onHand < level.reserved) {
        throw catalogErrors.insufficient_stock(
          `Only ${String(level.available)} of ${level.sku} at ${level.locationCode} are not reserved`,
          {
            field: input.countedQuantity === undefined ? 'delta' : 'countedQuantity',
            available: level.available,
          },
        );
      }
      await this.repository.setQuantities(ctx.tenantId, input.productId, location.id, { onHand }, now);
      const movement = this.movement(ctx, level, {
        kind: 'adjustment',
        reason: input.reason,
        delta,
        onHandAfter: onHand,
        reservedAfter: level.reserved,
        note: input.note ?? null,
        at: now,
      });
      await this.repository.insertMovements([movement]);
      const after = toStockLevel(withQuantities(level, onHand, level.reserved, now));
      await this.outbox.emit(
        stockAdjustedV1,
        {
          movementId: movement.id,
          reason: input.reason,
          delta,
          note: movement.note,
          actor: ctx.actor,
          level: snapshot(after),
          adjustedAt: now.toISOString(),
        },
        { ctx, aggregateId: input.productId },
      );
      await this.alerts.check(ctx, {
        ...level,
        availableBefore: level.available,
        onHand,
        reserved: level.reserved,
      });
      return { movement: toMovement(movement), level: after };
    });
  }

  /**
   * Puts sold goods back on hand (a cancelled order's restock): one adjustment with reason
   * `returned` per line, at the location the line was sold from, each with its audit row (naming
   * `reservationId`) and `catalog.stock.adjusted` event. Joins the caller's transaction; levels
   * are locked in one global order, like every other stock operation.
   */
  async restock(
    ctx: RequestContext,
    lines: readonly { productId: string; locationId: string; quantity: number }[],
    source: { reservationId: string; note: string },
  ): Promise<void> {
    await inTransaction(this.db, async () => {
      const now = this.clock.now();
      const ordered = [...lines].sort((a, b) =>
        a.productId === b.productId
          ? a.locationId.localeCompare(b.locationId)
          : a.productId.localeCompare(b.productId),
      );
      for (const line of ordered) {
        const level = await this.repository.lock(ctx.tenantId, line.productId, line.locationId, now);
        const onHand = level.onHand + line.quantity;
        await this.repository.setQuantities(ctx.tenantId, line.productId, line.locationId, { onHand }, now);
        const movement = {
          ...this.movement(ctx, level, {
            kind: 'adjustment',
            reason: 'returned',
            delta: line.quantity,
            onHandAfter: onHand,
            reservedAfter: level.reserved,
            note: source.note,
            at: now,
          }),
          reservationId: source.reservationId,
        };
        await this.repository.insertMovements([movement]);
        const after = toStockLevel(withQuantities(level, onHand, level.reserved, now));
        await this.outbox.emit(
          stockAdjustedV1,
          {
            movementId: movement.id,
            reason: 'returned',
            delta: line.quantity,
            note: movement.note,
            actor: ctx.actor,
            level: snapshot(after),
            adjustedAt: now.toISOString(),
          },
          { ctx, aggregateId: line.productId },
        );
      }
    });
  }

  /**
   * Moves unreserved stock between two locations: two audit rows sharing a transfer id, one
   * `catalog.stock.transferred` event (and `catalog.stock.low` if the source crossed its reorder point).
   */
  async transfer(ctx: RequestContext, input: TransferStockInput): Promise<TransferResult> {
    return inTransaction(this.db, async () => {
      await this.requireProduct(ctx, input.productId);
      const source = await this.locations.resolve(ctx, input.fromLocationId, 'fromLocationId');
      const target = await this.locations.resolve(ctx, input.toLocationId, 'toLocationId');
      if (!source || !target) throw new Error('named locations resolve or throw');
      const now = this.clock.now();
      // Rows are locked in one global order (by location id), so crossing transfers cannot deadlock.
      const [first, second] = [source.id, target.id].sort();
      const locked = new Map<string, LevelRecord>();
      for (const id of [first, second]) {
        if (id !== undefined)
          locked.set(id, await this.repository.lock(ctx.tenantId, input.productId, id, now));
      }
      const from = locked.get(source.id);
      const to = locked.get(target.id);
      if (!from || !to) throw new Error('both levels are locked');
      if (from.available < input.quantity) {
        throw catalogErrors.insufficient_stock(
          `Only ${String(from.available)} of ${from.sku} at ${from.locationCode} are not reserved`,
          { field: 'quantity', available: from.available },
        );
      }
      const fromOnHand = from.onHand - input.quantity;
      const toOnHand = to.onHand + input.quantity;
      await this.repository.setQuantities(
        ctx.tenantId,
        input.productId,
        source.id,
        { onHand: fromOnHand },
        now,
      );
      await this.repository.setQuantities(
        ctx.tenantId,
        input.productId,
        target.id,
        { onHand: toOnHand },
        now,
      );
      const transferId = newId('trf');
      const note = input.note ?? null;
      const movements = [
        this.movement(ctx, from, {
          kind: 'transfer_out',
          reason: 'transfer',
          delta: -input.quantity,
          onHandAfter: fromOnHand,
          reservedAfter: from.reserved,
          note,
          at: now,
          transferId,
        }),
        this.movement(ctx, to, {
          kind: 'transfer_in',
          reason: 'transfer',
          delta: input.quantity,
          onHandAfter: toOnHand,
          reservedAfter: to.reserved,
          note,
          at: now,
          transferId,
        }),
      ];
      await this.repository.insertMovements(movements);
      const fromAfter = toStockLevel(withQuantities(from, fromOnHand, from.reserved, now));
      const toAfter = toStockLevel(withQuantities(to, toOnHand, to.reserved, now));
      await this.outbox.emit(
        stockTransferredV1,
        {
          transferId,
          quantity: input.quantity,
          note,
          actor: ctx.actor,
          from: snapshot(fromAfter),
          to: snapshot(toAfter),
          transferredAt: now.toISOString(),
        },
        { ctx, aggregateId: input.productId },
      );
      await this.alerts.check(ctx, {
        ...from,
        availableBefore: from.available,
        onHand: fromOnHand,
        reserved: from.reserved,
      });
      return { transferId, movements: movements.map(toMovement), from: fromAfter, to: toAfter };
    });
  }

  /** Sets (or clears, with null) the reorder point of a product at a location. */
  async setReorderPoint(ctx: RequestContext, input: SetReorderPointInput): Promise<StockLevel> {
    try {
      return await this.setReorderPointOnce(ctx, input);
    } catch (error) {
      if (!isFirstLocationRace(error)) throw error;
      return this.setReorderPointOnce(ctx, input);
    }
  }

  private setReorderPointOnce(ctx: RequestContext, input: SetReorderPointInput): Promise<StockLevel> {
    return inTransaction(this.db, async () => {
      await this.requireProduct(ctx, input.productId);
      const location = await this.locations.resolveOrCreateDefault(ctx, input.locationId);
      const now = this.clock.now();
      const level = await this.repository.lock(ctx.tenantId, input.productId, location.id, now);
      await this.repository.setReorderPoint(
        ctx.tenantId,
        input.productId,
        location.id,
        input.reorderPoint,
        now,
      );
      return toStockLevel({ ...level, reorderPoint: input.reorderPoint, updatedAt: now });
    });
  }

  private async requireProduct(ctx: RequestContext, productId: string): Promise<void> {
    if (!(await this.products.find(ctx.tenantId, productId))) {
      throw catalogErrors.unknown_product(`No product ${productId} in this tenant`, { field: 'productId' });
    }
  }

  private movement(
    ctx: RequestContext,
    level: LevelRecord,
    change: {
      kind: StockMovementRow['kind'];
      reason: AdjustmentReason | 'transfer';
      delta: number;
      onHandAfter: number;
      reservedAfter: number;
      note: string | null;
      at: Date;
      transferId?: string;
    },
  ): StockMovementRow {
    return {
      id: newId('stm'),
      tenantId: ctx.tenantId,
      productId: level.productId,
      locationId: level.locationId,
      kind: change.kind,
      reason: change.reason,
      delta: change.delta,
      onHandBefore: level.onHand,
      onHandAfter: change.onHandAfter,
      reservedBefore: level.reserved,
      reservedAfter: change.reservedAfter,
      note: change.note,
      transferId: change.transferId ?? null,
      reservationId: null,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      occurredAt: change.at,
    };
  }
}
