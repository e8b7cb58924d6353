// The invariant: concurrent orders never oversell. Runs on PGlite, and on real PostgreSQL (where
// transactions truly run in parallel) when DATABASE_URL is set — see @only/testing.
import { stockLowV1, stockReleasedV1, stockReservedV1 } from '@only/contracts/catalog';
import { systemContext } from '@only/platform/context';
import { isAppError } from '@only/platform/errors';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservations, stockLevels } from '../src/db/schema.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { levelRow } from './support/db.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

/** The product's only stock level (at the default location). */
async function levelOf(productId: string) {
  const [row] = await api.db.select().from(stockLevels).where(eq(stockLevels.productId, productId));
  if (!row) throw new Error(`no stock level for ${productId}`);
  return row;
}

describe(`concurrent reservations (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('50 orders for 1 unit each on the last 10 units: exactly 10 succeed, 0 left, never negative', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(10);
    await t.put('/stock/reorder-points', { productId: product.id, reorderPoint: 3 });
    const ctx = systemContext(t.tenantId, 'oversell');

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        api.module.reservations.reserveStock(ctx, {
          reservationKey: `ord_${String(i)}`,
          lines: [{ sku: product.sku, quantity: 1 }],
        }),
      ),
    );

    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(succeeded).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const error of failed) {
      expect(isAppError(error) && error.code).toBe('catalog.out_of_stock');
    }
    expect(await levelOf(product.id)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const stored = await api.db.$count(reservations, eq(reservations.tenantId, t.tenantId));
    expect(stored).toBe(10);
    expect(await t.events(stockReservedV1.type)).toHaveLength(10);
    // Crossing 3 happened once, whichever request did it.
    expect(await t.events(stockLowV1.type)).toHaveLength(1);

    // Selling all ten leaves exactly nothing.
    const keys = succeeded.map((o) => o.value.reservation.reservationKey);
    await Promise.all(keys.map((key) => api.module.reservations.commitReservation(ctx, key)));
    expect(await levelOf(product.id)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
  });

  it('all or nothing under contention: orders for two SKUs never hold one without the other', async () => {
    const t = api.newTenant();
    const scarce = await t.productWithStock(10);
    const plenty = await t.productWithStock(30);

    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.post('/reservations', {
          reservationKey: `ord_${String(i)}`,
          // Opposite line orders on purpose: the service must lock rows in one order to never deadlock.
          lines:
            i % 2 === 0
              ? [
                  { sku: scarce.sku, quantity: 1 },
                  { sku: plenty.sku, quantity: 1 },
                ]
              : [
                  { sku: plenty.sku, quantity: 1 },
                  { sku: scarce.sku, quantity: 1 },
                ],
        }),
      ),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20);
    expect(await levelOf(scarce.id)).toMatchObject({ reserved: 10, available: 0 });
    expect(await levelOf(plenty.id)).toMatchObject({ reserved: 10, available: 20 });
  });

  it('the same key sent 20 times at once reserves once', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(100);
    const ctx = systemContext(t.tenantId, 'same-key');

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.module.reservations.reserveStock(ctx, {
          reservationKey: 'ord_once',
          lines: [{ sku: product.sku, quantity: 3 }],
        }),
      ),
    );

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.reservation.id)).size).toBe(1);
    expect(await levelOf(product.id)).toMatchObject({ reserved: 3, available: 97 });
    expect(await t.events(stockReservedV1.type)).toHaveLength(1);
  });

  it('sweepers running side by side release every expired reservation exactly once', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(30);
    const ctx = systemContext(t.tenantId, 'sweepers');
    const expiresAt = new Date(api.clock.now().getTime() + 1_000);
    for (let i = 0; i < 30; i++) {
      await api.module.reservations.reserveStock(ctx, {
        reservationKey: `ord_${String(i)}`,
        lines: [{ sku: product.sku, quantity: 1 }],
        expiresAt,
      });
    }
    api.clock.advance(1_000);

    const counts = await Promise.all([1, 2, 3].map(() => api.module.reservations.expireDue(100)));

    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(30);
    expect(await levelOf(product.id)).toMatchObject({ onHand: 30, reserved: 0, available: 30 });
    const released = await t.events(stockReleasedV1.type);
    expect(new Set(released.map((e) => e.aggregateId)).size).toBe(30);
    expect(released).toHaveLength(30);
  });

  it('the database itself refuses negative stock and more reserved than on hand', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(2);
    const where = sql`${stockLevels.productId} = ${product.id}`;
    const violation = (work: Promise<unknown>) =>
      work.then(
        () => 'accepted',
        (error: unknown) => (error as { cause?: { code?: string } }).cause?.code,
      );

    expect(await violation(api.db.update(stockLevels).set({ onHand: -1, reserved: 0 }).where(where))).toBe(
      '23514',
    );
    expect(await violation(api.db.update(stockLevels).set({ reserved: 3 }).where(where))).toBe('23514');
    expect(await violation(api.db.update(stockLevels).set({ reserved: -1 }).where(where))).toBe('23514');
    const [level] = await api.db.select().from(stockLevels).where(where);
    expect(level).toMatchObject({ onHand: 2, reserved: 0 });
    expect(await levelRow(api.db, product.id, level?.locationId ?? '')).toMatchObject({ available: 2 });
  });
});
