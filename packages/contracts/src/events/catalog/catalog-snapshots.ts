import { z } from 'zod';

/** Lifecycle states of a product: only `active` products can be reserved and sold. */
export const productStatusSchema = z.enum(['draft', 'active', 'archived']);
/** A product's lifecycle state. */
export type ProductStatus = z.infer<typeof productStatusSchema>;

/** A price in integer minor units of its currency (cents for EUR). */
export const priceSchema = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
});

/** A value of a product attribute: text, number, yes/no, or a list of texts. */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** A product as events carry it (and as the catalog API returns it). */
export const productSnapshotSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  price: priceSchema,
  taxClass: z.string(),
  attributes: z.record(z.string(), attributeValueSchema),
  imageUrls: z.array(z.string()),
  status: productStatusSchema,
  categoryIds: z.array(z.string()),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** Who made a change: a user, a machine client, the system itself, or an unauthenticated caller. */
export const catalogActorSchema = z.object({
  type: z.enum(['user', 'client', 'system', 'anonymous']),
  id: z.string().nullable(),
});

/** Stock of one product at one location after a change. */
export const stockLevelSnapshotSchema = z.object({
  productId: z.string(),
  sku: z.string(),
  locationId: z.string(),
  onHand: z.number().int().nonnegative(),
  reserved: z.number().int().nonnegative(),
  /** `onHand − reserved`: what can still be reserved. */
  available: z.number().int().nonnegative(),
  reorderPoint: z.number().int().nonnegative().nullable(),
});

/** One line of a stock reservation. */
export const reservationLineSnapshotSchema = z.object({
  productId: z.string(),
  sku: z.string(),
  locationId: z.string(),
  quantity: z.number().int().positive(),
});

/** A reservation as the stock events about it carry it. */
export const reservationSnapshotSchema = z.object({
  reservationId: z.string(),
  /** The caller's key, normally the order id: one reservation per key and tenant. */
  key: z.string(),
  lines: z.array(reservationLineSnapshotSchema).min(1),
});
