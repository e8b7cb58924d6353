// Requests to the reporting API as one tenant, through `app.inject()`, with typed shortcuts for
// the reports.
import type { HttpApp } from '@only/platform/http';
import type { TestIssuer } from '@only/testing';
import { kpisSchema, type Kpis } from '../../src/modules/kpis/kpis.dto.ts';
import {
  dailySalesReportSchema,
  type DailySales,
  type DailySalesReport,
} from '../../src/modules/sales/sales.dto.ts';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  /** The raw body. */
  readonly text: string;
  /** One header as a string (undefined when absent). */
  header(name: string): string | undefined;
  /** The body parsed as JSON. */
  json(): unknown;
}

/** Query parameters, URL-encoded. */
export type Query = Readonly<Record<string, string | undefined>>;

/** The parsed body when the status is as expected; otherwise an error showing what came back. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${response.text}`);
  }
  return response.json();
}

/** A caller of the reporting API working in one tenant, with an access token of that tenant. */
export class TenantClient {
  private readonly app: HttpApp;
  private readonly token: Promise<string>;
  readonly tenantId: string;

  constructor(app: HttpApp, issuer: TestIssuer, tenantId: string, roles?: readonly string[]) {
    this.app = app;
    this.tenantId = tenantId;
    this.token = issuer.token({ tenantId, ...(roles === undefined ? {} : { roles }) });
  }

  async get(
    url: string,
    query: Query = {},
    headers: Readonly<Record<string, string>> = {},
  ): Promise<ApiResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, value);
    const search = params.toString();
    const response = await this.app.inject({
      method: 'GET',
      url: search === '' ? url : `${url}?${search}`,
      headers: { authorization: `Bearer ${await this.token}`, ...headers },
    });
    return {
      status: response.statusCode,
      text: response.body,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(', ') : String(value);
      },
      json: () => JSON.parse(response.body) as unknown,
    };
  }

  /** GET /reports/daily-sales (expects 200). */
  async dailySales(from: string, to: string, currency?: string): Promise<DailySalesReport> {
    const response = await this.get('/reports/daily-sales', { from, to, currency });
    return dailySalesReportSchema.parse(expectStatus(response, 200));
  }

  /** The items of the daily sales report of the days `from` to `to`. */
  async salesItems(from: string, to: string, currency?: string): Promise<DailySales[]> {
    return (await this.dailySales(from, to, currency)).items;
  }

  /** GET /reports/kpis (expects 200). */
  async kpis(): Promise<Kpis> {
    return kpisSchema.parse(expectStatus(await this.get('/reports/kpis'), 200));
  }
}
