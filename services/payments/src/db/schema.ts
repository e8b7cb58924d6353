// Every table of the payments schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { paymentsSchema } from './payments-schema.ts';

export { paymentsSchema } from './payments-schema.ts';
export { payments, paymentOperations } from '../modules/payments/payments.table.ts';
export { webhookEndpoints, webhookDeliveries, webhookAttempts } from '../modules/webhooks/webhooks.table.ts';

const platform = platformTables(paymentsSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const paymentsPlatformTables = platform;
