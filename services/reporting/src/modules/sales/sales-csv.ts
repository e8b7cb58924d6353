import { minorUnitDigits } from '@only/platform/money';
import { stringify } from 'csv-stringify/sync';
import type { DailySales } from './sales.dto.ts';

/** The media type of the CSV export. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/**
 * An amount in minor units as an exact decimal of major units: `formatMinorUnits(-5, 2)` is
 * `-0.05`, `formatMinorUnits(1200, 0)` is `1200`. Done on the digits, never by dividing floats.
 */
export function formatMinorUnits(amount: number, digits: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not an exact amount: ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const units = String(Math.abs(amount)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${units}`;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** RFC 4180 CSV: CRLF after every record, fields quoted when they hold a comma, quote or line break. */
export function toCsv(records: readonly (readonly string[])[]): string {
  // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone CR or LF.
  return stringify(records as string[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

const HEADER = [
  'day',
  'currency',
  'orders_placed',
  'gross_sales',
  'tax',
  'cancelled_orders',
  'cancelled_amount',
  'net_sales',
  'gross_sales_minor',
  'tax_minor',
  'cancelled_amount_minor',
  'net_sales_minor',
];

/**
 * The daily sales report as CSV: a header row, then one row per item. Amounts appear twice: as
 * decimals in major units (exact, with the currency's number of minor digits: `64.50` EUR,
 * `1200` JPY, `1.234` KWD), for spreadsheets, and as integer minor units, for exact processing.
 */
export function dailySalesCsv(items: readonly DailySales[]): string {
  const rows = items.map((item) => {
    const digits = minorUnitDigits(item.currency);
    const money = (amount: number) => formatMinorUnits(amount, digits);
    return [
      item.day,
      item.currency,
      String(item.ordersPlaced),
      money(item.grossSales),
      money(item.tax),
      String(item.cancelledOrders),
      money(item.cancelledAmount),
      money(item.netSales),
      String(item.grossSales),
      String(item.tax),
      String(item.cancelledAmount),
      String(item.netSales),
    ];
  });
  return toCsv([HEADER, ...rows]);
}
