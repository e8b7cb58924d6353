import { describe, expect, it } from 'vitest';
import { amountDifferences, invoiceAmounts } from './invoice-amounts.ts';

const line = (unitPrice: number, quantity: number, taxRateBps: number, sku = 'SKU') => ({
  sku,
  name: sku,
  unitPrice,
  quantity,
  taxRateBps,
});

describe('invoice amounts', () => {
  it('rounds tax per line, half away from zero, and sums lines into rates and totals', () => {
    // 3 × 0.15 at 19 % = 0.45 net, 0.0855 tax → 0.09 on the line.
    // 1 × 0.05 at 19 % = 0.0095 → 0.01.  2 × 12.90 at 7 % = 25.80 net, 1.806 → 1.81.
    const amounts = invoiceAmounts([line(15, 3, 1900, 'A'), line(5, 1, 1900, 'B'), line(1290, 2, 700, 'C')]);
    expect(amounts.lines.map((l) => [l.subtotal, l.tax, l.total])).toEqual([
      [45, 9, 54],
      [5, 1, 6],
      [2580, 181, 2761],
    ]);
    // Per rate: the sums of the lines' net amounts and taxes.
    expect(amounts.taxes).toEqual([
      { rateBps: 700, taxable: 2580, tax: 181 },
      { rateBps: 1900, taxable: 50, tax: 10 },
    ]);
    expect(amounts.totals).toEqual({ subtotal: 2630, tax: 191, total: 2821 });
  });

  it('keeps per-line rounding even where rounding the rate once would differ', () => {
    // Three lines of 0.05 at 10 %: each 0.005 → 0.01, so 0.03 of tax, where 10 % of 0.15 is 0.015 → 0.02.
    const amounts = invoiceAmounts([line(5, 1, 1000, 'A'), line(5, 1, 1000, 'B'), line(5, 1, 1000, 'C')]);
    expect(amounts.taxes).toEqual([{ rateBps: 1000, taxable: 15, tax: 3 }]);
    expect(amounts.totals).toEqual({ subtotal: 15, tax: 3, total: 18 });
  });

  it('handles untaxed lines and a single rate', () => {
    const amounts = invoiceAmounts([line(999, 1, 0)]);
    expect(amounts.taxes).toEqual([{ rateBps: 0, taxable: 999, tax: 0 }]);
    expect(amounts.totals).toEqual({ subtotal: 999, tax: 0, total: 999 });
  });

  it('names every amount an order states differently from its lines', () => {
    const computed = invoiceAmounts([line(1290, 2, 700)]);
    expect(amountDifferences(computed, { lines: computed.lines, totals: computed.totals })).toEqual([]);
    const stated = {
      lines: [{ subtotal: 2580, tax: 180, total: 2760 }],
      totals: { subtotal: 2580, tax: 180, total: 2760 },
    };
    expect(amountDifferences(computed, stated)).toEqual([
      'line 1 tax: 180 ≠ 181',
      'line 1 total: 2760 ≠ 2761',
      'tax: 180 ≠ 181',
      'total: 2760 ≠ 2761',
    ]);
  });
});
