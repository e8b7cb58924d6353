import { problemResponses, type HttpApp } from '@only/platform/http';
import { productIdParams } from '../products/products.dto.ts';
import {
  adjustmentResultSchema,
  adjustStockBody,
  listLevelsQuery,
  listMovementsQuery,
  movementPageSchema,
  productStockSchema,
  setReorderPointBody,
  stockLevelPageSchema,
  stockLevelSchema,
  transferResultSchema,
  transferStockBody,
} from './stock.dto.ts';
import type { StockService } from './stock.service.ts';

const tags = ['stock'];

/** HTTP routes of stock levels, adjustments, transfers and the audit trail. */
export function stockRoutes(app: HttpApp, service: StockService): void {
  app.get(
    '/stock',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'List stock levels: on hand, reserved and available per product and location',
        querystring: listLevelsQuery,
        response: { 200: stockLevelPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/products/:id/stock',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'Stock of one product, per location and in total',
        params: productIdParams,
        response: { 200: productStockSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.ofProduct(request.ctx, request.params.id),
  );

  app.post(
    '/stock/adjustments',
    {
      config: { permission: 'stock:adjust' },
      schema: {
        tags,
        summary: 'Adjust stock on hand for a reason (received, damaged, counted…)',
        description:
          'Records who, when, why and the level before and after in the audit trail. Stock on hand cannot go below what is reserved.',
        body: adjustStockBody,
        response: { 201: adjustmentResultSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await service.adjust(request.ctx, request.body);
      void reply.code(201);
      return result;
    },
  );

  app.post(
    '/stock/transfers',
    {
      config: { permission: 'stock:adjust' },
      schema: {
        tags,
        summary: 'Move unreserved stock from one location to another',
        body: transferStockBody,
        response: { 201: transferResultSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await service.transfer(request.ctx, request.body);
      void reply.code(201);
      return result;
    },
  );

  app.put(
    '/stock/reorder-points',
    {
      config: { permission: 'stock:adjust' },
      schema: {
        tags,
        summary: 'Set the reorder point of a product at a location (null: no low-stock alerts)',
        body: setReorderPointBody,
        response: { 200: stockLevelSchema, ...problemResponses(400, 422) },
      },
    },
    (request) => service.setReorderPoint(request.ctx, request.body),
  );

  app.get(
    '/stock/movements',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'The audit trail of stock on hand, newest first',
        querystring: listMovementsQuery,
        response: { 200: movementPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.movements(request.ctx, request.query),
  );
}
