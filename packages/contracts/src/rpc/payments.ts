/**
 * The payments service's internal RPC contract (`only/payments/v1/payments.proto`):
 * `PaymentsService` with Authorize, Capture, Void and Refund, their messages and enums.
 * @module
 */
export * from '../gen/only/payments/v1/payments_pb.ts';

/**
 * Problem codes `PaymentsService` answers with (see the proto), to tell outcomes apart. Declines
 * (`declined`, `insufficientFunds`) and `authenticationRequired` carry `paymentId` and
 * `declineReason`; only `providerUnavailable` (outcome unknown) is worth retrying, with the same
 * idempotency key.
 */
export const PAYMENTS_PROBLEMS = {
  declined: 'payments.declined',
  insufficientFunds: 'payments.insufficient_funds',
  authenticationRequired: 'payments.authentication_required',
  providerUnavailable: 'payments.provider_unavailable',
  paymentNotFound: 'payments.payment_not_found',
  invalidState: 'payments.invalid_state',
  operationInProgress: 'payments.operation_in_progress',
  captureExceedsAuthorized: 'payments.capture_exceeds_authorized',
  refundExceedsCaptured: 'payments.refund_exceeds_captured',
  currencyMismatch: 'payments.currency_mismatch',
  unknownProvider: 'payments.unknown_provider',
} as const;
