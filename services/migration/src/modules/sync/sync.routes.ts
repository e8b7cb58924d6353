import { problemResponses, type HttpApp } from '@only/platform/http';
import {
  conflictIdParams,
  listConflictsQuery,
  resolveConflictBody,
  syncConflictPageSchema,
  syncConflictSchema,
  syncStateListSchema,
} from './sync.dto.ts';
import type { SyncService } from './sync.service.ts';

const tags = ['migration sync'];

/** HTTP routes of `only sync`: where each entity got to, and the conflicts it found. */
export function syncRoutes(app: HttpApp, service: SyncService): void {
  app.get(
    '/sync/state',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Per synced entity: watermark, last pass, counts and open conflicts',
        response: { 200: syncStateListSchema },
      },
    },
    async (request) => ({ items: await service.state(request.ctx) }),
  );

  app.get(
    '/sync/conflicts',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Rows changed in both systems since the last sync, oldest first',
        querystring: listConflictsQuery,
        response: { 200: syncConflictPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.conflicts(request.ctx, request.query),
  );

  app.post(
    '/sync/conflicts/:id/resolve',
    {
      config: { permission: 'migration:run', idempotent: false },
      schema: {
        tags,
        summary: 'Resolve a parked conflict: apply the legacy values, or keep Only’s',
        description:
          '`legacy` writes the legacy row (after mapping) into Only; `modern` keeps Only’s row. A conflict is resolved once: again is a 409.',
        params: conflictIdParams,
        body: resolveConflictBody,
        response: { 200: syncConflictSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) => service.resolve(request.ctx, request.params.id, request.body.resolution),
  );
}
