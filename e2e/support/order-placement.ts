// Order placement end to end through the gateway, the same in embedded and in distributed mode:
// what a shop sees after a paid order, a declined card and a cancellation, across catalog,
// payments, orders, invoices and notifications.
import { randomBytes } from 'node:crypto';
import type { TestSmtpServer } from '@only/testing';
import { expect, vi } from 'vitest';
import { authorization, call } from './test-cluster.ts';

/** Events travel between services: what follows a placement is awaited, never assumed. */
const EVENTUALLY = { timeout: 20_000, interval: 100 };

interface Stock {
  onHand: number;
  reserved: number;
  available: number;
}

interface Order {
  id: string;
  number: string;
  status: string;
  paymentId: string | null;
  totals: { grandTotal: number };
}

interface Payment {
  id: string;
  status: string;
  amountCaptured: number;
  amountRefunded: number;
}

interface Invoice {
  id: string;
  number: string;
  status: string;
  totals: { total: number };
  orderId: string;
}

/** A shop set up through the gateway: one product with stock, one customer with an e-mail address. */
export interface Shop {
  readonly api: string;
  readonly productId: string;
  readonly sku: string;
  readonly customerId: string;
  readonly customerEmail: string;
}

const unique = () => randomBytes(4).toString('hex').toUpperCase();

/** Creates a product priced 12.50 EUR (standard tax) with `stock` units, and a customer. */
export async function openShop(api: string, stock: number): Promise<Shop> {
  const sku = `E2E-${unique()}`;
  const product = await call<{ id: string }>(`${api}/catalog/products`, {
    body: { sku, name: `Beans ${sku}`, price: { amount: 1250, currency: 'EUR' }, taxClass: 'standard' },
  });
  await call(`${api}/catalog/stock/adjustments`, {
    body: { productId: product.id, reason: 'received', delta: stock },
  });
  const customerEmail = `buyer-${unique().toLowerCase()}@example.com`;
  const customer = await call<{ id: string }>(`${api}/orders/customers`, {
    body: { email: customerEmail, name: 'Erin Buyer' },
  });
  return { api, productId: product.id, sku, customerId: customer.id, customerEmail };
}

