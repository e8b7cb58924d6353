// Requests to the catalog API as one tenant, through `app.inject()`, with typed shortcuts for the
// setup steps tests need (a product, a location, stock, a reservation).
import type { EventEnvelope } from '@only/contracts/envelope';
import { z } from 'zod';
import { locationSchema, type Location } from '../../src/modules/locations/locations.dto.ts';
import { productSchema, type Product } from '../../src/modules/products/products.dto.ts';
import { reservationSchema, type Reservation } from '../../src/modules/reservations/reservations.dto.ts';
import { adjustmentResultSchema, type AdjustmentResult } from '../../src/modules/stock/stock.dto.ts';
import { aProductBody, type ProductBody } from './builders.ts';
import type { CatalogApi } from './catalog-api.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  header(name: string): string | undefined;
  json(): unknown;
}

/** What a request may carry besides method and URL. */
export interface RequestOptions {
  readonly body?: unknown;
  readonly userId?: string;
  readonly correlationId?: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

/** How a {@link TenantClient} authenticates. */
export interface ClientIdentity {
  /** Roles of its tokens (default owner: every permission). */
  readonly roles?: readonly string[];
}

/** A caller of the catalog API working in one tenant, with an access token of that tenant. */
export class TenantClient {
  private readonly api: CatalogApi;
  private readonly identity: ClientIdentity;
  private readonly tokens = new Map<string, Promise<string>>();
  private eventsSeen = 0;
  readonly tenantId: string;

  constructor(api: CatalogApi, tenantId: string, identity: ClientIdentity = {}) {
    this.api = api;
    this.tenantId = tenantId;
    this.identity = identity;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.api, this.tenantId, { roles });
  }

  private token(subject: string): Promise<string> {
    let token = this.tokens.get(subject);
    if (token === undefined) {
      token = this.api.issuer.token({
        tenantId: this.tenantId,
        subject,
        ...(this.identity.roles === undefined ? {} : { roles: this.identity.roles }),
      });
      this.tokens.set(subject, token);
    }
    return token;
  }

  async request(method: Method, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token(options.userId ?? 'usr_test')}`,
    };
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) params.append(key, String(value));
    const search = params.toString();
    const response = await this.api.app.inject({
      method,
      url: search === '' ? url : `${url}?${search}`,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
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

  get(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('GET', url, options);
  }

  post(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('POST', url, body === undefined ? options : { ...options, body });
  }

  patch(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PATCH', url, body === undefined ? options : { ...options, body });
  }

  put(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PUT', url, body === undefined ? options : { ...options, body });
  }

  delete(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('DELETE', url, options);
  }

  /** Creates a product (expects 201). */
  async createProduct(overrides: ProductBody = {}): Promise<Product> {
    return productSchema.parse(expectStatus(await this.post('/products', aProductBody(overrides)), 201));
  }

  /** Creates a location (expects 201). */
  async createLocation(code: string, extra: { isDefault?: boolean; name?: string } = {}): Promise<Location> {
    const response = await this.post('/locations', {
      code,
      name: extra.name ?? `Location ${code}`,
      ...extra,
    });
    return locationSchema.parse(expectStatus(response, 201));
  }

  /** Adjusts stock on hand (expects 201): `received` for positive deltas, `damaged` for negative ones. */
  async adjust(
    productId: string,
    delta: number,
    extra: { locationId?: string; reason?: string; note?: string } = {},
  ): Promise<AdjustmentResult> {
    const response = await this.post('/stock/adjustments', {
      productId,
      reason: extra.reason ?? (delta > 0 ? 'received' : 'damaged'),
      delta,
      ...(extra.locationId === undefined ? {} : { locationId: extra.locationId }),
      ...(extra.note === undefined ? {} : { note: extra.note }),
    });
    return adjustmentResultSchema.parse(expectStatus(response, 201));
  }

  /** A product with `quantity` received at the default location. */
  async productWithStock(quantity: number, overrides: ProductBody = {}): Promise<Product> {
    const product = await this.createProduct(overrides);
    await this.adjust(product.id, quantity);
    return product;
  }

  /** Reserves (expects `status`, 201 by default). */
  async reserve(
    reservationKey: string,
    lines: { sku: string; quantity: number }[],
    extra: { locationId?: string; expiresAt?: string } = {},
    status = 201,
  ): Promise<Reservation> {
    const response = await this.post('/reservations', { reservationKey, lines, ...extra });
    return reservationSchema.parse(expectStatus(response, status));
  }

  /** Stock of a product at its locations. */
  async stockOf(productId: string) {
    return productStockView.parse(expectStatus(await this.get(`/products/${productId}/stock`), 200));
  }

  /** Published events of this tenant (publishes what is due first). */
  events(type?: string): Promise<EventEnvelope[]> {
    return this.api.eventsOf(this.tenantId, type);
  }

  /** Marks every event so far as seen, so that {@link newEvents} returns only later ones. */
  async skipEvents(): Promise<void> {
    this.eventsSeen = (await this.events()).length;
  }

  /** Events of this tenant published since the last `skipEvents` or `newEvents`. */
  async newEvents(): Promise<EventEnvelope[]> {
    const all = await this.events();
    const fresh = all.slice(this.eventsSeen);
    this.eventsSeen = all.length;
    return fresh;
  }
}

const productStockView = z.object({
  productId: z.string(),
  sku: z.string(),
  onHand: z.number(),
  reserved: z.number(),
  available: z.number(),
  levels: z.array(
    z.object({
      locationId: z.string(),
      locationCode: z.string(),
      onHand: z.number(),
      reserved: z.number(),
      available: z.number(),
      reorderPoint: z.number().nullable(),
      low: z.boolean(),
    }),
  ),
});

/** The parsed body when the status is as expected; otherwise an error showing what came back. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${String(status)}, got ${String(response.status)}: ${response.text}`);
  }
  return response.text === '' ? undefined : response.json();
}
