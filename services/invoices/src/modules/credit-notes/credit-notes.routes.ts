import { problemResponses, type HttpApp } from '@only/platform/http';
import { pdfResponse, sendPdf } from '../pdf/pdf-response.ts';
import {
  creditNoteIdParams,
  creditNotePageSchema,
  creditNoteSchema,
  listCreditNotesQuery,
} from './credit-notes.dto.ts';
import type { CreditNotesService } from './credit-notes.service.ts';

const tags = ['credit notes'];

/** HTTP routes of credit notes. */
export function creditNotesRoutes(app: HttpApp, service: CreditNotesService): void {
  app.get(
    '/credit-notes',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'List credit notes, newest first, by invoice, order or customer',
        querystring: listCreditNotesQuery,
        response: { 200: creditNotePageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/credit-notes/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'Get a credit note',
        params: creditNoteIdParams,
        response: { 200: creditNoteSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.get(
    '/credit-notes/:id/pdf',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The credit note as PDF',
        params: creditNoteIdParams,
        response: { 200: pdfResponse, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => sendPdf(reply, await service.pdfOf(request.ctx, request.params.id)),
  );
}
