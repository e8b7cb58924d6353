import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import {
  createProductBody,
  listProductsQuery,
  lookupProductsQuery,
  lookupResultSchema,
  productIdParams,
  productPageSchema,
  productSchema,
  searchPageSchema,
  searchProductsQuery,
  updateProductBody,
} from './products.dto.ts';
import type { ProductsService } from './products.service.ts';

const tags = ['products'];

/** HTTP routes of products. */
export function productsRoutes(app: HttpApp, service: ProductsService): void {
  app.post(
    '/products',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Create a product',
        description: 'SKUs are unique within the tenant. Prices are integer minor units (cents).',
        body: createProductBody,
        response: { 201: productSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const product = await service.create(request.ctx, request.body);
      void reply.code(201).header('location', `products/${product.id}`);
      return product;
    },
  );

  app.get(
    '/products',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'List products, newest first, by status and category',
        querystring: listProductsQuery,
        response: { 200: productPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/products/search',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'Search products by SKU, name and description, forgiving typos; best first',
        querystring: searchProductsQuery,
        response: { 200: searchPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.search(request.ctx, request.query),
  );

  app.get(
    '/products/lookup',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'Price, tax class, status and available stock of products by SKU or id',
        querystring: lookupProductsQuery,
        response: { 200: lookupResultSchema, ...problemResponses(400, 422) },
      },
    },
    (request) => {
      const { skus, ids, locationId } = request.query;
      return service.getProducts(request.ctx, {
        ...(skus === undefined ? {} : { skus }),
        ...(ids === undefined ? {} : { ids }),
        ...(locationId === undefined ? {} : { locationId }),
      });
    },
  );

  app.get(
    '/products/:id',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'Get a product',
        params: productIdParams,
        response: { 200: productSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.patch(
    '/products/:id',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Change a product (its SKU, price, status, categories…)',
        params: productIdParams,
        body: updateProductBody,
        response: { 200: productSchema, ...problemResponses(400, 404, 409, 422) },
      },
    },
    (request) => service.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/products/:id',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Archive a product (it stays readable with status archived; its stock history remains)',
        params: productIdParams,
        response: { 204: z.null().describe('Archived'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await service.archive(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
