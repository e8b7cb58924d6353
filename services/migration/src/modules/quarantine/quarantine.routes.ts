import { problemResponses, type HttpApp } from '@only/platform/http';
import { listQuarantineQuery, quarantinePageSchema } from './quarantine.dto.ts';
import type { QuarantineService } from './quarantine.service.ts';

const tags = ['migration quarantine'];

/** HTTP routes of the quarantine: the source rows migration runs rejected. */
export function quarantineRoutes(app: HttpApp, service: QuarantineService): void {
  app.get(
    '/quarantine',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Source rows migration runs rejected, with their reasons, in the order they were rejected',
        querystring: listQuarantineQuery,
        response: { 200: quarantinePageSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );
}
