// Payments and invoices: a captured payment marks the invoice paid; a refund credits it with a
// credit note (partial: the invoice stays paid with an amount credited; full: it is credited) —
// whichever comes first, the invoice or the payment events, and however often they are delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditNotePageSchema, creditNoteSchema } from '../src/modules/credit-notes/credit-notes.dto.ts';
import { invoicePageSchema, invoiceSchema, type Invoice } from '../src/modules/invoices/invoices.dto.ts';
import { creditNoteRows } from './support/db.ts';
import { PaymentEvents } from './support/events.ts';
import { expectProblem } from './support/expectations.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { expectStatus, type TenantClient } from './support/tenant-client.ts';

let api: InvoicesApi;

beforeAll(async () => {
  api = await startInvoicesApi();
});

afterAll(async () => {
  await api.close();
});

async function invoiceOf(t: TenantClient, orderId: string): Promise<Invoice> {
  const page = invoicePageSchema.parse(expectStatus(await t.get(`/invoices?orderId=${orderId}`), 200));
  const id = page.items[0]?.id;
  if (id === undefined) throw new Error(`no invoice for ${orderId}`);
  return invoiceSchema.parse(expectStatus(await t.get(`/invoices/${id}`), 200));
}

async function creditNotesOf(t: TenantClient, invoiceId: string) {
  return creditNotePageSchema.parse(expectStatus(await t.get(`/credit-notes?invoiceId=${invoiceId}`), 200))
    .items;
}

// The default order: 2 × 12.90 at 7 % and 1 × 15.00 at 19 % = 45.46.
const TOTAL = 4546;

describe('a captured payment', () => {
  it('marks the invoice paid, once', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const payment = new PaymentEvents(t.tenantId, orderId);
    const captured = payment.captured(TOTAL);
    await api.publish(captured, captured);

    const invoice = await invoiceOf(t, orderId);
    expect(invoice).toMatchObject({
      status: 'paid',
      amountPaid: TOTAL,
      balanceDue: 0,
      paymentId: payment.paymentId,
      paidAt: '2026-03-02T10:00:00.000Z',
    });
    const paid = await api.eventsOf(t.tenantId, 'invoices.invoice.paid');
    expect(paid).toHaveLength(1);
    expect(paid[0]?.data).toMatchObject({
      invoiceId: invoice.id,
      number: invoice.number,
      paymentId: payment.paymentId,
      amountPaid: TOTAL,
    });
  });

  it('seen before the invoice exists, marks it paid as it is issued', async () => {
    const t = api.newTenant();
    const orderId = await api.placeOrder(t.tenantId);
    await api.publish(new PaymentEvents(t.tenantId, orderId).captured(TOTAL));
    await api.transition(t.tenantId, orderId, 'confirm');
    expect(await invoiceOf(t, orderId)).toMatchObject({ status: 'paid', amountPaid: TOTAL });
    const types = (await api.eventsOf(t.tenantId)).filter((e) => e.source === 'invoices').map((e) => e.type);
    expect(types).toEqual(['invoices.invoice.issued', 'invoices.invoice.paid']);
  });

  it('for less than the total, or in another currency, leaves the invoice issued', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    await api.publish(new PaymentEvents(t.tenantId, orderId).captured(TOTAL - 1));
    await api.publish(new PaymentEvents(t.tenantId, orderId, 'USD').captured(TOTAL));
    expect(await invoiceOf(t, orderId)).toMatchObject({
      status: 'issued',
      amountPaid: TOTAL - 1,
      balanceDue: 1,
    });
    expect(await api.eventsOf(t.tenantId, 'invoices.invoice.paid')).toEqual([]);
  });

  it('of an invoice already credited in full is recorded, and the invoice stays credited', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const invoice = await invoiceOf(t, orderId);
    expectStatus(await t.post(`/invoices/${invoice.id}/credit-notes`, { reason: 'Cancelled' }), 201);
    await api.publish(new PaymentEvents(t.tenantId, orderId).captured(TOTAL));
    expect(await invoiceOf(t, orderId)).toMatchObject({
      status: 'credited',
      amountPaid: TOTAL,
      balanceDue: 0,
    });
    expect(await api.eventsOf(t.tenantId, 'invoices.invoice.paid')).toEqual([]);
  });
});

