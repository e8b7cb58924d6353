import { problemResponses, wantsFreshRead, type HttpApp } from '@only/platform/http';
import type { OrderAction } from './order-state-machine.ts';
import {
  cancelBody,
  createOrderBody,
  historySchema,
  listOrdersQuery,
  orderIdParams,
  orderPageSchema,
  orderSchema,
  transitionBody,
} from './orders.dto.ts';
import type { OrdersService } from './orders.service.ts';

const tags = ['orders'];

const FORWARD_ACTIONS: readonly { action: Exclude<OrderAction, 'cancel'>; summary: string }[] = [
  { action: 'confirm', summary: 'Confirm a pending order' },
  { action: 'fulfill', summary: 'Mark a confirmed order fulfilled (shipped or handed over)' },
  { action: 'complete', summary: 'Complete a fulfilled order' },
];

/** HTTP routes of orders. */
export function ordersRoutes(app: HttpApp, service: OrdersService): void {
  app.post(
    '/orders',
    {
      config: { permission: 'orders:create' },
      schema: {
        tags,
        summary: 'Place an order',
        description:
          'Totals are computed by the server from the lines. Send an `Idempotency-Key` header to retry safely: the same key and body return the first response.',
        body: createOrderBody,
        response: { 201: orderSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const order = await service.place(request.ctx, request.body);
      void reply.code(201).header('location', `orders/${order.id}`);
      return order;
    },
  );

  app.get(
    '/orders',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: 'List orders, newest first, filtered by status, customer and placement time',
        querystring: listOrdersQuery,
        response: { 200: orderPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/orders/:id',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: 'Get an order with its lines and status history',
        params: orderIdParams,
        response: { 200: orderSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id, { fresh: wantsFreshRead(request) }),
  );

  app.get(
    '/orders/:id/history',
    {
      config: { permission: 'orders:read' },
      schema: {
        tags,
        summary: 'Status history of an order: who changed it, when and why',
        params: orderIdParams,
        response: { 200: historySchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.history(request.ctx, request.params.id),
  );

  for (const { action, summary } of FORWARD_ACTIONS) {
    app.post(
      `/orders/:id/${action}`,
      {
        config: { permission: 'orders:manage' },
        schema: {
          tags,
          summary,
          params: orderIdParams,
          body: transitionBody,
          response: { 200: orderSchema, ...problemResponses(400, 404, 409, 422) },
        },
      },
      (request) => service.transition(request.ctx, request.params.id, action, request.body.reason),
    );
  }

  app.post(
    '/orders/:id/cancel',
    {
      config: { permission: 'orders:cancel' },
      schema: {
        tags,
        summary: 'Cancel a pending or confirmed order',
        params: orderIdParams,
        body: cancelBody,
        response: { 200: orderSchema, ...problemResponses(400, 404, 409, 422) },
      },
    },
    (request) => service.transition(request.ctx, request.params.id, 'cancel', request.body.reason),
  );
}
