import { describe, expect, it } from 'vitest';
import { sumToMinorUnits } from './legacy-side.ts';

describe('sumToMinorUnits', () => {
  it.each([
    ['12345.67', 'EUR', '1234567'],
    ['-0.50', 'EUR', '-50'],
    ['0', 'EUR', '0'],
    ['1000', 'JPY', '1000'],
    ['12.345', 'BHD', '12345'],
    // A REAL column's sum carries float noise: rounded to the currency's digits.
    [12345.670000000002, 'EUR', '1234567'],
    [12345.669999999998, 'EUR', '1234567'],
    // Exactly half: to even.
    ['0.125', 'EUR', '12'],
    ['0.135', 'EUR', '14'],
    ['99999999999999999.99', 'EUR', '9999999999999999999'],
  ])('%s %s → %s minor units', (sum, currency, expected) => {
    expect(sumToMinorUnits(sum, currency)).toBe(expected);
  });

  it('is 0 for the sum of no rows (NULL) and null where it cannot say', () => {
    expect(sumToMinorUnits(null, 'EUR')).toBe('0');
    expect(sumToMinorUnits('12.50', null)).toBeNull();
    expect(sumToMinorUnits('not a number', 'EUR')).toBeNull();
  });
});
