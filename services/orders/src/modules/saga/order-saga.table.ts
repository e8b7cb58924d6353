import type { FailedOrderStatus, OrderFailure } from '@only/contracts/orders';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { ordersSchema } from '../../db/orders-schema.ts';

/**
 * Where a saga is: `placing` while the request that started it reserves and authorizes;
 * `completing` once the order is confirmed (capture, commit the reservation); `compensating`
 * once its placement failed (release, void); `cancelling` once a confirmed order was cancelled
 * (void or refund, release or return); `done` when nothing is left to do.
 */
export const SAGA_PHASES = ['placing', 'completing', 'compensating', 'cancelling', 'done'] as const;
export type SagaPhase = (typeof SAGA_PHASES)[number];

/** How a saga ended: `attention` when a step failed in a way only a person can resolve. */
export const SAGA_OUTCOMES = ['completed', 'compensated', 'cancelled', 'attention'] as const;
export type SagaOutcome = (typeof SAGA_OUTCOMES)[number];

/**
 * What the saga knows of the order's reservation. An `-ing` state is written before the call it
 * names: after a crash it says the call may or may not have taken effect.
 */
export const RESERVATION_STATES = [
  'none',
  'reserving',
  'reserved',
  'committing',
  'committed',
  'releasing',
  'released',
  'returning',
  'returned',
] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/** What the saga knows of the order's payment; `-ing` states as for the reservation. */
export const PAYMENT_STATES = [
  'none',
  'authorizing',
  'authorized',
  'requires_action',
  'failed',
  'capturing',
  'captured',
  'voiding',
  'voided',
  'refunding',
  'refunded',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** A line of the order to be placed, priced by the server. */
export interface DraftLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly taxRateBps: number;
}

/** The order a saga places: what the order row is written from, confirmed or failed. */
export interface OrderDraft {
  readonly customerId: string;
  readonly currency: string;
  readonly lines: readonly DraftLine[];
  readonly notes: string | null;
  /** Who placed it: the actor of its first history entry. */
  readonly actor: { readonly type: 'user' | 'client' | 'system' | 'anonymous'; readonly id: string | null };
}

/** A failure decided for the order: its status and why. */
export interface SagaFailure extends OrderFailure {
  readonly status: FailedOrderStatus;
}

const phases = SAGA_PHASES.map((p) => `'${p}'`).join(', ');

/**
 * The durable record of one paid order's placement (the order saga): written before every call
 * to another service, so that after a crash the recovery knows what may have happened and
 * completes or compensates it. One row per order; `lease_owner`/`lease_until` say which process
 * drives it now, `next_attempt_at` when a retry is due.
 */
export const orderSagas = ordersSchema.table(
  'order_sagas',
  {
    /** The order's id (`ord_…`): also the reservation key and the base of payment idempotency keys. */
    orderId: text('order_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** The `Idempotency-Key` of the request that placed it, if it had one. */
    idempotencyKey: text('idempotency_key'),
    /** Hash of that request, to tell a retry from a reuse of the key. */
    fingerprint: text('fingerprint'),
    phase: text('phase', { enum: SAGA_PHASES }).notNull(),
    outcome: text('outcome', { enum: SAGA_OUTCOMES }),
    reservation: text('reservation', { enum: RESERVATION_STATES }).notNull(),
    payment: text('payment', { enum: PAYMENT_STATES }).notNull(),
    paymentId: text('payment_id'),
    /**
     * The payment method's token, kept only while an authorization's outcome is unknown: repeating
     * Authorize with its idempotency key needs the same request. Cleared as soon as it is known.
     */
    paymentToken: text('payment_token'),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    /** What is authorized and captured: the order's grand total. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    draft: jsonb('draft').$type<OrderDraft>().notNull(),
    failure: jsonb('failure').$type<SagaFailure>(),
    cancelReason: text('cancel_reason'),
    correlationId: text('correlation_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamptz('lease_until'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    unique('order_sagas_tenant_key_key').on(t.tenantId, t.idempotencyKey),
    check('order_sagas_phase_check', sql.raw(`phase in (${phases})`)),
    check('order_sagas_outcome_check', sql`(${t.phase} = 'done') = (${t.outcome} is not null)`),
    // What recovery scans: unfinished sagas by when they are due.
    index('order_sagas_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.phase} <> 'done'`),
  ],
);

export type OrderSagaRow = typeof orderSagas.$inferSelect;
