/**
 * Events emitted by the invoices service.
 * @module
 */
export * from './invoice-snapshots.ts';
export { invoiceIssuedV1 } from './invoice-issued.v1.ts';
export { invoicePaidV1 } from './invoice-paid.v1.ts';
export { creditNoteIssuedV1 } from './credit-note-issued.v1.ts';
