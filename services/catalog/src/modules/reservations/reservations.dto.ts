import { reservationLineSnapshotSchema } from '@only/contracts/catalog';
import { pageQuerySchema, pageSchema } from '@only/platform/http';
import { idSchema } from '@only/platform/ids';
import { z } from 'zod';
import { skuSchema } from '../products/products.dto.ts';
import { RESERVATION_STATUSES, type ReservationLineRow, type ReservationRow } from './reservations.table.ts';

export const reservationKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'Letters, digits and . _ : - only')
  .describe('The caller’s key for the reservation, normally the order id.');

export const reservationStatusSchema = z.enum(RESERVATION_STATUSES);

export const reservationKeyParams = z.object({ key: reservationKeySchema });

const reserveLines = z
  .array(z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(1_000_000) }).strict())
  .min(1, 'A reservation needs at least one line')
  .max(200);

/**
 * What `ReservationsService.reserveStock` accepts, whatever the transport: the service checks its
 * input against it, so an RPC caller gets the same field-naming 400 as an HTTP one.
 */
export const reserveStockInputSchema = z.object({
  reservationKey: reservationKeySchema,
  lines: reserveLines,
  locationId: idSchema('loc').optional(),
  expiresAt: z.date().optional(),
});

export const reserveStockBody = z
  .object({
    reservationKey: reservationKeySchema,
    lines: reserveLines,
    locationId: idSchema('loc').optional().describe('Where to reserve; the default location when absent.'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When unreleased, uncommitted stock returns to available; the service default when absent.'),
  })
  .strict()
  .meta({ id: 'ReserveStock' });

export const listReservationsQuery = pageQuerySchema.extend({
  status: z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean),
    )
    .pipe(z.array(reservationStatusSchema).min(1))
    .optional()
    .describe('One status or several, comma-separated.'),
});
export const releaseReservationBody = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Why, for the audit trail: `payment_failed`, `order_cancelled`…'),
  })
  .strict()
  .describe('Optional: a body is only needed to give a reason.')
  .meta({ id: 'ReleaseReservation' });

export type ListReservationsQuery = z.output<typeof listReservationsQuery>;

export const reservationSchema = z
  .object({
    id: z.string(),
    reservationKey: z.string(),
    status: reservationStatusSchema,
    lines: z.array(reservationLineSnapshotSchema),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable().describe('When it was committed, released or expired.'),
    closeReason: z.string().nullable().describe('Why its holder released it, when they said.'),
  })
  .meta({ id: 'Reservation' });
export type Reservation = z.output<typeof reservationSchema>;

export const reservationPageSchema = pageSchema(reservationSchema).meta({ id: 'ReservationPage' });

/** A stored reservation with its lines. */
export type ReservationRecord = ReservationRow & { lines: ReservationLineRow[] };

export function toReservation(row: ReservationRecord): Reservation {
  return {
    id: row.id,
    reservationKey: row.key,
    status: row.status,
    lines: [...row.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        productId: line.productId,
        sku: line.sku,
        locationId: line.locationId,
        quantity: line.quantity,
      })),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    closeReason: row.closeReason,
  };
}
