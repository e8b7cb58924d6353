import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal, toMinorUnits } from './decimal.ts';

describe('parseDecimal', () => {
  it.each([
    ['12.50', '12.5'],
    ['  -0012.3400 ', '-12.34'],
    ['+7', '7'],
    ['.5', '0.5'],
    ['-.5', '-0.5'],
    ['5.', '5'],
    ['-0.00', '0'],
    ['1e3', '1000'],
    ['1.25E-3', '0.00125'],
    ['123456789012345678901234.5', '123456789012345678901234.5'],
  ])('%j → %s', (input, canonical) => {
    const parts = parseDecimal(input);
    expect(parts).not.toBeNull();
    if (parts !== null) expect(formatDecimal(parts)).toBe(canonical);
  });

  it('reads numbers by their shortest exact text', () => {
    expect(formatDecimal(parseDecimal(12.5) ?? { negative: true, whole: 'x', fraction: '' })).toBe('12.5');
    expect(formatDecimal(parseDecimal(1e-7) ?? { negative: true, whole: 'x', fraction: '' })).toBe(
      '0.0000001',
    );
    expect(parseDecimal(Number.NaN)).toBeNull();
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it.each(['', ' ', '.', '-', '1,50', '1.2.3', '12 EUR', '0x10', '1e', 'abc'])('refuses %j', (input) => {
    expect(parseDecimal(input)).toBeNull();
  });
});

describe('toMinorUnits', () => {
  it.each([
    ['12.50', 2, 1250],
    ['12.5', 2, 1250],
    ['12.500', 2, 1250], // trailing zeros beyond the currency's digits are not significant
    ['0.01', 2, 1],
    ['-3.20', 2, -320],
    ['1500', 0, 1500], // JPY
    ['1.234', 3, 1234], // KWD
    ['90071992547409.91', 2, 9007199254740991],
    ['-0.00', 2, 0],
  ] as const)('%s with %d digits → %d', (input, digits, units) => {
    expect(toMinorUnits(input, digits)).toEqual({ ok: true, units });
  });

  it('takes numbers (SQLite REAL, tedious DECIMAL) without float arithmetic', () => {
    expect(toMinorUnits(19.99, 2)).toEqual({ ok: true, units: 1999 });
    expect(toMinorUnits(0.07, 2)).toEqual({ ok: true, units: 7 }); // 0.07 * 100 = 7.000000000000001 in floats
    expect(toMinorUnits(1.15, 2)).toEqual({ ok: true, units: 115 }); // 1.15 * 100 = 114.99999999999999
  });

  it('rejects significant decimals beyond the currency by default', () => {
    expect(toMinorUnits('12.345', 2, 'reject', 'EUR')).toEqual({
      ok: false,
      rule: 'money_scale',
      message: '12.345 has more decimals than EUR allows (2)',
    });
    expect(toMinorUnits('100.5', 0)).toMatchObject({ ok: false, rule: 'money_scale' });
    // A float that went through arithmetic shows its noise instead of being silently rounded.
    expect(toMinorUnits(0.1 + 0.2, 2)).toMatchObject({ ok: false, rule: 'money_scale' });
  });

  it.each([
    ['12.345', 'halfUp', 1235],
    ['12.345', 'halfEven', 1234],
    ['12.355', 'halfEven', 1236],
    ['12.3450001', 'halfEven', 1235],
    ['12.344', 'halfUp', 1234],
    ['-12.345', 'halfUp', -1235],
    ['-12.345', 'halfEven', -1234],
    ['0.005', 'halfUp', 1],
    ['2.5', 'halfEven', 2], // 0 digits: the whole part decides
    ['3.5', 'halfEven', 4],
    ['99.999', 'halfUp', 10000],
  ] as const)('rounds %s %s → %d when told to', (input, rounding, units) => {
    expect(toMinorUnits(input, input === '2.5' || input === '3.5' ? 0 : 2, rounding)).toEqual({
      ok: true,
      units,
    });
  });

  it('refuses what is not an amount, and amounts beyond exact integers', () => {
    expect(toMinorUnits('12,50', 2)).toMatchObject({ ok: false, rule: 'money_format' });
    expect(toMinorUnits('', 2)).toMatchObject({ ok: false, rule: 'money_format' });
    expect(toMinorUnits('90071992547409.92', 2)).toMatchObject({ ok: false, rule: 'money_range' });
    expect(toMinorUnits('-90071992547409.92', 2)).toMatchObject({ ok: false, rule: 'money_range' });
  });
});
