import { createHash } from 'node:crypto';
import { platformErrors } from '@only/platform/errors';
import {
  canonicalJson,
  problemResponses,
  runIdempotently,
  wantsFreshRead,
  type HttpApp,
  type IdempotencyStore,
} from '@only/platform/http';
import { callContextFrom } from '@only/platform/rpc';
import type { FastifyRequest } from 'fastify';
import { ordersErrors } from '../../errors.ts';
import type { OrderSaga } from '../saga/order-saga.ts';
import type { PaidPlacement } from '../saga/paid-placement.ts';
import type { OrderAction } from './order-state-machine.ts';
import {
  backOfficeOrder,
  cancelBody,
  historySchema,
  listOrdersQuery,
  orderIdParams,
  orderPageSchema,
  orderSchema,
  placeOrderBody,
  transitionBody,
  type Order,
} from './orders.dto.ts';
import type { OrdersService } from './orders.service.ts';

const tags = ['orders'];

const FORWARD_ACTIONS: readonly { action: Exclude<OrderAction, 'cancel'>; summary: string }[] = [
  { action: 'confirm', summary: 'Confirm a pending order' },
  { action: 'fulfill', summary: 'Mark a confirmed order fulfilled (shipped or handed over)' },
  { action: 'complete', summary: 'Complete a fulfilled order' },
];

/** What the routes need for paid orders: absent where the service runs without catalog and payments. */
export interface PaidOrders {
  readonly placement: PaidPlacement;
  readonly saga: OrderSaga;
}

/** What a caller needs besides `orders:create` to place a paid order: its token reserves and pays. */
const PAID_ORDER_PERMISSIONS = ['products:read', 'stock:reserve', 'payments:authorize'] as const;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` (checked like every idempotent route does) and body fingerprint. */
function placementRequest(request: FastifyRequest): { idempotencyKey?: string; fingerprint: string } {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw platformErrors.idempotency_key_invalid(
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      {
        field: 'Idempotency-Key',
      },
    );
  }
  const fingerprint = createHash('sha256')
    .update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`)
    .digest('base64url');
  return { ...(key === undefined ? {} : { idempotencyKey: key }), fingerprint };
}

/**
 * HTTP routes of orders. Placing and cancelling handle `Idempotency-Key` themselves
 * (`idempotent: false`): a paid order's calls to catalog and payments must not run inside the
 * transaction that stores an idempotent response.
 */
export function ordersRoutes(
  app: HttpApp,
  service: OrdersService,
  idempotency: IdempotencyStore,
  paid: PaidOrders | undefined,
): void {
  app.post(
    '/orders',
    {
      config: { permission: 'orders:create', idempotent: false },
      schema: {
        tags,
        summary: 'Place an order',
        description: [
          'With `payment`, the order is paid now (the order saga): lines carry `sku` and `quantity`, priced from the catalog; the stock is reserved and the payment authorized, and the order is answered `confirmed` (capture and stock commit follow). If that fails, the order is recorded in a failed state — `out_of_stock` (409), `payment_failed` (402) or `failed` (503) — with its reason, nothing stays reserved or charged, and the problem names the order (`orderId`). The caller’s token also needs `products:read`, `stock:reserve` and `payments:authorize`.',
          'Without `payment`, the order is taken `pending` at the prices sent (back office).',
          'Totals are computed by the server. Send an `Idempotency-Key` header to retry safely: the same key and body return the first answer, and a paid order is reserved and charged once.',
        ].join('\n\n'),
        body: placeOrderBody,
        response: { 201: orderSchema, ...problemResponses(400, 402, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const { payment } = request.body;
      if (payment === undefined) {
        // The stored first answer is replayed as it was sent: an order.
        return (await runIdempotently(idempotency, request, reply, async () => {
          const order = await service.place(request.ctx, backOfficeOrder(request.body));
          void reply.code(201).header('location', `orders/${order.id}`);
          return order;
        })) as Order;
      }
      if (paid === undefined)
        throw ordersErrors.payments_not_configured('Paid orders are not available here');
      const missing = PAID_ORDER_PERMISSIONS.filter((p) => request.principal?.permissions.has(p) !== true);
      if (missing.length > 0) {
        throw platformErrors.forbidden(`A paid order also needs ${missing.join(', ')}`, { missing });
      }
      const placed = await paid.placement.place(
        callContextFrom(request),
        { ...request.body, payment },
        placementRequest(request),
      );
      if (placed.replayed) void reply.header('idempotent-replayed', 'true');
      void reply.code(201).header('location', `orders/${placed.order.id}`);
      return placed.order;
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
      config: { permission: 'orders:cancel', idempotent: false },
      schema: {
        tags,
        summary: 'Cancel a pending or confirmed order',
        description:
          'A paid order’s payment is voided (or refunded, once captured) and its stock released (or returned to stock, once committed).',
        params: orderIdParams,
        body: cancelBody,
        response: { 200: orderSchema, ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { reason } = request.body;
      const order = (await runIdempotently(idempotency, request, reply, async () =>
        paid === undefined
          ? service.transition(request.ctx, id, 'cancel', reason)
          : (await paid.saga.requestCancel(request.ctx, id, reason)).order,
      )) as Order;
      if (paid === undefined) return order;
      // After the commit: void or refund, release or return (a no-op once done, e.g. on a replay).
      await paid.saga.runNow(request.ctx.tenantId, id);
      return order;
    },
  );
}
