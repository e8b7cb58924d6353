// Stock per location: adjustments and transfers with their audit trail (who, when, why, before
// and after), locations with one default, reorder points and low-stock events once per crossing.
import { stockAdjustedV1, stockLowV1, stockTransferredV1 } from '@only/contracts/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationPageSchema, locationSchema } from '../src/modules/locations/locations.dto.ts';
import {
  movementPageSchema,
  stockLevelPageSchema,
  stockLevelSchema,
  transferResultSchema,
} from '../src/modules/stock/stock.dto.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { levelRow, movementRows } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

describe('locations', () => {
  it('the first becomes the default; making another the default moves the flag', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('wh');
    const shop = await t.createLocation('SHOP');
    expect(warehouse).toMatchObject({ code: 'WH', isDefault: true, active: true });
    expect(shop.isDefault).toBe(false);

    const changed = locationSchema.parse(
      expectStatus(await t.patch(`/locations/${shop.id}`, { isDefault: true }), 200),
    );

    expect(changed.isDefault).toBe(true);
    const all = locationPageSchema.parse(expectStatus(await t.get('/locations'), 200));
    expect(all.items.map((l) => [l.code, l.isDefault])).toEqual([
      ['WH', false],
      ['SHOP', true],
    ]);
  });

  it('the default cannot be deactivated, codes are unique', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('WH');
    expectProblem(
      await t.patch(`/locations/${warehouse.id}`, { active: false }),
      409,
      'catalog.default_location_required',
    );
    expectProblem(
      await t.post('/locations', { code: 'wh', name: 'Again' }),
      409,
      'catalog.location_code_taken',
    );
    expectValidationProblem(await t.patch(`/locations/${warehouse.id}`, { isDefault: false }), {
      field: 'isDefault',
      in: 'body',
    });
  });

  it("a tenant's first adjustment without a location creates its default location", async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    const result = await t.adjust(product.id, 5);
    const all = locationPageSchema.parse(expectStatus(await t.get('/locations'), 200));
    expect(all.items).toEqual([
      expect.objectContaining({ code: 'MAIN', isDefault: true, id: result.level.locationId }),
    ]);
  });
});

