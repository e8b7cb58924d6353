import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@only/platform/db';
import { catalogSchema } from '../../db/catalog-schema.ts';
import { locations } from '../locations/locations.table.ts';
import { products } from '../products/products.table.ts';

/**
 * Stock of one product at one location. `available` (on hand minus reserved) is computed by
 * PostgreSQL; the checks make overselling impossible whatever the code does: nothing negative, and
 * never more reserved than on hand.
 */
export const stockLevels = catalogSchema.table(
  'stock_levels',
  {
    tenantId: text('tenant_id').notNull(),
    productId: text('product_id').notNull(),
    locationId: text('location_id').notNull(),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    available: integer('available').generatedAlwaysAs(sql`"on_hand" - "reserved"`),
    /** At or below this available quantity the level is low; null: no alerts. */
    reorderPoint: integer('reorder_point'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.productId, t.locationId] }),
    foreignKey({
      name: 'stock_levels_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'stock_levels_location_fk',
      columns: [t.tenantId, t.locationId],
      foreignColumns: [locations.tenantId, locations.id],
    }),
    check('stock_levels_on_hand_check', sql`${t.onHand} >= 0`),
    check('stock_levels_reserved_check', sql`${t.reserved} >= 0 and ${t.reserved} <= ${t.onHand}`),
    check('stock_levels_reorder_point_check', sql`${t.reorderPoint} is null or ${t.reorderPoint} >= 0`),
    index('stock_levels_location_idx').on(t.tenantId, t.locationId),
  ],
);

/**
 * The audit trail of stock on hand: every adjustment, both sides of every transfer and every sale
 * (committed reservation), with who, when, why, and the level before and after.
 */
export const stockMovements = catalogSchema.table(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    productId: text('product_id').notNull(),
    locationId: text('location_id').notNull(),
    kind: text('kind', { enum: ['adjustment', 'transfer_out', 'transfer_in', 'sale'] }).notNull(),
    reason: text('reason').notNull(),
    delta: integer('delta').notNull(),
    onHandBefore: integer('on_hand_before').notNull(),
    onHandAfter: integer('on_hand_after').notNull(),
    reservedBefore: integer('reserved_before').notNull(),
    reservedAfter: integer('reserved_after').notNull(),
    note: text('note'),
    transferId: text('transfer_id'),
    reservationId: text('reservation_id'),
    actorType: text('actor_type', { enum: ['user', 'client', 'system', 'anonymous'] }).notNull(),
    actorId: text('actor_id'),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'stock_movements_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'stock_movements_location_fk',
      columns: [t.tenantId, t.locationId],
      foreignColumns: [locations.tenantId, locations.id],
    }),
    check(
      'stock_movements_kind_check',
      sql`${t.kind} in ('adjustment', 'transfer_out', 'transfer_in', 'sale')`,
    ),
    check('stock_movements_delta_check', sql`${t.onHandAfter} = ${t.onHandBefore} + ${t.delta}`),
    index('stock_movements_product_idx').on(t.tenantId, t.productId, t.id.desc()),
    index('stock_movements_location_idx').on(t.tenantId, t.locationId, t.id.desc()),
  ],
);

export type StockLevelRow = typeof stockLevels.$inferSelect;
export type StockMovementRow = typeof stockMovements.$inferSelect;
