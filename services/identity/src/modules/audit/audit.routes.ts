import { problemResponses, type HttpApp } from '@only/platform/http';
import { auditPageSchema, listAuditQuery } from './audit.dto.ts';
import type { AuditService } from './audit.service.ts';

const tags = ['audit'];

/** HTTP routes of the audit log. */
export function auditRoutes(app: HttpApp, service: AuditService): void {
  app.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'Read the audit log of security events, newest first',
        querystring: listAuditQuery,
        response: { 200: auditPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    (request) => service.list(request.ctx.tenantId, request.query),
  );
}
