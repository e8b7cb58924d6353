// Products: create, read, change, archive, list; validation names the field; SKUs are unique per tenant.
import { productCreatedV1, productUpdatedV1 } from '@only/contracts/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categorySchema } from '../src/modules/categories/categories.dto.ts';
import { productPageSchema, productSchema } from '../src/modules/products/products.dto.ts';
import { aProductBody, aSku } from './support/builders.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { productRow } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

describe('creating a product', () => {
  it('stores every field and returns it with 201 and a location', async () => {
    const t = api.newTenant();
    const body = aProductBody({
      sku: 'COF-ESP-250',
      attributes: { roast: 'dark', sizes: ['S', 'M'], organic: true },
    });

    const response = await t.post('/products', body);

    const product = productSchema.parse(expectStatus(response, 201));
    expect(response.header('location')).toBe(`products/${product.id}`);
    expect(product).toMatchObject({
      sku: 'COF-ESP-250',
      name: body.name,
      description: 'Dark roast',
      price: { amount: 1290, currency: 'EUR' },
      taxClass: 'reduced',
      attributes: { roast: 'dark', sizes: ['S', 'M'], organic: true },
      imageUrls: ['https://images.example.com/espresso.png'],
      status: 'active',
      categoryIds: [],
      version: 1,
      createdAt: api.clock.now().toISOString(),
    });
    expect(product.id).toMatch(/^prd_/);
    expect(await t.get(`/products/${product.id}`).then((r) => r.json())).toEqual(product);
    const row = await productRow(api.db, product.id);
    expect(row).toMatchObject({ tenantId: t.tenantId, priceAmount: 1290, currency: 'EUR' });
  });

  it('defaults tax class, attributes, images and status', async () => {
    const t = api.newTenant();
    const response = await t.post('/products', {
      sku: 'PLAIN-1',
      name: 'Plain',
      price: { amount: 0, currency: 'USD' },
    });
    expect(productSchema.parse(expectStatus(response, 201))).toMatchObject({
      description: null,
      taxClass: 'standard',
      attributes: {},
      imageUrls: [],
      status: 'active',
    });
  });

  it.each([
    ['a missing SKU', { sku: undefined }, 'sku', 'required'],
    ['a SKU with spaces', { sku: 'A B' }, 'sku', 'format:regex'],
    ['an empty name', { name: '  ' }, 'name', 'too_small'],
    ['a fractional price', { price: { amount: 12.5, currency: 'EUR' } }, 'price.amount', 'invalid_type'],
    ['a negative price', { price: { amount: -1, currency: 'EUR' } }, 'price.amount', 'too_small'],
    ['an unknown currency', { price: { amount: 100, currency: 'EUX' } }, 'price.currency', 'currency'],
    ['an unknown status', { status: 'deleted' }, 'status', 'one_of'],
    ['an image that is no URL', { imageUrls: ['not a url'] }, 'imageUrls[0]', undefined],
    ['a tax class with capitals', { taxClass: 'Standard' }, 'taxClass', 'format:regex'],
    [
      'a category id of another kind',
      { categoryIds: ['prd_01jd5x3b2kf9v8s7w6q4r2m1n0'] },
      'categoryIds[0]',
      'id',
    ],
  ] as const)(
    'rejects %s with a 400 naming the field, and stores nothing',
    async (_, overrides, field, rule) => {
      const t = api.newTenant();
      const body: Record<string, unknown> = { ...aProductBody(), ...overrides };
      if ('sku' in overrides && overrides.sku === undefined) delete body.sku;

      const response = await t.post('/products', body);

      expectValidationProblem(response, { field, in: 'body', ...(rule === undefined ? {} : { rule }) });
      expect(await t.events()).toEqual([]);
    },
  );

  it('rejects unknown fields by name', async () => {
    const t = api.newTenant();
    expectValidationProblem(await t.post('/products', { ...aProductBody(), colour: 'red' }), {
      field: 'colour',
      in: 'body',
      rule: 'unknown_field',
    });
  });

  it('rejects a category of no one with a 422 naming categoryIds', async () => {
    const t = api.newTenant();
    const problem = expectProblem(
      await t.post('/products', aProductBody({ categoryIds: ['cat_01jd5x3b2kf9v8s7w6q4r2m1n0'] })),
      422,
      'catalog.unknown_category',
    );
    expect(problem).toMatchObject({ field: 'categoryIds', categoryIds: ['cat_01jd5x3b2kf9v8s7w6q4r2m1n0'] });
    expect(await t.events()).toEqual([]);
  });
});

