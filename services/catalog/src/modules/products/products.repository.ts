import { and, asc, desc, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { executor, queryRows, type Database } from '@only/platform/db';
import type { ProductStatus } from '@only/contracts/catalog';
import { categories } from '../categories/categories.table.ts';
import { locations } from '../locations/locations.table.ts';
import { stockLevels } from '../stock/stock.table.ts';
import type { ProductRecord } from './products.dto.ts';
import { productCategories, products, type ProductRow } from './products.table.ts';

// Every column but the search vector, which only the database reads.
const { searchVector: _searchVector, ...columns } = getTableColumns(products);

/** The product's category ids, as one correlated subquery (one round trip for a whole page). */
const categoryIdsOfRow = sql<string[]>`coalesce((
  select json_agg(pc.category_id order by pc.category_id) from "catalog"."product_categories" pc
  where pc.tenant_id = "catalog"."products"."tenant_id" and pc.product_id = "catalog"."products"."id"
), '[]'::json)`;

/** Smallest `word_similarity` of query and name for a typo to count as a match ("shrit" → "shirt"). */
const TYPO_THRESHOLD = 0.3;

/** Words of a search text as a prefix tsquery (`blue & shir:*`); undefined when it has no word. */
function prefixQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return words.map((word) => `${word}:*`).join(' & ');
}

/** Filters of the product list. */
export interface ProductFilter {
  readonly statuses: readonly ProductStatus[];
  /** Products in this category or any category below it. */
  readonly categoryId?: string;
}

