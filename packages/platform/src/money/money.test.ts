import { describe, expect, it } from 'vitest';
import {
  AmountOverflowError,
  MAX_AMOUNT,
  amountSchema,
  currencySchema,
  formatMoney,
  isCurrency,
  minorUnitDigits,
  mulDivRound,
  multiplyAmount,
  sumAmounts,
} from './money.ts';

describe('mulDivRound', () => {
  it.each([
    // amount, numerator, denominator, expected
    [1000, 1900, 10_000, 190], // 19 % VAT on 10.00
    [5, 1, 2, 3], // 2.5 → 3
    [3, 1, 2, 2], // 1.5 → 2
    [1, 1, 2, 1], // 0.5 → 1
    [7, 1, 3, 2], // 2.33… → 2
    [8, 1, 3, 3], // 2.66… → 3
    [2499, 1, 10, 250], // 249.9 → 250
    [2449, 1, 10, 245], // 244.9 → 245
    [2445, 1, 10, 245], // 244.5 → 245 (half away from zero, not to even)
    [2455, 1, 10, 246], // 245.5 → 246 (not banker's 246 by accident: see 2445)
    [0, 7, 3, 0],
    [100, 0, 7, 0],
  ])('%d × %d / %d = %d', (amount, numerator, denominator, expected) => {
    expect(mulDivRound(amount, numerator, denominator)).toBe(expected);
  });

  it.each([
    [-5, 1, 2, -3], // -2.5 → -3
    [-3, 1, 2, -2], // -1.5 → -2
    [-1, 1, 2, -1], // -0.5 → -1
    [-7, 1, 3, -2], // -2.33… → -2
    [-8, 1, 3, -3], // -2.66… → -3
    [5, -1, 2, -3],
    [5, 1, -2, -3],
    [-5, 1, -2, 3],
    [-5, -1, -2, -3],
    [-2445, 1, 10, -245],
  ])(
    'rounds half away from zero with negatives: %d × %d / %d = %d',
    (amount, numerator, denominator, expected) => {
      expect(mulDivRound(amount, numerator, denominator)).toBe(expected);
    },
  );

  it('is symmetric around zero', () => {
    for (let amount = 1; amount <= 200; amount++) {
      for (const [n, d] of [
        [1, 2],
        [1, 3],
        [2, 3],
        [1900, 10_000],
        [7, 8],
      ] as const) {
        expect(mulDivRound(-amount, n, d) + mulDivRound(amount, n, d)).toBe(0);
      }
    }
  });

  it('is exact near MAX_SAFE_INTEGER where floating point is not', () => {
    const max = Number.MAX_SAFE_INTEGER; // 9007199254740991
    expect(mulDivRound(max, 3, 3)).toBe(max);
    expect(mulDivRound(max, 10_000, 10_000)).toBe(max);
    // 9007199254740991 / 2 = 4503599627370495.5 → 4503599627370496
    expect(mulDivRound(max, 1, 2)).toBe(4503599627370496);
    // 9007199254740991 × 9999 / 10000 = 9006298534815516.9009 → …517
    expect(mulDivRound(max, 9_999, 10_000)).toBe(9006298534815517);
    // The naive float computation is off here, which is why bigint is used.
    expect(Math.round((max * 9_999) / 10_000)).not.toBe(9006298534815517);
    expect(mulDivRound(-max, 1, 2)).toBe(-4503599627370496);
  });

  it('throws AmountOverflowError when the result leaves the exact range', () => {
    expect(() => mulDivRound(MAX_AMOUNT, 2, 1)).toThrow(AmountOverflowError);
    expect(() => mulDivRound(-MAX_AMOUNT, 2, 1)).toThrow(AmountOverflowError);
    expect(() => mulDivRound(MAX_AMOUNT, 10_001, 10_000)).toThrow(AmountOverflowError);
    // Large intermediate products are fine as long as the result fits.
    expect(mulDivRound(MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT)).toBe(MAX_AMOUNT);
  });

  it('AmountOverflowError is a named RangeError', () => {
    const error = new AmountOverflowError();
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe('AmountOverflowError');
  });

  it('rejects a zero denominator', () => {
    expect(() => mulDivRound(100, 1, 0)).toThrow(RangeError);
  });
});

