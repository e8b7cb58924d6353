import { z } from 'zod';

const amount = z.number().int().nonnegative();
/** A calendar date (`2026-03-02`) in the tenant's time zone. */
const calendarDate = z.iso.date();

/**
 * Where an invoice stands: `issued` (awaiting payment), `paid` (the order's captured payments
 * cover its total), `credited` (credit notes cover its whole total).
 */
export const invoiceStatusSchema = z.enum(['issued', 'paid', 'credited']);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

/** The lines taxed at one rate: the sum of their net amounts and of their (per-line rounded) tax. */
export const taxBreakdownSchema = z.object({
  rateBps: z.number().int().nonnegative(),
  taxable: amount,
  tax: amount,
});

/** Net, tax and gross amounts of an invoice or credit note, in integer minor units. */
export const documentTotalsSchema = z.object({
  subtotal: amount,
  tax: amount,
  total: amount,
});

/** One invoice line as events carry it; amounts in minor units of the invoice currency. */
export const invoiceLineSnapshotSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: amount,
  taxRateBps: z.number().int().nonnegative(),
  subtotal: amount,
  tax: amount,
  total: amount,
});

/** Who an invoice is addressed to, as the order named them when it was issued. */
export const invoiceCustomerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
});

/** An invoice as events carry it. */
export const invoiceSnapshotSchema = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  customer: invoiceCustomerSchema,
  status: invoiceStatusSchema,
  currency: z.string().length(3),
  lines: z.array(invoiceLineSnapshotSchema).min(1),
  taxes: z.array(taxBreakdownSchema),
  totals: documentTotalsSchema,
  issueDate: calendarDate,
  dueDate: calendarDate,
  issuedAt: z.iso.datetime(),
});

/** A credit note as events carry it: what was credited against which invoice, per tax rate. */
export const creditNoteSnapshotSchema = z.object({
  id: z.string(),
  number: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  currency: z.string().length(3),
  reason: z.string(),
  /** The payment refund it documents (`rfd_…`); null for a credit note issued by hand. */
  refundId: z.string().nullable(),
  taxes: z.array(taxBreakdownSchema),
  totals: documentTotalsSchema,
  issueDate: calendarDate,
  issuedAt: z.iso.datetime(),
});
