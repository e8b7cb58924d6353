import { isAppError } from '@only/platform/errors';
import { problemResponses, type HttpApp } from '@only/platform/http';
import { serveRunEvents, type OpenStreams } from './run-events.ts';
import {
  listRunsQuery,
  runIdParams,
  runPageSchema,
  runSchema,
  sourceListSchema,
  startRunBody,
} from './runs.dto.ts';
import type { RunsService } from './runs.service.ts';

const tags = ['migration runs'];

/** HTTP routes of migration runs and the sources they read. */
export function runsRoutes(
  app: HttpApp,
  service: RunsService,
  stream: { streams: OpenStreams; heartbeatMs: number; pollIntervalMs: number },
): void {
  app.post(
    '/runs',
    {
      // Starting is guarded by "one running run per tenant" (409 naming it), not by a stored
      // Idempotency-Key response: the run outlives the request's transaction.
      config: { permission: 'migration:run', idempotent: false },
      schema: {
        tags,
        summary: 'Start a migration run into your tenant; it executes in the background',
        description:
          'Answers 202 once the run is stored, with the run and its `Location`; follow it with `GET /runs/{id}/events`. The mapping is inline (`mapping`) or a file of the server (`mappingFile`); the source is one the server names (`source`, see `GET /sources`). Mapping problems are a 422 listing each with its line and column; a source that cannot be opened, a 502; another run of the tenant still running, a 409.',
        body: startRunBody,
        response: { 202: runSchema, ...problemResponses(400, 409, 422, 502, 503) },
      },
    },
    async (request, reply) => {
      try {
        const run = await service.start(request.ctx, request.body);
        void reply.code(202).header('location', `runs/${run.id}`);
        return run;
      } catch (error) {
        if (isAppError(error) && error.code === 'migration.too_many_runs')
          void reply.header('retry-after', '30');
        throw error;
      }
    },
  );

  app.get(
    '/runs',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'List migration runs, newest first (dry runs are not stored, so not listed)',
        querystring: listRunsQuery,
        response: { 200: runPageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/runs/:id',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Get a migration run: status, counts per entity, error, timings',
        params: runIdParams,
        response: { 200: runSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.get(
    '/runs/:id/events',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Follow a migration run live until it ends (Server-Sent Events)',
        description:
          '`text/event-stream`: first an event `run` (the run as `GET /runs/{id}` shows it); then, per batch, `progress` (`{kind, entity, counts, total?}`) while this process executes the run, or `run` again whenever the stored run changes; finally `end` with the final run, and the stream closes. Comment lines keep the connection alive. A reconnect starts over with `run`.',
        params: runIdParams,
        response: { ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await serveRunEvents(request, reply, { id: request.params.id, service, ...stream });
    },
  );

  app.post(
    '/runs/:id/stop',
    {
      config: { permission: 'migration:run', idempotent: false },
      schema: {
        tags,
        summary: 'Stop a running migration run before its next batch',
        description:
          'What was committed stays, with its checkpoints: the run ends as `failed`, its `error` naming who stopped it, and `"resume": true` continues it. 200 with the ended run; 202 with the run still `running` when its current batch takes longer than the wait. A run that is not running is a 409.',
        params: runIdParams,
        response: { 200: runSchema, 202: runSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const { run, ended } = await service.stop(request.ctx, request.params.id);
      void reply.code(ended ? 200 : 202);
      return run;
    },
  );

  app.get(
    '/sources',
    {
      config: { permission: 'migration:run' },
      schema: {
        tags,
        summary: 'The legacy sources runs of your tenant may read, by name',
        response: { 200: sourceListSchema },
      },
    },
    async (request) => ({ items: await service.sources(request.ctx) }),
  );
}
