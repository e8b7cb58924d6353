// Events: every change writes its events through the outbox in the change's own transaction —
// valid against the contracts' schemas, in a valid envelope, with the request's correlation id —
// and a change that fails writes none.
import { eventCatalogue } from '@only/contracts';
import { eventEnvelopeSchema } from '@only/contracts/envelope';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { outboxRows } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

describe('catalog events', () => {
  it('a whole product life emits one valid event per change, in order, all through the outbox', async () => {
    const t = api.newTenant();
    const warehouse = await t.createLocation('WH');
    const shop = await t.createLocation('SHOP');
    const product = await t.createProduct();
    await t.put('/stock/reorder-points', {
      productId: product.id,
      locationId: warehouse.id,
      reorderPoint: 2,
    });
    await t.adjust(product.id, 10, { locationId: warehouse.id });
    await t.post('/stock/transfers', {
      productId: product.id,
      fromLocationId: warehouse.id,
      toLocationId: shop.id,
      quantity: 4,
    });
    await t.patch(`/products/${product.id}`, { price: { amount: 999, currency: 'EUR' } });
    await t.reserve('ord_1', [{ sku: product.sku, quantity: 4 }], { locationId: warehouse.id });
    expectStatus(await t.post('/reservations/ord_1/commit'), 200);
    await t.reserve('ord_2', [{ sku: product.sku, quantity: 1 }], { locationId: warehouse.id });
    expectStatus(await t.post('/reservations/ord_2/release'), 200);

    const events = await t.events();

    expect(events.map((e) => e.type)).toEqual([
      'catalog.product.created',
      'catalog.stock.adjusted',
      'catalog.stock.transferred',
      'catalog.product.updated',
      'catalog.stock.reserved',
      'catalog.stock.low',
      'catalog.stock.committed',
      'catalog.stock.reserved',
      'catalog.stock.released',
    ]);
    for (const event of events) {
      eventEnvelopeSchema.parse(event);
      const definition = eventCatalogue.get(`${event.type}@${String(event.version)}`);
      expect(definition, event.type).toBeDefined();
      expect(() => definition?.schema.parse(event.data), event.type).not.toThrow();
      expect(event).toMatchObject({ source: 'catalog', tenantId: t.tenantId, version: 1 });
    }
    const rows = await outboxRows(api.db, t.tenantId);
    expect(rows.map((row) => row.id)).toEqual(events.map((e) => e.id));
    expect(rows.every((row) => row.publishedAt !== null)).toBe(true);
  });

  it('carries the correlation id of the request and its request id as causation', async () => {
    const t = api.newTenant();
    const response = await t.post(
      '/products',
      { sku: 'CORR-1', name: 'Correlated', price: { amount: 100, currency: 'EUR' } },
      { correlationId: 'checkout-42' },
    );
    expectStatus(response, 201);
    const [event] = await t.events();
    expect(event).toMatchObject({
      correlationId: 'checkout-42',
      causationId: response.header('x-request-id'),
    });
  });

  it('a change that fails leaves no event behind', async () => {
    const t = api.newTenant();
    const product = await t.productWithStock(1);
    const before = (await outboxRows(api.db, t.tenantId)).length;
    expectProblem(
      await t.post('/reservations', { reservationKey: 'k', lines: [{ sku: product.sku, quantity: 2 }] }),
      409,
      'catalog.out_of_stock',
    );
    expectProblem(
      await t.post('/products', { sku: product.sku, name: 'Dup', price: { amount: 1, currency: 'EUR' } }),
      409,
      'catalog.sku_taken',
    );
    expectProblem(
      await t.post('/stock/adjustments', { productId: product.id, reason: 'lost', delta: -2 }),
      409,
      'catalog.insufficient_stock',
    );
    expect(await outboxRows(api.db, t.tenantId)).toHaveLength(before);
  });
});
