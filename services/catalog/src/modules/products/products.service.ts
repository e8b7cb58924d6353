import { isDeepStrictEqual } from 'node:util';
import { productCreatedV1, productUpdatedV1, type ProductStatus } from '@only/contracts/catalog';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { validationError } from '@only/platform/errors';
import { decodeCursor, encodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { catalogErrors } from '../../errors.ts';
import type { CategoriesService } from '../categories/categories.service.ts';
import type { LocationsService } from '../locations/locations.service.ts';
import {
  toProduct,
  type CreateProductInput,
  type ListProductsQuery,
  type LookupResult,
  type Product,
  type ProductRecord,
  type SearchProductsQuery,
  type SearchResult,
  type UpdateProductInput,
} from './products.dto.ts';
import type { ProductsRepository } from './products.repository.ts';
import type { ProductRow } from './products.table.ts';

const SKU_KEY = 'products_tenant_sku_key';
const DEFAULT_STATUSES: readonly ProductStatus[] = ['draft', 'active'];
/** Most SKUs and ids one lookup may name. */
const MAX_LOOKUP = 500;
const cursorSchema = z.object({ id: z.string() });
const searchCursorSchema = z.object({ offset: z.number().int().min(0).max(10_000) });

/** Which products {@link ProductsService.getProducts} looks up, and where it counts availability. */
export interface ProductSelector {
  /** Products by SKU; may be combined with `ids`. */
  readonly skus?: readonly string[];
  /** Products by id (`prd_…`). */
  readonly ids?: readonly string[];
  /** Where `available` is counted; summed over every active location when absent. */
  readonly locationId?: string;
}

function skuTaken(sku: string) {
  return catalogErrors.sku_taken(`A product with SKU ${sku} already exists`, { field: 'sku' });
}

function notFound(id: string) {
  return catalogErrors.product_not_found(`No product ${id}`);
}

type ProductChanges = Parameters<ProductsRepository['update']>[2];

/** Products: create, read, change, archive, list, search, and the lookup orders use to sell them. */
export class ProductsService {
  private readonly db: Database;
  private readonly repository: ProductsRepository;
  private readonly categories: CategoriesService;
  private readonly locations: LocationsService;
  private readonly outbox: Outbox;
  private readonly clock: Clock;

  constructor(deps: {
    db: Database;
    repository: ProductsRepository;
    categories: CategoriesService;
    locations: LocationsService;
    outbox: Outbox;
    clock: Clock;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.categories = deps.categories;
    this.locations = deps.locations;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
  }

  /** Creates a product and emits `catalog.product.created`. */
  async create(ctx: RequestContext, input: CreateProductInput): Promise<Product> {
    try {
      return await inTransaction(this.db, async () => {
        await this.categories.requireAll(ctx, input.categoryIds);
        const now = this.clock.now();
        const row = await this.repository.insert({
          id: newId('prd'),
          tenantId: ctx.tenantId,
          sku: input.sku,
          name: input.name,
          description: input.description ?? null,
          priceAmount: input.price.amount,
          currency: input.price.currency,
          taxClass: input.taxClass,
          attributes: input.attributes,
          imageUrls: input.imageUrls,
          status: input.status,
          createdAt: now,
          updatedAt: now,
        });
        await this.repository.setCategories(ctx.tenantId, row.id, input.categoryIds);
        const product = toProduct({ ...row, categoryIds: input.categoryIds });
        await this.outbox.emit(productCreatedV1, { product }, { ctx, aggregateId: product.id });
        return product;
      });
    } catch (error) {
      // Two concurrent creates with one SKU: the unique constraint decides.
      if (isUniqueViolation(error, SKU_KEY)) throw skuTaken(input.sku);
      throw error;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<Product> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw notFound(id);
    return toProduct(row);
  }

  /** Changes what differs and emits `catalog.product.updated` naming it; nothing differs, nothing happens. */
  async update(ctx: RequestContext, id: string, input: UpdateProductInput): Promise<Product> {
    try {
      return await inTransaction(this.db, async () => {
        const current = await this.repository.find(ctx.tenantId, id, { forUpdate: true });
        if (!current) throw notFound(id);
        const { changes, changed } = diff(current, input);
        const categoryIds =
          input.categoryIds !== undefined && !sameSet(input.categoryIds, current.categoryIds)
            ? input.categoryIds
            : undefined;
        if (categoryIds !== undefined) changed.push('categoryIds');
        if (changed.length === 0) return toProduct(current);
        if (categoryIds !== undefined) {
          await this.categories.requireAll(ctx, categoryIds);
          await this.repository.setCategories(ctx.tenantId, id, categoryIds);
        }
        await this.repository.update(ctx.tenantId, id, changes, this.clock.now());
        return this.emitUpdated(ctx, id, changed);
      });
    } catch (error) {
      if (isUniqueViolation(error, SKU_KEY)) throw skuTaken(input.sku ?? '');
      throw error;
    }
  }

  /** Archives a product: it can no longer be reserved or sold; its stock history stays. */
  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.update(ctx, id, { status: 'archived' });
  }

  async list(
    ctx: RequestContext,
    query: ListProductsQuery,
  ): Promise<{ items: Product[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(
      ctx.tenantId,
      {
        statuses: query.status ?? DEFAULT_STATUSES,
        ...(query.categoryId === undefined ? {} : { categoryId: query.categoryId }),
      },
      { limit: query.limit, afterId: after },
    );
    return toPage(rows, query.limit, toProduct, (row) => ({ id: row.id }));
  }

  /** Products matching the words of `q`, best first; names with typos match too. */
  async search(
    ctx: RequestContext,
    query: SearchProductsQuery,
  ): Promise<{ items: SearchResult[]; nextCursor: string | null }> {
    const offset = query.cursor === undefined ? 0 : decodeCursor(query.cursor, searchCursorSchema).offset;
    // One transaction: the similarity threshold is set for it alone.
    const rows = await inTransaction(this.db, () =>
      this.repository.search(ctx.tenantId, query.q, query.status ?? DEFAULT_STATUSES, {
        limit: query.limit,
        offset,
      }),
    );
    const items = rows.slice(0, query.limit).map((row) => ({ ...toProduct(row), score: row.score }));
    return {
      items,
      nextCursor: rows.length > query.limit ? encodeCursor({ offset: offset + query.limit }) : null,
    };
  }

  /**
   * What selling needs to know of products, by SKU and/or id: price, tax class, status and the
   * quantity available now — at `locationId`, or summed over every active location when absent
   * (a reservation without a location draws from the default location only). Unknown SKUs and
   * ids are listed in `missing`.
   */
  async getProducts(ctx: RequestContext, selector: ProductSelector): Promise<LookupResult> {
    const skus = [...new Set(selector.skus ?? [])];
    const ids = [...new Set(selector.ids ?? [])];
    if (skus.length + ids.length > MAX_LOOKUP) {
      throw validationError([
        {
          field: 'skus',
          in: 'body',
          rule: 'too_big',
          message: `At most ${String(MAX_LOOKUP)} SKUs and ids together`,
        },
      ]);
    }
    const location =
      selector.locationId === undefined ? undefined : await this.locations.resolve(ctx, selector.locationId);
    const rows = await this.repository.findMany(ctx.tenantId, { skus, ids });
    const available = await this.repository.available(
      ctx.tenantId,
      rows.map((row) => row.id),
      location?.id,
    );
    const bySku = new Set(rows.map((row) => row.sku));
    const byId = new Set(rows.map((row) => row.id));
    return {
      items: rows.map((row) => ({
        id: row.id,
        sku: row.sku,
        name: row.name,
        price: { amount: row.priceAmount, currency: row.currency },
        taxClass: row.taxClass,
        status: row.status,
        available: available.get(row.id) ?? 0,
        locationId: location?.id ?? null,
        updatedAt: row.updatedAt.toISOString(),
      })),
      missing: [...skus.filter((sku) => !bySku.has(sku)), ...ids.filter((id) => !byId.has(id))],
    };
  }

  private async emitUpdated(ctx: RequestContext, id: string, changed: string[]): Promise<Product> {
    const row = await this.repository.find(ctx.tenantId, id);
    if (!row) throw notFound(id);
    const product = toProduct(row);
    await this.outbox.emit(productUpdatedV1, { product, changed }, { ctx, aggregateId: id });
    return product;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/** The columns to write and the API field names that change. */
function diff(
  current: ProductRecord,
  input: UpdateProductInput,
): { changes: ProductChanges; changed: string[] } {
  const changes: ProductChanges = {};
  const changed: string[] = [];
  const set = <K extends keyof ProductChanges & keyof ProductRow>(
    field: string,
    column: K,
    value: ProductRow[K] | undefined,
  ) => {
    if (value === undefined || isDeepStrictEqual(value, current[column])) return;
    changes[column] = value;
    if (!changed.includes(field)) changed.push(field);
  };
  set('sku', 'sku', input.sku);
  set('name', 'name', input.name);
  set('description', 'description', input.description);
  set('price', 'priceAmount', input.price?.amount);
  set('price', 'currency', input.price?.currency);
  set('taxClass', 'taxClass', input.taxClass);
  set('attributes', 'attributes', input.attributes);
  set('imageUrls', 'imageUrls', input.imageUrls);
  set('status', 'status', input.status);
  return { changes, changed };
}
