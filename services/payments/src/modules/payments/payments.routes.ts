import type { FastifyReply, FastifyRequest } from 'fastify';
import { validationError } from '@only/platform/errors';
import { problemResponses, type HttpApp } from '@only/platform/http';
import type { CommandOutcome } from './command-runner.ts';
import {
  authenticationBody,
  authorizeBody,
  captureBody,
  listPaymentsQuery,
  operationListSchema,
  paymentIdParams,
  paymentPageSchema,
  paymentSchema,
  refundBody,
  refundResultSchema,
  voidBody,
} from './payments.dto.ts';
import type { PaymentsService } from './payments.service.ts';

const tags = ['payments'];
const KEY = /^[\x21-\x7e]{1,255}$/;

const IDEMPOTENCY =
  'Requires an `Idempotency-Key` header (1 to 255 visible ASCII characters, unique per command in the tenant). Sending the same key and body again returns the first answer — success or decline — without a second call to the provider (`Idempotent-Replayed: true`); the same key with another body is `platform.idempotency_key_reused`. After `payments.provider_unavailable` (outcome unknown), retrying with the same key is safe: nothing is charged twice.';

/** The request's Idempotency-Key, checked; undefined when it has none. */
function keyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key))
    throw validationError([
      {
        field: 'Idempotency-Key',
        in: 'headers',
        rule: 'format',
        message: 'Must be 1 to 255 visible ASCII characters',
      },
    ]);
  return key;
}

function missingKey() {
  return validationError([
    {
      field: 'Idempotency-Key',
      in: 'headers',
      rule: 'required',
      message: 'Payment commands need an Idempotency-Key header',
    },
  ]);
}

/**
 * The key of a command on an existing payment. Without one the payment is looked up first, so
 * that another tenant's id is a 404 whatever the request lacks.
 */
async function commandKey(
  request: FastifyRequest,
  service: PaymentsService,
  paymentId: string,
): Promise<string> {
  const key = keyOf(request);
  if (key !== undefined) return key;
  await service.get(request.ctx, paymentId);
  throw missingKey();
}

function answer(reply: FastifyReply, outcome: CommandOutcome, status: number) {
  void reply.code(status);
  if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
}

/** HTTP routes of payments (orders reach the same commands over internal RPC). */
export function paymentsRoutes(app: HttpApp, service: PaymentsService): void {
  app.post(
    '/payments',
    {
      // The service keeps its own idempotency records (they must outlive a provider timeout).
      config: { permission: 'payments:authorize', idempotent: false },
      schema: {
        tags,
        summary: 'Authorize a payment for an order',
        description: `Creates a payment and authorizes the amount on the payment method: 201 with the payment \`authorized\`, or \`requires_action\` when the customer must authenticate it first (complete it with POST /payments/{id}/authentication). A decline is a 402 (\`payments.declined\` or \`payments.insufficient_funds\`, naming the failed payment and the reason). ${IDEMPOTENCY}`,
        body: authorizeBody,
        response: { 201: paymentSchema, ...problemResponses(400, 402, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const key = keyOf(request);
      if (key === undefined) throw missingKey();
      const outcome = await service.authorize(request.ctx, request.body, key);
      answer(reply, outcome, 201);
      void reply.header('location', `payments/${outcome.payment.id}`);
      return outcome.payment;
    },
  );

  app.get(
    '/payments',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'List payments, newest first, by order and status',
        querystring: listPaymentsQuery,
        response: { 200: paymentPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/payments/:id',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'Get a payment with its amounts and refunds',
        params: paymentIdParams,
        response: { 200: paymentSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.get(
    '/payments/:id/operations',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'The history of a payment: every operation, its outcome, key and actor',
        params: paymentIdParams,
        response: { 200: operationListSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.operations(request.ctx, request.params.id),
  );

  app.post(
    '/payments/:id/authentication',
    {
      config: { permission: 'payments:authorize', idempotent: false },
      schema: {
        tags,
        summary: 'Complete the customer authentication of a payment that requires it',
        description: `Test provider: \`result\` says what the customer did. The payment is then \`authorized\`, or \`failed\` with code \`authentication_failed\`; both answer 200. ${IDEMPOTENCY}`,
        params: paymentIdParams,
        body: authenticationBody,
        response: { 200: paymentSchema, ...problemResponses(400, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const key = await commandKey(request, service, request.params.id);
      const outcome = await service.authenticate(request.ctx, request.params.id, request.body.result, key);
      answer(reply, outcome, 200);
      return outcome.payment;
    },
  );

  app.post(
    '/payments/:id/capture',
    {
      config: { permission: 'payments:capture', idempotent: false },
      schema: {
        tags,
        summary: 'Capture an authorized payment, all of it or part (once)',
        description: `Takes \`amount\` (all of the authorized amount when absent); a payment is captured once, and what is not captured is released. ${IDEMPOTENCY}`,
        params: paymentIdParams,
        body: captureBody,
        response: { 200: paymentSchema, ...problemResponses(400, 402, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const key = await commandKey(request, service, request.params.id);
      const outcome = await service.capture(request.ctx, request.params.id, request.body, key);
      answer(reply, outcome, 200);
      return outcome.payment;
    },
  );

  app.post(
    '/payments/:id/void',
    {
      config: { permission: 'payments:void', idempotent: false },
      schema: {
        tags,
        summary: 'Void a payment before capture: nothing is taken, the reservation is released',
        description: `Allowed while \`authorized\` or \`requires_action\`; a voided payment is answered as it is. ${IDEMPOTENCY}`,
        params: paymentIdParams,
        body: voidBody,
        response: { 200: paymentSchema, ...problemResponses(400, 402, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const key = await commandKey(request, service, request.params.id);
      const outcome = await service.void(request.ctx, request.params.id, request.body, key);
      answer(reply, outcome, 200);
      return outcome.payment;
    },
  );

  app.post(
    '/payments/:id/refunds',
    {
      config: { permission: 'payments:refund', idempotent: false },
      schema: {
        tags,
        summary: 'Refund part or all of a captured payment (repeatable, never above what was captured)',
        description: `Refunds may repeat until everything captured is refunded; one that would exceed it is \`payments.refund_exceeds_captured\` with \`refundable\`. ${IDEMPOTENCY}`,
        params: paymentIdParams,
        body: refundBody,
        response: { 201: refundResultSchema, ...problemResponses(400, 402, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const key = await commandKey(request, service, request.params.id);
      const outcome = await service.refund(request.ctx, request.params.id, request.body, key);
      answer(reply, outcome, 201);
      if (outcome.refund === undefined) throw new Error('refund answered without its refund');
      return { refund: outcome.refund, payment: outcome.payment };
    },
  );
}