/** Stored products and their categories; every query is scoped to one tenant. */
export class ProductsRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async insert(row: Omit<typeof products.$inferInsert, 'searchVector'>): Promise<ProductRow> {
    const [created] = await executor(this.db).insert(products).values(row).returning();
    if (!created) throw new Error('insert returned no row');
    return created;
  }

  async find(
    tenantId: string,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<ProductRecord | undefined> {
    const query = executor(this.db)
      .select({ ...columns, categoryIds: categoryIdsOfRow })
      .from(products)
      .where(and(eq(products.tenantId, tenantId), eq(products.id, id)));
    // Locks the product row only: the category subquery is not part of the FROM clause.
    const [row] = options.forUpdate ? await query.for('update') : await query;
    return row;
  }

  /** Products of the tenant with any of these SKUs or ids, in SKU order. */
  async findMany(tenantId: string, by: { skus?: readonly string[]; ids?: readonly string[] }) {
    const skus = by.skus ?? [];
    const ids = by.ids ?? [];
    if (skus.length === 0 && ids.length === 0) return [];
    return executor(this.db)
      .select(columns)
      .from(products)
      .where(
        and(
          eq(products.tenantId, tenantId),
          or(
            skus.length === 0 ? undefined : inArray(products.sku, [...skus]),
            ids.length === 0 ? undefined : inArray(products.id, [...ids]),
          ),
        ),
      )
      .orderBy(asc(products.sku));
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<
      Pick<
        ProductRow,
        | 'sku'
        | 'name'
        | 'description'
        | 'priceAmount'
        | 'currency'
        | 'taxClass'
        | 'attributes'
        | 'imageUrls'
        | 'status'
      >
    >,
    updatedAt: Date,
  ): Promise<void> {
    const rows = await executor(this.db)
      .update(products)
      .set({ ...changes, updatedAt, version: sql`${products.version} + 1` })
      .where(and(eq(products.tenantId, tenantId), eq(products.id, id)))
      .returning({ id: products.id });
    if (rows.length === 0) throw new Error(`product ${id} vanished during update`);
  }

  /** Replaces the product's categories. */
  async setCategories(tenantId: string, productId: string, categoryIds: readonly string[]): Promise<void> {
    const q = executor(this.db);
    await q
      .delete(productCategories)
      .where(and(eq(productCategories.tenantId, tenantId), eq(productCategories.productId, productId)));
    if (categoryIds.length === 0) return;
    await q
      .insert(productCategories)
      .values(categoryIds.map((categoryId) => ({ tenantId, productId, categoryId })));
  }

  /** Newest first, keyset-paginated by id; `limit + 1` rows tell whether a next page exists. */
  list(
    tenantId: string,
    filter: ProductFilter,
    page: { limit: number; afterId?: string },
  ): Promise<ProductRecord[]> {
    return executor(this.db)
      .select({ ...columns, categoryIds: categoryIdsOfRow })
      .from(products)
      .where(
        and(
          eq(products.tenantId, tenantId),
          inArray(products.status, [...filter.statuses]),
          filter.categoryId === undefined ? undefined : this.inCategoryTree(tenantId, filter.categoryId),
          page.afterId === undefined ? undefined : lt(products.id, page.afterId),
        ),
      )
      .orderBy(desc(products.id))
      .limit(page.limit + 1);
  }

  /**
   * Full-text match on SKU, name and description (word prefixes, so results come while typing),
   * or a trigram match of the name for typos; best first. Pages by offset: relevance has no key.
   */
  async search(
    tenantId: string,
    text: string,
    statuses: readonly ProductStatus[],
    page: { limit: number; offset: number },
  ): Promise<(ProductRecord & { score: number })[]> {
    const tsquery = prefixQuery(text);
    const fullText: SQL =
      tsquery === undefined ? sql`false` : sql`${products.searchVector} @@ to_tsquery('simple', ${tsquery})`;
    const rank: SQL =
      tsquery === undefined
        ? sql`0`
        : sql`ts_rank(${products.searchVector}, to_tsquery('simple', ${tsquery}))`;
    // `<%` uses the trigram index with this (transaction-local) threshold.
    await queryRows(
      this.db,
      sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`,
    );
    const score = sql<number>`(${rank} + word_similarity(${text}, ${products.name}))::float8`;
    return executor(this.db)
      .select({ ...columns, categoryIds: categoryIdsOfRow, score })
      .from(products)
      .where(
        and(
          eq(products.tenantId, tenantId),
          inArray(products.status, [...statuses]),
          sql`(${fullText} or ${text} <% ${products.name})`,
        ),
      )
      .orderBy(desc(score), desc(products.id))
      .limit(page.limit + 1)
      .offset(page.offset);
  }

  /** Available stock per product: at one location, or summed over every active location. */
  async available(
    tenantId: string,
    productIds: readonly string[],
    locationId: string | undefined,
  ): Promise<Map<string, number>> {
    if (productIds.length === 0) return new Map();
    const rows = await executor(this.db)
      .select({
        productId: stockLevels.productId,
        available: sql<number>`sum(${stockLevels.available})::int`,
      })
      .from(stockLevels)
      .innerJoin(
        locations,
        and(eq(locations.tenantId, stockLevels.tenantId), eq(locations.id, stockLevels.locationId)),
      )
      .where(
        and(
          eq(stockLevels.tenantId, tenantId),
          inArray(stockLevels.productId, [...productIds]),
          locationId === undefined ? eq(locations.active, true) : eq(stockLevels.locationId, locationId),
        ),
      )
      .groupBy(stockLevels.productId);
    return new Map(rows.map((row) => [row.productId, row.available]));
  }

  /** Membership of the category `categoryId` or any category below it. */
  private inCategoryTree(tenantId: string, categoryId: string): SQL {
    return sql`exists (
      with recursive tree(id, depth) as (
        select id, 0 from ${categories} where tenant_id = ${tenantId} and id = ${categoryId}
        union all
        select c.id, tree.depth + 1 from ${categories} c
        join tree on c.tenant_id = ${tenantId} and c.parent_id = tree.id
        where tree.depth < 100
      )
      select 1 from ${productCategories} pc join tree on pc.category_id = tree.id
      where pc.tenant_id = ${tenantId} and pc.product_id = ${products.id}
    )`;
  }
}
