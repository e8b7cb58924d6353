// The HTTP API: lists with cursor pagination and filters, reads, settings; every route needs a
// token with its permission, and another tenant's ids answer 404 and change nothing.
import { systemContext } from '@only/platform/context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  creditNotePageSchema,
  creditNoteSchema,
  type CreditNote,
} from '../src/modules/credit-notes/credit-notes.dto.ts';
import { invoicePageSchema, type Invoice } from '../src/modules/invoices/invoices.dto.ts';
import { settingsSchema } from '../src/modules/settings/settings.dto.ts';
import { creditNoteRows, invoiceRows } from './support/db.ts';
import { expectProblem, expectValidationProblem } from './support/expectations.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { anOrder } from './support/orders.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: InvoicesApi;
let a: TenantClient;
let b: TenantClient;
let invoices: Invoice[];
let note: CreditNote;

beforeAll(async () => {
  api = await startInvoicesApi();
  a = api.newTenant();
  b = api.newTenant();
  const ctx = systemContext(a.tenantId, 'setup');
  invoices = [];
  for (let i = 0; i < 5; i++)
    invoices.push((await api.module.invoices.issueForOrder(ctx, anOrder())).invoice);
  const first = invoices[0];
  if (first === undefined) throw new Error('no invoice');
  note = await api.module.creditNotes.creditByHand(ctx, first.id, { reason: 'Returned' });
  // Tenant B has an invoice of its own, so that empty answers are not empty by accident.
  await api.module.invoices.issueForOrder(systemContext(b.tenantId, 'setup'), anOrder());
});

afterAll(async () => {
  await api.close();
});

describe('listing invoices', () => {
  it('is newest first, page by page with a cursor, to the last page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = invoicePageSchema.parse(
        expectStatus(await a.get(`/invoices?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`), 200),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.number));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([
      'INV-2026-000005',
      'INV-2026-000004',
      'INV-2026-000003',
      'INV-2026-000002',
      'INV-2026-000001',
    ]);
  });

  it('filters by status, order and customer', async () => {
    const credited = invoicePageSchema.parse(expectStatus(await a.get('/invoices?status=credited'), 200));
    expect(credited.items.map((item) => item.id)).toEqual([invoices[0]?.id]);
    const open = invoicePageSchema.parse(expectStatus(await a.get('/invoices?status=issued,paid'), 200));
    expect(open.items).toHaveLength(4);
    const target = invoices[2];
    const byOrder = invoicePageSchema.parse(
      expectStatus(await a.get(`/invoices?orderId=${target?.orderId ?? ''}`), 200),
    );
    expect(byOrder.items.map((item) => item.id)).toEqual([target?.id]);
    const byCustomer = invoicePageSchema.parse(
      expectStatus(await a.get(`/invoices?customerId=${target?.customer.id ?? ''}`), 200),
    );
    expect(byCustomer.items.map((item) => item.id)).toEqual([target?.id]);
  });

  it('refuses bad filters and cursors, naming them', async () => {
    expectValidationProblem(await a.get('/invoices?status=open'), { field: 'status[0]', in: 'query' });
    expectValidationProblem(await a.get('/invoices?orderId=123'), { field: 'orderId', in: 'query' });
    expectValidationProblem(await a.get('/invoices?limit=1000'), { field: 'limit', in: 'query' });
    expectValidationProblem(await a.get('/invoices?cursor=garbage'), { field: 'cursor', in: 'query' });
  });
});

describe('credit notes', () => {
  it('are listed newest first, by invoice, and read one by one', async () => {
    const all = creditNotePageSchema.parse(expectStatus(await a.get('/credit-notes'), 200));
    expect(all.items).toEqual([note]);
    const byInvoice = creditNotePageSchema.parse(
      expectStatus(await a.get(`/credit-notes?invoiceId=${invoices[1]?.id ?? ''}`), 200),
    );
    expect(byInvoice.items).toEqual([]);
    expect(creditNoteSchema.parse(expectStatus(await a.get(`/credit-notes/${note.id}`), 200))).toEqual(note);
    expectProblem(
      await a.get('/credit-notes/crn_01jd5x3b2kf9v8s7w6q4r2m1n0'),
      404,
      'invoices.credit_note_not_found',
    );
  });
});

