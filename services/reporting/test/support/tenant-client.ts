// Requests to the reporting API as one tenant, through `app.inject()`, with typed shortcuts for
// the reports.
import {
  expectStatus,
  InjectClient,
  type ApiResponse,
  type InjectableApp,
  type Query,
  type TestIssuer,
} from '@only/testing';
import { kpisSchema, type Kpis } from '../../src/modules/kpis/kpis.dto.ts';
import {
  dailySalesReportSchema,
  type DailySales,
  type DailySalesReport,
} from '../../src/modules/sales/sales.dto.ts';

export { expectStatus, type Query } from '@only/testing';

/** A caller of the reporting API working in one tenant, with an access token of that tenant. */
export class TenantClient {
  private readonly client: InjectClient;
  readonly tenantId: string;

  constructor(app: InjectableApp, issuer: TestIssuer, tenantId: string, roles?: readonly string[]) {
    this.client = new InjectClient(app, issuer, tenantId, roles === undefined ? {} : { roles });
    this.tenantId = tenantId;
  }

  /** GET `url` with `query` (URL-encoded) and extra `headers`. */
  get(url: string, query: Query = {}, headers: Readonly<Record<string, string>> = {}): Promise<ApiResponse> {
    return this.client.get(url, { query, headers });
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
