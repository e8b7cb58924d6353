import { problemResponses, type HttpApp } from '@only/platform/http';
import {
  createLocationBody,
  listLocationsQuery,
  locationIdParams,
  locationPageSchema,
  locationSchema,
  updateLocationBody,
} from './locations.dto.ts';
import type { LocationsService } from './locations.service.ts';

const tags = ['locations'];

/** HTTP routes of stock locations. */
export function locationsRoutes(app: HttpApp, service: LocationsService): void {
  app.post(
    '/locations',
    {
      config: { permission: 'locations:manage' },
      schema: {
        tags,
        summary: 'Create a stock location (the first one becomes the default)',
        body: createLocationBody,
        response: { 201: locationSchema, ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const location = await service.create(request.ctx, request.body);
      void reply.code(201).header('location', `locations/${location.id}`);
      return location;
    },
  );

  app.get(
    '/locations',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'List stock locations, oldest first',
        querystring: listLocationsQuery,
        response: { 200: locationPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/locations/:id',
    {
      config: { permission: 'stock:read' },
      schema: {
        tags,
        summary: 'Get a stock location',
        params: locationIdParams,
        response: { 200: locationSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.patch(
    '/locations/:id',
    {
      config: { permission: 'locations:manage' },
      schema: {
        tags,
        summary: 'Change a stock location, make it the default, or deactivate it',
        params: locationIdParams,
        body: updateLocationBody,
        response: { 200: locationSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) => service.update(request.ctx, request.params.id, request.body),
  );
}
