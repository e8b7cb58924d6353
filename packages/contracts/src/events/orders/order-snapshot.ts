import { z } from 'zod';

/** Lifecycle states of an order: the states a placed order moves through, as lifecycle events carry them. */
export const orderStatusSchema = z.enum(['pending', 'confirmed', 'fulfilled', 'completed', 'cancelled']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/**
 * Terminal states of an order whose placement failed (it never entered the lifecycle): not enough
 * stock, the payment refused, or anything else (`failed`: a dependency unavailable, a placement
 * interrupted by a crash). Everything it held is given back.
 */
export const failedOrderStatusSchema = z.enum(['out_of_stock', 'payment_failed', 'failed']);
export type FailedOrderStatus = z.infer<typeof failedOrderStatusSchema>;

/** Every status an order can have: a lifecycle state or a failed placement's. */
export const anyOrderStatusSchema = z.enum([
  ...orderStatusSchema.options,
  ...failedOrderStatusSchema.options,
]);
export type AnyOrderStatus = z.infer<typeof anyOrderStatusSchema>;

/**
 * Why a placement failed, in machine and human terms: `reason` is e.g. `out_of_stock`,
 * `card_declined`, `insufficient_funds`, `authentication_required`, `catalog_unavailable`,
 * `payment_unavailable`, `interrupted`; `skus` names the short SKUs of an `out_of_stock` failure.
 */
export const orderFailureSchema = z.object({
  reason: z.string(),
  message: z.string(),
  skus: z.array(z.string()).optional(),
});
export type OrderFailure = z.infer<typeof orderFailureSchema>;

/** Who made a change: a user, a machine client, the system itself, or an unauthenticated caller. */
export const actorSchema = z.object({
  type: z.enum(['user', 'client', 'system', 'anonymous']),
  id: z.string().nullable(),
});

/** An order line as events carry it; amounts in integer minor units of the order currency. */
export const orderLineSnapshotSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: z.number().int().nonnegative(),
  taxRateBps: z.number().int().nonnegative(),
  subtotal: z.number().int().nonnegative(),
  tax: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

/** Order totals in integer minor units of the order currency. */
export const orderTotalsSchema = z.object({
  subtotal: z.number().int().nonnegative(),
  tax: z.number().int().nonnegative(),
  grandTotal: z.number().int().nonnegative(),
});

/** An order as events carry it. */
export const orderSnapshotSchema = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  status: orderStatusSchema,
  currency: z.string().length(3),
  lines: z.array(orderLineSnapshotSchema).min(1),
  totals: orderTotalsSchema,
  notes: z.string().nullable(),
  placedAt: z.iso.datetime(),
});

/** A customer as events carry it. */
export const customerSnapshotSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
