// Expected report rows, and the assertion on validation problems the suites use.
import type { DailySales } from '../../src/modules/sales/sales.dto.ts';

export { expectValidationProblem } from '@only/testing';

/** What a test says about a day: what was placed and what was cancelled. */
export interface DayFigures {
  readonly ordersPlaced?: number;
  readonly grossSales?: number;
  readonly tax?: number;
  readonly cancelledOrders?: number;
  readonly cancelledAmount?: number;
}

/** The report item of one day and currency, with net sales worked out. */
export function salesItem(day: string, currency: string, figures: DayFigures): DailySales {
  const item = {
    day,
    currency,
    ordersPlaced: figures.ordersPlaced ?? 0,
    grossSales: figures.grossSales ?? 0,
    tax: figures.tax ?? 0,
    cancelledOrders: figures.cancelledOrders ?? 0,
    cancelledAmount: figures.cancelledAmount ?? 0,
  };
  return { ...item, netSales: item.grossSales - item.cancelledAmount };
}
