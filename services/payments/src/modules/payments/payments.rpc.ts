import { moneyOf, toMoney, type Money } from '@only/contracts/rpc';
import {
  PaymentStatus as RpcPaymentStatus,
  PaymentsService as PaymentsContract,
  type Payment as RpcPayment,
  type Refund as RpcRefund,
} from '@only/contracts/rpc/payments';
import { validationError, zodIssuesToViolations } from '@only/platform/errors';
import { idSchema } from '@only/platform/ids';
import { currencySchema, MAX_AMOUNT } from '@only/platform/money';
import { defineRpcService, type RpcService } from '@only/platform/rpc';
import { z } from 'zod';
import { paymentsErrors } from '../../errors.ts';
import { paymentTokenSchema, providerNameSchema, type PaymentView, type RefundView } from './payments.dto.ts';
import type { PaymentStatus } from './payment-state-machine.ts';
import type { PaymentsService } from './payments.service.ts';

const STATUS: Readonly<Record<PaymentStatus, RpcPaymentStatus>> = {
  processing: RpcPaymentStatus.PROCESSING,
  requires_action: RpcPaymentStatus.REQUIRES_ACTION,
  pending_review: RpcPaymentStatus.PENDING_REVIEW,
  authorized: RpcPaymentStatus.AUTHORIZED,
  captured: RpcPaymentStatus.CAPTURED,
  partially_refunded: RpcPaymentStatus.PARTIALLY_REFUNDED,
  refunded: RpcPaymentStatus.REFUNDED,
  voided: RpcPaymentStatus.VOIDED,
  failed: RpcPaymentStatus.FAILED,
};

const keySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'Must be 1 to 255 visible ASCII characters');
const reasonSchema = z
  .string()
  .trim()
  .max(200)
  .transform((reason) => (reason === '' ? undefined : reason));

/** Money on the wire as a positive amount and a currency; absent stays absent. */
const moneySchema = z
  .custom<Money>((value) => typeof value === 'object' && value !== null && 'amountMinor' in value)
  .transform((money, context) => {
    try {
      return moneyOf(money);
    } catch {
      context.addIssue({ code: 'custom', message: 'Amount out of range', params: { rule: 'too_big' } });
      return z.NEVER;
    }
  })
  .pipe(z.object({ amount: z.number().int().min(1).max(MAX_AMOUNT), currency: currencySchema }));

const paymentIdSchema = idSchema('pay');

/** The request, validated like an HTTP body: a 400 naming each field and rule. */
function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(zodIssuesToViolations(result.error.issues, 'body'));
  return result.data;
}

function timestamp(iso: string) {
  const ms = Date.parse(iso);
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

function toRpcRefund(refund: RefundView): Omit<RpcRefund, '$typeName'> {
  return {
    id: refund.id,
    amount: toMoney(refund.amount, refund.currency),
    reason: refund.reason ?? '',
    createdAt: timestamp(refund.createdAt) as RpcRefund['createdAt'],
  };
}

/** A payment as the RPC contract carries it. */
function toRpcPayment(payment: PaymentView): Omit<RpcPayment, '$typeName'> {
  return {
    id: payment.id,
    orderId: payment.orderId,
    status: STATUS[payment.status],
    amount: toMoney(payment.amount, payment.currency),
    captured: toMoney(payment.amountCaptured, payment.currency),
    refunded: toMoney(payment.amountRefunded, payment.currency),
    provider: payment.provider,
    providerReference: payment.providerReference ?? '',
    refunds: payment.refunds.map(toRpcRefund) as RpcRefund[],
    createdAt: timestamp(payment.createdAt) as RpcPayment['createdAt'],
    updatedAt: timestamp(payment.updatedAt) as RpcPayment['updatedAt'],
  };
}

/**
 * `only.payments.v1.PaymentsService` over the service layer: the same commands, idempotency keys
 * and problems as the HTTP API. Authorize answers only an authorized payment: a payment that
 * needs the customer's authentication is `payments.authentication_required` (its `paymentId`
 * waits in `requires_action`).
 */
export function paymentsRpc(payments: PaymentsService): RpcService {
  return defineRpcService(PaymentsContract, {
    authorize: {
      permission: 'payments:authorize',
      handle: async (request, call) => {
        const input = parse(
          z.object({
            orderId: idSchema('ord'),
            amount: moneySchema,
            paymentToken: paymentTokenSchema,
            idempotencyKey: keySchema,
            customerId: idSchema('cus').optional(),
            provider: providerNameSchema.optional(),
          }),
          request,
        );
        const outcome = await payments.authorize(
          call.ctx,
          {
            orderId: input.orderId,
            amount: input.amount.amount,
            currency: input.amount.currency,
            paymentToken: input.paymentToken,
            ...(input.customerId === undefined ? {} : { customerId: input.customerId }),
            ...(input.provider === undefined ? {} : { provider: input.provider }),
          },
          input.idempotencyKey,
        );
        if (outcome.payment.status === 'requires_action')
          throw paymentsErrors.authentication_required(
            `Payment ${outcome.payment.id} waits for the customer to authenticate it`,
            { paymentId: outcome.payment.id, nextAction: outcome.payment.nextAction },
          );
        return { payment: toRpcPayment(outcome.payment) };
      },
    },
    capture: {
      permission: 'payments:capture',
      handle: async (request, call) => {
        const input = parse(
          z.object({ paymentId: paymentIdSchema, amount: moneySchema.optional(), idempotencyKey: keySchema }),
          request,
        );
        const outcome = await payments.capture(
          call.ctx,
          input.paymentId,
          input.amount === undefined ? {} : { amount: input.amount.amount, currency: input.amount.currency },
          input.idempotencyKey,
        );
        return { payment: toRpcPayment(outcome.payment) };
      },
    },
    void: {
      permission: 'payments:void',
      handle: async (request, call) => {
        const input = parse(
          z.object({ paymentId: paymentIdSchema, idempotencyKey: keySchema, reason: reasonSchema }),
          request,
        );
        const outcome = await payments.void(
          call.ctx,
          input.paymentId,
          input.reason === undefined ? {} : { reason: input.reason },
          input.idempotencyKey,
        );
        return { payment: toRpcPayment(outcome.payment) };
      },
    },
    refund: {
      permission: 'payments:refund',
      handle: async (request, call) => {
        const input = parse(
          z.object({
            paymentId: paymentIdSchema,
            amount: moneySchema,
            idempotencyKey: keySchema,
            reason: reasonSchema,
          }),
          request,
        );
        const outcome = await payments.refund(
          call.ctx,
          input.paymentId,
          {
            amount: input.amount.amount,
            currency: input.amount.currency,
            ...(input.reason === undefined ? {} : { reason: input.reason }),
          },
          input.idempotencyKey,
        );
        if (outcome.refund === undefined) throw new Error('refund answered without its refund');
        return { payment: toRpcPayment(outcome.payment), refund: toRpcRefund(outcome.refund) };
      },
    },
  });
}
