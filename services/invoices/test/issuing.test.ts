// Invoices are issued when an order is confirmed: the orders service emits the status change,
// invoices reads the order through orders' GetOrder (in-process RPC, machine token) and issues
// exactly one invoice per order, whatever the redeliveries.
import { orderPlacedV1, orderStatusChangedV1 } from '@only/contracts/orders';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePageSchema, invoiceSchema } from '../src/modules/invoices/invoices.dto.ts';
import { invoiceRows, invoiceRowsOfOrder } from './support/db.ts';
import { tenantEvent } from './support/events.ts';
import { startInvoicesApi, type InvoicesApi } from './support/invoices-api.ts';
import { expectStatus } from './support/tenant-client.ts';

let api: InvoicesApi;

beforeAll(async () => {
  api = await startInvoicesApi();
});

afterAll(async () => {
  await api.close();
});

describe('an order confirmed', () => {
  it('gets an invoice with its lines, taxes per rate, totals, number and due date', async () => {
    const t = api.newTenant();
    await api.publish(tenantEvent(t.tenantId, { name: 'Acme Coffee Roasters', timezone: 'UTC' }));
    const orderId = await api.confirmedOrder(t.tenantId);

    const page = invoicePageSchema.parse(expectStatus(await t.get(`/invoices?orderId=${orderId}`), 200));
    expect(page.items).toHaveLength(1);
    const invoice = invoiceSchema.parse(
      expectStatus(await t.get(`/invoices/${page.items[0]?.id ?? ''}`), 200),
    );
    const order = await api.orders.orders.get(
      { tenantId: t.tenantId, actor: { type: 'system', id: null }, requestId: 'r', correlationId: 'c' },
      orderId,
    );
    expect(invoice).toMatchObject({
      number: 'INV-2026-000001',
      status: 'issued',
      orderId,
      orderNumber: order.number,
      currency: 'EUR',
      customer: { id: order.customerId, name: 'Lin Okafor', billingAddress: null },
      seller: { name: 'Acme Coffee Roasters' },
      issueDate: '2026-03-02',
      dueDate: '2026-03-16',
      paymentTermsDays: 14,
      amountPaid: 0,
      amountCredited: 0,
      paidAt: null,
    });
    expect(invoice.customer.email).toMatch(/@example\.com$/);
    // 2 × 12.90 at 7 % and 1 × 15.00 at 19 %: tax rounded per line.
    expect(invoice.lines).toEqual([
      {
        sku: 'COF-ESP-250',
        name: 'Espresso beans 250 g',
        quantity: 2,
        unitPrice: 1290,
        taxRateBps: 700,
        subtotal: 2580,
        tax: 181,
        total: 2761,
      },
      {
        sku: 'MUG-BLK',
        name: 'Black mug',
        quantity: 1,
        unitPrice: 1500,
        taxRateBps: 1900,
        subtotal: 1500,
        tax: 285,
        total: 1785,
      },
    ]);
    expect(invoice.taxes).toEqual([
      { rateBps: 700, taxable: 2580, tax: 181 },
      { rateBps: 1900, taxable: 1500, tax: 285 },
    ]);
    expect(invoice.totals).toEqual({ subtotal: 4080, tax: 466, total: 4546 });
    // The invoice says what the order says.
    expect(invoice.totals.total).toBe(order.totals.grandTotal);
    expect(invoice.balanceDue).toBe(4546);
  });

  it('is invoiced once however often the confirmation is delivered, one after the other or at once', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const [confirmation] = api.recorder
      .events(orderStatusChangedV1.type)
      .filter((event) => event.aggregateId === orderId);
    expect(confirmation).toBeDefined();
    if (confirmation === undefined) return;

    // The same message again (a broker redelivery), several times, some concurrently.
    await api.publish(confirmation);
    await Promise.all([
      api.bus.publish(confirmation),
      api.bus.publish(confirmation),
      api.bus.publish(confirmation),
    ]);
    await api.settle();

    expect(await invoiceRowsOfOrder(api.db, t.tenantId, orderId)).toHaveLength(1);
    expect(await api.eventsOf(t.tenantId, 'invoices.invoice.issued')).toHaveLength(1);
    // The number was taken once: the next order's invoice is number 2.
    await api.confirmedOrder(t.tenantId);
    expect((await invoiceRows(api.db, t.tenantId)).map((row) => row.number)).toEqual([
      'INV-2026-000001',
      'INV-2026-000002',
    ]);
  });

  it('is invoiced once even if the status change is emitted again as a new event (a replay with a new id)', async () => {
    const t = api.newTenant();
    const orderId = await api.confirmedOrder(t.tenantId);
    const [confirmation] = api.recorder
      .events(orderStatusChangedV1.type)
      .filter((e) => e.aggregateId === orderId);
    if (confirmation === undefined) throw new Error('no confirmation event');
    await api.publish({ ...confirmation, id: '01970000-0000-7000-8000-000000000001' });
    expect(await invoiceRowsOfOrder(api.db, t.tenantId, orderId)).toHaveLength(1);
  });

  it('placed already confirmed (paid at once by the saga) is invoiced from the placement itself', async () => {
    const t = api.newTenant();
    const orderId = await api.placeOrder(t.tenantId);
    await api.settle();
    expect(await invoiceRowsOfOrder(api.db, t.tenantId, orderId)).toEqual([]);
    // The saga places paid orders as confirmed: `orders.order.placed` is all there is, no status change.
    await api.db.execute(sql`update orders.orders set status = 'confirmed' where id = ${orderId}`);
    const [placed] = api.recorder.events(orderPlacedV1.type).filter((e) => e.aggregateId === orderId);
    if (placed === undefined) throw new Error('no placement event');
    const data = placed.data as { order: Record<string, unknown> };
    await api.publish({
      ...placed,
      id: '01970000-0000-7000-8000-000000000002',
      data: { ...data, order: { ...data.order, status: 'confirmed' } },
    });
    const rows = await invoiceRowsOfOrder(api.db, t.tenantId, orderId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId, status: 'issued' });
  });

  it('only on confirmation: placing, fulfilling, completing and cancelling issue nothing more', async () => {
    const t = api.newTenant();
    const pending = await api.placeOrder(t.tenantId);
    await api.settle();
    const cancelledPending = await api.placeOrder(t.tenantId);
    await api.transition(t.tenantId, cancelledPending, 'cancel');
    expect(await invoiceRows(api.db, t.tenantId)).toEqual([]);

    const orderId = await api.confirmedOrder(t.tenantId);
    await api.transition(t.tenantId, orderId, 'fulfill');
    await api.transition(t.tenantId, orderId, 'complete');
    const rows = await invoiceRows(api.db, t.tenantId);
    expect(rows.map((row) => row.orderId)).toEqual([orderId]);
    expect(rows.map((row) => row.orderId)).not.toContain(pending);
  });

  it("dates the invoice in the tenant's time zone and follows its payment terms and number format", async () => {
    const t = api.newTenant();
    // 10:00 UTC on March 2nd is already March 3rd in Kiribati.
    await api.publish(tenantEvent(t.tenantId, { name: 'Far East Traders', timezone: 'Pacific/Kiritimati' }));
    expectStatus(
      await t.patch('/settings', { invoiceNumberFormat: 'F{YY}{MM}/{SEQ:4}', paymentTermsDays: 30 }),
      200,
    );
    const orderId = await api.confirmedOrder(t.tenantId);
    const [row] = await invoiceRowsOfOrder(api.db, t.tenantId, orderId);
    expect(row).toMatchObject({
      number: 'F2603/0001',
      issueDate: '2026-03-03',
      dueDate: '2026-04-02',
      paymentTermsDays: 30,
      sellerName: 'Far East Traders',
    });
  });

  it("names the seller as identity's latest tenant event does, whatever order those events arrive in", async () => {
    const t = api.newTenant();
    await api.publish(
      tenantEvent(t.tenantId, { name: 'Acme Roasters', updatedAt: '2026-03-01T12:00:00.000Z' }, 'updated'),
      tenantEvent(t.tenantId, { name: 'Acme (old name)', updatedAt: '2026-03-01T09:00:00.000Z' }),
    );
    const orderId = await api.confirmedOrder(t.tenantId);
    const [row] = await invoiceRowsOfOrder(api.db, t.tenantId, orderId);
    expect(row?.sellerName).toBe('Acme Roasters');
  });

  it('of another tenant, or unknown to orders, is not invoiced: the event is dead-lettered after its retries', async () => {
    const t = api.newTenant();
    const other = api.newTenant();
    const orderId = await api.placeOrder(other.tenantId);
    await api.settle();
    // A confirmation claiming tenant t for tenant other's order: GetOrder answers 404 for t.
    const [placed] = api.recorder.events('orders.order.placed').filter((e) => e.aggregateId === orderId);
    if (placed === undefined) throw new Error('no placed event');
    const forged = {
      ...placed,
      id: '01970000-0000-7000-8000-0000000000aa',
      type: orderStatusChangedV1.type,
      tenantId: t.tenantId,
      data: {
        orderId,
        from: 'pending',
        to: 'confirmed',
        reason: null,
        actor: { type: 'system', id: null },
        changedAt: '2026-03-02T10:00:00.000Z',
      },
    };
    await api.bus.publish(forged);
    await api.bus.drain();
    const dead = api.takeDeadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]?.error).toContain('orders.order_not_found');
    expect(await invoiceRows(api.db, t.tenantId)).toEqual([]);
    expect(await invoiceRows(api.db, other.tenantId)).toEqual([]);
  });
});
