import { problemResponses, type HttpApp } from '@only/platform/http';
import { createCreditNoteBody, creditNoteSchema } from '../credit-notes/credit-notes.dto.ts';
import type { CreditNotesService } from '../credit-notes/credit-notes.service.ts';
import { pdfResponse, sendPdf } from '../pdf/pdf-response.ts';
import { invoiceIdParams, invoicePageSchema, invoiceSchema, listInvoicesQuery } from './invoices.dto.ts';
import type { InvoicesService } from './invoices.service.ts';

const tags = ['invoices'];

/** HTTP routes of invoices. */
export function invoicesRoutes(
  app: HttpApp,
  service: InvoicesService,
  creditNotes: CreditNotesService,
): void {
  app.get(
    '/invoices',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'List invoices, newest first, by status, order or customer',
        querystring: listInvoicesQuery,
        response: { 200: invoicePageSchema, ...problemResponses(400) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/invoices/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'Get an invoice with its lines, tax summary and totals',
        params: invoiceIdParams,
        response: { 200: invoiceSchema, ...problemResponses(400, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.get(
    '/invoices/:id/pdf',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The invoice as PDF',
        params: invoiceIdParams,
        response: { 200: pdfResponse, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => sendPdf(reply, await service.pdfOf(request.ctx, request.params.id)),
  );

  app.post(
    '/invoices/:id/credit-notes',
    {
      config: { permission: 'invoices:manage' },
      schema: {
        tags,
        summary: 'Credit an invoice by hand (all that is left, or an amount): issues a credit note',
        description:
          'Refunds of the order’s payment are credited automatically; this is for credits without a refund (goodwill, corrections). Send an `Idempotency-Key` to retry safely.',
        params: invoiceIdParams,
        body: createCreditNoteBody,
        response: { 201: creditNoteSchema, ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const note = await creditNotes.creditByHand(request.ctx, request.params.id, request.body);
      void reply.code(201).header('location', `../credit-notes/${note.id}`);
      return note;
    },
  );
}
