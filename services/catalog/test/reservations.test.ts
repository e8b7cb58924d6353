// Reservations: reserve (all or nothing, idempotent per key), commit (sold: on hand goes down),
// release, and expiry — with the stock levels, audit rows and events each step leaves.
import { stockCommittedV1, stockReleasedV1, stockReservedV1 } from '@only/contracts/catalog';
import { systemContext } from '@only/platform/context';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lookupResultSchema } from '../src/modules/products/products.dto.ts';
import { reservationPageSchema, reservationSchema } from '../src/modules/reservations/reservations.dto.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { movementRows, rowCounts } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi({ settings: { reservationTtlSeconds: 600 } });
});

afterAll(async () => {
  await api.close();
});

describe('reserving stock', () => {
  it('holds every line at the default location and emits stock.reserved', async () => {
    const t = api.newTenant();
    const beans = await t.productWithStock(10);
    const mugs = await t.productWithStock(4);
    await t.skipEvents();

    const reservation = await t.reserve('ord_1', [
      { sku: beans.sku, quantity: 2 },
      { sku: mugs.sku, quantity: 1 },
      { sku: beans.sku, quantity: 1 },
    ]);

    expect(reservation).toMatchObject({
      reservationKey: 'ord_1',
      status: 'active',
      expiresAt: new Date(api.clock.now().getTime() + 600_000).toISOString(),
      closedAt: null,
      lines: [
        { sku: beans.sku, productId: beans.id, quantity: 3 },
        { sku: mugs.sku, productId: mugs.id, quantity: 1 },
      ],
    });
    expect(await t.stockOf(beans.id)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await t.stockOf(mugs.id)).toMatchObject({ onHand: 4, reserved: 1, available: 3 });
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([stockReservedV1.type]);
    expect(events[0]).toMatchObject({
      aggregateId: reservation.id,
      data: {
        reservationId: reservation.id,
        key: 'ord_1',
        lines: reservation.lines,
        expiresAt: reservation.expiresAt,
      },
    });
  });

  it('takes an explicit expiry and location', async () => {
    const t = api.newTenant();
    await t.createLocation('WH');
    const shop = await t.createLocation('SHOP');
    const product = await t.createProduct();
    await t.adjust(product.id, 3, { locationId: shop.id });
    const expiresAt = new Date(api.clock.now().getTime() + 60_000).toISOString();

    const reservation = await t.reserve('ord_2', [{ sku: product.sku, quantity: 3 }], {
      locationId: shop.id,
      expiresAt,
    });

    expect(reservation.expiresAt).toBe(expiresAt);
    expect(reservation.lines[0]?.locationId).toBe(shop.id);
    // Nothing at the default location: without a location the same request is short.
    expectProblem(
      await t.post('/reservations', { reservationKey: 'ord_3', lines: [{ sku: product.sku, quantity: 1 }] }),
      409,
      'catalog.out_of_stock',
    );
  });

  it('repeating a key with the same lines returns the first reservation (200) and reserves nothing more', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(5);
    const first = await t.reserve('ord_1', [{ sku: product.sku, quantity: 2 }]);
    await t.skipEvents();

    const again = await t.reserve('ord_1', [{ sku: product.sku, quantity: 2 }], {}, 200);

    expect(again).toEqual(first);
    expect(await t.stockOf(product.id)).toMatchObject({ reserved: 2, available: 3 });
    expect(await t.newEvents()).toEqual([]);
  });

  it('repeating a key with other lines is a 409, and nothing changes', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(5);
    await t.reserve('ord_1', [{ sku: product.sku, quantity: 2 }]);
    const problem = expectProblem(
      await t.post('/reservations', { reservationKey: 'ord_1', lines: [{ sku: product.sku, quantity: 3 }] }),
      409,
      'catalog.reservation_key_reused',
    );
    expect(problem).toMatchObject({ field: 'reservationKey' });
    expect(await t.stockOf(product.id)).toMatchObject({ reserved: 2 });
  });

  it('is all or nothing: a short line fails the request naming every short SKU, and nothing is held', async () => {
    const t = api.newTenant();
    const plenty = await t.productWithStock(50);
    const few = await t.productWithStock(2);
    const none = await t.createProduct();
    await t.skipEvents();
    const countsBefore = await rowCounts(api.db, t.tenantId);

    const problem = expectProblem(
      await t.post('/reservations', {
        reservationKey: 'ord_1',
        lines: [
          { sku: plenty.sku, quantity: 5 },
          { sku: few.sku, quantity: 3 },
          { sku: none.sku, quantity: 1 },
        ],
      }),
      409,
      'catalog.out_of_stock',
    );

    expect(problem).toMatchObject({
      skus: [few.sku, none.sku],
      lines: [
        { sku: few.sku, requested: 3, available: 2 },
        { sku: none.sku, requested: 1, available: 0 },
      ],
    });
    expect(await t.stockOf(plenty.id)).toMatchObject({ reserved: 0, available: 50 });
    expect(await rowCounts(api.db, t.tenantId)).toEqual(countsBefore);
    expect(await t.newEvents()).toEqual([]);
    // The key was not used up: a smaller order under it succeeds.
    await t.reserve('ord_1', [{ sku: plenty.sku, quantity: 5 }]);
  });

  it('unknown and unsellable SKUs are 422s naming them', async () => {
    const t = api.newTenant();
    const draft = await t.productWithStock(5, { status: 'draft' });
    const active = await t.productWithStock(5);
    expect(
      expectProblem(
        await t.post('/reservations', {
          reservationKey: 'k1',
          lines: [
            { sku: 'NOPE', quantity: 1 },
            { sku: active.sku, quantity: 1 },
          ],
        }),
        422,
        'catalog.unknown_skus',
      ),
    ).toMatchObject({ skus: ['NOPE'] });
    expect(
      expectProblem(
        await t.post('/reservations', { reservationKey: 'k2', lines: [{ sku: draft.sku, quantity: 1 }] }),
        422,
        'catalog.products_unavailable',
      ),
    ).toMatchObject({ skus: [draft.sku] });
    expect(await t.stockOf(active.id)).toMatchObject({ reserved: 0 });
  });

  it('validates the request, naming the field', async () => {
    const t = api.newTenant();
    expectValidationProblem(await t.post('/reservations', { reservationKey: 'k', lines: [] }), {
      field: 'lines',
      in: 'body',
      rule: 'too_small',
    });
    expectValidationProblem(
      await t.post('/reservations', { reservationKey: 'k', lines: [{ sku: 'A', quantity: 0 }] }),
      { field: 'lines[0].quantity', in: 'body', rule: 'too_small' },
    );
    expectValidationProblem(
      await t.post('/reservations', { reservationKey: ' ', lines: [{ sku: 'A', quantity: 1 }] }),
      {
        field: 'reservationKey',
        in: 'body',
      },
    );
    const product = await t.productWithStock(1);
    expectProblem(
      await t.post('/reservations', {
        reservationKey: 'k',
        lines: [{ sku: product.sku, quantity: 1 }],
        expiresAt: api.clock.now().toISOString(),
      }),
      422,
      'catalog.invalid_expiry',
    );
  });
});

