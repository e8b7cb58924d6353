import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import {
  previewBody,
  previewSchema,
  putTemplateBody,
  templateListSchema,
  templateParams,
  templateSchema,
} from './templates.dto.ts';
import type { TemplatesService } from './templates.service.ts';

const tags = ['templates'];

/** HTTP routes of the tenant's message templates. */
export function templatesRoutes(app: HttpApp, service: TemplatesService): void {
  app.get(
    '/templates',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'List templates: every kind in the built-in languages and in the tenant’s own',
        response: { 200: templateListSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.list(request.ctx),
  );

  app.get(
    '/templates/:kind/:locale',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'Get the template of a kind in a language, as messages use it',
        params: templateParams,
        response: { 200: templateSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.kind, request.params.locale),
  );

  app.put(
    '/templates/:kind/:locale',
    {
      config: { permission: 'notifications:manage' },
      schema: {
        tags,
        summary: 'Set the tenant’s own template of a kind in a language',
        description:
          'Handlebars: `{{value}}` is escaped in `html`; `subject`, `text`, `sms` and the in-app parts are plain text. Helpers: `{{money amount currency}}`, `{{date iso}}`, `{{datetime iso}}`. Parts left out use the built-in template. A part that does not compile or render the example data is a 422 naming it.',
        params: templateParams,
        body: putTemplateBody,
        response: { 200: templateSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    (request) => service.put(request.ctx, request.params.kind, request.params.locale, request.body),
  );

  app.delete(
    '/templates/:kind/:locale',
    {
      config: { permission: 'notifications:manage' },
      schema: {
        tags,
        summary: 'Drop the tenant’s own template: the built-in one applies again',
        params: templateParams,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.kind, request.params.locale);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/templates/:kind/:locale/preview',
    {
      config: { permission: 'notifications:read' },
      schema: {
        tags,
        summary: 'Render the template with example data in the tenant’s branding',
        params: templateParams,
        body: previewBody,
        response: { 200: previewSchema, ...problemResponses(400, 401, 403, 404, 422) },
      },
    },
    (request) => service.preview(request.ctx, request.params.kind, request.params.locale, request.body.data),
  );
}