describe('a refund', () => {
  it('partial: a credit note for the refunded amount, spread over the tax rates; the invoice stays paid', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const payment = new PaymentEvents(t.tenantId, orderId);
    const refund = payment.refunded(1785, 1785, TOTAL, 'Mug arrived broken');
    await api.publish(payment.captured(TOTAL), refund, refund);

    const invoice = await invoiceOf(t, orderId);
    expect(invoice).toMatchObject({ status: 'paid', amountCredited: 1785, balanceDue: 0, creditedAt: null });
    const notes = await creditNotesOf(t, invoice.id);
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note).toMatchObject({
      number: 'CN-2026-000001',
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      orderId,
      reason: 'Mug arrived broken',
      refundId: (refund.data as { refundId: string }).refundId,
      currency: 'EUR',
      issueDate: '2026-03-02',
    });
    expect(note?.totals.total).toBe(1785);
    // Spread in proportion to the gross at each rate (27.61 : 17.85 of 17.85).
    expect(note?.lines).toEqual([
      { rateBps: 700, subtotal: 1013, tax: 71, total: 1084 },
      { rateBps: 1900, subtotal: 589, tax: 112, total: 701 },
    ]);
    expect(note?.totals).toEqual({ subtotal: 1602, tax: 183, total: 1785 });
    expect(creditNoteSchema.parse(expectStatus(await t.get(`/credit-notes/${note?.id ?? ''}`), 200))).toEqual(
      note,
    );
  });

  it('full, in two refunds: two credit notes that add up to the invoice exactly; the invoice is credited', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const payment = new PaymentEvents(t.tenantId, orderId);
    // One after the other, as payments emits them (delivered together they may be handled in any order).
    await api.publish(payment.captured(TOTAL));
    await api.publish(payment.refunded(1000, 1000, TOTAL));
    await api.publish(payment.refunded(TOTAL - 1000, TOTAL, TOTAL));

    const invoice = await invoiceOf(t, orderId);
    expect(invoice).toMatchObject({
      status: 'credited',
      amountCredited: TOTAL,
      creditedAt: '2026-03-02T10:00:00.000Z',
    });
    const notes = await creditNotesOf(t, invoice.id);
    expect(notes.map((n) => n.number).sort()).toEqual(['CN-2026-000001', 'CN-2026-000002']);
    for (const rate of invoice.taxes) {
      const credited = notes.flatMap((n) => n.lines).filter((line) => line.rateBps === rate.rateBps);
      expect(
        credited.reduce((sum, line) => sum + line.subtotal, 0),
        `net at ${String(rate.rateBps)}`,
      ).toBe(rate.taxable);
      expect(
        credited.reduce((sum, line) => sum + line.tax, 0),
        `tax at ${String(rate.rateBps)}`,
      ).toBe(rate.tax);
    }
    const issued = await api.eventsOf(t.tenantId, 'invoices.credit_note.issued');
    expect(issued.map((e) => (e.data as { invoice: { status: string } }).invoice.status)).toEqual([
      'paid',
      'credited',
    ]);
  });

  it('of a cancelled order, seen before the confirmation is: credited as soon as the invoice is issued', async () => {
    const t = api.newTenant();
    const orderId = await api.placeOrder(t.tenantId);
    const payment = new PaymentEvents(t.tenantId, orderId);
    await api.publish(payment.captured(TOTAL), payment.refunded(TOTAL, TOTAL, TOTAL, 'Order cancelled'));
    await api.transition(t.tenantId, orderId, 'confirm');

    const invoice = await invoiceOf(t, orderId);
    expect(invoice).toMatchObject({ status: 'credited', amountPaid: TOTAL, amountCredited: TOTAL });
    expect((await creditNotesOf(t, invoice.id)).map((n) => n.totals)).toEqual([
      { subtotal: 4080, tax: 466, total: TOTAL },
    ]);
    const types = (await api.eventsOf(t.tenantId)).filter((e) => e.source === 'invoices').map((e) => e.type);
    expect(types).toEqual([
      'invoices.invoice.issued',
      'invoices.invoice.paid',
      'invoices.credit_note.issued',
    ]);
  });

  it('beyond what is left to credit credits only what is left', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const invoice = await invoiceOf(t, orderId);
    expectStatus(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 4000, reason: 'Goodwill' }),
      201,
    );
    const payment = new PaymentEvents(t.tenantId, orderId);
    await api.publish(payment.captured(TOTAL), payment.refunded(TOTAL, TOTAL, TOTAL));
    expect(await invoiceOf(t, orderId)).toMatchObject({ status: 'credited', amountCredited: TOTAL });
    expect((await creditNoteRows(api.db, t.tenantId)).map((row) => row.total)).toEqual([4000, TOTAL - 4000]);
  });
});

describe('a credit note by hand', () => {
  it('credits what is asked, or all that is left; refuses more, and anything once nothing is left', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const invoice = await invoiceOf(t, orderId);

    const first = creditNoteSchema.parse(
      expectStatus(
        await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 546, reason: 'Late delivery' }),
        201,
      ),
    );
    expect(first).toMatchObject({ refundId: null, reason: 'Late delivery', totals: { total: 546 } });
    const tooMuch = expectProblem(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 4001, reason: 'Oops' }),
      422,
      'invoices.credit_exceeds_balance',
    );
    expect(tooMuch).toMatchObject({ creditable: 4000 });
    const rest = creditNoteSchema.parse(
      expectStatus(await t.post(`/invoices/${invoice.id}/credit-notes`, { reason: 'Order returned' }), 201),
    );
    expect(rest.totals.total).toBe(4000);
    expect(await invoiceOf(t, orderId)).toMatchObject({
      status: 'credited',
      amountCredited: TOTAL,
      balanceDue: 0,
    });
    expectProblem(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { reason: 'Again' }),
      409,
      'invoices.nothing_to_credit',
    );
    expect((await creditNoteRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'CN-2026-000001',
      'CN-2026-000002',
    ]);
  });

  it('is issued once for one Idempotency-Key', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const invoice = await invoiceOf(t, orderId);
    const options = { idempotencyKey: 'credit-1' };
    const first = expectStatus(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 100, reason: 'Goodwill' }, options),
      201,
    );
    const again = expectStatus(
      await t.post(`/invoices/${invoice.id}/credit-notes`, { amount: 100, reason: 'Goodwill' }, options),
      201,
    );
    expect(again).toEqual(first);
    expect(await creditNoteRows(api.db, t.tenantId)).toHaveLength(1);
  });
});
