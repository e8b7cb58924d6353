// PDFs of invoices and credit notes: real PDF files, with the invoice's numbers and amounts and
// the tenant's branding — name, colours, a logo when one can be embedded, drawn without one when
// it cannot (an SVG, a server that does not answer in time).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditNoteSchema } from '../src/modules/credit-notes/credit-notes.dto.ts';
import { invoicePageSchema, invoiceSchema, type Invoice } from '../src/modules/invoices/invoices.dto.ts';
import { acmeBranding, tenantEvent } from './support/events.ts';
import { expectProblem } from './support/expectations.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { fillColors, imageCount, pdfText } from './support/pdf-text.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

// A 1 × 1 PNG.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const SVG_LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;

let api: InvoicesApi;
let logoServer: Server;
let logoBase: string;
const hanging: (() => void)[] = [];

beforeAll(async () => {
  api = await startInvoicesApi({ settings: { logoTimeoutMs: 300 } });
  logoServer = createServer((request, response) => {
    if (request.url === '/logo.png') {
      response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG_BASE64, 'base64'));
    } else if (request.url === '/slow.png') {
      // Never answers until the test ends.
      hanging.push(() => response.end());
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => logoServer.listen(0, '127.0.0.1', resolve));
  logoBase = `http://127.0.0.1:${String((logoServer.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  for (const end of hanging) end();
  await new Promise((resolve) => logoServer.close(resolve));
  await api.close();
});

async function brandedTenant(logoUrl: string | null, name = 'Acme Coffee Roasters'): Promise<TenantClient> {
  const t = api.newTenant();
  await api.publish(tenantEvent(t.tenantId, { name, branding: acmeBranding(logoUrl) }));
  return t;
}

async function invoiceOf(t: TenantClient, orderId: string): Promise<Invoice> {
  const page = invoicePageSchema.parse(expectStatus(await t.get(`/invoices?orderId=${orderId}`), 200));
  return invoiceSchema.parse(expectStatus(await t.get(`/invoices/${page.items[0]?.id ?? ''}`), 200));
}

async function pdfOf(t: TenantClient, url: string): Promise<Buffer> {
  const response = await t.get(url);
  expect(response.status).toBe(200);
  expect(response.header('content-type')).toBe('application/pdf');
  expect(response.header('content-disposition')).toMatch(/^inline; filename="[\w.-]+\.pdf"$/);
  return response.body;
}

describe('the invoice PDF', () => {
  it('is a PDF with the numbers, parties, lines, taxes and totals, in the tenant’s colours', async () => {
    const t = await brandedTenant(`data:image/png;base64,${PNG_BASE64}`);
    const orderId = await api.confirmedOrder(t.tenantId);
    const invoice = await invoiceOf(t, orderId);

    const pdf = await pdfOf(t, `/invoices/${invoice.id}/pdf`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfText(pdf);
    for (const expected of [
      'INVOICE',
      invoice.number,
      'Acme Coffee Roasters',
      'Lin Okafor',
      invoice.customer.email,
      invoice.orderNumber,
      'Espresso beans 250 g',
      'SKU COF-ESP-250',
      'Black mug',
      '7 %',
      '19 %',
      // en-IE amounts: 2 × €12.90, the taxes and the total.
      '€12.90',
      '€1.81',
      '€2.85',
      '€45.46',
      'Due date',
      '16 Mar 2026',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // The logo is embedded; the tenant's primary colour fills the table header and the total.
    expect(imageCount(pdf)).toBe(1);
    expect(fillColors(pdf)).toContain('#6f4e37');
  });

  it('goes without a logo it cannot embed (SVG) or fetch in time, and with one it can fetch', async () => {
    for (const [logoUrl, images] of [
      [SVG_LOGO, 0],
      [`${logoBase}/slow.png`, 0],
      [`${logoBase}/missing.png`, 0],
      [`${logoBase}/logo.png`, 1],
    ] as const) {
      const t = await brandedTenant(logoUrl);
      const invoice = await invoiceOf(t, await api.confirmedOrder(t.tenantId));
      const pdf = await pdfOf(t, `/invoices/${invoice.id}/pdf`);
      expect(imageCount(pdf), logoUrl).toBe(images);
      expect(pdfText(pdf), logoUrl).toContain(invoice.number);
    }
  });

  it('shows what was credited and the balance due, also for a tenant whose branding is not known yet', async () => {
    const t = api.newTenant();
    const invoice = await invoiceOf(t, await api.confirmedOrder(t.tenantId));
    expectStatus(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 546, reason: 'Late delivery' }),
      201,
    );
    const text = pdfText(await pdfOf(t, `/invoices/${invoice.id}/pdf`));
    expect(text).toContain('Credited');
    expect(text).toContain('Balance due');
    expect(text).toContain('40.00');
  });

  it('is 404 for an unknown invoice and 400 for a malformed id', async () => {
    const t = api.newTenant();
    expectProblem(
      await t.get('/invoices/inv_01jd5x3b2kf9v8s7w6q4r2m1n0/pdf'),
      404,
      'invoices.invoice_not_found',
    );
    expectProblem(await t.get('/invoices/nope/pdf'), 400, 'platform.validation_failed');
  });
});

describe('the credit note PDF', () => {
  it('names the credit note, the invoice it credits, the amounts and the reason', async () => {
    const t = await brandedTenant(null, 'Globex Outfitters');
    const invoice = await invoiceOf(t, await api.confirmedOrder(t.tenantId));
    const note = creditNoteSchema.parse(
      expectStatus(await t.post(`/invoices/${invoice.id}/credit-notes`, { reason: 'Order returned' }), 201),
    );
    const pdf = await pdfOf(t, `/credit-notes/${note.id}/pdf`);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'CREDIT NOTE',
      note.number,
      invoice.number,
      'Globex Outfitters',
      'Lin Okafor',
      '€45.46',
      'Reason: Order returned',
    ])
      expect(text, expected).toContain(expected);
  });
});
