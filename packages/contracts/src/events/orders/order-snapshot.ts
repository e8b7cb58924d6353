import { z } from 'zod';

/** Lifecycle states of an order. */
export const orderStatusSchema = z.enum(['pending', 'confirmed', 'fulfilled', 'completed', 'cancelled']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

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