describe('committing a reservation', () => {
  it('sells its stock: on hand and reserved go down, sale audit rows, stock.committed', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(10);
    const reservation = await t.reserve('ord_1', [{ sku: product.sku, quantity: 4 }]);
    await t.skipEvents();

    const committed = reservationSchema.parse(expectStatus(await t.post('/reservations/ord_1/commit'), 200));

    expect(committed).toMatchObject({ status: 'committed', closedAt: api.clock.now().toISOString() });
    expect(await t.stockOf(product.id)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    const sale = (await movementRows(api.db, product.id)).at(-1);
    expect(sale).toMatchObject({
      kind: 'sale',
      reason: 'sale',
      delta: -4,
      onHandBefore: 10,
      onHandAfter: 6,
      reservedBefore: 4,
      reservedAfter: 0,
      reservationId: reservation.id,
    });
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([stockCommittedV1.type]);
    expect(events[0]?.data).toMatchObject({
      reservationId: reservation.id,
      key: 'ord_1',
      lines: reservation.lines,
    });

    // Again: the same answer, nothing more sold.
    expect(reservationSchema.parse(expectStatus(await t.post('/reservations/ord_1/commit'), 200))).toEqual(
      committed,
    );
    expect(await t.stockOf(product.id)).toMatchObject({ onHand: 6 });
    expect(await t.newEvents()).toEqual([]);
    // A committed reservation cannot be released.
    expect(
      expectProblem(await t.post('/reservations/ord_1/release'), 409, 'catalog.reservation_not_active'),
    ).toMatchObject({ currentState: 'committed' });
  });
});

