// Invoice amounts from order lines, in integer minor units.
//
// Rounding rule (the same as the orders service's): each line's tax is its net amount times its
// rate, rounded half away from zero on that line; the tax per rate and the invoice's tax are sums
// of those line taxes. So the lines always add up to the totals, and a line printed on its own
// shows exactly the tax it contributes — at the cost of the per-rate tax differing from
// `rate × taxable` by at most half a minor unit per line.
import { mulDivRound, multiplyAmount, sumAmounts } from '@only/platform/money';

/** An order line as the order gives it. */
export interface LineInput {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly taxRateBps: number;
}

/** A line with its computed amounts. */
export interface InvoiceLineAmounts extends LineInput {
  readonly subtotal: number;
  readonly tax: number;
  readonly total: number;
}

/** What the lines taxed at one rate add up to. */
export interface TaxAmounts {
  readonly rateBps: number;
  readonly taxable: number;
  readonly tax: number;
}

/** Net, tax and gross amounts. */
export interface Totals {
  readonly subtotal: number;
  readonly tax: number;
  readonly total: number;
}

/** Lines, tax summary (ascending by rate) and totals of an invoice. */
export interface InvoiceAmounts {
  readonly lines: readonly InvoiceLineAmounts[];
  readonly taxes: readonly TaxAmounts[];
  readonly totals: Totals;
}

/** Computes an invoice's amounts from its lines with the rounding rule above. */
export function invoiceAmounts(lines: readonly LineInput[]): InvoiceAmounts {
  const computed = lines.map((line) => {
    const subtotal = multiplyAmount(line.unitPrice, line.quantity);
    const tax = mulDivRound(subtotal, line.taxRateBps, 10_000);
    return { ...line, subtotal, tax, total: sumAmounts([subtotal, tax]) };
  });
  const rates = [...new Set(computed.map((line) => line.taxRateBps))].sort((a, b) => a - b);
  const taxes = rates.map((rateBps) => {
    const atRate = computed.filter((line) => line.taxRateBps === rateBps);
    return {
      rateBps,
      taxable: sumAmounts(atRate.map((line) => line.subtotal)),
      tax: sumAmounts(atRate.map((line) => line.tax)),
    };
  });
  const subtotal = sumAmounts(computed.map((line) => line.subtotal));
  const tax = sumAmounts(computed.map((line) => line.tax));
  return { lines: computed, taxes, totals: { subtotal, tax, total: sumAmounts([subtotal, tax]) } };
}

/**
 * Where amounts an order states differ from what its lines give by the rule above: one entry per
 * difference (empty when they agree), for an error that says exactly what is wrong.
 */
export function amountDifferences(
  computed: InvoiceAmounts,
  stated: {
    readonly lines: readonly { readonly subtotal: number; readonly tax: number; readonly total: number }[];
    readonly totals: Totals;
  },
): string[] {
  const differences: string[] = [];
  computed.lines.forEach((line, index) => {
    const given = stated.lines[index];
    for (const key of ['subtotal', 'tax', 'total'] as const) {
      if (given?.[key] !== line[key])
        differences.push(`line ${String(index + 1)} ${key}: ${String(given?.[key])} ≠ ${String(line[key])}`);
    }
  });
  for (const key of ['subtotal', 'tax', 'total'] as const) {
    if (stated.totals[key] !== computed.totals[key])
      differences.push(`${key}: ${String(stated.totals[key])} ≠ ${String(computed.totals[key])}`);
  }
  return differences;
}