describe('SKUs', () => {
  it('are unique within a tenant: 409 catalog.sku_taken naming sku, and nothing stored', async () => {
    const t = api.newTenant();
    const sku = aSku();
    await t.createProduct({ sku });
    await t.skipEvents();

    const problem = expectProblem(await t.post('/products', aProductBody({ sku })), 409, 'catalog.sku_taken');

    expect(problem).toMatchObject({ field: 'sku' });
    expect(await t.newEvents()).toEqual([]);
    const list = productPageSchema.parse(expectStatus(await t.get('/products'), 200));
    expect(list.items).toHaveLength(1);
  });

  it('may repeat in another tenant', async () => {
    const a = api.newTenant();
    const b = api.newTenant();
    const sku = aSku();
    const first = await a.createProduct({ sku });
    const second = await b.createProduct({ sku });
    expect(second.id).not.toBe(first.id);
    expect(second.sku).toBe(first.sku);
  });

  it('cannot be changed to one the tenant already uses', async () => {
    const t = api.newTenant();
    const taken = await t.createProduct();
    const other = await t.createProduct();
    expectProblem(await t.patch(`/products/${other.id}`, { sku: taken.sku }), 409, 'catalog.sku_taken');
    expect((await productRow(api.db, other.id))?.sku).toBe(other.sku);
  });

  it('concurrent creates with one SKU: exactly one wins', async () => {
    const t = api.newTenant();
    const sku = aSku();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => t.post('/products', aProductBody({ sku }))),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await t.events(productCreatedV1.type)).toHaveLength(1);
  });
});

describe('changing a product', () => {
  it('changes only what differs, bumps the version and emits product.updated naming the fields', async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    await t.skipEvents();
    api.clock.advance(60_000);

    const response = await t.patch(`/products/${product.id}`, {
      name: 'Espresso beans 500 g',
      price: { amount: 2290, currency: 'EUR' },
      taxClass: 'reduced',
      attributes: { weightGrams: 250, roast: 'dark' },
    });

    const changed = productSchema.parse(expectStatus(response, 200));
    expect(changed).toMatchObject({
      name: 'Espresso beans 500 g',
      price: { amount: 2290, currency: 'EUR' },
      version: 2,
      updatedAt: api.clock.now().toISOString(),
      createdAt: product.createdAt,
    });
    const events = await t.newEvents();
    expect(events.map((e) => e.type)).toEqual([productUpdatedV1.type]);
    expect(events[0]?.data).toEqual({ product: changed, changed: ['name', 'price'] });
  });

  it('with nothing different: no write, no event', async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    await t.skipEvents();
    const same = productSchema.parse(
      expectStatus(await t.patch(`/products/${product.id}`, { name: product.name, status: 'active' }), 200),
    );
    expect(same).toEqual(product);
    expect(await t.newEvents()).toEqual([]);
  });

  it('an empty change is a 400', async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    expectValidationProblem(await t.patch(`/products/${product.id}`, {}), {
      field: '(root)',
      in: 'body',
      rule: 'not_empty',
    });
  });

  it('places it in categories and takes it out again', async () => {
    const t = api.newTenant();
    const category = categorySchema.parse(expectStatus(await t.post('/categories', { name: 'Beans' }), 201));
    const product = await t.createProduct();
    const placed = productSchema.parse(
      expectStatus(await t.patch(`/products/${product.id}`, { categoryIds: [category.id] }), 200),
    );
    expect(placed.categoryIds).toEqual([category.id]);
    const removed = productSchema.parse(
      expectStatus(await t.patch(`/products/${product.id}`, { categoryIds: [] }), 200),
    );
    expect(removed.categoryIds).toEqual([]);
  });

  it('an unknown id is a 404, a malformed one a 400', async () => {
    const t = api.newTenant();
    expectProblem(await t.get('/products/prd_01jd5x3b2kf9v8s7w6q4r2m1n0'), 404, 'catalog.product_not_found');
    expectValidationProblem(await t.get('/products/nope'), { field: 'id', in: 'params', rule: 'id' });
  });
});