describe('releasing a reservation', () => {
  it('makes its stock available again and emits stock.released; again changes nothing; commit is refused', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(3);
    const reservation = await t.reserve('ord_1', [{ sku: product.sku, quantity: 3 }]);
    await t.skipEvents();

    const released = reservationSchema.parse(
      expectStatus(await t.post('/reservations/ord_1/release', { reason: 'payment_failed' }), 200),
    );

    expect(released).toMatchObject({
      status: 'released',
      closedAt: api.clock.now().toISOString(),
      closeReason: 'payment_failed',
    });
    expect(await t.stockOf(product.id)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([stockReleasedV1.type]);
    expect(events[0]?.data).toMatchObject({
      reservationId: reservation.id,
      reason: 'released',
      note: 'payment_failed',
    });
    expect(reservationSchema.parse(expectStatus(await t.post('/reservations/ord_1/release'), 200))).toEqual(
      released,
    );
    expect(await t.newEvents()).toEqual([]);
    expect(
      expectProblem(await t.post('/reservations/ord_1/commit'), 409, 'catalog.reservation_not_active'),
    ).toMatchObject({ currentState: 'released' });
    // Repeating the original reserve returns the released reservation: the key is spent.
    expect((await t.reserve('ord_1', [{ sku: product.sku, quantity: 3 }], {}, 200)).status).toBe('released');
  });

  it('an unknown key is a 404', async () => {
    const t = api.newTenant();
    expectProblem(await t.post('/reservations/ord_nothing/release'), 404, 'catalog.reservation_not_found');
    expectProblem(await t.post('/reservations/ord_nothing/commit'), 404, 'catalog.reservation_not_found');
    expectProblem(await t.get('/reservations/ord_nothing'), 404, 'catalog.reservation_not_found');
  });
});

describe('expiry', () => {
  it('the sweeper releases reservations past their expiry, with one event each, and no others', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(10);
    const soon = new Date(api.clock.now().getTime() + 60_000).toISOString();
    await t.reserve('ord_soon', [{ sku: product.sku, quantity: 2 }], { expiresAt: soon });
    await t.reserve('ord_later', [{ sku: product.sku, quantity: 3 }]);
    await t.skipEvents();

    expect(await api.module.sweeper.sweep()).toBe(0);
    api.clock.advance(60_000);
    // Past its expiry but not yet swept: it cannot be committed any more.
    expectProblem(await t.post('/reservations/ord_soon/commit'), 409, 'catalog.reservation_expired');

    await api.module.sweeper.sweep();

    expect(reservationSchema.parse(expectStatus(await t.get('/reservations/ord_soon'), 200))).toMatchObject({
      status: 'expired',
      closedAt: api.clock.now().toISOString(),
    });
    expect(reservationSchema.parse(expectStatus(await t.get('/reservations/ord_later'), 200)).status).toBe(
      'active',
    );
    expect(await t.stockOf(product.id)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    const events = await t.newEvents();
    expect(
      events.map((e) => [
        e.type,
        (e.data as { key: string; reason: string }).key,
        (e.data as { reason: string }).reason,
      ]),
    ).toEqual([[stockReleasedV1.type, 'ord_soon', 'expired']]);
    expect(events[0]).toMatchObject({ tenantId: t.tenantId });
    // A second sweep finds nothing; releasing an expired reservation changes nothing.
    expect(await api.module.sweeper.sweep()).toBe(0);
    expect(
      reservationSchema.parse(expectStatus(await t.post('/reservations/ord_soon/release'), 200)).status,
    ).toBe('expired');
    expect(await t.newEvents()).toEqual([]);
  });

  it('started with the module, the sweeper runs on its own until stopped', async () => {
    const own = await startCatalogApi({ settings: { sweepIntervalMs: 20 } });
    try {
      const t = own.newTenant();
      const product = await t.productWithStock(1);
      await t.reserve('ord_1', [{ sku: product.sku, quantity: 1 }], {
        expiresAt: new Date(own.clock.now().getTime() + 1_000).toISOString(),
      });
      own.clock.advance(1_000);

      await own.module.start();
      await vi.waitFor(
        async () => {
          expect((await t.stockOf(product.id)).reserved).toBe(0);
        },
        { timeout: 10_000, interval: 20 },
      );
      await own.module.stop();

      expect(reservationSchema.parse(expectStatus(await t.get('/reservations/ord_1'), 200)).status).toBe(
        'expired',
      );
    } finally {
      await own.close();
    }
  });
});

