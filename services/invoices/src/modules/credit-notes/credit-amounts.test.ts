import { describe, expect, it } from 'vitest';
import { creditAllocation, remainingByRate, type RateAmounts } from './credit-amounts.ts';

const sum = (parts: readonly RateAmounts[]) => parts.reduce((s, p) => s + p.subtotal + p.tax, 0);

describe('credit allocation', () => {
  const invoice = [
    { rateBps: 700, taxable: 2580, tax: 181 },
    { rateBps: 1900, taxable: 5000, tax: 950 },
  ];

  it('credits exactly what is left when the whole rest is credited', () => {
    const left = remainingByRate(invoice, []);
    expect(creditAllocation(left, 2761 + 5950)).toEqual([
      { rateBps: 700, subtotal: 2580, tax: 181 },
      { rateBps: 1900, subtotal: 5000, tax: 950 },
    ]);
  });

  it('spreads a partial credit in proportion to the gross per rate, adding up exactly', () => {
    const parts = creditAllocation(remainingByRate(invoice, []), 1000);
    expect(sum(parts)).toBe(1000);
    // 2761 : 5950 of 1000 → 317 and 683; each split into net and tax at its rate.
    expect(parts).toEqual([
      { rateBps: 700, subtotal: 296, tax: 21 },
      { rateBps: 1900, subtotal: 574, tax: 109 },
    ]);
  });

  it('never credits more net or tax at a rate than the invoice has, over any series of partial credits', () => {
    for (const step of [1, 3, 7, 97, 1000, 4321]) {
      const credited: RateAmounts[] = [];
      let left = remainingByRate(invoice, credited);
      while (sum(left) > 0) {
        const amount = Math.min(step, sum(left));
        const parts = creditAllocation(left, amount);
        expect(sum(parts)).toBe(amount);
        credited.push(...parts);
        left = remainingByRate(invoice, credited);
        for (const rate of left) {
          expect(rate.subtotal, `step ${String(step)}`).toBeGreaterThanOrEqual(0);
          expect(rate.tax, `step ${String(step)}`).toBeGreaterThanOrEqual(0);
        }
      }
      expect(left.every((rate) => rate.subtotal === 0 && rate.tax === 0)).toBe(true);
    }
  });

  it('refuses nothing, negatives and more than is left', () => {
    const left = remainingByRate(invoice, []);
    expect(() => creditAllocation(left, 0)).toThrow(RangeError);
    expect(() => creditAllocation(left, -5)).toThrow(RangeError);
    expect(() => creditAllocation(left, 8712)).toThrow(RangeError);
  });
});
