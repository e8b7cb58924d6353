import { paymentsErrors } from '../../errors.ts';

/**
 * Where a payment stands. `processing` while a provider call is in flight; `pending_review` when
 * the provider did not answer in time (the outcome is unknown until the same command is retried
 * with its idempotency key); the rest as their names say.
 */
export const PAYMENT_STATUSES = [
  'processing',
  'requires_action',
  'pending_review',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What can be done to a payment: authorization itself creates it. */
export const PAYMENT_ACTIONS = ['authenticate', 'capture', 'void', 'refund'] as const;
export type PaymentAction = (typeof PAYMENT_ACTIONS)[number];

/**
 * The actions each status allows. A payment is captured once (all or part of the authorized
 * amount; the rest is released) and refunded any number of times up to what was captured.
 * `processing` and `pending_review` allow nothing but the retry of the operation in flight.
 */
const ALLOWED: Readonly<Record<PaymentStatus, readonly PaymentAction[]>> = {
  processing: [],
  requires_action: ['authenticate', 'void'],
  pending_review: [],
  authorized: ['capture', 'void'],
  captured: ['refund'],
  partially_refunded: ['refund'],
  refunded: [],
  voided: [],
  failed: [],
};

/** The actions a payment in `status` allows now. */
export function allowedActions(status: PaymentStatus): readonly PaymentAction[] {
  return ALLOWED[status];
}

/** The `payments.invalid_state` problem for `action` on a payment in `status`. */
export function invalidState(paymentId: string, status: PaymentStatus, action: PaymentAction) {
  return paymentsErrors.invalid_state(`Payment ${paymentId} is ${status}; it cannot ${verbOf(action)}`, {
    paymentId,
    currentState: status,
    allowedActions: allowedActions(status),
  });
}

function verbOf(action: PaymentAction): string {
  switch (action) {
    case 'authenticate':
      return 'be authenticated';
    case 'capture':
      return 'be captured';
    case 'void':
      return 'be voided';
    case 'refund':
      return 'be refunded';
  }
}
