import {
  adjustmentReasonSchema,
  catalogActorSchema,
  stockLevelSnapshotSchema,
} from '@only/contracts/catalog';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import type { StockMovementRow } from './stock.table.ts';

/** Largest quantity one change may move: stock levels are 32-bit integers. */
const MAX_QUANTITY = 1_000_000_000;

const note = z.string().trim().min(1).max(500).nullish().describe('Why, in words; kept in the audit trail.');
const INCREASING = new Set(['received', 'returned']);
const DECREASING = new Set(['damaged', 'lost']);

export const adjustStockBody = z
  .object({
    productId: idSchema('prd'),
    locationId: idSchema('loc').optional().describe('The default location when absent.'),
    reason: adjustmentReasonSchema.describe(
      '`received` and `returned` add stock, `damaged` and `lost` remove it, `correction` does either; `count` records a stock count.',
    ),
    delta: z
      .number()
      .int()
      .min(-MAX_QUANTITY)
      .max(MAX_QUANTITY)
      .optional()
      .describe('Change of the quantity on hand (negative to remove); not with `count`.'),
    countedQuantity: z
      .number()
      .int()
      .min(0)
      .max(MAX_QUANTITY)
      .optional()
      .describe('With `count`: the quantity found on hand; the difference is the adjustment.'),
    note,
  })
  .strict()
  .superRefine((body, ctx) => {
    const rule = (path: string, message: string, name: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message, params: { rule: name } });
    };
    if (body.reason === 'count') {
      if (body.countedQuantity === undefined)
        rule('countedQuantity', 'A count gives the counted quantity', 'required');
      if (body.delta !== undefined) rule('delta', 'A count gives countedQuantity, not delta', 'not_allowed');
      return;
    }
    if (body.countedQuantity !== undefined)
      rule('countedQuantity', 'Only a count gives countedQuantity', 'not_allowed');
    if (body.delta === undefined) {
      rule('delta', 'Give the change of the quantity on hand', 'required');
      return;
    }
    if (body.delta === 0) rule('delta', 'Must not be 0', 'not_zero');
    else if (INCREASING.has(body.reason) && body.delta < 0)
      rule('delta', `${body.reason} adds stock: delta must be positive`, 'positive');
    else if (DECREASING.has(body.reason) && body.delta > 0)
      rule('delta', `${body.reason} removes stock: delta must be negative`, 'negative');
  })
  .meta({ id: 'AdjustStock' });
export type AdjustStockInput = z.output<typeof adjustStockBody>;

export const transferStockBody = z
  .object({
    productId: idSchema('prd'),
    fromLocationId: idSchema('loc'),
    toLocationId: idSchema('loc'),
    quantity: z.number().int().min(1).max(MAX_QUANTITY),
    note,
  })
  .strict()
  .refine((body) => body.fromLocationId !== body.toLocationId, {
    path: ['toLocationId'],
    message: 'Must differ from fromLocationId',
    params: { rule: 'different' },
  })
  .meta({ id: 'TransferStock' });
export type TransferStockInput = z.output<typeof transferStockBody>;

export const setReorderPointBody = z
  .object({
    productId: idSchema('prd'),
    locationId: idSchema('loc').optional().describe('The default location when absent.'),
    reorderPoint: z
      .number()
      .int()
      .min(0)
      .max(MAX_QUANTITY)
      .nullable()
      .describe('Available quantity at or below which the level is low; null for no alerts.'),
  })
  .strict()
  .meta({ id: 'SetReorderPoint' });
export type SetReorderPointInput = z.output<typeof setReorderPointBody>;

export const listLevelsQuery = pageQuerySchema.extend({
  productId: idSchema('prd').optional(),
  locationId: idSchema('loc').optional(),
  low: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('`true`: only levels at or below their reorder point.'),
});
export type ListLevelsQuery = z.output<typeof listLevelsQuery>;

export const listMovementsQuery = pageQuerySchema.extend({
  productId: idSchema('prd').optional(),
  locationId: idSchema('loc').optional(),
});
export type ListMovementsQuery = z.output<typeof listMovementsQuery>;

export const stockLevelSchema = stockLevelSnapshotSchema
  .extend({
    productName: z.string(),
    locationCode: z.string(),
    low: z.boolean().describe('Available is at or below the reorder point.'),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'StockLevel' });
export type StockLevel = z.output<typeof stockLevelSchema>;
export const stockLevelPageSchema = pageSchema(stockLevelSchema).meta({ id: 'StockLevelPage' });

export const productStockSchema = z
  .object({
    productId: z.string(),
    sku: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    levels: z.array(stockLevelSchema).describe('One per location that ever held the product.'),
  })
  .meta({ id: 'ProductStock' });
export type ProductStock = z.output<typeof productStockSchema>;

export const movementSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    locationId: z.string(),
    kind: z.enum(['adjustment', 'transfer_out', 'transfer_in', 'sale']),
    reason: z.string(),
    delta: z.number().int(),
    onHandBefore: z.number().int(),
    onHandAfter: z.number().int(),
    reservedBefore: z.number().int(),
    reservedAfter: z.number().int(),
    note: z.string().nullable(),
    transferId: z.string().nullable(),
    reservationId: z.string().nullable(),
    actor: catalogActorSchema,
    at: z.iso.datetime(),
  })
  .meta({ id: 'StockMovement' });
export type Movement = z.output<typeof movementSchema>;
export const movementPageSchema = pageSchema(movementSchema).meta({ id: 'StockMovementPage' });

export const adjustmentResultSchema = z
  .object({ movement: movementSchema, level: stockLevelSchema })
  .meta({ id: 'StockAdjustment' });
export type AdjustmentResult = z.output<typeof adjustmentResultSchema>;

export const transferResultSchema = z
  .object({
    transferId: z.string(),
    movements: z.array(movementSchema).length(2),
    from: stockLevelSchema,
    to: stockLevelSchema,
  })
  .meta({ id: 'StockTransfer' });
export type TransferResult = z.output<typeof transferResultSchema>;

export function toMovement(row: StockMovementRow): Movement {
  return {
    id: row.id,
    productId: row.productId,
    locationId: row.locationId,
    kind: row.kind,
    reason: row.reason,
    delta: row.delta,
    onHandBefore: row.onHandBefore,
    onHandAfter: row.onHandAfter,
    reservedBefore: row.reservedBefore,
    reservedAfter: row.reservedAfter,
    note: row.note,
    transferId: row.transferId,
    reservationId: row.reservationId,
    actor: { type: row.actorType, id: row.actorId },
    at: row.occurredAt.toISOString(),
  };
}
