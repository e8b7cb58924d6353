import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { catalogSchema } from '../../db/catalog-schema.ts';
import { locations } from '../locations/locations.table.ts';
import { products } from '../products/products.table.ts';

/**
 * Lifecycle states of a reservation: active until committed, released or expired; a committed
 * one is returned when its order is cancelled and the goods go back on hand.
 */
export const RESERVATION_STATUSES = ['active', 'committed', 'released', 'expired', 'returned'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Stock set aside for a key (normally an order id): one reservation per key and tenant. */
export const reservations = catalogSchema.table(
  'reservations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** When it left `active`: committed, released or expired (a return keeps the commit's time). */
    closedAt: timestamptz('closed_at'),
    /** Why its holder released or returned it ("payment_failed"…), for the audit trail. */
    closeReason: text('close_reason'),
  },
  (t) => [
    unique('reservations_tenant_id_id_key').on(t.tenantId, t.id),
    unique('reservations_tenant_key_key').on(t.tenantId, t.key),
    check(
      'reservations_status_check',
      sql`${t.status} in ('active', 'committed', 'released', 'expired', 'returned')`,
    ),
    check('reservations_closed_check', sql`(${t.status} = 'active') = (${t.closedAt} is null)`),
    // What the sweeper scans: only active reservations, by expiry.
    index('reservations_active_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active'`),
    index('reservations_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
  ],
);

export const reservationLines = catalogSchema.table(
  'reservation_lines',
  {
    tenantId: text('tenant_id').notNull(),
    reservationId: text('reservation_id').notNull(),
    position: integer('position').notNull(),
    productId: text('product_id').notNull(),
    sku: text('sku').notNull(),
    locationId: text('location_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    unique('reservation_lines_position_key').on(t.reservationId, t.position),
    foreignKey({
      name: 'reservation_lines_reservation_fk',
      columns: [t.tenantId, t.reservationId],
      foreignColumns: [reservations.tenantId, reservations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'reservation_lines_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'reservation_lines_location_fk',
      columns: [t.tenantId, t.locationId],
      foreignColumns: [locations.tenantId, locations.id],
    }),
    check('reservation_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

export type ReservationRow = typeof reservations.$inferSelect;
export type ReservationLineRow = typeof reservationLines.$inferSelect;
