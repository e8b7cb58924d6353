import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  primaryKey,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { catalogSchema } from '../../db/catalog-schema.ts';
import { categories } from '../categories/categories.table.ts';

/** A value of a product attribute. */
export type AttributeValue = string | number | boolean | string[];

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const products = catalogSchema.table(
  'products',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    priceAmount: bigint('price_amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    taxClass: text('tax_class').notNull().default('standard'),
    attributes: jsonb('attributes').$type<Record<string, AttributeValue>>().notNull().default({}),
    imageUrls: jsonb('image_urls').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['draft', 'active', 'archived'] }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    // Kept by PostgreSQL itself, so no write path can forget it. 'simple' (no stemming): tenants
    // write in many languages, and typos are the trigram index's job.
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple', coalesce("sku", '')), 'A') || setweight(to_tsvector('simple', coalesce("name", '')), 'A') || setweight(to_tsvector('simple', coalesce("description", '')), 'C')`,
    ),
  },
  (t) => [
    // Lets stock, reservations and categories reference (tenant_id, product_id): no cross-tenant link.
    unique('products_tenant_id_id_key').on(t.tenantId, t.id),
    unique('products_tenant_sku_key').on(t.tenantId, t.sku),
    check('products_status_check', sql`${t.status} in ('draft', 'active', 'archived')`),
    check('products_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('products_price_check', sql`${t.priceAmount} >= 0`),
    index('products_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('products_search_idx').using('gin', t.searchVector),
    // Trigram index for typo-tolerant matching of names ("shrit" finds "shirt").
    index('products_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
);

export const productCategories = catalogSchema.table(
  'product_categories',
  {
    tenantId: text('tenant_id').notNull(),
    productId: text('product_id').notNull(),
    categoryId: text('category_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.categoryId] }),
    foreignKey({
      name: 'product_categories_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'product_categories_category_fk',
      columns: [t.tenantId, t.categoryId],
      foreignColumns: [categories.tenantId, categories.id],
    }).onDelete('cascade'),
    index('product_categories_category_idx').on(t.tenantId, t.categoryId),
  ],
);

export type ProductRow = typeof products.$inferSelect;
