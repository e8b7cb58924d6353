// The demo catalog: products with stock per demo tenant, created through the services.
import { DEMO_TENANT_ID, systemContext } from '@only/platform/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { TenantClient } from './support/tenant-client.ts';
import { productPageSchema } from '../src/modules/products/products.dto.ts';
import { stockLevelPageSchema } from '../src/modules/stock/stock.dto.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

describe('demo data', () => {
  it('gives the demo tenant products with stock in two locations, the SKUs its demo orders sell', async () => {
    await api.module.seedDemo?.(systemContext(DEMO_TENANT_ID, 'seed'));
    const t = new TenantClient(api, DEMO_TENANT_ID);

    const products = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { limit: 100 } }), 200),
    );
    expect(products.items.map((p) => p.sku)).toEqual(expect.arrayContaining(['COF-ESP-250', 'MUG-CER-350']));
    expect(products.items.every((p) => p.price.currency === 'EUR' && p.status === 'active')).toBe(true);
    const levels = stockLevelPageSchema.parse(
      expectStatus(await t.get('/stock', { query: { limit: 100 } }), 200),
    );
    expect(new Set(levels.items.map((l) => l.locationCode))).toEqual(new Set(['WH', 'SHOP']));
    const espresso = products.items.find((p) => p.sku === 'COF-ESP-250');
    expect(await t.stockOf(espresso?.id ?? '')).toMatchObject({ onHand: 120, reserved: 0, available: 120 });
    expect((await t.events('catalog.stock.adjusted')).length).toBe(products.items.length);
  });

  it('gives another tenant its own range in USD, and seeding again adds nothing', async () => {
    const t = api.newTenant();
    const ctx = systemContext(t.tenantId, 'seed');
    await api.module.seedDemo?.(ctx);
    await api.module.seedDemo?.(ctx);
    const products = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { limit: 100 } }), 200),
    );
    expect(products.items).toHaveLength(6);
    expect(products.items.every((p) => p.price.currency === 'USD')).toBe(true);
    const shirts = expectStatus<{
      items: { sku: string }[];
    }>(await t.get('/products/search', { query: { q: 'shrit' } }), 200);
    expect(shirts.items.map((p) => p.sku)).toEqual(expect.arrayContaining(['TSH-COT-M', 'SHT-FLN-L']));
  });
});
