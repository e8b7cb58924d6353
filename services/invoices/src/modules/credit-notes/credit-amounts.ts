// How a credit of some gross amount is spread over an invoice's tax rates.
import { mulDivRound } from '@only/platform/money';

/** Net and tax at one rate: what an invoice has at that rate, what is left to credit, or a credit. */
export interface RateAmounts {
  readonly rateBps: number;
  readonly subtotal: number;
  readonly tax: number;
}

const gross = (amounts: RateAmounts) => amounts.subtotal + amounts.tax;

/**
 * What a credit of `amount` (gross, in minor units) credits at each rate, given what is left to
 * credit at each rate (`remaining`: the invoice's tax summary less earlier credit notes).
 *
 * Crediting everything that is left credits exactly what is left, so an invoice's credit notes
 * add up to it exactly. A smaller amount is spread over the rates in proportion to their gross
 * amounts left (largest remainder, so the parts add up to `amount`), and each part is split into
 * net and tax at its rate, rounded half away from zero — kept within what is left of the net and
 * of the tax at that rate, so no rounding ever credits more tax or net than the invoice has.
 */
export function creditAllocation(remaining: readonly RateAmounts[], amount: number): RateAmounts[] {
  const left = remaining.filter((rate) => gross(rate) > 0);
  const total = left.reduce((sum, rate) => sum + gross(rate), 0);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > total)
    throw new RangeError(`cannot credit ${String(amount)} of ${String(total)}`);
  if (amount === total) return left.map((rate) => ({ ...rate }));

  const shares = left.map((rate, index) => {
    const exact = BigInt(amount) * BigInt(gross(rate));
    return {
      index,
      part: Number(exact / BigInt(total)),
      remainder: exact % BigInt(total),
    };
  });
  let unassigned = amount - shares.reduce((sum, share) => sum + share.part, 0);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (unassigned === 0) break;
    share.part += 1;
    unassigned -= 1;
  }

  return shares.flatMap(({ index, part }) => {
    const rate = left[index];
    if (rate === undefined || part === 0) return [];
    const net = Math.min(
      rate.subtotal,
      Math.max(part - rate.tax, mulDivRound(part, 10_000, 10_000 + rate.rateBps)),
    );
    return [{ rateBps: rate.rateBps, subtotal: net, tax: part - net }];
  });
}

/** What is left to credit at each rate: the invoice's amounts less those of its credit notes. */
export function remainingByRate(
  invoiced: readonly { readonly rateBps: number; readonly taxable: number; readonly tax: number }[],
  credited: readonly RateAmounts[],
): RateAmounts[] {
  return invoiced.map((rate) => {
    const done = credited.filter((credit) => credit.rateBps === rate.rateBps);
    return {
      rateBps: rate.rateBps,
      subtotal: rate.taxable - done.reduce((sum, credit) => sum + credit.subtotal, 0),
      tax: rate.tax - done.reduce((sum, credit) => sum + credit.tax, 0),
    };
  });
}
