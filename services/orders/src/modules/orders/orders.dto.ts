import {
  actorSchema,
  anyOrderStatusSchema,
  orderFailureSchema,
  orderLineSnapshotSchema,
  orderTotalsSchema,
} from '@only/contracts/orders';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { currencySchema } from '@only/platform/money';
import { z } from 'zod';
import type { OrderLineRow, OrderRow, OrderStatusHistoryRow } from './orders.table.ts';

const MAX_UNIT_PRICE = 1_000_000_000_000;

export const orderIdParams = z.object({ id: idSchema('ord') });

const sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'Letters, digits and . _ / - only');
const lineName = z.string().trim().min(1).max(200);
const quantity = z.number().int().min(1).max(100_000);
const unitPrice = z
  .number()
  .int()
  .min(0)
  .max(MAX_UNIT_PRICE)
  .describe('Price of one unit in integer minor units of the order currency (e.g. cents).');
const taxRateBps = z.number().int().min(0).max(10_000).describe('Tax rate in basis points: 1900 is 19 %.');
const notes = z
  .string()
  .trim()
  .max(2_000)
  .nullish()
  .transform((text) => (text === '' ? null : text));

/** A priced line of an order taken without payment. */
const lineInput = z
  .object({ sku, name: lineName, quantity, unitPrice, taxRateBps: taxRateBps.default(0) })
  .strict();

/**
 * An order taken without payment, at the prices sent (the back office; also what bulk loaders
 * validate migrated orders against).
 */
export const createOrderBody = z
  .object({
    customerId: idSchema('cus'),
    currency: currencySchema,
    lines: z.array(lineInput).min(1, 'An order needs at least one line').max(200),
    notes,
  })
  .strict();

const paymentInput = z
  .object({
    token: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, 'Visible ASCII characters only')
      .describe(
        'The payment method’s token from the payment form (test cards: `tok_test_approve`…). Never a card number.',
      ),
  })
  .strict()
  .meta({ id: 'OrderPayment' });

/** A line of `POST /orders`: priced by the client without payment, by the catalog with it. */
const placeLineInput = z
  .object({
    sku,
    name: lineName.optional().describe('Required without `payment`; not sent with it.'),
    quantity,
    unitPrice: unitPrice
      .optional()
      .describe(
        'Price of one unit in integer minor units of the order currency (e.g. cents). Required without `payment`; a paid order is priced from the catalog.',
      ),
    taxRateBps: taxRateBps
      .optional()
      .describe(
        'Tax rate in basis points: 1900 is 19 % (0 when absent). Not sent with `payment`: the rate of the product’s tax class applies.',
      ),
  })
  .strict();

/** `POST /orders`: an order taken without payment (as {@link createOrderBody}), or a paid one. */
export const placeOrderBody = z
  .object({
    customerId: idSchema('cus'),
    currency: currencySchema,
    lines: z.array(placeLineInput).min(1, 'An order needs at least one line').max(200),
    notes,
    payment: paymentInput
      .optional()
      .describe(
        'Pay now: stock is reserved and the payment authorized before the order is confirmed; lines then carry only `sku` and `quantity`. Without it the order is taken as `pending` at the prices sent.',
      ),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (index: number, field: string, message: string, rule: string) => {
      ctx.addIssue({ code: 'custom', path: ['lines', index, field], message, params: { rule } });
    };
    body.lines.forEach((line, index) => {
      if (body.payment === undefined) {
        if (line.name === undefined)
          issue(index, 'name', 'Required for an order without payment', 'required');
        if (line.unitPrice === undefined)
          issue(index, 'unitPrice', 'Required for an order without payment', 'required');
        return;
      }
      for (const field of ['name', 'unitPrice', 'taxRateBps'] as const) {
        if (line[field] !== undefined)
          issue(
            index,
            field,
            'A paid order is priced from the catalog: send sku and quantity only',
            'not_allowed',
          );
      }
    });
  })
  .meta({ id: 'CreateOrder' });
export type PlaceOrderInput = z.output<typeof placeOrderBody>;

export type CreateOrderInput = z.output<typeof createOrderBody>;

/** An order line with its price, as the server stores it. */
export interface PricedLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly taxRateBps: number;
}

/** What an order is written from: its customer, currency, priced lines and notes. */
export interface OrderInput {
  readonly customerId: string;
  readonly currency: string;
  readonly lines: readonly PricedLine[];
  readonly notes: string | null;
}

/** The priced order of a request without payment (its lines carry their prices; checked by the schema). */
export function backOfficeOrder(input: PlaceOrderInput): OrderInput {
  return {
    customerId: input.customerId,
    currency: input.currency,
    notes: input.notes ?? null,
    lines: input.lines.map((line, index) => {
      if (line.name === undefined || line.unitPrice === undefined)
        throw new Error(`line ${String(index)}: the schema requires name and unitPrice without payment`);
      return { ...line, name: line.name, unitPrice: line.unitPrice, taxRateBps: line.taxRateBps ?? 0 };
    }),
  };
}

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
  .pipe(z.array(anyOrderStatusSchema).min(1));

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
    from: anyOrderStatusSchema.nullable(),
    to: anyOrderStatusSchema,
    actor: actorSchema,
    reason: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'OrderStatusChange' });

const orderBase = {
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  status: anyOrderStatusSchema,
  currency: z.string(),
  totals: totalsSchema,
  notes: z.string().nullable(),
  paymentId: z.string().nullable().describe('The payment of a paid order (`pay_…`).'),
  failure: orderFailureSchema
    .nullable()
    .describe('Why the placement failed: set for `out_of_stock`, `payment_failed` and `failed`.'),
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
    paymentId: row.paymentId,
    failure: row.failure,
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
    from: row.fromStatus === null ? null : anyOrderStatusSchema.parse(row.fromStatus),
    to: anyOrderStatusSchema.parse(row.toStatus),
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
