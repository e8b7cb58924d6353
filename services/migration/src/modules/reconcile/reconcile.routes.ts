import { PassThrough } from 'node:stream';
import type { Database } from '@only/platform/db';
import type { FastifyReply } from 'fastify';
import { decodeCursor, problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import { migrationErrors } from '../../errors.ts';
import {
  discrepancyQuery,
  listReconcileRunsQuery,
  reconcileReportParams,
  reconcileRunIdParams,
  reconcileRunPageSchema,
  reconcileRunWithDiscrepanciesSchema,
} from './reconcile.dto.ts';
import { renderReconcileReport, REPORT_MEDIA_TYPES, type ReportFormat } from './reconcile-report.ts';
import { findReconcileRun, listDiscrepancies, listReconcileRuns, type Page } from './reconcile.repository.ts';

const tags = ['migration reconciliation'];
const cursorSchema = z.object({ id: z.string() });

/** The repository pages by id; the API hands out opaque cursors like every other list. */
const encode = (id: string | null) =>
  id === null ? null : Buffer.from(JSON.stringify({ id })).toString('base64url');
const decode = (cursor: string | undefined) =>
  cursor === undefined ? undefined : decodeCursor(cursor, cursorSchema).id;
const withCursor = <T>(page: Page<T>) => ({ items: [...page.items], nextCursor: encode(page.nextCursor) });

const reportResponse = {
  description: 'The report, streamed from the stored run: any size is never held in memory.',
  content: {
    'application/json': { schema: z.string() },
    'text/csv': { schema: z.string() },
    'text/html': { schema: z.string() },
  },
};

/** Sends what `render` writes as it writes it; a failure midway cuts the response (its status is out). */
function streamReport(
  reply: FastifyReply,
  runId: string,
  format: ReportFormat,
  render: (sink: (text: string) => Promise<void>) => Promise<void>,
): FastifyReply {
  const body = new PassThrough();
  const sink = (text: string) =>
    new Promise<void>((resolve) => {
      if (body.write(text)) resolve();
      else body.once('drain', resolve);
    });
  render(sink).then(
    () => body.end(),
    (error: unknown) => {
      reply.log.error({ err: error, runId }, 'reconciliation report failed');
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return reply
    .type(REPORT_MEDIA_TYPES[format])
    .header('content-disposition', `inline; filename="reconcile-${runId}.${format}"`)
    .send(body);
}

/** HTTP routes of stored reconciliation runs (`only reconcile`, the schedule): read them and their reports. */
export function reconcileRoutes(app: HttpApp, db: Database): void {
  const runOf = async (tenantId: string, id: string) => {
    const run = await findReconcileRun(db, tenantId, id);
    if (run === undefined) throw migrationErrors.reconciliation_not_found(`No reconciliation run ${id}`);
    return run;
  };

  app.get(
    '/reconciliations',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'Reconciliation runs of your tenant, newest first',
        querystring: listReconcileRunsQuery,
        response: { 200: reconcileRunPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => {
      const before = decode(request.query.cursor);
      return withCursor(
        await listReconcileRuns(db, request.ctx.tenantId, {
          limit: request.query.limit,
          ...(before === undefined ? {} : { before }),
        }),
      );
    },
  );

  app.get(
    '/reconciliations/:id',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'One reconciliation run with a page of its discrepancies',
        description:
          'Counts and sums per entity, then the discrepancies in the order they were found — `missing` (in legacy, not in Only), `extra` (in Only, no longer in legacy), `changed` (with each differing field, both values), `quarantined` (rejected at migration; not counted).',
        params: reconcileRunIdParams,
        querystring: discrepancyQuery,
        response: { 200: reconcileRunWithDiscrepanciesSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { tenantId } = request.ctx;
      const run = await runOf(tenantId, request.params.id);
      const { entity, kind, limit, cursor } = request.query;
      const after = decode(cursor);
      const page = await listDiscrepancies(db, tenantId, run.id, {
        limit,
        ...(entity === undefined ? {} : { entity }),
        ...(kind === undefined ? {} : { kind }),
        ...(after === undefined ? {} : { after }),
      });
      return { run, discrepancies: withCursor(page) };
    },
  );

  app.get(
    '/reconciliations/:id/report.:format',
    {
      config: { permission: 'migration:read' },
      schema: {
        tags,
        summary: 'The report of a reconciliation run: JSON, CSV or a readable HTML page',
        params: reconcileReportParams,
        response: { 200: reportResponse, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const run = await runOf(request.ctx.tenantId, request.params.id);
      const { format } = request.params;
      return streamReport(reply, run.id, format, (sink) => renderReconcileReport({ db, run, format }, sink));
    },
  );
}