describe('sumAmounts and multiplyAmount', () => {
  it('sums exactly and refuses to overflow', () => {
    expect(sumAmounts([])).toBe(0);
    expect(sumAmounts([1999, 1, -500])).toBe(1500);
    expect(sumAmounts([MAX_AMOUNT - 1, 1])).toBe(MAX_AMOUNT);
    expect(() => sumAmounts([MAX_AMOUNT, 1])).toThrow(AmountOverflowError);
    expect(sumAmounts(new Set([10, 20]))).toBe(30);
  });

  it('multiplies exactly and refuses to overflow', () => {
    expect(multiplyAmount(1999, 3)).toBe(5997);
    expect(multiplyAmount(0, 1_000_000)).toBe(0);
    expect(multiplyAmount(3002399751580330, 3)).toBe(9007199254740990);
    expect(() => multiplyAmount(4503599627370496, 2)).toThrow(AmountOverflowError);
  });
});

describe('currencies', () => {
  it('isCurrency accepts known ISO 4217 codes only', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('USD')).toBe(true);
    expect(isCurrency('JPY')).toBe(true);
    expect(isCurrency('KWD')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('EURO')).toBe(false);
    expect(isCurrency('EU')).toBe(false);
    expect(isCurrency('ZZZ')).toBe(false);
    expect(isCurrency('')).toBe(false);
  });

  it('minorUnitDigits knows the minor units of each currency', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });

  it('currencySchema names its rule and amountSchema bounds amounts', () => {
    expect(currencySchema.safeParse('EUR').success).toBe(true);
    const bad = currencySchema.safeParse('XYZ1');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/ISO 4217/);

    expect(amountSchema.safeParse(0).success).toBe(true);
    expect(amountSchema.safeParse(MAX_AMOUNT).success).toBe(true);
    expect(amountSchema.safeParse(-1).success).toBe(false);
    expect(amountSchema.safeParse(1.5).success).toBe(false);
    expect(amountSchema.safeParse(MAX_AMOUNT + 1).success).toBe(false);
  });
});

describe('formatMoney', () => {
  it('renders minor units in the currency', () => {
    expect(formatMoney(1999, 'EUR')).toBe('€19.99');
    expect(formatMoney(0, 'EUR')).toBe('€0.00');
    expect(formatMoney(5, 'EUR')).toBe('€0.05');
    expect(formatMoney(-1999, 'EUR')).toBe('-€19.99');
    expect(formatMoney(123456789, 'USD')).toBe('$1,234,567.89');
    expect(formatMoney(1999, 'JPY')).toBe('¥1,999');
    expect(formatMoney(1234, 'KWD').replace(/\s/g, ' ')).toBe('KWD 1.234');
  });

  it('uses the locale', () => {
    expect(formatMoney(123456, 'EUR', 'de').replace(/\s/g, ' ')).toBe('1.234,56 €');
  });

  it('is exact for every amount up to MAX_AMOUNT', () => {
    // 9007198265394049 / 100 is not representable as a double; dividing first rendered …940.48.
    expect(formatMoney(9007198265394049, 'EUR')).toBe('€90,071,982,653,940.49');
    expect(formatMoney(MAX_AMOUNT, 'EUR')).toBe('€90,071,992,547,409.91');
    expect(formatMoney(-MAX_AMOUNT, 'EUR')).toBe('-€90,071,992,547,409.91');
    expect(formatMoney(MAX_AMOUNT, 'JPY')).toBe('¥9,007,199,254,740,991');
    expect(formatMoney(MAX_AMOUNT, 'KWD').replace(/\s/g, ' ')).toBe('KWD 9,007,199,254,740.991');
    for (let i = 0; i < 2_000; i++) {
      const amount = MAX_AMOUNT - i * 7_919;
      const digits = String(amount);
      const expected = `€${BigInt(digits.slice(0, -2)).toLocaleString('en')}.${digits.slice(-2)}`;
      expect(formatMoney(amount, 'EUR')).toBe(expected);
    }
  });
});
