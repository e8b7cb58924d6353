import { currencySchema } from '@only/platform/money';
import { z } from 'zod';
import { daysBetween } from '../../utc-day.ts';
import type { DailySalesRow } from './sales.table.ts';

/** Most days one report may span, both ends included (a leap year). */
export const MAX_REPORT_DAYS = 366;

const day = z.iso.date({ message: 'Must be a date as YYYY-MM-DD' });

/** Query of the daily sales report (JSON and CSV): a range of UTC days, optionally one currency. */
export const dailySalesQuery = z
  .object({
    from: day.describe('First day of the report, included (UTC date, YYYY-MM-DD).'),
    to: day.describe(`Last day of the report, included; at most ${MAX_REPORT_DAYS} days from \`from\`.`),
    currency: currencySchema.optional().describe('Only sales in this currency.'),
  })
  .superRefine((query, ctx) => {
    const span = daysBetween(query.from, query.to);
    if (span < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'Must not be before from',
        params: { rule: 'not_before_from' },
      });
    } else if (span + 1 > MAX_REPORT_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `A report spans at most ${MAX_REPORT_DAYS} days`,
        params: { rule: 'max_range' },
      });
    }
  });
export type DailySalesQuery = z.output<typeof dailySalesQuery>;

const count = z.number().int().nonnegative();
const amount = z.number().int().describe('Integer minor units of the currency (e.g. cents).');

/** One day and currency of the report; amounts in minor units of `currency`. */
export const dailySalesSchema = z
  .object({
    day: z.iso.date().describe('UTC date.'),
    currency: z.string().describe('ISO 4217 code; each currency has its own row.'),
    ordersPlaced: count.describe('Orders placed this day.'),
    grossSales: amount.describe('Sum of the grand totals (tax included) of the orders placed this day.'),
    tax: amount.describe('Tax in the grand totals of the orders placed this day.'),
    cancelledOrders: count.describe('Orders cancelled this day, whenever they were placed.'),
    cancelledAmount: amount.describe('Sum of the grand totals of the orders cancelled this day.'),
    netSales: amount.describe(
      'grossSales − cancelledAmount; negative on a day with more cancelled than sold.',
    ),
  })
  .meta({ id: 'DailySales' });
export type DailySales = z.output<typeof dailySalesSchema>;

/** The daily sales report: the query it answers and its items. */
export const dailySalesReportSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string().nullable(),
    items: z
      .array(dailySalesSchema)
      .describe('By day, then currency. Days without any order placed or cancelled have no item.'),
  })
  .meta({ id: 'DailySalesReport' });
export type DailySalesReport = z.output<typeof dailySalesReportSchema>;

/** The API view of a stored row. */
export function toDailySales(row: DailySalesRow): DailySales {
  return {
    day: row.day,
    currency: row.currency,
    ordersPlaced: row.ordersPlaced,
    grossSales: row.grossSales,
    tax: row.tax,
    cancelledOrders: row.cancelledOrders,
    cancelledAmount: row.cancelledAmount,
    netSales: row.grossSales - row.cancelledAmount,
  };
}