describe('archiving a product', () => {
  it('DELETE archives it: still readable, hidden from the default list, product.updated emitted', async () => {
    const t = api.newTenant();
    const product = await t.createProduct();
    await t.skipEvents();

    const response = await t.delete(`/products/${product.id}`);

    expect(response.status).toBe(204);
    const archived = productSchema.parse(expectStatus(await t.get(`/products/${product.id}`), 200));
    expect(archived.status).toBe('archived');
    const list = productPageSchema.parse(expectStatus(await t.get('/products'), 200));
    expect(list.items.map((p) => p.id)).not.toContain(product.id);
    const archivedList = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { status: 'archived' } }), 200),
    );
    expect(archivedList.items.map((p) => p.id)).toEqual([product.id]);
    const events = await t.newEvents();
    expect(events.map((e) => [e.type, (e.data as { changed: string[] }).changed])).toEqual([
      [productUpdatedV1.type, ['status']],
    ]);
  });
});

describe('the product list', () => {
  it('is newest first, paginated with a cursor, filtered by status', async () => {
    const t = api.newTenant();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await t.createProduct({ status: i === 0 ? 'draft' : 'active' }));

    const first = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { limit: 2 } }), 200),
    );
    const second = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { limit: 2, cursor: first.nextCursor ?? '' } }), 200),
    );
    const third = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { limit: 2, cursor: second.nextCursor ?? '' } }), 200),
    );

    const ids = [...first.items, ...second.items, ...third.items].map((p) => p.id);
    expect(ids).toEqual(created.map((p) => p.id).reverse());
    expect(third.nextCursor).toBeNull();
    const drafts = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { status: 'draft' } }), 200),
    );
    expect(drafts.items.map((p) => p.id)).toEqual([created[0]?.id]);
  });

  it('filters by category, including its subcategories', async () => {
    const t = api.newTenant();
    const coffee = categorySchema.parse(expectStatus(await t.post('/categories', { name: 'Coffee' }), 201));
    const beans = categorySchema.parse(
      expectStatus(await t.post('/categories', { name: 'Beans', parentId: coffee.id }), 201),
    );
    const inBeans = await t.createProduct({ categoryIds: [beans.id] });
    const inCoffee = await t.createProduct({ categoryIds: [coffee.id] });
    await t.createProduct();

    const underCoffee = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { categoryId: coffee.id } }), 200),
    );
    const underBeans = productPageSchema.parse(
      expectStatus(await t.get('/products', { query: { categoryId: beans.id } }), 200),
    );

    expect(underCoffee.items.map((p) => p.id).sort()).toEqual([inBeans.id, inCoffee.id].sort());
    expect(underBeans.items.map((p) => p.id)).toEqual([inBeans.id]);
  });

  it('rejects a tampered cursor and an unknown status by name', async () => {
    const t = api.newTenant();
    expectValidationProblem(await t.get('/products', { query: { cursor: 'garbage' } }), {
      field: 'cursor',
      in: 'query',
    });
    expectValidationProblem(await t.get('/products', { query: { status: 'gone' } }), {
      field: 'status[0]',
      in: 'query',
    });
  });
});
