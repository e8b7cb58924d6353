// Categories: a tree per tenant; names unique among siblings; no cycles; products keep living
// when their category goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  categoryPageSchema,
  categorySchema,
  type Category,
} from '../src/modules/categories/categories.dto.ts';
import { productSchema } from '../src/modules/products/products.dto.ts';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: CatalogApi;

beforeAll(async () => {
  api = await startCatalogApi();
});

afterAll(async () => {
  await api.close();
});

async function create(t: TenantClient, name: string, parentId?: string): Promise<Category> {
  const response = await t.post('/categories', { name, ...(parentId === undefined ? {} : { parentId }) });
  return categorySchema.parse(expectStatus(response, 201));
}

describe('categories', () => {
  it('form a tree: children name their parent, lists filter by parent', async () => {
    const t = api.newTenant();
    const clothing = await create(t, 'Clothing');
    const shirts = await create(t, 'Shirts', clothing.id);
    const gear = await create(t, 'Gear');

    expect(shirts.parentId).toBe(clothing.id);
    const roots = categoryPageSchema.parse(
      expectStatus(await t.get('/categories', { query: { parentId: 'root' } }), 200),
    );
    expect(roots.items.map((c) => c.id)).toEqual([clothing.id, gear.id]);
    const children = categoryPageSchema.parse(
      expectStatus(await t.get('/categories', { query: { parentId: clothing.id } }), 200),
    );
    expect(children.items.map((c) => c.id)).toEqual([shirts.id]);
  });

  it('names are unique among siblings, ignoring case; the same name elsewhere is fine', async () => {
    const t = api.newTenant();
    const clothing = await create(t, 'Clothing');
    const gear = await create(t, 'Gear');
    await create(t, 'Sale', clothing.id);
    await create(t, 'Sale', gear.id);
    const problem = expectProblem(
      await t.post('/categories', { name: 'SALE', parentId: clothing.id }),
      409,
      'catalog.category_name_taken',
    );
    expect(problem).toMatchObject({ field: 'name' });
    expectProblem(await t.post('/categories', { name: 'gear' }), 409, 'catalog.category_name_taken');
  });

  it('cannot move under itself or its own subtree', async () => {
    const t = api.newTenant();
    const a = await create(t, 'A');
    const b = await create(t, 'B', a.id);
    const c = await create(t, 'C', b.id);

    expectProblem(await t.patch(`/categories/${a.id}`, { parentId: c.id }), 422, 'catalog.category_cycle');
    expectProblem(await t.patch(`/categories/${a.id}`, { parentId: a.id }), 422, 'catalog.category_cycle');
    const moved = categorySchema.parse(
      expectStatus(await t.patch(`/categories/${c.id}`, { parentId: null }), 200),
    );
    expect(moved).toMatchObject({ parentId: null, version: 2 });
    expect(categorySchema.parse(expectStatus(await t.get(`/categories/${a.id}`), 200)).parentId).toBeNull();
  });

  it('a parent must be a category of the tenant', async () => {
    const t = api.newTenant();
    const other = await create(api.newTenant(), 'Elsewhere');
    expectProblem(
      await t.post('/categories', { name: 'X', parentId: other.id }),
      422,
      'catalog.unknown_category',
    );
    expectValidationProblem(await t.post('/categories', { name: 'X', parentId: 'nope' }), {
      field: 'parentId',
      in: 'body',
      rule: 'id',
    });
  });

  it('deleting one with subcategories is a 409; without, its products stay, outside it', async () => {
    const t = api.newTenant();
    const parent = await create(t, 'Parent');
    const child = await create(t, 'Child', parent.id);
    const product = await t.createProduct({ categoryIds: [child.id] });

    expectProblem(await t.delete(`/categories/${parent.id}`), 409, 'catalog.category_has_children');
    expect((await t.delete(`/categories/${child.id}`)).status).toBe(204);

    expectProblem(await t.get(`/categories/${child.id}`), 404, 'catalog.category_not_found');
    const after = productSchema.parse(expectStatus(await t.get(`/products/${product.id}`), 200));
    expect(after.categoryIds).toEqual([]);
    expect((await t.delete(`/categories/${parent.id}`)).status).toBe(204);
  });
});
