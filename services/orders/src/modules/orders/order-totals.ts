import { AmountOverflowError, mulDivRound, multiplyAmount, sumAmounts } from '@only/platform/money';
import { ordersErrors } from '../../errors.ts';

/** A line as the client sends it: price per unit in minor units, tax rate in basis points. */
export interface LineInput {
  readonly quantity: number;
  readonly unitPrice: number;
  readonly taxRateBps: number;
}

/** A line's computed amounts. */
export interface LineAmounts {
  readonly subtotal: number;
  readonly tax: number;
  readonly total: number;
}

/** An order's computed amounts. */
export interface OrderTotals {
  readonly subtotal: number;
  readonly tax: number;
  readonly grandTotal: number;
}

/**
 * Computes line and order totals on the server (clients never send totals). Tax is rounded per
 * line, half away from zero, so lines always add up to the order total. Amounts too large to be
 * exact are a 422.
 */
export function computeTotals(lines: readonly LineInput[]): { lines: LineAmounts[]; totals: OrderTotals } {
  try {
    const computed = lines.map((line) => {
      const subtotal = multiplyAmount(line.unitPrice, line.quantity);
      const tax = mulDivRound(subtotal, line.taxRateBps, 10_000);
      return { subtotal, tax, total: sumAmounts([subtotal, tax]) };
    });
    const subtotal = sumAmounts(computed.map((l) => l.subtotal));
    const tax = sumAmounts(computed.map((l) => l.tax));
    return { lines: computed, totals: { subtotal, tax, grandTotal: sumAmounts([subtotal, tax]) } };
  } catch (error) {
    if (error instanceof AmountOverflowError) {
      throw ordersErrors.amount_too_large('The order total exceeds the largest exact amount', {
        field: 'lines',
      });
    }
    throw error;
  }
}