describe('adjustments', () => {
  it('change on hand, write an audit row with who, when, why, before and after, and emit stock.adjusted', async () => {
    const t = api.newTenant();
    const location = await t.createLocation('WH');
    const product = await t.createProduct();
    await t.adjust(product.id, 10);
    await t.skipEvents();
    api.clock.advance(1_000);

    const response = await t.post(
      '/stock/adjustments',
      { productId: product.id, locationId: location.id, reason: 'damaged', delta: -3, note: 'Dropped a box' },
      { userId: 'usr_clerk' },
    );

    const result = expectStatus<{ movement: unknown; level: unknown }>(response, 201);
    expect(result.level).toMatchObject({ onHand: 7, reserved: 0, available: 7, locationCode: 'WH' });
    const rows = await movementRows(api.db, product.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      tenantId: t.tenantId,
      locationId: location.id,
      kind: 'adjustment',
      reason: 'damaged',
      delta: -3,
      onHandBefore: 10,
      onHandAfter: 7,
      reservedBefore: 0,
      reservedAfter: 0,
      note: 'Dropped a box',
      actorType: 'user',
      actorId: 'usr_clerk',
      occurredAt: api.clock.now(),
    });
    expect(await levelRow(api.db, product.id, location.id)).toMatchObject({
      onHand: 7,
      reserved: 0,
      available: 7,
    });
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([stockAdjustedV1.type]);
    expect(events[0]).toMatchObject({
      aggregateId: product.id,
      data: {
        movementId: rows[1]?.id,
        reason: 'damaged',
        delta: -3,
        note: 'Dropped a box',
        actor: { type: 'user', id: 'usr_clerk' },
        level: {
          productId: product.id,
          sku: product.sku,
          locationId: location.id,
          onHand: 7,
          reserved: 0,
          available: 7,
        },
      },
    });
  });

  it('a count sets the counted quantity; the difference is recorded', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(20);
    const response = await t.post('/stock/adjustments', {
      productId: product.id,
      reason: 'count',
      countedQuantity: 17,
    });
    expect(expectStatus(response, 201)).toMatchObject({
      movement: { reason: 'count', delta: -3, onHandBefore: 20, onHandAfter: 17 },
      level: { onHand: 17 },
    });
  });

  it.each([
    ['received with a negative delta', { reason: 'received', delta: -1 }, 'delta', 'positive'],
    ['damaged with a positive delta', { reason: 'damaged', delta: 2 }, 'delta', 'negative'],
    ['a zero delta', { reason: 'correction', delta: 0 }, 'delta', 'not_zero'],
    ['a count without the counted quantity', { reason: 'count' }, 'countedQuantity', 'required'],
    ['a count with a delta', { reason: 'count', countedQuantity: 1, delta: 1 }, 'delta', 'not_allowed'],
    ['an unknown reason', { reason: 'stolen', delta: -1 }, 'reason', 'one_of'],
  ] as const)('rejects %s with a 400 naming the field', async (_, body, field, rule) => {
    const t = api.newTenant();
    const product = await t.createProduct();
    expectValidationProblem(await t.post('/stock/adjustments', { productId: product.id, ...body }), {
      field,
      in: 'body',
      rule,
    });
    expect(await movementRows(api.db, product.id)).toEqual([]);
  });

  it('cannot take on hand below what is reserved: 409 naming what is available, nothing changed', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(10);
    await t.reserve('ord-1', [{ sku: product.sku, quantity: 8 }]);
    await t.skipEvents();

    const problem = expectProblem(
      await t.post('/stock/adjustments', { productId: product.id, reason: 'lost', delta: -3 }),
      409,
      'catalog.insufficient_stock',
    );

    expect(problem).toMatchObject({ available: 2, field: 'delta' });
    expect((await t.stockOf(product.id)).levels[0]).toMatchObject({ onHand: 10, reserved: 8, available: 2 });
    expect(await movementRows(api.db, product.id)).toHaveLength(1);
    expect(await t.newEvents()).toEqual([]);
  });

  it('a product or location of another tenant is a 422 naming the field', async () => {
    const t = api.newTenant();
    const other = api.newTenant();
    const foreignProduct = await other.createProduct();
    const foreignLocation = await other.createLocation('X');
    const mine = await t.createProduct();
    expectProblem(
      await t.post('/stock/adjustments', { productId: foreignProduct.id, reason: 'received', delta: 1 }),
      422,
      'catalog.unknown_product',
    );
    const problem = expectProblem(
      await t.post('/stock/adjustments', {
        productId: mine.id,
        locationId: foreignLocation.id,
        reason: 'received',
        delta: 1,
      }),
      422,
      'catalog.unknown_location',
    );
    expect(problem).toMatchObject({ field: 'locationId' });
    expect(await movementRows(api.db, foreignProduct.id)).toEqual([]);
  });
});

describe('transfers', () => {
  it('move unreserved stock between locations with two audit rows and one event', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('WH');
    const shop = await t.createLocation('SHOP');
    const product = await t.productWithStock(10);
    await t.skipEvents();

    const response = await t.post('/stock/transfers', {
      productId: product.id,
      fromLocationId: warehouse.id,
      toLocationId: shop.id,
      quantity: 4,
      note: 'Shelves',
    });

    const result = transferResultSchema.parse(expectStatus(response, 201));
    expect(result.from).toMatchObject({ locationId: warehouse.id, onHand: 6, available: 6 });
    expect(result.to).toMatchObject({ locationId: shop.id, onHand: 4, available: 4 });
    const rows = (await movementRows(api.db, product.id)).filter((row) => row.transferId !== null);
    expect(
      rows.map((row) => [row.kind, row.locationId, row.delta, row.onHandBefore, row.onHandAfter]),
    ).toEqual([
      ['transfer_out', warehouse.id, -4, 10, 6],
      ['transfer_in', shop.id, 4, 0, 4],
    ]);
    expect(new Set(rows.map((row) => row.transferId))).toEqual(new Set([result.transferId]));
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([stockTransferredV1.type]);
    expect(events[0]?.data).toMatchObject({
      transferId: result.transferId,
      quantity: 4,
      from: { onHand: 6 },
      to: { onHand: 4 },
    });
    const stock = await t.stockOf(product.id);
    expect(stock).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
  });

  it('cannot move reserved stock, nor to the same location', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('WH');
    const shop = await t.createLocation('SHOP');
    const product = await t.productWithStock(5);
    await t.reserve('ord-1', [{ sku: product.sku, quantity: 4 }]);
    const body = { productId: product.id, fromLocationId: warehouse.id, toLocationId: shop.id, quantity: 2 };
    expect(
      expectProblem(await t.post('/stock/transfers', body), 409, 'catalog.insufficient_stock'),
    ).toMatchObject({
      available: 1,
    });
    expectValidationProblem(await t.post('/stock/transfers', { ...body, toLocationId: warehouse.id }), {
      field: 'toLocationId',
      in: 'body',
      rule: 'different',
    });
    expect((await t.stockOf(product.id)).levels.map((l) => [l.locationCode, l.onHand])).toEqual([['WH', 5]]);
  });
});

