import { problemResponses, type HttpApp } from '@only/platform/http';
import {
  deliveryDetailSchema,
  deliveryIdParams,
  deliveryPageSchema,
  listDeliveriesQuery,
} from './deliveries.dto.ts';
import type { DeliveriesService } from './deliveries.service.ts';

const tags = ['delivery log'];

/** HTTP routes of the delivery log. */
export function deliveriesRoutes(app: HttpApp, service: DeliveriesService): void {
  app.get(
    '/deliveries',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'The delivery log: every message to every recipient and channel, newest first',
        querystring: listDeliveriesQuery,
        response: { 200: deliveryPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/deliveries/:id',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'One delivery with every attempt and what the provider answered',
        params: deliveryIdParams,
        response: { 200: deliveryDetailSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );
}
