import { defineErrors } from '@only/platform/errors';

/** Errors of the payments service: `payments.<name>`, documented at `/problems/payments.<name>`. */
export const paymentsErrors = defineErrors('payments', {
  payment_not_found: { status: 404, title: 'Payment not found' },
  webhook_endpoint_not_found: { status: 404, title: 'Webhook endpoint not found' },
  declined: {
    status: 402,
    title: 'The payment was declined',
    description:
      'The provider refused the operation. `declineReason` says why (`card_declined`, `invalid_payment_method`, …) and `paymentId` names the payment, which is now failed. Sending the same Idempotency-Key again returns this answer; paying with another card takes a new key.',
  },
  insufficient_funds: {
    status: 402,
    title: 'Insufficient funds',
    description:
      'The provider declined the authorization for lack of funds (`declineReason` is `insufficient_funds`); `paymentId` names the failed payment.',
  },
  authentication_required: {
    status: 402,
    title: 'The customer must authenticate the payment',
    description:
      'The payment method needs the customer to confirm the payment (3-D Secure or similar). `paymentId` names the payment, which waits in `requires_action` until its authentication is completed or it is voided.',
  },
  provider_unavailable: {
    status: 503,
    title: 'The payment provider did not answer; the outcome is unknown',
    description:
      'The provider call timed out or failed in transit, so it may or may not have taken effect; the payment (`paymentId`) is `pending_review`. Retry with the same Idempotency-Key: the provider call is repeated with the same provider-side key, so nothing is charged twice.',
  },
  invalid_state: {
    status: 409,
    title: 'The payment cannot do this in its current state',
    description:
      'Payments go processing → authorized (or requires_action → authorized, or failed) → captured → partially_refunded → refunded, and may be voided while authorized or awaiting authentication. `currentState` and `allowedActions` tell what is possible now.',
  },
  operation_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
    description: 'Its provider call has not finished yet; retry shortly with the same key.',
  },
  refund_exceeds_captured: {
    status: 409,
    title: 'The refund exceeds what is left to refund',
    description:
      'Refunds never add up to more than was captured. `refundable` is what can still be refunded: `captured` minus `refunded` minus `pending` (refunds in flight).',
  },
  capture_exceeds_authorized: {
    status: 422,
    title: 'The capture exceeds the authorized amount',
    description: '`authorized` is the most that can be captured.',
  },
  currency_mismatch: {
    status: 422,
    title: 'The amount is not in the payment’s currency',
  },
  unknown_provider: {
    status: 422,
    title: 'No such payment provider',
    description: '`providers` lists the provider adapters this service has.',
  },
});
