// Search: PostgreSQL full text over SKU, name and description (word prefixes), plus trigram
// similarity of names so that typos still find the product.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPageSchema } from '../src/modules/products/products.dto.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { expectValidationProblem } from './support/expectations.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: CatalogApi;
let t: TenantClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startCatalogApi();
  t = api.newTenant();
  for (const [key, body] of Object.entries({
    shirt: { sku: 'TSH-COT-M', name: 'Cotton T-shirt', description: 'Organic crew neck in navy blue' },
    flannel: { sku: 'SHT-FLN-L', name: 'Flannel shirt', description: 'Brushed flannel, red check' },
    jacket: { sku: 'JKT-RAIN-L', name: 'Rain jacket', description: 'Waterproof shell with a hood' },
    boots: { sku: 'BOT-HIK-42', name: 'Hiking boots', description: 'Leather boots, lug sole' },
    kettle: { sku: 'KTL-GOO-1L', name: 'Gooseneck kettle', description: 'Stovetop kettle, precise pour' },
    retired: {
      sku: 'TSH-OLD-S',
      name: 'Vintage shirt',
      description: 'No longer sold',
      status: 'archived' as const,
    },
  })) {
    ids[key] = (await t.createProduct(body)).id;
  }
});

afterAll(async () => {
  await api.close();
});

async function search(q: string, query: Record<string, string | number> = {}, client = t) {
  return searchPageSchema.parse(
    expectStatus(await client.get('/products/search', { query: { q, ...query } }), 200),
  );
}

describe('product search', () => {
  it('finds products by a word of their name, best match first', async () => {
    const page = await search('shirt');
    expect(page.items.map((p) => p.id)).toEqual(expect.arrayContaining([ids.shirt, ids.flannel]));
    expect(page.items.map((p) => p.id)).not.toContain(ids.jacket);
    for (const item of page.items) expect(item.score).toBeGreaterThan(0);
    const scores = page.items.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('forgives typos: "shrit" finds the shirts, "ketle" the kettle, "jakcet" the jacket', async () => {
    expect((await search('shrit')).items.map((p) => p.id)).toEqual(
      expect.arrayContaining([ids.shirt, ids.flannel]),
    );
    expect((await search('ketle')).items.map((p) => p.id)).toEqual([ids.kettle]);
    expect((await search('rain jakcet')).items.map((p) => p.id)).toContain(ids.jacket);
  });

  it('matches word prefixes while typing, and words of the description', async () => {
    expect((await search('hik')).items.map((p) => p.id)).toEqual([ids.boots]);
    expect((await search('waterproof')).items.map((p) => p.id)).toEqual([ids.jacket]);
  });

  it('finds a product by its SKU', async () => {
    expect((await search('JKT-RAIN-L')).items[0]?.id).toBe(ids.jacket);
    expect((await search('bot-hik')).items[0]?.id).toBe(ids.boots);
  });

  it('finds nothing for text far from every product', async () => {
    expect((await search('submarine')).items).toEqual([]);
  });

  it('leaves archived products out unless asked for', async () => {
    expect((await search('vintage')).items).toEqual([]);
    expect((await search('vintage', { status: 'archived' })).items.map((p) => p.id)).toEqual([ids.retired]);
  });

  it('pages through results with a cursor', async () => {
    const first = await search('shirt', { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await search('shirt', { limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it("never shows another tenant's products", async () => {
    const other = api.newTenant();
    expect((await search('shirt', {}, other)).items).toEqual([]);
    await other.createProduct({ name: 'Other shirt' });
    expect((await search('shirt')).items.map((p) => p.name)).not.toContain('Other shirt');
  });

  it('needs a query: 400 naming q', async () => {
    expectValidationProblem(await t.get('/products/search'), { field: 'q', in: 'query', rule: 'required' });
    expectValidationProblem(await t.get('/products/search', { query: { q: '  ' } }), {
      field: 'q',
      in: 'query',
    });
  });
});
