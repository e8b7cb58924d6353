import { problemResponses, type HttpApp } from '@only/platform/http';
import {
  listReservationsQuery,
  releaseReservationBody,
  reservationKeyParams,
  reservationPageSchema,
  reservationSchema,
  reserveStockBody,
} from './reservations.dto.ts';
import type { ReservationsService } from './reservations.service.ts';

const tags = ['reservations'];

/** HTTP routes of stock reservations (orders reach the same operations over internal RPC). */
export function reservationsRoutes(app: HttpApp, service: ReservationsService): void {
  app.post(
    '/reservations',
    {
      config: { permission: 'stock:reserve' },
      schema: {
        tags,
        summary: 'Reserve stock for a key (an order id): every line or none',
        description:
          'Answers 201 with a new reservation, or 200 with the existing one when the key was already reserved with the same lines. A short line fails the whole request with `catalog.out_of_stock` naming every short SKU.',
        body: reserveStockBody,
        response: { 200: reservationSchema, 201: reservationSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const { expiresAt, locationId, ...rest } = request.body;
      const result = await service.reserveStock(request.ctx, {
        ...rest,
        ...(locationId === undefined ? {} : { locationId }),
        ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt) }),
      });
      void reply
        .code(result.created ? 201 : 200)
        .header('location', `reservations/${encodeURIComponent(result.reservation.reservationKey)}`);
      return result.reservation;
    },
  );

  app.get(
    '/reservations',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'List reservations, newest first, by status',
        querystring: listReservationsQuery,
        response: { 200: reservationPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/reservations/:key',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'Get a reservation by its key',
        params: reservationKeyParams,
        response: { 200: reservationSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.key),
  );

  app.post(
    '/reservations/:key/release',
    {
      config: { permission: 'stock:reserve' },
      schema: {
        tags,
        summary: 'Release a reservation: its stock is available again (repeating it changes nothing)',
        params: reservationKeyParams,
        body: releaseReservationBody,
        response: { 200: reservationSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) => {
      const { reason } = request.body;
      return service.releaseReservation(
        request.ctx,
        request.params.key,
        reason === undefined ? {} : { reason },
      );
    },
  );

  app.post(
    '/reservations/:key/commit',
    {
      config: { permission: 'stock:reserve' },
      schema: {
        tags,
        summary:
          'Commit a reservation: its stock is sold and leaves stock on hand (repeating it changes nothing)',
        params: reservationKeyParams,
        response: { 200: reservationSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) => service.commitReservation(request.ctx, request.params.key),
  );
}