describe('the reservation list', () => {
  it('is newest first, filtered by status', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(10);
    await t.reserve('a', [{ sku: product.sku, quantity: 1 }]);
    await t.reserve('b', [{ sku: product.sku, quantity: 1 }]);
    await t.post('/reservations/a/release');
    const all = reservationPageSchema.parse(expectStatus(await t.get('/reservations'), 200));
    expect(all.items.map((r) => r.reservationKey)).toEqual(['b', 'a']);
    const active = reservationPageSchema.parse(
      expectStatus(await t.get('/reservations', { query: { status: 'active' } }), 200),
    );
    expect(active.items.map((r) => r.reservationKey)).toEqual(['b']);
  });
});

describe('looking products up for an order', () => {
  it('gives price, tax class, status and what is available (everywhere or at a location); lists the missing', async () => {
    const t = api.newTenant();
    const beans = await t.productWithStock(10, {
      price: { amount: 1290, currency: 'EUR' },
      taxClass: 'reduced',
    });
    const shop = await t.createLocation('SHOP');
    await t.adjust(beans.id, 5, { locationId: shop.id });
    const mug = await t.productWithStock(4, { status: 'draft' });
    await t.reserve('ord_1', [{ sku: beans.sku, quantity: 3 }]);

    const result = lookupResultSchema.parse(
      expectStatus(await t.get('/products/lookup', { query: { skus: `${beans.sku},${mug.sku},NOPE` } }), 200),
    );

    expect(result.missing).toEqual(['NOPE']);
    const byId = new Map(result.items.map((item) => [item.id, item]));
    expect(result.items).toHaveLength(2);
    expect(byId.get(beans.id)).toEqual({
      id: beans.id,
      sku: beans.sku,
      name: beans.name,
      price: { amount: 1290, currency: 'EUR' },
      taxClass: 'reduced',
      status: 'active',
      available: 12,
      locationId: null,
      updatedAt: beans.updatedAt,
    });
    expect(byId.get(mug.id)).toMatchObject({ status: 'draft', available: 4 });
    const atShop = lookupResultSchema.parse(
      expectStatus(await t.get('/products/lookup', { query: { ids: beans.id, locationId: shop.id } }), 200),
    );
    expect(atShop.items).toEqual([expect.objectContaining({ available: 5, locationId: shop.id })]);
    const both = await api.module.products.getProducts(systemContext(t.tenantId, 'test'), {
      skus: [beans.sku],
      ids: [mug.id, 'prd_01jd5x3b2kf9v8s7w6q4r2m1n0'],
    });
    expect(both.items.map((p) => p.id).sort()).toEqual([beans.id, mug.id].sort());
    expect(both.missing).toEqual(['prd_01jd5x3b2kf9v8s7w6q4r2m1n0']);
  });

  it('a tenant without any location has nothing available', async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    const result = lookupResultSchema.parse(
      expectStatus(await t.get('/products/lookup', { query: { ids: product.id } }), 200),
    );
    expect(result.items).toEqual([expect.objectContaining({ available: 0, locationId: null })]);
    expectValidationProblem(await t.get('/products/lookup'), {
      field: 'skus',
      in: 'query',
      rule: 'required',
    });
  });
});

describe('the service operations the internal RPC wraps', () => {
  it('check their input like the HTTP API does: a 400 naming the field, nothing reserved', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(5);
    const ctx = systemContext(t.tenantId, 'rpc');
    const attempt = api.module.reservations.reserveStock(ctx, {
      reservationKey: 'ord_1',
      lines: [{ sku: product.sku, quantity: 0 }],
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'platform.validation_failed',
      extensions: { errors: [expect.objectContaining({ field: 'lines[0].quantity', rule: 'too_small' })] },
    });
    await expect(
      api.module.products.getProducts(ctx, { skus: Array.from({ length: 501 }, (_, i) => `S${String(i)}`) }),
    ).rejects.toMatchObject({ code: 'platform.validation_failed' });
    expect(await t.stockOf(product.id)).toMatchObject({ reserved: 0 });
  });
});
