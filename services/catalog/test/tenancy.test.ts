// Tenant scoping: the tenant is the one of the access token; what one tenant has, another can
// neither see nor change — ids of another tenant answer 404 and leave everything as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categorySchema, type Category } from '../src/modules/categories/categories.dto.ts';
import type { Location } from '../src/modules/locations/locations.dto.ts';
import { productPageSchema, type Product } from '../src/modules/products/products.dto.ts';
import { reservationPageSchema } from '../src/modules/reservations/reservations.dto.ts';
import { movementPageSchema, stockLevelPageSchema } from '../src/modules/stock/stock.dto.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { rowCounts } from './support/db.ts';
import { expectProblem } from './support/expectations.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: CatalogApi;
let a: TenantClient;
let b: TenantClient;
let product: Product;
let category: Category;
let location: Location;

beforeAll(async () => {
  api = await startCatalogApi();
  a = api.newTenant();
  b = api.newTenant();
  location = await a.createLocation('WH');
  category = categorySchema.parse(expectStatus(await a.post('/categories', { name: 'Coffee' }), 201));
  product = await a.productWithStock(10, {
    sku: 'SHARED-SKU',
    name: 'Tenant A espresso',
    categoryIds: [category.id],
  });
  await a.reserve('ord_shared', [{ sku: product.sku, quantity: 2 }]);
  // Tenant B has data of its own, so that empty answers are not empty by accident.
  await b.productWithStock(5, { name: 'Tenant B espresso' });
  await b.reserve('ord_b', [{ sku: (await b.productWithStock(1)).sku, quantity: 1 }]);
});

afterAll(async () => {
  await api.close();
});

describe('another tenant', () => {
  it("gets 404 for tenant A's product, category, location, stock and reservation — and changes nothing", async () => {
    const before = await rowCounts(api.db, a.tenantId);
    const snapshot = async () =>
      Promise.all(
        [
          `/products/${product.id}`,
          `/products/${product.id}/stock`,
          `/categories/${category.id}`,
          `/locations/${location.id}`,
          '/reservations/ord_shared',
        ].map(async (url) => (await a.get(url)).json()),
      );
    const seen = await snapshot();

    expectProblem(await b.get(`/products/${product.id}`), 404, 'catalog.product_not_found');
    expectProblem(
      await b.patch(`/products/${product.id}`, { name: 'Hijacked' }),
      404,
      'catalog.product_not_found',
    );
    expectProblem(await b.delete(`/products/${product.id}`), 404, 'catalog.product_not_found');
    expectProblem(await b.get(`/products/${product.id}/stock`), 404, 'catalog.product_not_found');
    expectProblem(await b.get(`/categories/${category.id}`), 404, 'catalog.category_not_found');
    expectProblem(
      await b.patch(`/categories/${category.id}`, { name: 'Hijacked' }),
      404,
      'catalog.category_not_found',
    );
    expectProblem(await b.delete(`/categories/${category.id}`), 404, 'catalog.category_not_found');
    expectProblem(await b.get(`/locations/${location.id}`), 404, 'catalog.location_not_found');
    expectProblem(
      await b.patch(`/locations/${location.id}`, { name: 'Hijacked' }),
      404,
      'catalog.location_not_found',
    );
    expectProblem(await b.get('/reservations/ord_shared'), 404, 'catalog.reservation_not_found');
    expectProblem(await b.post('/reservations/ord_shared/release'), 404, 'catalog.reservation_not_found');
    expectProblem(await b.post('/reservations/ord_shared/commit'), 404, 'catalog.reservation_not_found');

    expect(await rowCounts(api.db, a.tenantId)).toEqual(before);
    expect(await snapshot()).toEqual(seen);
  });

  it("cannot use tenant A's ids in its own changes: 422 naming the field, nothing changed", async () => {
    const before = await rowCounts(api.db, a.tenantId);
    const own = await b.productWithStock(3);
    const ownLocation = await b.createLocation('OWN');

    expectProblem(
      await b.post('/stock/adjustments', { productId: product.id, reason: 'lost', delta: -1 }),
      422,
      'catalog.unknown_product',
    );
    expectProblem(
      await b.post('/stock/transfers', {
        productId: own.id,
        fromLocationId: location.id,
        toLocationId: ownLocation.id,
        quantity: 1,
      }),
      422,
      'catalog.unknown_location',
    );
    expectProblem(
      await b.put('/stock/reorder-points', { productId: product.id, reorderPoint: 1 }),
      422,
      'catalog.unknown_product',
    );
    expectProblem(
      await b.post('/products', {
        sku: 'X-1',
        name: 'x',
        price: { amount: 1, currency: 'EUR' },
        categoryIds: [category.id],
      }),
      422,
      'catalog.unknown_category',
    );
    expectProblem(
      await b.post('/categories', { name: 'Under A', parentId: category.id }),
      422,
      'catalog.unknown_category',
    );

    expect(await rowCounts(api.db, a.tenantId)).toEqual(before);
  });

  it("reserves its own product when SKUs coincide, never tenant A's stock", async () => {
    const mine = await b.productWithStock(1, { sku: 'SHARED-SKU' });
    await b.reserve('ord_shared', [{ sku: 'SHARED-SKU', quantity: 1 }]);
    expect(await b.stockOf(mine.id)).toMatchObject({ reserved: 1, available: 0 });
    expect(await a.stockOf(product.id)).toMatchObject({ reserved: 2, available: 8 });
    // The same key in two tenants is two reservations.
    const ofA = reservationPageSchema.parse(expectStatus(await a.get('/reservations'), 200));
    expect(ofA.items.map((r) => r.lines[0]?.productId)).toEqual([product.id]);
  });

  it('sees only its own rows in every list and search', async () => {
    for (const url of [
      '/products',
      '/stock',
      '/stock/movements',
      '/reservations',
      '/categories',
      '/locations',
    ]) {
      const body = expectStatus<{ items: Record<string, unknown>[] }>(await b.get(url), 200);
      const text = JSON.stringify(body.items);
      for (const id of [product.id, category.id, location.id]) expect(text, url).not.toContain(id);
    }
    const search = productPageSchema.parse(
      expectStatus(await b.get('/products/search', { query: { q: 'Tenant A' } }), 200),
    );
    expect(search.items.map((p) => p.name)).not.toContain('Tenant A espresso');
    const lookup = expectStatus(await b.get('/products/lookup', { query: { ids: product.id } }), 200);
    expect(lookup).toEqual({ items: [], missing: [product.id] });
    const filtered = stockLevelPageSchema.parse(
      expectStatus(await b.get('/stock', { query: { productId: product.id } }), 200),
    );
    expect(filtered.items).toEqual([]);
    const movements = movementPageSchema.parse(
      expectStatus(await b.get('/stock/movements', { query: { productId: product.id } }), 200),
    );
    expect(movements.items).toEqual([]);
  });
});
