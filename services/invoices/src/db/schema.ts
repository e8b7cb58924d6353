// Every table of the invoices schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { invoicesSchema } from './invoices-schema.ts';

export { invoicesSchema } from './invoices-schema.ts';
export { invoices, invoiceLines, invoiceTaxes } from '../modules/invoices/invoices.table.ts';
export { creditNotes, creditNoteLines } from '../modules/credit-notes/credit-notes.table.ts';
export { numberCounters } from '../modules/numbering/numbering.table.ts';
export { invoiceSettings } from '../modules/settings/settings.table.ts';
export { tenantProfiles } from '../modules/tenants/tenant-profiles.table.ts';
export { orderPayments, paymentRefunds } from '../modules/payments/payments.table.ts';

const platform = platformTables(invoicesSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const invoicesPlatformTables = platform;
