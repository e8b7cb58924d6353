import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { currencySchema, MAX_AMOUNT } from '@only/platform/money';
import { z } from 'zod';
import { OPERATION_KINDS, OPERATION_OUTCOMES } from './payments.table.ts';
import { PAYMENT_ACTIONS, PAYMENT_STATUSES } from './payment-state-machine.ts';

export const paymentIdParams = z.object({ id: idSchema('pay') });

const positiveAmount = z
  .number()
  .int()
  .min(1)
  .max(MAX_AMOUNT)
  .meta({ description: 'Amount in integer minor units of the currency (e.g. cents).', example: 1290 });

const reasonSchema = z.string().trim().min(1).max(200);

/** Looks like a card number: a token must never be one (and is then never echoed back). */
const CARD_NUMBER = /^\d[\d -]{10,22}\d$/;

export const paymentTokenSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'Visible ASCII characters only')
  .refine((token) => !CARD_NUMBER.test(token), {
    message: 'Send the token of the payment method, never a card number',
    params: { rule: 'not_card_number' },
  })
  .describe(
    'Token of the payment method, as the payment form gave it; with the test provider, a test card token such as `tok_test_approve`. Never a card number: it is neither stored nor logged.',
  );

export const providerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'Lower-case letters, digits, - and _')
  .describe('Provider adapter to use (`test`); the service default when absent.');

export const authorizeBody = z
  .object({
    orderId: idSchema('ord').describe('The order paid for.'),
    amount: positiveAmount,
    currency: currencySchema,
    paymentToken: paymentTokenSchema,
    customerId: idSchema('cus').optional().describe('The paying customer, when known.'),
    provider: providerNameSchema.optional(),
  })
  .strict()
  .meta({ id: 'AuthorizePayment' });
export type AuthorizeBody = z.output<typeof authorizeBody>;

export const captureBody = z
  .object({
    amount: positiveAmount
      .optional()
      .describe('Amount to capture, at most the authorized amount; all of it when absent.'),
  })
  .strict()
  .meta({ id: 'CapturePayment' });

export const voidBody = z
  .object({ reason: reasonSchema.optional().describe('Why, for the history: `out_of_stock`…') })
  .strict()
  .meta({ id: 'VoidPayment' });

export const refundBody = z
  .object({
    amount: positiveAmount.describe('Amount to refund, at most what is captured and not refunded yet.'),
    reason: reasonSchema.optional().describe('Why, for the history: `order_cancelled`, `damaged`…'),
  })
  .strict()
  .meta({ id: 'RefundPayment' });

export const authenticationBody = z
  .object({
    result: z
      .enum(['succeeded', 'failed'])
      .describe(
        'What the customer did with the challenge. Only the test provider takes it from here; real adapters ask the processor.',
      ),
  })
  .strict()
  .meta({ id: 'CompleteAuthentication' });

export const paymentStatusSchema = z.enum(PAYMENT_STATUSES);

export const listPaymentsQuery = pageQuerySchema.extend({
  orderId: idSchema('ord').optional().describe('Only the payments of this order.'),
  status: z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean),
    )
    .pipe(z.array(paymentStatusSchema).min(1))
    .optional()
    .describe('One status or several, comma-separated.'),
});
export type ListPaymentsQuery = z.output<typeof listPaymentsQuery>;

const moneyAmount = z.number().int().nonnegative();

export const refundViewSchema = z
  .object({
    id: z.string().describe('The refund operation (`pop_…`).'),
    amount: moneyAmount,
    currency: z.string(),
    reason: z.string().nullable(),
    providerReference: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Refund' });
export type RefundView = z.output<typeof refundViewSchema>;

export const paymentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    customerId: z.string().nullable(),
    status: paymentStatusSchema,
    amount: moneyAmount.describe('Authorized (or, until authorized, requested).'),
    currency: z.string(),
    amountCaptured: moneyAmount,
    amountRefunded: moneyAmount,
    amountRefundPending: moneyAmount.describe('Refunds whose provider call is in flight or unknown.'),
    refundable: moneyAmount.describe('What can still be refunded now.'),
    provider: z.string(),
    providerReference: z.string().nullable(),
    card: z
      .object({ brand: z.string().nullable(), last4: z.string().nullable() })
      .nullable()
      .describe('What the token told about the card; never its number.'),
    failure: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('Why the payment failed, when it did.'),
    nextAction: z
      .object({ type: z.literal('authenticate'), url: z.string().nullable() })
      .nullable()
      .describe('What the customer must do while the payment is `requires_action`.'),
    pendingOperation: z
      .object({ id: z.string(), kind: z.enum(OPERATION_KINDS) })
      .nullable()
      .describe('The operation in flight or of unknown outcome: retry it with its Idempotency-Key.'),
    allowedActions: z.array(z.enum(PAYMENT_ACTIONS)),
    refunds: z.array(refundViewSchema),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    authorizedAt: z.iso.datetime().nullable(),
    capturedAt: z.iso.datetime().nullable(),
    voidedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Payment' });
export type PaymentView = z.output<typeof paymentSchema>;

export const paymentPageSchema = pageSchema(paymentSchema).meta({ id: 'PaymentPage' });

export const refundResultSchema = z
  .object({ refund: refundViewSchema, payment: paymentSchema })
  .meta({ id: 'RefundResult' });
export type RefundResult = z.output<typeof refundResultSchema>;

export const operationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(OPERATION_KINDS),
    outcome: z.enum(OPERATION_OUTCOMES),
    amount: moneyAmount,
    currency: z.string(),
    reason: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    attempts: z.number().int().describe('Provider calls made for it (retries reuse one provider key).'),
    providerReference: z.string().nullable(),
    error: z
      .object({ code: z.string(), detail: z.string().nullable() })
      .nullable()
      .describe('The problem it ended with, when declined.'),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PaymentOperation' });
export type OperationView = z.output<typeof operationSchema>;

export const operationListSchema = z
  .object({ items: z.array(operationSchema) })
  .meta({ id: 'PaymentOperations' });
