import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import { requestMeta } from '../../request-meta.ts';
import {
  apiClientListSchema,
  clientIdParams,
  createClientBody,
  createdApiClientSchema,
} from './clients.dto.ts';
import type { ClientsService } from './clients.service.ts';

const tags = ['clients'];

/** HTTP routes of API clients. */
export function clientsRoutes(app: HttpApp, service: ClientsService): void {
  app.post(
    '/clients',
    {
      // Not idempotent: a stored response would keep the secret in plain text in the database.
      config: { permission: 'clients:manage', idempotent: false },
      schema: {
        tags,
        summary: 'Create an API client (machine credentials for the client-credentials grant)',
        description:
          'The answer holds the secret, once: it is stored only as a hash. You can only give roles whose permissions you hold.',
        body: createClientBody,
        response: { 201: createdApiClientSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const client = await service.create(
        request.ctx,
        request.body,
        request.principal?.permissions ?? new Set(),
        requestMeta(request),
      );
      // The secret must not linger in any cache.
      void reply.code(201).header('location', `clients/${client.id}`).header('cache-control', 'no-store');
      return client;
    },
  );

  app.get(
    '/clients',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary: 'List the live API clients of the tenant, newest first',
        response: { 200: apiClientListSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.list(request.ctx),
  );

  app.delete(
    '/clients/:id',
    {
      config: { permission: 'clients:manage' },
      schema: {
        tags,
        summary: 'Revoke an API client',
        params: clientIdParams,
        response: { 204: z.null().describe('Revoked'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.revoke(request.ctx, request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
