/**
 * The payments service: payment intents (authorize, capture, void, refund) through provider
 * adapters, idempotent by key, with signed webhooks.
 * @module
 */
export {
  createPaymentsModule,
  type PaymentsDependencies,
  type PaymentsModule,
  type PaymentsSettings,
} from './payments-module.ts';
export { buildApp } from './app.ts';
export { paymentsConfigSchema, paymentsSettingsFrom, type PaymentsConfig } from './config.ts';
export { paymentsMigrations } from './migrations.ts';
export { paymentsErrors } from './errors.ts';
export type {
  AuthenticationResult,
  AuthorizeOutcome,
  CardSummary,
  NextAction,
  OperationOutcome,
  PaymentProvider,
  ProviderAuthorizeRequest,
  ProviderCallOptions,
  ProviderDecline,
} from './modules/providers/payment-provider.ts';
export {
  TestPaymentProvider,
  TEST_CARD_OUTCOMES,
  parseTestCardToken,
  type TestCardOutcome,
} from './modules/providers/test-provider.ts';
export type {
  AuthorizeInput,
  CaptureInput,
  RefundInput,
  VoidInput,
} from './modules/payments/payments.service.ts';
export type { PaymentView, RefundView } from './modules/payments/payments.dto.ts';
export {
  SIGNATURE_HEADER,
  signatureHeader,
  verifyWebhookSignature,
} from './modules/webhooks/webhook-signature.ts';
