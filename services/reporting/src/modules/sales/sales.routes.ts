import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import { CSV_CONTENT_TYPE } from './sales-csv.ts';
import { dailySalesQuery, dailySalesReportSchema } from './sales.dto.ts';
import type { SalesService } from './sales.service.ts';

const tags = ['reports'];

/** HTTP routes of the daily sales report. */
export function salesRoutes(app: HttpApp, service: SalesService): void {
  app.get(
    '/reports/daily-sales',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'Sales per UTC day and currency: orders placed, gross, tax, cancelled, net',
        querystring: dailySalesQuery,
        response: { 200: dailySalesReportSchema, ...problemResponses(400) },
      },
    },
    (request) => service.dailySales(request.ctx, request.query),
  );

  app.get(
    '/reports/daily-sales.csv',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'The daily sales report as CSV (RFC 4180), amounts in major and in minor units',
        querystring: dailySalesQuery,
        response: {
          200: {
            description: 'A header row, then one row per day and currency.',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const csv = await service.dailySalesCsv(request.ctx, request.query);
      const filename = `daily-sales_${request.query.from}_${request.query.to}.csv`;
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(csv);
    },
  );
}
