import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import {
  createEndpointBody,
  listDeliveriesQuery,
  updateEndpointBody,
  webhookDeliveryPageSchema,
  webhookEndpointIdParams,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './webhooks.dto.ts';
import type { WebhooksService } from './webhooks.service.ts';

const tags = ['webhooks'];

const SIGNING =
  'Each delivery is a POST of the event as JSON, signed in the `Only-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`. Receivers recompute it over the raw body, compare in constant time, and reject timestamps more than 5 minutes away (replays). Answer 2xx within the timeout; anything else is retried with exponential backoff until the attempts run out.';

/** HTTP routes of the tenant's webhook endpoints and their delivery log. */
export function webhooksRoutes(app: HttpApp, service: WebhooksService): void {
  app.post(
    '/webhook-endpoints',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'Register a URL that receives payment events',
        description: `The answer carries the endpoint's signing secret: it is shown only this once. ${SIGNING}`,
        body: createEndpointBody,
        response: { 201: webhookEndpointWithSecretSchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const endpoint = await service.create(request.ctx, request.body);
      void reply.code(201).header('location', `webhook-endpoints/${endpoint.id}`);
      return endpoint;
    },
  );

  app.get(
    '/webhook-endpoints',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'List webhook endpoints, newest first (never their secrets)',
        response: { 200: webhookEndpointListSchema },
      },
    },
    (request) => service.list(request.ctx),
  );

  app.get(
    '/webhook-endpoints/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'Get a webhook endpoint',
        params: webhookEndpointIdParams,
        response: { 200: webhookEndpointSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'Change a webhook endpoint: URL, events, description, enabled',
        params: webhookEndpointIdParams,
        body: updateEndpointBody,
        response: { 200: webhookEndpointSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/webhook-endpoints/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'Delete a webhook endpoint with its pending deliveries and log',
        params: webhookEndpointIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'Replace the signing secret (shown once); later deliveries use the new one',
        params: webhookEndpointIdParams,
        response: { 200: webhookEndpointWithSecretSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.rotateSecret(request.ctx, request.params.id),
  );

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags,
        summary: 'The delivery log of an endpoint: each event, its status and every attempt',
        params: webhookEndpointIdParams,
        querystring: listDeliveriesQuery,
        response: { 200: webhookDeliveryPageSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.deliveries(request.ctx, request.params.id, request.query),
  );
}
