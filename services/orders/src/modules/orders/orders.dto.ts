import {
  actorSchema,
  orderLineSnapshotSchema,
  orderStatusSchema,
  orderTotalsSchema,
} from '@only/contracts/orders';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { currencySchema } from '@only/platform/money';
import { z } from 'zod';
import type { OrderLineRow, OrderRow, OrderStatusHistoryRow } from './orders.table.ts';

const MAX_UNIT_PRICE = 1_000_000_000_000;

export const orderIdParams = z.object({ id: idSchema('ord') });

const lineInput = z
  .object({
    sku: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'Letters, digits and . _ / - only'),
    name: z.string().trim().min(1).max(200),
    quantity: z.number().int().min(1).max(100_000),
    unitPrice: z
      .number()
      .int()
      .min(0)
      .max(MAX_UNIT_PRICE)
      .describe('Price of one unit in integer minor units of the order currency (e.g. cents).'),
    taxRateBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .describe('Tax rate in basis points: 1900 is 19 %.'),
  })
  .strict();

export const createOrderBody = z
  .object({
    customerId: idSchema('cus'),
    currency: currencySchema,
    lines: z.array(lineInput).min(1, 'An order needs at least one line').max(200),
    notes: z
      .string()
      .trim()
      .max(2_000)
      .nullish()
      .transform((notes) => (notes === '' ? null : notes)),
  })
  .strict()
  .meta({ id: 'CreateOrder' });
export type CreateOrderInput = z.output<typeof createOrderBody>;

export const transitionBody = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().describe('Why; kept in the status history.'),
  })
  .strict()
  .describe('Optional: a body is only needed to give a reason.');
export const cancelBody = z
  .object({ reason: z.string().trim().min(1, 'Say why the order is cancelled').max(500) })
  .strict()
  .meta({ id: 'CancelOrder' });

const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean),
  )
  .pipe(z.array(orderStatusSchema).min(1));

export const listOrdersQuery = pageQuerySchema
  .extend({
    status: statusList.optional().describe('One status or several, comma-separated.'),
    customerId: idSchema('cus').optional(),
    placedFrom: z.iso.datetime({ offset: true }).optional().describe('Placed at or after this time.'),
    placedTo: z.iso.datetime({ offset: true }).optional().describe('Placed before this time.'),
  })
  .superRefine((query, ctx) => {
    if (query.placedFrom === undefined || query.placedTo === undefined) return;
    if (Date.parse(query.placedFrom) >= Date.parse(query.placedTo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['placedTo'],
        message: 'Must be after placedFrom',
        params: { rule: 'after' },
      });
    }
  });
export type ListOrdersQuery = z.output<typeof listOrdersQuery>;

// Lines and totals have the shape the events carry.
const lineSchema = orderLineSnapshotSchema;
const totalsSchema = orderTotalsSchema;

export const historyEntrySchema = z
  .object({
    id: z.string(),
    from: orderStatusSchema.nullable(),
    to: orderStatusSchema,
    actor: actorSchema,
    reason: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'OrderStatusChange' });

const orderBase = {
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  status: orderStatusSchema,
  currency: z.string(),
  totals: totalsSchema,
  notes: z.string().nullable(),
  placedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
};

export const orderSummarySchema = z
  .object({ ...orderBase, lineCount: z.number().int() })
  .meta({ id: 'OrderSummary' });
export type OrderSummary = z.output<typeof orderSummarySchema>;

export const orderSchema = z
  .object({
    ...orderBase,
    lines: z.array(lineSchema),
    allowedActions: z.array(z.enum(['confirm', 'fulfill', 'complete', 'cancel'])),
    history: z.array(historyEntrySchema),
  })
  .meta({ id: 'Order' });
export type Order = z.output<typeof orderSchema>;

export const orderPageSchema = pageSchema(orderSummarySchema).meta({ id: 'OrderPage' });
export const historySchema = z.object({ items: z.array(historyEntrySchema) }).meta({ id: 'OrderHistory' });

function base(row: OrderRow) {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    totals: { subtotal: row.subtotal, tax: row.taxTotal, grandTotal: row.grandTotal },
    notes: row.notes,
    placedAt: row.placedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

export function toOrderSummary(row: OrderRow & { lineCount: number }): OrderSummary {
  return { ...base(row), lineCount: row.lineCount };
}

export function toHistoryEntry(row: OrderStatusHistoryRow): z.output<typeof historyEntrySchema> {
  return {
    id: row.id,
    from: row.fromStatus === null ? null : orderStatusSchema.parse(row.fromStatus),
    to: orderStatusSchema.parse(row.toStatus),
    actor: { type: row.actorType, id: row.actorId },
    reason: row.reason,
    at: row.occurredAt.toISOString(),
  };
}

export function toOrderLine(row: OrderLineRow): z.output<typeof lineSchema> {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPrice: row.unitPrice,
    taxRateBps: row.taxRateBps,
    subtotal: row.subtotal,
    tax: row.tax,
    total: row.total,
  };
}

/** The `placedFrom`/`placedTo` filter as dates. */
export function dateRange(query: ListOrdersQuery): { from?: Date; to?: Date } {
  return {
    ...(query.placedFrom === undefined ? {} : { from: new Date(query.placedFrom) }),
    ...(query.placedTo === undefined ? {} : { to: new Date(query.placedTo) }),
  };
}
