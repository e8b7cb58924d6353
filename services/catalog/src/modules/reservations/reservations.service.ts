import { stockCommittedV1, stockReleasedV1, stockReservedV1 } from '@only/contracts/catalog';
import type { Clock } from '@only/platform/clock';
import { systemContext, type RequestContext } from '@only/platform/context';
import { inTransaction, withAllTenantsScope, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { validationError, zodIssuesToViolations } from '@only/platform/errors';
import { z } from 'zod';
import { catalogErrors } from '../../errors.ts';
import type { LocationsService } from '../locations/locations.service.ts';
import type { ProductsRepository } from '../products/products.repository.ts';
import type { LowStockAlerts } from '../stock/low-stock.ts';
import type { StockRepository } from '../stock/stock.repository.ts';
import type { StockService } from '../stock/stock.service.ts';
import type { StockMovementRow } from '../stock/stock.table.ts';
import {
  reserveStockInputSchema,
  toReservation,
  type ListReservationsQuery,
  type Reservation,
  type ReservationRecord,
} from './reservations.dto.ts';
import type { ReservationsRepository } from './reservations.repository.ts';
import type { ReservationLineRow } from './reservations.table.ts';

/** One line of a reservation request. */
export interface ReserveLine {
  readonly sku: string;
  readonly quantity: number;
}

/** What {@link ReservationsService.reserveStock} takes: the operation the RPC `ReserveStock` wraps. */
export interface ReserveStockInput {
  /** The caller's key, normally the order id: one reservation per key and tenant. */
  readonly reservationKey: string;
  /** Lines of the same SKU are added together. */
  readonly lines: readonly ReserveLine[];
  /** Where to reserve; the tenant's default location when absent. */
  readonly locationId?: string;
  /** When the reservation lapses unless committed; now + the service's reservation TTL when absent. */
  readonly expiresAt?: Date;
}

/** What {@link ReservationsService.reserveStock} returns. */
export interface ReserveStockResult {
  readonly reservation: Reservation;
  /** False when the key had been reserved before with the same lines: that reservation, unchanged. */
  readonly created: boolean;
}

/** Longest a reservation may be held. */
const MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const cursorSchema = z.object({ id: z.string() });

function notFound(key: string) {
  return catalogErrors.reservation_not_found(`No reservation ${key}`);
}

/** Lines of one SKU added together, in the order SKUs first appear. */
function mergeLines(lines: readonly ReserveLine[]): ReserveLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Stock levels are locked in this order by every operation, so that none can deadlock another. */
function byLevel<T extends { productId: string; locationId: string }>(a: T, b: T): number {
  return a.productId === b.productId
    ? a.locationId.localeCompare(b.locationId)
    : a.productId.localeCompare(b.productId);
}

/**
 * Stock reservations for orders: reserve (all lines or none, never overselling, idempotent per
 * key), release, commit (sold: leaves on-hand stock), and the expiry of reservations nobody
 * committed or released in time. These are the operations the catalog RPC exposes.
 */
export class ReservationsService {
  private readonly db: Database;
  private readonly repository: ReservationsRepository;
  private readonly stock: StockRepository;
  private readonly restock: Pick<StockService, 'restock'>;
  private readonly products: ProductsRepository;
  private readonly locations: LocationsService;
  private readonly alerts: LowStockAlerts;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(deps: {
    db: Database;
    repository: ReservationsRepository;
    stock: StockRepository;
    /** Puts returned goods back on hand (with audit rows and events). */
    restock: Pick<StockService, 'restock'>;
    products: ProductsRepository;
    locations: LocationsService;
    alerts: LowStockAlerts;
    outbox: Outbox;
    clock: Clock;
    /** How long a reservation is held when the caller gives no expiry. */
    ttlSeconds: number;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.stock = deps.stock;
    this.restock = deps.restock;
    this.products = deps.products;
    this.locations = deps.locations;
    this.alerts = deps.alerts;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.ttlMs = deps.ttlSeconds * 1000;
  }

  /**
   * Reserves every line at one location, or nothing: a line asking for more than is available
   * fails the whole reservation with `catalog.out_of_stock`, naming every short SKU. Repeating a
   * key with the same lines returns the first reservation (whatever its state now) instead of
   * reserving twice; with other lines it is `catalog.reservation_key_reused`. Emits
   * `catalog.stock.reserved`, and `catalog.stock.low` for each level that crossed its reorder point.
   */
  async reserveStock(ctx: RequestContext, request: ReserveStockInput): Promise<ReserveStockResult> {
    const checked = reserveStockInputSchema.safeParse(request, { reportInput: true });
    if (!checked.success) throw validationError(zodIssuesToViolations(checked.error.issues, 'body'));
    const input: ReserveStockInput = checked.data;
    const lines = mergeLines(input.lines);
    return inTransaction(this.db, async () => {
      const now = this.clock.now();
      const expiresAt = input.expiresAt ?? new Date(now.getTime() + this.ttlMs);
      const claimed = await this.repository.claim({
        id: newId('rsv'),
        tenantId: ctx.tenantId,
        key: input.reservationKey,
        status: 'active',
        expiresAt,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closeReason: null,
      });
      if (!claimed) return { reservation: await this.replay(ctx, input, lines), created: false };

      if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() - now.getTime() > MAX_TTL_MS) {
        throw catalogErrors.invalid_expiry('expiresAt must be in the future and within 30 days', {
          field: 'expiresAt',
        });
      }
      const location = await this.locations.resolve(ctx, input.locationId);
      const found = await this.products.findMany(ctx.tenantId, { skus: lines.map((l) => l.sku) });
      const bySku = new Map(found.map((product) => [product.sku, product]));
      const unknown = lines.filter((line) => !bySku.has(line.sku)).map((line) => line.sku);
      if (unknown.length > 0) {
        throw catalogErrors.unknown_skus(`No product with SKU ${unknown.join(', ')}`, {
          field: 'lines',
          skus: unknown,
        });
      }
      const unsellable = found.filter((product) => product.status !== 'active').map((product) => product.sku);
      if (unsellable.length > 0) {
        throw catalogErrors.products_unavailable(`Not for sale: ${unsellable.join(', ')}`, {
          field: 'lines',
          skus: unsellable,
        });
      }

      const rows: ReservationLineRow[] = lines.map((line, index) => {
        const product = bySku.get(line.sku);
        if (!product) throw new Error('product resolved above');
        return {
          tenantId: ctx.tenantId,
          reservationId: claimed.id,
          position: index + 1,
          productId: product.id,
          sku: line.sku,
          // A tenant without any location has nothing to reserve: every line is short below.
          locationId: location?.id ?? '',
          quantity: line.quantity,
        };
      });
      const short: { sku: string; requested: number; available: number }[] = [];
      const reservedLevels: {
        row: ReservationLineRow;
        onHand: number;
        reserved: number;
        reorderPoint: number | null;
      }[] = [];
      for (const row of [...rows].sort(byLevel)) {
        const after =
          location === undefined
            ? undefined
            : await this.stock.reserve(ctx.tenantId, row.productId, row.locationId, row.quantity, now);
        if (after) reservedLevels.push({ row, ...after });
        else
          short.push({ sku: row.sku, requested: row.quantity, available: await this.availableOf(ctx, row) });
      }
      if (short.length > 0) {
        // Thrown inside the transaction: every line reserved above is rolled back with it.
        const order = new Map(lines.map((line, index) => [line.sku, index]));
        short.sort((a, b) => (order.get(a.sku) ?? 0) - (order.get(b.sku) ?? 0));
        throw catalogErrors.out_of_stock(
          short
            .map((s) => `${s.sku}: ${String(s.requested)} requested, ${String(s.available)} available`)
            .join('; '),
          { skus: short.map((s) => s.sku), lines: short },
        );
      }
      await this.repository.insertLines(rows);
      const reservation = toReservation({ ...claimed, lines: rows });
      await this.outbox.emit(
        stockReservedV1,
        {
          reservationId: reservation.id,
          key: reservation.reservationKey,
          lines: reservation.lines,
          expiresAt: reservation.expiresAt,
        },
        { ctx, aggregateId: reservation.id },
      );
      const names = new Map(found.map((product) => [product.id, product.name]));
      for (const { row, onHand, reserved, reorderPoint } of reservedLevels) {
        await this.alerts.check(ctx, {
          productId: row.productId,
          sku: row.sku,
          productName: names.get(row.productId) ?? row.sku,
          locationId: row.locationId,
          availableBefore: onHand - reserved + row.quantity,
          onHand,
          reserved,
          reorderPoint,
        });
      }
      return { reservation, created: true };
    });
  }

  /**
   * Releases an active reservation: its stock is available again; emits `catalog.stock.released`.
   * Releasing a released or expired reservation changes nothing; a committed (or returned) one
   * cannot be released.
   */
  async releaseReservation(
    ctx: RequestContext,
    reservationKey: string,
    options: { reason?: string } = {},
  ): Promise<Reservation> {
    return inTransaction(this.db, async () => {
      const current = await this.repository.findByKey(ctx.tenantId, reservationKey, { forUpdate: true });
      if (!current) throw notFound(reservationKey);
      if (current.status === 'released' || current.status === 'expired') return toReservation(current);
      if (current.status === 'committed' || current.status === 'returned') {
        throw catalogErrors.reservation_not_active(
          `Reservation ${reservationKey} is ${current.status}; it cannot be released`,
          {
            currentState: current.status,
          },
        );
      }
      return this.close(ctx, current, 'released', options.reason ?? null);
    });
  }

  /**
   * Commits an active, unexpired reservation: its quantities are sold, leaving reserved and on-hand
   * stock (audit rows of kind `sale`); emits `catalog.stock.committed`. Committing again changes
   * nothing; a released or expired reservation cannot be committed.
   */
  async commitReservation(ctx: RequestContext, reservationKey: string): Promise<Reservation> {
    return inTransaction(this.db, async () => {
      const current = await this.repository.findByKey(ctx.tenantId, reservationKey, { forUpdate: true });
      if (!current) throw notFound(reservationKey);
      if (current.status === 'committed') return toReservation(current);
      if (current.status !== 'active') {
        throw catalogErrors.reservation_not_active(
          `Reservation ${reservationKey} is ${current.status}; it cannot be committed`,
          {
            currentState: current.status,
          },
        );
      }
      const now = this.clock.now();
      if (current.expiresAt.getTime() <= now.getTime()) {
        throw catalogErrors.reservation_expired(
          `Reservation ${reservationKey} expired at ${current.expiresAt.toISOString()}`,
          {
            currentState: 'expired',
          },
        );
      }
      const movements: StockMovementRow[] = [];
      for (const line of [...current.lines].sort(byLevel)) {
        const after = await this.stock.consumeReserved(
          ctx.tenantId,
          line.productId,
          line.locationId,
          line.quantity,
          now,
        );
        movements.push({
          id: newId('stm'),
          tenantId: ctx.tenantId,
          productId: line.productId,
          locationId: line.locationId,
          kind: 'sale',
          reason: 'sale',
          delta: -line.quantity,
          onHandBefore: after.onHand + line.quantity,
          onHandAfter: after.onHand,
          reservedBefore: after.reserved + line.quantity,
          reservedAfter: after.reserved,
          note: `Reservation ${current.key}`,
          transferId: null,
          reservationId: current.id,
          actorType: ctx.actor.type,
          actorId: ctx.actor.id,
          occurredAt: now,
        });
      }
      await this.stock.insertMovements(movements);
      const closed = await this.repository.close(ctx.tenantId, current.id, 'committed', now, null);
      const reservation = toReservation({ ...closed, lines: current.lines });
      await this.outbox.emit(
        stockCommittedV1,
        {
          reservationId: reservation.id,
          key: reservation.reservationKey,
          lines: reservation.lines,
          committedAt: now.toISOString(),
        },
        { ctx, aggregateId: reservation.id },
      );
      return reservation;
    });
  }

  /**
   * Returns a committed reservation: its order was cancelled after the goods were sold, so each
   * line goes back on hand where it was taken from (an adjustment with reason `returned`, audit
   * row and `catalog.stock.adjusted` event per line) and the reservation becomes `returned`.
   * Returning again changes nothing; a reservation that was never committed cannot be returned
   * (an active one is released instead).
   */
  async returnReservation(
    ctx: RequestContext,
    reservationKey: string,
    options: { reason?: string } = {},
  ): Promise<Reservation> {
    return inTransaction(this.db, async () => {
      const current = await this.repository.findByKey(ctx.tenantId, reservationKey, { forUpdate: true });
      if (!current) throw notFound(reservationKey);
      if (current.status === 'returned') return toReservation(current);
      if (current.status !== 'committed') {
        throw catalogErrors.reservation_not_active(
          `Reservation ${reservationKey} is ${current.status}; only a committed one can be returned`,
          { currentState: current.status },
        );
      }
      await this.restock.restock(ctx, current.lines, {
        reservationId: current.id,
        note: `Reservation ${current.key} returned`,
      });
      const returned = await this.repository.markReturned(
        ctx.tenantId,
        current.id,
        this.clock.now(),
        options.reason ?? null,
      );
      return toReservation({ ...returned, lines: current.lines });
    });
  }

  async get(ctx: RequestContext, reservationKey: string): Promise<Reservation> {
    const row = await this.repository.findByKey(ctx.tenantId, reservationKey);
    if (!row) throw notFound(reservationKey);
    return toReservation(row);
  }

  async list(
    ctx: RequestContext,
    query: ListReservationsQuery,
  ): Promise<{ items: Reservation[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(
      ctx.tenantId,
      query.status === undefined ? {} : { statuses: query.status },
      { limit: query.limit, afterId: after },
    );
    return toPage(rows, query.limit, toReservation, (row) => ({ id: row.id }));
  }

  /**
   * Releases up to `limit` reservations of any tenant whose expiry has passed, one transaction
   * each, with a `catalog.stock.released` event (reason `expired`) per reservation. Safe to run
   * in several replicas at once. Returns how many it released.
   */
  async expireDue(limit = 100): Promise<number> {
    let released = 0;
    while (released < limit) {
      // A platform job across tenants: row-level security lets it see every tenant's rows.
      const done = await withAllTenantsScope(() =>
        inTransaction(this.db, async () => {
          const row = await this.repository.claimExpired(this.clock.now());
          if (!row) return false;
          const ctx = systemContext(row.tenantId, `reservation-expiry:${row.id}`);
          const lines = await this.repository.linesOf(row.tenantId, [row.id]);
          await this.close(ctx, { ...row, lines }, 'expired', null);
          return true;
        }),
      );
      if (!done) break;
      released += 1;
    }
    return released;
  }

  /** Hands an active reservation's stock back and closes it as released or expired. */
  private async close(
    ctx: RequestContext,
    current: ReservationRecord,
    status: 'released' | 'expired',
    reason: string | null,
  ): Promise<Reservation> {
    const now = this.clock.now();
    for (const line of [...current.lines].sort(byLevel)) {
      await this.stock.unreserve(ctx.tenantId, line.productId, line.locationId, line.quantity, now);
    }
    const closed = await this.repository.close(ctx.tenantId, current.id, status, now, reason);
    const reservation = toReservation({ ...closed, lines: current.lines });
    await this.outbox.emit(
      stockReleasedV1,
      {
        reservationId: reservation.id,
        key: reservation.reservationKey,
        lines: reservation.lines,
        reason: status,
        note: reason,
        releasedAt: now.toISOString(),
      },
      { ctx, aggregateId: reservation.id },
    );
    return reservation;
  }

  /** The existing reservation of a repeated key, if the repeat asks for the same lines. */
  private async replay(
    ctx: RequestContext,
    input: ReserveStockInput,
    lines: ReserveLine[],
  ): Promise<Reservation> {
    const existing = await this.repository.findByKey(ctx.tenantId, input.reservationKey);
    if (!existing) throw new Error(`reservation ${input.reservationKey} vanished`);
    const stored = new Map(existing.lines.map((line) => [line.sku, line.quantity]));
    const same =
      stored.size === lines.length &&
      lines.every((line) => stored.get(line.sku) === line.quantity) &&
      (input.locationId === undefined ||
        existing.lines.every((line) => line.locationId === input.locationId));
    if (!same) {
      throw catalogErrors.reservation_key_reused(
        `Reservation ${input.reservationKey} exists with other lines`,
        { field: 'reservationKey', reservation: toReservation(existing) },
      );
    }
    return toReservation(existing);
  }

  private async availableOf(ctx: RequestContext, line: ReservationLineRow): Promise<number> {
    if (line.locationId === '') return 0;
    const level = await this.stock.find(ctx.tenantId, line.productId, line.locationId);
    return Math.max(0, level?.available ?? 0);
  }
}
