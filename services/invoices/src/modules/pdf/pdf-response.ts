import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DocumentPdf } from './pdf-renderer.ts';

/** The 200 response of a PDF route, for the docs. */
export const pdfResponse = {
  description: 'The document as PDF, in the tenant’s branding.',
  content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
};

/** Sends a rendered document as a PDF, shown inline by browsers, never cached by proxies. */
export function sendPdf(reply: FastifyReply, pdf: DocumentPdf): FastifyReply {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${pdf.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf.content);
}
