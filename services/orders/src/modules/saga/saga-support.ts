import type { AppError } from '@only/platform/errors';
import { ordersErrors } from '../../errors.ts';
import type { SagaFailure } from './order-saga.table.ts';

/** Calls the saga makes to other services; each has `before_` and `after_` fault points. */
export type SagaAction =
  'reserve' | 'authorize' | 'reauthorize' | 'capture' | 'commit' | 'release' | 'void' | 'refund' | 'return';

/**
 * A point between two steps where a test can make the saga stop as a crash would: before or
 * after a call to another service (the call made, its outcome not yet written), right after the
 * order was confirmed (`after_place`) or its failure recorded (`after_record_failure`).
 */
export type SagaFaultPoint =
  `before_${SagaAction}` | `after_${SagaAction}` | 'after_place' | 'after_record_failure';

/** Called at every fault point; throwing there stops the saga like a crash (nothing more is written). */
export type SagaFaults = (point: SagaFaultPoint, orderId: string) => void | Promise<void>;

/** How the order saga behaves; every field has a default. */
export interface SagaSettings {
  /** How long a driver holds a saga before another process may take it over. Default 30 s. */
  readonly leaseMs?: number;
  /** How long reserved stock is held for an order until committed. Default 24 h. */
  readonly reservationHoldMs?: number;
  /** First and longest wait before a failed step is retried (doubling in between). Default 1 s / 5 min. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** How often each process looks for sagas to recover or retry. Default 1 s. */
  readonly recoveryIntervalMs?: number;
  /** Test hook: see {@link SagaFaults}. */
  readonly faults?: SagaFaults;
}

/** Idempotency keys of an order's payment commands: one per command, derived from the order id. */
export const paymentKeys = {
  authorize: (orderId: string) => `${orderId}:authorize`,
  capture: (orderId: string) => `${orderId}:capture`,
  void: (orderId: string) => `${orderId}:void`,
  refund: (orderId: string) => `${orderId}:refund`,
};

/** Problem codes of other services the saga tells apart. */
export const PROBLEMS = {
  outOfStock: 'catalog.out_of_stock',
  reservationNotFound: 'catalog.reservation_not_found',
  reservationNotActive: 'catalog.reservation_not_active',
  declined: 'payments.declined',
  insufficientFunds: 'payments.insufficient_funds',
  authenticationRequired: 'payments.authentication_required',
  paymentNotFound: 'payments.payment_not_found',
  invalidState: 'payments.invalid_state',
  refundExceedsCaptured: 'payments.refund_exceeds_captured',
} as const;

/** Answers that say "not now" rather than "no": worth the same call again later. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'payments.operation_in_progress',
  'platform.conflict',
  'platform.rate_limited',
]);

/** Whether a failed call may succeed when made again (the dependency was unavailable, slow or busy). */
export function isTransient(error: AppError): boolean {
  return error.status >= 500 || RETRYABLE_CODES.has(error.code);
}

/** A string extension of a problem. */
export function extension(error: AppError, name: string): string | undefined {
  const value = error.extensions[name];
  return typeof value === 'string' ? value : undefined;
}

/** The answer to a request whose order failed to be placed: the order is recorded, in its failed state. */
export function placementProblem(orderId: string, failure: SagaFailure, paymentId: string | null): AppError {
  // `orderStatus`, not `status`: that member of a problem is its HTTP status.
  const common = { orderId, orderStatus: failure.status, reason: failure.reason };
  switch (failure.status) {
    case 'out_of_stock':
      return ordersErrors.out_of_stock(failure.message, { ...common, skus: failure.skus ?? [] });
    case 'payment_failed':
      return ordersErrors.payment_failed(failure.message, {
        ...common,
        ...(paymentId === null ? {} : { paymentId }),
      });
    case 'failed':
      return ordersErrors.placement_failed(failure.message, common);
  }
}
