// Expected report rows and problem documents, shared by the suites.
import { problemSchema, type FieldViolation, type Problem } from '@only/platform/errors';
import { expect } from 'vitest';
import type { DailySales } from '../../src/modules/sales/sales.dto.ts';
import type { ApiResponse } from './tenant-client.ts';

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

/** Asserts a problem+json response with this status and code, and returns the problem. */
export function expectProblem(response: ApiResponse, status: number, code: string): Problem {
  expect({ status: response.status, body: response.text }).toMatchObject({ status });
  expect(response.header('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  expect(problem).toMatchObject({ status, code, type: `/problems/${code}` });
  return problem;
}

/** Asserts a 400 `platform.validation_failed` naming the field (and rule), and returns the problem. */
export function expectValidationProblem(
  response: ApiResponse,
  violation: { field: string; in: FieldViolation['in']; rule?: string },
): Problem {
  const problem = expectProblem(response, 400, 'platform.validation_failed');
  expect(problem.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ ...violation, message: expect.any(String) as unknown }),
    ]),
  );
  return problem;
}
