/**
 * The invoices service: invoices and credit notes from order and payment events, gap-free
 * numbering per tenant, PDFs in the tenant's branding.
 * @module
 */
export {
  createInvoicesModule,
  type InvoicesDependencies,
  type InvoicesModule,
  type InvoicesSettings,
} from './invoices-module.ts';
export { buildApp } from './app.ts';
export { invoicesConfigSchema, invoicesSettingsFrom, type InvoicesConfig } from './config.ts';
export { invoicesMigrations } from './migrations.ts';
export { invoicesConsumers, INVOICES_CONSUMER } from './events/subscriptions.ts';
export { invoicesErrors } from './errors.ts';
