import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import {
  categoryIdParams,
  categoryPageSchema,
  categorySchema,
  createCategoryBody,
  listCategoriesQuery,
  updateCategoryBody,
} from './categories.dto.ts';
import type { CategoriesService } from './categories.service.ts';

const tags = ['categories'];

/** HTTP routes of categories. */
export function categoriesRoutes(app: HttpApp, service: CategoriesService): void {
  app.post(
    '/categories',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Create a category, at the top or under a parent',
        body: createCategoryBody,
        response: { 201: categorySchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const category = await service.create(request.ctx, request.body);
      void reply.code(201).header('location', `categories/${category.id}`);
      return category;
    },
  );

  app.get(
    '/categories',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'List categories, oldest first; each names its parent',
        querystring: listCategoriesQuery,
        response: { 200: categoryPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/categories/:id',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'Get a category',
        params: categoryIdParams,
        response: { 200: categorySchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.patch(
    '/categories/:id',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Rename, describe or move a category',
        params: categoryIdParams,
        body: updateCategoryBody,
        response: { 200: categorySchema, ...problemResponses(400, 404, 409, 422) },
      },
    },
    (request) => service.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/categories/:id',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Delete a category without subcategories (its products stay)',
        params: categoryIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
