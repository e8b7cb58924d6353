import { problemResponses, wantsFreshRead, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import {
  createCustomerBody,
  customerIdParams,
  customerPageSchema,
  customerSchema,
  listCustomersQuery,
  updateCustomerBody,
} from './customers.dto.ts';
import type { CustomersService } from './customers.service.ts';

const tags = ['customers'];

/** HTTP routes of customers. */
export function customersRoutes(app: HttpApp, service: CustomersService): void {
  app.post(
    '/customers',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a customer',
        body: createCustomerBody,
        response: { 201: customerSchema, ...problemResponses(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const customer = await service.create(request.ctx, request.body);
      void reply.code(201).header('location', `customers/${customer.id}`);
      return customer;
    },
  );

  app.get(
    '/customers',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: 'List customers, newest first, optionally matching a text',
        querystring: listCustomersQuery,
        response: { 200: customerPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/customers/:id',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: 'Get a customer',
        params: customerIdParams,
        response: { 200: customerSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id, { fresh: wantsFreshRead(request) }),
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Change a customer',
        params: customerIdParams,
        body: updateCustomerBody,
        response: { 200: customerSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) => service.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/customers/:id',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Delete a customer (their orders remain)',
        params: customerIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
