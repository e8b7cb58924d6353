import { z } from 'zod';
import { problemResponses, type HttpApp } from '@only/platform/http';
import { requestMeta } from '../../request-meta.ts';
import { slugParams, tenantBrandingSchema, tenantSchema, updateTenantBody } from './tenants.dto.ts';
import type { TenantsService } from './tenants.service.ts';

const tags = ['tenants'];

/** HTTP routes of tenants. */
export function tenantsRoutes(app: HttpApp, service: TenantsService): void {
  app.get(
    '/tenants/current',
    {
      config: { permission: 'tenant:read' },
      schema: {
        tags,
        summary: "The caller's tenant: settings, branding, apps and allowed origins",
        response: { 200: tenantSchema, ...problemResponses(401, 403, 404) },
      },
    },
    (request) => service.current(request.ctx),
  );

  app.patch(
    '/tenants/current',
    {
      config: { permission: 'tenant:manage' },
      schema: {
        tags,
        summary: "Change the caller's tenant: name, branding, apps, locale, currency, time zone, origins",
        body: updateTenantBody,
        response: { 200: tenantSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.update(request.ctx, request.body, requestMeta(request)),
  );

  app.get(
    '/tenants/by-slug/:slug/branding',
    {
      config: { public: true, crossTenant: true },
      schema: {
        tags,
        summary: 'Branding of a tenant, for the sign-in page: name, logo, colours, font, apps, locale',
        params: slugParams,
        response: { 200: tenantBrandingSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const branding = await service.branding(request.params.slug);
      // Public and the same for everyone: shared caches may keep it briefly.
      void reply.header('cache-control', 'public, max-age=60');
      return branding;
    },
  );

  app.get(
    '/tenants/allowed-origins',
    {
      config: { public: true, crossTenant: true },
      schema: {
        tags,
        summary: "Every active tenant's allowed web origins, for the gateways' CORS",
        description:
          'Public like the origins themselves, which every cross-origin response names; gateways refresh it every minute.',
        response: { 200: z.object({ origins: z.array(z.string()) }) },
      },
    },
    async () => ({ origins: await service.allowedOrigins() }),
  );
}
