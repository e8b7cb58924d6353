import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { CategoryRow } from './categories.table.ts';

const name = z.string().trim().min(1, 'Must not be empty').max(200);
const description = z.string().trim().max(2_000);

export const categoryIdParams = z.object({ id: idSchema('cat') });

export const createCategoryBody = z
  .object({
    name,
    description: description.nullish(),
    parentId: idSchema('cat').nullish().describe('The parent category; none for a top-level category.'),
  })
  .strict()
  .meta({ id: 'CreateCategory' });
export type CreateCategoryInput = z.output<typeof createCategoryBody>;

export const updateCategoryBody = z
  .object({
    name: name.optional(),
    description: description.nullable().optional(),
    parentId: idSchema('cat')
      .nullable()
      .optional()
      .describe('Move it under another category, or to the top (null).'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of name, description, parentId',
    params: { rule: 'not_empty' },
  })
  .meta({ id: 'UpdateCategory' });
export type UpdateCategoryInput = z.output<typeof updateCategoryBody>;

export const listCategoriesQuery = pageQuerySchema.extend({
  parentId: z
    .union([idSchema('cat'), z.literal('root')])
    .optional()
    .describe('Only the children of this category (`root`: top-level categories only).'),
});
export type ListCategoriesQuery = z.output<typeof listCategoriesQuery>;

export const categorySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    parentId: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Category' });
export type Category = z.output<typeof categorySchema>;

export const categoryPageSchema = pageSchema(categorySchema).meta({ id: 'CategoryPage' });

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    parentId: row.parentId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
