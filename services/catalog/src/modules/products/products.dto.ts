import { productSnapshotSchema, productStatusSchema } from '@only/contracts/catalog';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { amountSchema, currencySchema } from '@only/platform/money';
import { z } from 'zod';
import type { AttributeValue, ProductRow } from './products.table.ts';

/** The SKU rule, shared with order lines: what a till or an order may send. */
export const skuSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'Letters, digits and . _ / - only');

const name = z.string().trim().min(1, 'Must not be empty').max(200);
const description = z.string().trim().max(10_000);
const price = z
  .object({ amount: amountSchema, currency: currencySchema })
  .strict()
  .describe('Price of one unit in integer minor units of the currency (e.g. cents).');
const taxClass = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Lower-case letters, digits, _ and - only, such as standard or reduced')
  .describe('Tax class the invoicing applies a rate for, e.g. `standard`, `reduced`, `zero`.');
const attributes = z
  .record(
    z.string().trim().min(1).max(64),
    z.union([
      z.string().max(1_000),
      z.number(),
      z.boolean(),
      z.array(z.string().max(200)).max(50),
    ]) satisfies z.ZodType<AttributeValue>,
  )
  .refine((value) => Object.keys(value).length <= 100, {
    message: 'At most 100 attributes',
    params: { rule: 'too_big' },
  })
  .describe('Free attributes such as `{"color": "blue", "sizes": ["S", "M"]}`.');
const imageUrls = z.array(z.url({ protocol: /^https?$/ }).max(2_000)).max(20);
const categoryIds = z
  .array(idSchema('cat'))
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, {
    message: 'Each category once',
    params: { rule: 'unique' },
  });

export const productIdParams = z.object({ id: idSchema('prd') });

export const createProductBody = z
  .object({
    sku: skuSchema,
    name,
    description: description.nullish(),
    price,
    taxClass: taxClass.default('standard'),
    attributes: attributes.default({}),
    imageUrls: imageUrls.default([]),
    status: productStatusSchema.default('active'),
    categoryIds: categoryIds.default([]),
  })
  .strict()
  .meta({ id: 'CreateProduct' });
export type CreateProductInput = z.output<typeof createProductBody>;

export const updateProductBody = z
  .object({
    sku: skuSchema.optional(),
    name: name.optional(),
    description: description.nullable().optional(),
    price: price.optional(),
    taxClass: taxClass.optional(),
    attributes: attributes.optional(),
    imageUrls: imageUrls.optional(),
    status: productStatusSchema.optional(),
    categoryIds: categoryIds.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one field to change',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateProduct' });
export type UpdateProductInput = z.output<typeof updateProductBody>;

/** A comma-separated list (or a repeated parameter) in a query string. */
function listParam<T extends z.ZodType<unknown, string>>(item: T, max: number) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(max));
}

const statusFilter = listParam(productStatusSchema, 3)
  .optional()
  .describe('One status or several, comma-separated; draft and active when absent.');

export const listProductsQuery = pageQuerySchema.extend({
  status: statusFilter,
  categoryId: idSchema('cat').optional().describe('Products in this category or any of its subcategories.'),
});
export type ListProductsQuery = z.output<typeof listProductsQuery>;

export const searchProductsQuery = pageQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1, 'Must not be empty')
    .max(200)
    .describe('Words to find in SKU, name and description; typos in names are forgiven.'),
  status: statusFilter,
});
export type SearchProductsQuery = z.output<typeof searchProductsQuery>;

export const lookupProductsQuery = z
  .object({
    skus: listParam(skuSchema, 500).optional().describe('SKUs, comma-separated.'),
    ids: listParam(idSchema('prd'), 500).optional().describe('Product ids, comma-separated.'),
    locationId: idSchema('loc')
      .optional()
      .describe('Where `available` is counted; summed over every active location when absent.'),
  })
  .superRefine((query, ctx) => {
    const count = (query.skus?.length ?? 0) + (query.ids?.length ?? 0);
    if (count === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['skus'],
        message: 'Give skus, ids or both',
        params: { rule: 'required' },
      });
    } else if (count > 500) {
      ctx.addIssue({
        code: 'custom',
        path: ['skus'],
        message: 'At most 500 SKUs and ids together',
        params: { rule: 'too_big' },
      });
    }
  });
export type LookupProductsQuery = z.output<typeof lookupProductsQuery>;

/** A product as the API returns it: the same shape its events carry. */
export const productSchema = productSnapshotSchema.meta({ id: 'Product' });
export type Product = z.output<typeof productSchema>;

export const productPageSchema = pageSchema(productSchema).meta({ id: 'ProductPage' });

export const searchResultSchema = productSnapshotSchema
  .extend({ score: z.number().describe('Relevance: higher is better.') })
  .meta({ id: 'ProductSearchResult' });
export type SearchResult = z.output<typeof searchResultSchema>;
export const searchPageSchema = pageSchema(searchResultSchema).meta({ id: 'ProductSearchPage' });

/** What an order needs to know about a product to sell it. */
export const productAvailabilitySchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    price: productSnapshotSchema.shape.price,
    taxClass: z.string(),
    status: productStatusSchema,
    available: z.number().int().nonnegative().describe('Quantity that can be reserved now at the location.'),
    locationId: z
      .string()
      .nullable()
      .describe('Where `available` was counted; null when the tenant has no location.'),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ProductAvailability' });
export type ProductAvailability = z.output<typeof productAvailabilitySchema>;

export const lookupResultSchema = z
  .object({
    items: z.array(productAvailabilitySchema).describe('In SKU order.'),
    missing: z.array(z.string()).describe('Requested SKUs and ids that name no product of the tenant.'),
  })
  .meta({ id: 'ProductLookup' });
export type LookupResult = z.output<typeof lookupResultSchema>;

/** The stored product with the ids of its categories. */
export type ProductRecord = Omit<ProductRow, 'searchVector'> & { categoryIds: string[] };

/** The API (and event) view of a stored product. */
export function toProduct(row: ProductRecord): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: { amount: row.priceAmount, currency: row.currency },
    taxClass: row.taxClass,
    attributes: row.attributes,
    imageUrls: row.imageUrls,
    status: row.status,
    categoryIds: [...row.categoryIds].sort(),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
