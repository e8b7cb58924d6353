import { z } from 'zod';

const count = z.number().int().nonnegative();

/** The key figures of a tenant now. */
export const kpisSchema = z
  .object({
    ordersByStatus: z
      .object({ pending: count, confirmed: count, fulfilled: count, completed: count, cancelled: count })
      .describe('How many of the tenant’s orders are in each status now.'),
    customers: count.describe('Customers created and not deleted.'),
    today: z
      .object({
        day: z.iso.date().describe('Today as a UTC date.'),
        orders: count.describe('Orders placed today, in every currency.'),
        gross: z
          .array(
            z.object({
              currency: z.string(),
              amount: z.number().int().describe('Integer minor units of the currency.'),
            }),
          )
          .describe('Gross sales placed today per currency, by currency code.'),
      })
      .describe('Sales of the current UTC day.'),
  })
  .meta({ id: 'Kpis' });
export type Kpis = z.output<typeof kpisSchema>;