describe('settings', () => {
  it('are the defaults until changed, and change only what is given', async () => {
    const t = api.newTenant();
    expect(settingsSchema.parse(expectStatus(await t.get('/settings'), 200))).toEqual({
      invoiceNumberFormat: 'INV-{YYYY}-{SEQ:6}',
      creditNoteNumberFormat: 'CN-{YYYY}-{SEQ:6}',
      paymentTermsDays: 14,
      version: 0,
      updatedAt: null,
    });
    const changed = settingsSchema.parse(
      expectStatus(await t.patch('/settings', { paymentTermsDays: 30 }), 200),
    );
    expect(changed).toMatchObject({
      invoiceNumberFormat: 'INV-{YYYY}-{SEQ:6}',
      paymentTermsDays: 30,
      version: 1,
    });
    const again = settingsSchema.parse(
      expectStatus(await t.patch('/settings', { creditNoteNumberFormat: 'GS-{SEQ:5}' }), 200),
    );
    expect(again).toMatchObject({ creditNoteNumberFormat: 'GS-{SEQ:5}', paymentTermsDays: 30, version: 2 });
  });

  it('refuse formats without exactly one sequence, odd characters and terms beyond a year', async () => {
    const t = api.newTenant();
    expectValidationProblem(await t.patch('/settings', { invoiceNumberFormat: 'INV-{YYYY}' }), {
      field: 'invoiceNumberFormat',
      in: 'body',
      rule: 'number_format',
    });
    expectValidationProblem(await t.patch('/settings', { creditNoteNumberFormat: 'CN {SEQ}' }), {
      field: 'creditNoteNumberFormat',
      in: 'body',
    });
    expectValidationProblem(await t.patch('/settings', { paymentTermsDays: 400 }), {
      field: 'paymentTermsDays',
      in: 'body',
    });
    expectValidationProblem(await t.patch('/settings', {}), {
      field: '(root)',
      in: 'body',
      rule: 'not_empty',
    });
    expect(settingsSchema.parse(expectStatus(await t.get('/settings'), 200)).version).toBe(0);
  });
});

describe('permissions', () => {
  it('401 without a token', async () => {
    const response = await a.request('GET', '/invoices', { anonymous: true });
    expectProblem(response, 401, 'platform.unauthenticated');
  });

  it.each(['owner', 'admin', 'manager', 'cashier', 'viewer'])(
    '%s reads invoices, credit notes, PDFs and settings',
    async (role) => {
      const client = a.as([role]);
      const invoice = invoices[1];
      for (const url of [
        '/invoices',
        `/invoices/${invoice?.id ?? ''}`,
        '/credit-notes',
        `/credit-notes/${note.id}`,
        '/settings',
      ])
        expectStatus(await client.get(url), 200);
      expect((await client.get(`/invoices/${invoice?.id ?? ''}/pdf`)).status).toBe(200);
      expect((await client.get(`/credit-notes/${note.id}/pdf`)).status).toBe(200);
    },
  );

  it.each(['manager', 'cashier', 'viewer'])(
    '%s changes neither settings nor credits invoices (403 naming invoices:manage)',
    async (role) => {
      const client = a.as([role]);
      const settings = expectProblem(
        await client.patch('/settings', { paymentTermsDays: 7 }),
        403,
        'platform.forbidden',
      );
      expect(settings).toMatchObject({ permission: 'invoices:manage' });
      expectProblem(
        await client.post(`/invoices/${invoices[1]?.id ?? ''}/credit-notes`, { reason: 'Nope' }),
        403,
        'platform.forbidden',
      );
      expect(await creditNoteRows(api.db, a.tenantId)).toHaveLength(1);
    },
  );

  it('a role without invoices:read is refused (403 naming it)', async () => {
    const client = a.as(['custom-without-invoices']);
    expect(expectProblem(await client.get('/invoices'), 403, 'platform.forbidden')).toMatchObject({
      permission: 'invoices:read',
    });
  });
});

describe('another tenant', () => {
  it("gets 404 for tenant A's invoices, PDFs and credit notes, cannot credit them, and sees none listed", async () => {
    const before = {
      invoices: await invoiceRows(api.db, a.tenantId),
      notes: await creditNoteRows(api.db, a.tenantId),
    };
    const invoice = invoices[1];
    const id = invoice?.id ?? '';
    expectProblem(await b.get(`/invoices/${id}`), 404, 'invoices.invoice_not_found');
    expectProblem(await b.get(`/invoices/${id}/pdf`), 404, 'invoices.invoice_not_found');
    expectProblem(
      await b.post(`/invoices/${id}/credit-notes`, { reason: 'Intruder' }),
      404,
      'invoices.invoice_not_found',
    );
    expectProblem(await b.get(`/credit-notes/${note.id}`), 404, 'invoices.credit_note_not_found');
    expectProblem(await b.get(`/credit-notes/${note.id}/pdf`), 404, 'invoices.credit_note_not_found');
    const listed = invoicePageSchema.parse(
      expectStatus(await b.get(`/invoices?orderId=${invoice?.orderId ?? ''}`), 200),
    );
    expect(listed.items).toEqual([]);
    expect(creditNotePageSchema.parse(expectStatus(await b.get('/credit-notes'), 200)).items).toEqual([]);
    expect({
      invoices: await invoiceRows(api.db, a.tenantId),
      notes: await creditNoteRows(api.db, a.tenantId),
    }).toEqual(before);
    // B's own numbering was never touched by A's.
    expect((await invoiceRows(api.db, b.tenantId)).map((row) => row.number)).toEqual(['INV-2026-000001']);
  });
});