describe('stock levels and the audit trail', () => {
  it('lists levels (also only the low ones) and movements newest first', async () => {
    const t = api.newTenant();
    const a = await t.productWithStock(3);
    const b = await t.productWithStock(30);
    await t.put('/stock/reorder-points', { productId: a.id, reorderPoint: 5 });

    const all = stockLevelPageSchema.parse(expectStatus(await t.get('/stock'), 200));
    expect(all.items.map((l) => l.productId).sort()).toEqual([a.id, b.id].sort());
    const low = stockLevelPageSchema.parse(
      expectStatus(await t.get('/stock', { query: { low: 'true' } }), 200),
    );
    expect(low.items.map((l) => [l.productId, l.low])).toEqual([[a.id, true]]);
    const movements = movementPageSchema.parse(
      expectStatus(await t.get('/stock/movements', { query: { limit: 1 } }), 200),
    );
    expect(movements.items.map((m) => m.productId)).toEqual([b.id]);
    expect(movements.nextCursor).not.toBeNull();
  });
});

describe('low-stock events', () => {
  it('one when available crosses the reorder point downwards; none while it stays low; again after it recovered', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(12);
    const level = stockLevelSchema.parse(
      expectStatus(await t.put('/stock/reorder-points', { productId: product.id, reorderPoint: 5 }), 200),
    );
    expect(level).toMatchObject({ reorderPoint: 5, available: 12, low: false });
    await t.skipEvents();

    await t.adjust(product.id, -4); // 8: above
    expect(await t.events(stockLowV1.type)).toEqual([]);
    await t.reserve('ord-1', [{ sku: product.sku, quantity: 3 }]); // 5: crosses
    await t.adjust(product.id, -2); // 3: stays low
    await t.reserve('ord-2', [{ sku: product.sku, quantity: 1 }]); // 2: stays low

    const first = await t.events(stockLowV1.type);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      aggregateId: product.id,
      data: {
        name: product.name,
        level: {
          productId: product.id,
          sku: product.sku,
          onHand: 8,
          reserved: 3,
          available: 5,
          reorderPoint: 5,
        },
      },
    });

    await t.adjust(product.id, 10); // 12: recovered
    await t.adjust(product.id, -8, { reason: 'lost' }); // 4: crosses again
    const second = await t.events(stockLowV1.type);
    expect(second).toHaveLength(2);
    expect(second[1]?.data).toMatchObject({ level: { available: 4 } });
  });

  it('a transfer out of a location can cross its reorder point', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('WH');
    const shop = await t.createLocation('SHOP');
    const product = await t.productWithStock(10);
    await t.put('/stock/reorder-points', {
      productId: product.id,
      locationId: warehouse.id,
      reorderPoint: 6,
    });
    await t.post('/stock/transfers', {
      productId: product.id,
      fromLocationId: warehouse.id,
      toLocationId: shop.id,
      quantity: 5,
    });
    const events = await t.events(stockLowV1.type);
    expect(events.map((e) => (e.data as { level: { locationId: string; available: number } }).level)).toEqual(
      [expect.objectContaining({ locationId: warehouse.id, available: 5 })],
    );
  });

  it('without a reorder point there are no alerts', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(2);
    await t.adjust(product.id, -2);
    expect(await t.events(stockLowV1.type)).toEqual([]);
  });
});
