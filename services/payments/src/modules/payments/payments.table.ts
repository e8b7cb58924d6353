import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { paymentsSchema } from '../../db/payments-schema.ts';
import type { NextAction } from '../providers/payment-provider.ts';
import { PAYMENT_STATUSES } from './payment-state-machine.ts';

const money = (name: string) => bigint(name, { mode: 'number' });
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** What an operation on a payment is. */
export const OPERATION_KINDS = ['authorize', 'authenticate', 'capture', 'void', 'refund'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * How an operation ended: `pending` while its provider call is in flight, `unknown` when that
 * call timed out (retry with the same key), `rejected` when the service refused it before asking
 * the provider (wrong state, amount too high).
 */
export const OPERATION_OUTCOMES = [
  'pending',
  'succeeded',
  'requires_action',
  'declined',
  'rejected',
  'unknown',
] as const;
export type OperationOutcome = (typeof OPERATION_OUTCOMES)[number];

/** A stored problem, replayed when the same idempotency key is sent again. */
export interface StoredProblem {
  readonly code: string;
  readonly detail: string | null;
  readonly extensions: Record<string, unknown>;
}

/** A payment (intent) of an order: amounts in minor units of `currency`. */
export const payments = paymentsSchema.table(
  'payments',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
    customerId: text('customer_id'),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    currency: text('currency').notNull(),
    /** Authorized (or, until authorized, requested). */
    amount: money('amount').notNull(),
    amountCaptured: money('amount_captured').notNull().default(0),
    amountRefunded: money('amount_refunded').notNull().default(0),
    /** Reserved by refunds whose provider call is in flight or unknown: keeps the cap under concurrency. */
    amountRefundPending: money('amount_refund_pending').notNull().default(0),
    provider: text('provider').notNull(),
    providerReference: text('provider_reference'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    nextAction: jsonb('next_action').$type<NextAction>(),
    /** The authorize, authenticate, capture or void whose provider call is in flight or unknown. */
    pendingOperationId: text('pending_operation_id'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    authorizedAt: timestamptz('authorized_at'),
    capturedAt: timestamptz('captured_at'),
    voidedAt: timestamptz('voided_at'),
  },
  (t) => [
    unique('payments_tenant_id_id_key').on(t.tenantId, t.id),
    check('payments_status_check', sql`${t.status} in (${inList(PAYMENT_STATUSES)})`),
    check('payments_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('payments_amount_check', sql`${t.amount} > 0`),
    check('payments_captured_check', sql`${t.amountCaptured} between 0 and ${t.amount}`),
    // The refund cap, as the database's last word: what is refunded or being refunded never
    // exceeds what was captured.
    check(
      'payments_refunded_check',
      sql`${t.amountRefunded} >= 0 and ${t.amountRefundPending} >= 0 and ${t.amountRefunded} + ${t.amountRefundPending} <= ${t.amountCaptured}`,
    ),
    check('payments_card_last4_check', sql`${t.cardLast4} ~ '^[0-9]{4}$'`),
    index('payments_tenant_order_idx').on(t.tenantId, t.orderId, t.id.desc()),
    index('payments_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
  ],
);

/**
 * The history of a payment, one row per operation, and the idempotency record of each command:
 * its key, the fingerprint of its request, and the answer to replay.
 */
export const paymentOperations = paymentsSchema.table(
  'payment_operations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    paymentId: text('payment_id').notNull(),
    kind: text('kind', { enum: OPERATION_KINDS }).notNull(),
    outcome: text('outcome', { enum: OPERATION_OUTCOMES }).notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason'),
    /** The caller's key: unique per tenant across every command. */
    idempotencyKey: text('idempotency_key'),
    /** Hash of the command's request: the same key with another request is refused. */
    fingerprint: text('fingerprint'),
    /** The payment's status before the operation, restored when the provider declines it. */
    fromStatus: text('from_status', { enum: PAYMENT_STATUSES }),
    /** Provider calls so far; the provider-side idempotency key is the operation id. */
    attempts: integer('attempts').notNull().default(1),
    /** Until when the current provider call holds the operation (a crashed holder loses it). */
    leaseUntil: timestamptz('lease_until'),
    providerReference: text('provider_reference'),
    problem: jsonb('problem').$type<StoredProblem>(),
    /** The answer given (the payment as it was then), replayed for the same key. */
    result: jsonb('result'),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    unique('payment_operations_tenant_key_key').on(t.tenantId, t.idempotencyKey),
    foreignKey({
      name: 'payment_operations_payment_fk',
      columns: [t.tenantId, t.paymentId],
      foreignColumns: [payments.tenantId, payments.id],
    }),
    check('payment_operations_kind_check', sql`${t.kind} in (${inList(OPERATION_KINDS)})`),
    check('payment_operations_outcome_check', sql`${t.outcome} in (${inList(OPERATION_OUTCOMES)})`),
    check('payment_operations_amount_check', sql`${t.amount} >= 0`),
    index('payment_operations_payment_idx').on(t.tenantId, t.paymentId, t.id),
  ],
);

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentOperationRow = typeof paymentOperations.$inferSelect;
