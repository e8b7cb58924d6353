// Permissions: every catalog route needs a token; the built-in roles get what their job needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { expectProblem } from './support/expectations.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

describe('catalog permissions', () => {
  it('no token is a 401', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/products' });
    expect(response.statusCode).toBe(401);
  });

  it('a cashier reads products and stock and reserves, but changes neither products nor stock', async () => {
    const owner = api.newTenant();
    const product = await owner.productWithStock(5);
    const cashier = owner.as(['cashier']);

    expectStatus(await cashier.get(`/products/${product.id}`), 200);
    expectStatus(await cashier.get(`/products/${product.id}/stock`), 200);
    await cashier.reserve('ord_1', [{ sku: product.sku, quantity: 1 }]);
    expectStatus(await cashier.post('/reservations/ord_1/commit'), 200);
    expect(
      expectProblem(
        await cashier.patch(`/products/${product.id}`, { name: 'Cheaper' }),
        403,
        'platform.forbidden',
      ),
    ).toMatchObject({ permission: 'products:write' });
    expect(
      expectProblem(
        await cashier.post('/stock/adjustments', { productId: product.id, reason: 'lost', delta: -1 }),
        403,
        'platform.forbidden',
      ),
    ).toMatchObject({ permission: 'stock:adjust' });
    expect((await owner.stockOf(product.id)).onHand).toBe(4);
  });

  it('a viewer reads but cannot reserve; only owners and admins manage locations', async () => {
    const owner = api.newTenant();
    const product = await owner.productWithStock(5);
    const viewer = owner.as(['viewer']);
    expectStatus(await viewer.get('/stock'), 200);
    expectProblem(
      await viewer.post('/reservations', { reservationKey: 'k', lines: [{ sku: product.sku, quantity: 1 }] }),
      403,
      'platform.forbidden',
    );
    const manager = owner.as(['manager']);
    expectStatus(
      await manager.post('/stock/adjustments', { productId: product.id, reason: 'received', delta: 1 }),
      201,
    );
    expect(
      expectProblem(
        await manager.post('/locations', { code: 'NEW', name: 'New' }),
        403,
        'platform.forbidden',
      ),
    ).toMatchObject({ permission: 'locations:manage' });
    await owner.as(['admin']).createLocation('NEW');
  });
});
