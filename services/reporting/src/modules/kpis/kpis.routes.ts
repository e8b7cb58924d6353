import type { HttpApp } from '@only/platform/http';
import { kpisSchema } from './kpis.dto.ts';
import type { KpisService } from './kpis.service.ts';

/** HTTP route of the tenant's key figures. */
export function kpisRoutes(app: HttpApp, service: KpisService): void {
  app.get(
    '/reports/kpis',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Key figures now: orders per status, customers, and today’s orders and gross sales',
        response: { 200: kpisSchema },
      },
    },
    (request) => service.kpis(request.ctx),
  );
}