/** POST /orders paid with a test card; the raw response, since a declined card is a 402. */
export async function placePaidOrder(
  shop: Shop,
  quantity: number,
  card: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${shop.api}/orders/orders`, {
    method: 'POST',
    headers: {
      ...authorization(),
      'content-type': 'application/json',
      'idempotency-key': `e2e-${unique()}`,
    },
    body: JSON.stringify({
      customerId: shop.customerId,
      currency: 'EUR',
      lines: [{ sku: shop.sku, quantity }],
      payment: { token: card },
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const stockOf = (shop: Shop) => call<Stock>(`${shop.api}/catalog/products/${shop.productId}/stock`);
export const orderOf = (shop: Shop, id: string) => call<Order>(`${shop.api}/orders/orders/${id}`);
export const paymentOf = (shop: Shop, id: string) => call<Payment>(`${shop.api}/payments/payments/${id}`);
export async function invoicesOf(shop: Shop, orderId: string): Promise<Invoice[]> {
  return (await call<{ items: Invoice[] }>(`${shop.api}/invoices/invoices?orderId=${orderId}`)).items;
}

/**
 * The approve card: confirmed at once; then, in the background, the payment captured, the stock
 * committed, the invoice issued and paid (PDF downloadable), the confirmation mailed to the
 * customer and listed in-app for staff who manage orders. Returns the order.
 */
export async function expectApprovedOrder(shop: Shop, smtp: TestSmtpServer): Promise<Order> {
  const placed = await placePaidOrder(shop, 2, 'tok_test_approve');
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const order = placed.body as unknown as Order;
  expect(order).toMatchObject({ status: 'confirmed', totals: { grandTotal: 2975 } });
  expect(order.paymentId).toMatch(/^pay_/);

  await vi.waitFor(async () => {
    expect(await stockOf(shop)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    expect(await paymentOf(shop, order.paymentId ?? '')).toMatchObject({
      status: 'captured',
      amountCaptured: 2975,
    });
  }, EVENTUALLY);

  const invoice = await vi.waitFor(async () => {
    const [issued, ...more] = await invoicesOf(shop, order.id);
    expect(more).toEqual([]);
    expect(issued).toMatchObject({ status: 'paid', totals: { total: 2975 }, orderId: order.id });
    return issued as Invoice;
  }, EVENTUALLY);
  const pdf = await fetch(`${shop.api}/invoices/invoices/${invoice.id}/pdf`, { headers: authorization() });
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toContain('application/pdf');
  expect(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');

  // The customer gets the confirmation and the invoice, in the tenant's language (Acme's is German).
  await vi.waitFor(() => {
    const subjects = smtp.to(shop.customerEmail).map((mail) => mail.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects.filter((subject) => subject.includes(order.number))).toHaveLength(1);
    expect(subjects.filter((subject) => subject.includes(invoice.number))).toHaveLength(1);
  }, EVENTUALLY);
  await vi.waitFor(async () => {
    const inbox = await call<{ items: { kind: string; title: string }[] }>(
      `${shop.api}/notifications/notifications?limit=100`,
    );
    const confirmations = inbox.items.filter(
      (notice) => notice.kind === 'order_confirmation' && notice.title.includes(order.number),
    );
    expect(confirmations).toHaveLength(1);
  }, EVENTUALLY);
  return order;
}

/** The decline card: 402 `payment_failed`; the order says why, the stock is back, no invoice. */
export async function expectDeclinedOrder(shop: Shop, paidOrder: Order): Promise<void> {
  const before = await stockOf(shop);
  const placed = await placePaidOrder(shop, 3, 'tok_test_decline');
  expect(placed.status, JSON.stringify(placed.body)).toBe(402);
  expect(placed.body).toMatchObject({ code: 'orders.payment_failed', reason: 'card_declined' });
  const orderId = String(placed.body.orderId);
  expect(await orderOf(shop, orderId)).toMatchObject({ status: 'payment_failed' });
  expect(await stockOf(shop)).toMatchObject({
    onHand: before.onHand,
    reserved: 0,
    available: before.available,
  });

  // The paid order's invoice was issued through the same events; this order's never will be. A
  // second paid order placed after it gets its invoice: by then the declined one is long settled.
  const later = await placePaidOrder(shop, 1, 'tok_test_approve');
  expect(later.status).toBe(201);
  await vi.waitFor(async () => {
    expect(await invoicesOf(shop, String(later.body.id))).toHaveLength(1);
  }, EVENTUALLY);
  expect(await invoicesOf(shop, orderId)).toEqual([]);
  expect(await invoicesOf(shop, paidOrder.id)).toHaveLength(1);
}

/** Cancelling a confirmed, captured order: refunded in full, restocked, and a credit note issued. */
export async function expectCancelledOrder(shop: Shop, order: Order): Promise<void> {
  const before = await stockOf(shop);
  const cancelled = await call<Order>(`${shop.api}/orders/orders/${order.id}/cancel`, {
    body: { reason: 'Customer changed their mind' },
  });
  expect(cancelled.status).toBe('cancelled');

  await vi.waitFor(async () => {
    expect(await paymentOf(shop, order.paymentId ?? '')).toMatchObject({
      status: 'refunded',
      amountCaptured: 2975,
      amountRefunded: 2975,
    });
    expect(await stockOf(shop)).toMatchObject({ onHand: before.onHand + 2, reserved: 0 });
    const [invoice] = await invoicesOf(shop, order.id);
    expect(invoice).toMatchObject({ status: 'credited' });
    const notes = await call<{ items: { invoiceId: string; totals: { total: number } }[] }>(
      `${shop.api}/invoices/credit-notes?orderId=${order.id}`,
    );
    expect(notes.items.map((note) => ({ invoiceId: note.invoiceId, total: note.totals.total }))).toEqual([
      { invoiceId: invoice?.id, total: 2975 },
    ]);
  }, EVENTUALLY);
}
