// Order details as GetOrder gives them, built directly for tests that issue invoices without the
// orders service.
import { newId } from '@only/platform/ids';
import { invoiceAmounts, type LineInput } from '../../src/modules/invoices/invoice-amounts.ts';
import type { OrderDetails } from '../../src/modules/orders/order-source.ts';

/** A confirmed order with consistent amounts (computed by the documented rounding rule). */
export function anOrder(
  lines: readonly LineInput[] = [
    { sku: 'TEA-1', name: 'Green tea', quantity: 3, unitPrice: 450, taxRateBps: 700 },
  ],
): OrderDetails {
  const amounts = invoiceAmounts(lines);
  return {
    id: newId('ord'),
    number: String(100_000 + Math.floor(Math.random() * 900_000)),
    status: 'confirmed',
    currency: 'EUR',
    customer: { id: newId('cus'), name: 'Ada Lovelace', email: 'ada@example.com', billingAddress: null },
    lines: amounts.lines,
    totals: amounts.totals,
  };
}
