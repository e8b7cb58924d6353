// Events: every change of an invoice writes exactly one event through the outbox in the change's
// own transaction — valid against the contract, in a valid envelope, correlated with what caused
// it — and a change that fails writes none.
import { eventCatalogue } from '@only/contracts';
import { eventEnvelopeSchema } from '@only/contracts/envelope';
import { orderStatusChangedV1 } from '@only/contracts/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePageSchema } from '../src/modules/invoices/invoices.dto.ts';
import { outboxRows } from './support/db.ts';
import { PaymentEvents } from './support/events.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: InvoicesApi;

beforeAll(async () => {
  api = await startInvoicesApi();
});

afterAll(async () => {
  await api.close();
});

describe('invoices events', () => {
  it('an invoice life emits issued, paid and credit notes — valid, in order, all through the outbox', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const payment = new PaymentEvents(t.tenantId, orderId);
    const capture = payment.captured(4546);
    const refund = payment.refunded(4546, 4546, 4546);
    await api.publish(capture);
    await api.publish(refund);

    const events = (await api.eventsOf(t.tenantId)).filter((event) => event.source === 'invoices');
    expect(events.map((event) => event.type)).toEqual([
      'invoices.invoice.issued',
      'invoices.invoice.paid',
      'invoices.credit_note.issued',
    ]);
    for (const event of events) {
      eventEnvelopeSchema.parse(event);
      const definition = eventCatalogue.get(`${event.type}@${String(event.version)}`);
      expect(definition, event.type).toBeDefined();
      expect(() => definition?.schema.parse(event.data), event.type).not.toThrow();
      expect(event).toMatchObject({ tenantId: t.tenantId, version: 1 });
    }
    const page = invoicePageSchema.parse(expectStatus(await t.get(`/invoices?orderId=${orderId}`), 200));
    const invoiceId = page.items[0]?.id;
    expect(events.every((event) => event.aggregateId === invoiceId)).toBe(true);
    expect(events[0]?.data).toMatchObject({
      invoice: {
        id: invoiceId,
        number: 'INV-2026-000001',
        orderId,
        status: 'issued',
        totals: { total: 4546 },
      },
    });
    expect(events[2]?.data).toMatchObject({
      creditNote: { number: 'CN-2026-000001', invoiceId, totals: { total: 4546 } },
      invoice: { id: invoiceId, status: 'credited', amountCredited: 4546 },
    });

    // Each is correlated with what caused it: the confirmation, the capture, the refund.
    const [confirmation] = api.recorder
      .events(orderStatusChangedV1.type)
      .filter((e) => e.aggregateId === orderId);
    expect(events.map((event) => [event.correlationId, event.causationId])).toEqual([
      [confirmation?.correlationId, confirmation?.id],
      [capture.correlationId, capture.id],
      [refund.correlationId, refund.id],
    ]);

    const rows = await outboxRows(api.db, t.tenantId);
    expect(rows.map((row) => row.id)).toEqual(events.map((event) => event.id));
    expect(rows.every((row) => row.publishedAt !== null)).toBe(true);
  });

  it('a credit note by hand carries the request’s correlation id; a refused one emits nothing', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const page = invoicePageSchema.parse(expectStatus(await t.get(`/invoices?orderId=${orderId}`), 200));
    const invoiceId = page.items[0]?.id ?? '';
    await api.settle();
    const before = await outboxRows(api.db, t.tenantId);

    expect(
      (await t.post(`/invoices/${invoiceId}/credit-notes`, { amount: 999_999, reason: 'Too much' })).status,
    ).toBe(422);
    expect(await outboxRows(api.db, t.tenantId)).toEqual(before);

    expectStatus(
      await t.post(
        `/invoices/${invoiceId}/credit-notes`,
        { amount: 100, reason: 'Goodwill' },
        { correlationId: 'desk-42' },
      ),
      201,
    );
    const [event] = await api.eventsOf(t.tenantId, 'invoices.credit_note.issued');
    expect(event).toMatchObject({ correlationId: 'desk-42', source: 'invoices', aggregateId: invoiceId });
  });
});
