import { describe, expect, it } from 'vitest';
import { dailySalesCsv, formatMinorUnits, toCsv } from './sales-csv.ts';

describe('formatMinorUnits', () => {
  it.each([
    [6450, 2, '64.50'],
    [5, 2, '0.05'],
    [-5, 2, '-0.05'],
    [0, 2, '0.00'],
    [-123456, 2, '-1234.56'],
    [1200, 0, '1200'],
    [-7, 0, '-7'],
    [1234, 3, '1.234'],
    [7, 3, '0.007'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ])('%d with %d digits is %s', (amount, digits, expected) => {
    expect(formatMinorUnits(amount, digits)).toBe(expected);
  });

  it('refuses an amount that is not an exact integer', () => {
    expect(() => formatMinorUnits(1.5, 2)).toThrow(RangeError);
    expect(() => formatMinorUnits(2 ** 60, 2)).toThrow(RangeError);
  });
});

describe('toCsv', () => {
  it('ends every record with CRLF and quotes only what RFC 4180 requires', () => {
    expect(
      toCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\ronly', 'crlf\r\nin', ' spaced ', '']]),
    ).toBe('plain,"a,b","say ""hi""","two\nlines","cr\ronly","crlf\r\nin", spaced ,\r\n');
    expect(toCsv([['a'], ['b']])).toBe('a\r\nb\r\n');
  });
});

describe('dailySalesCsv', () => {
  it('writes a header and each item with decimal and minor-unit amounts per currency', () => {
    const csv = dailySalesCsv([
      {
        day: '2026-03-01',
        currency: 'EUR',
        ordersPlaced: 2,
        grossSales: 12900,
        tax: 843,
        cancelledOrders: 1,
        cancelledAmount: 13000,
        netSales: -100,
      },
      {
        day: '2026-03-01',
        currency: 'JPY',
        ordersPlaced: 1,
        grossSales: 1500,
        tax: 136,
        cancelledOrders: 0,
        cancelledAmount: 0,
        netSales: 1500,
      },
      {
        day: '2026-03-02',
        currency: 'KWD',
        ordersPlaced: 1,
        grossSales: 10005,
        tax: 5,
        cancelledOrders: 0,
        cancelledAmount: 0,
        netSales: 10005,
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'day,currency,orders_placed,gross_sales,tax,cancelled_orders,cancelled_amount,net_sales,gross_sales_minor,tax_minor,cancelled_amount_minor,net_sales_minor',
      '2026-03-01,EUR,2,129.00,8.43,1,130.00,-1.00,12900,843,13000,-100',
      '2026-03-01,JPY,1,1500,136,0,0,1500,1500,136,0,1500',
      '2026-03-02,KWD,1,10.005,0.005,0,0.000,10.005,10005,5,0,10005',
      '',
    ]);
  });

  it('is only the header when there is nothing to report', () => {
    expect(dailySalesCsv([])).toBe(
      'day,currency,orders_placed,gross_sales,tax,cancelled_orders,cancelled_amount,net_sales,gross_sales_minor,tax_minor,cancelled_amount_minor,net_sales_minor\r\n',
    );
  });
});
