import {
  documentTotalsSchema,
  invoiceLineSnapshotSchema,
  invoiceStatusSchema,
  taxBreakdownSchema,
} from '@only/contracts/invoices';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { InvoiceLineRow, InvoiceRow, InvoiceTaxRow } from './invoices.table.ts';

export const invoiceIdParams = z.object({ id: idSchema('inv') });

const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean),
  )
  .pipe(z.array(invoiceStatusSchema).min(1));

export const listInvoicesQuery = pageQuerySchema.extend({
  status: statusList.optional().describe('One status or several, comma-separated: issued, paid, credited.'),
  orderId: idSchema('ord').optional(),
  customerId: idSchema('cus').optional(),
});
export type ListInvoicesQuery = z.output<typeof listInvoicesQuery>;

const amount = z.number().int();

export const postalAddressSchema = z
  .object({
    lines: z.array(z.string()),
    postalCode: z.string(),
    city: z.string(),
    region: z.string().nullable(),
    country: z.string(),
  })
  .meta({ id: 'PostalAddress' });

const invoiceBase = {
  id: z.string(),
  number: z.string().describe('Gap-free per tenant, in the format of the invoicing settings.'),
  status: invoiceStatusSchema,
  orderId: z.string(),
  orderNumber: z.string(),
  currency: z.string(),
  totals: documentTotalsSchema,
  amountPaid: amount.describe('What captured payments of the order cover.'),
  amountCredited: amount.describe('Sum of the credit notes of the invoice.'),
  issueDate: z.iso.date().describe("In the tenant's time zone."),
  dueDate: z.iso.date(),
  issuedAt: z.iso.datetime(),
};

export const invoiceSummarySchema = z
  .object({ ...invoiceBase, customerId: z.string(), customerName: z.string() })
  .meta({ id: 'InvoiceSummary' });
export type InvoiceSummary = z.output<typeof invoiceSummarySchema>;

export const invoiceSchema = z
  .object({
    ...invoiceBase,
    customer: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      billingAddress: postalAddressSchema.nullable(),
    }),
    seller: z.object({ name: z.string() }),
    lines: z.array(invoiceLineSnapshotSchema),
    taxes: z
      .array(taxBreakdownSchema)
      .describe('Per tax rate: the lines’ net amounts and (per-line rounded) taxes.'),
    balanceDue: amount.describe('Total less what was paid and credited; never below zero.'),
    paymentTermsDays: z.number().int(),
    paymentId: z.string().nullable(),
    paidAt: z.iso.datetime().nullable(),
    creditedAt: z.iso.datetime().nullable(),
    version: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.output<typeof invoiceSchema>;

export const invoicePageSchema = pageSchema(invoiceSummarySchema).meta({ id: 'InvoicePage' });

function base(row: InvoiceRow) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    currency: row.currency,
    totals: { subtotal: row.subtotal, tax: row.taxTotal, total: row.total },
    amountPaid: row.amountPaid,
    amountCredited: row.amountCredited,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    issuedAt: row.issuedAt.toISOString(),
  };
}

export function toInvoiceSummary(row: InvoiceRow): InvoiceSummary {
  return { ...base(row), customerId: row.customerId, customerName: row.customerName };
}

export function toInvoice(
  row: InvoiceRow,
  lines: readonly InvoiceLineRow[],
  taxes: readonly InvoiceTaxRow[],
): Invoice {
  return {
    ...base(row),
    customer: {
      id: row.customerId,
      name: row.customerName,
      email: row.customerEmail,
      billingAddress:
        row.billingAddress === null ? null : { ...row.billingAddress, lines: [...row.billingAddress.lines] },
    },
    seller: { name: row.sellerName },
    lines: lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      taxRateBps: line.taxRateBps,
      subtotal: line.subtotal,
      tax: line.tax,
      total: line.total,
    })),
    taxes: taxes.map((tax) => ({ rateBps: tax.rateBps, taxable: tax.taxable, tax: tax.tax })),
    balanceDue: Math.max(0, row.total - row.amountPaid - row.amountCredited),
    paymentTermsDays: row.paymentTermsDays,
    paymentId: row.paymentId,
    paidAt: row.paidAt?.toISOString() ?? null,
    creditedAt: row.creditedAt?.toISOString() ?? null,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
