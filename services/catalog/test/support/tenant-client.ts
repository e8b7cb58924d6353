// Requests to the catalog API as one tenant, through `app.inject()`, with typed shortcuts for the
// setup steps tests need (a product, a location, stock, a reservation).
import type { EventEnvelope } from '@only/contracts/envelope';
import { expectStatus, InjectClient, type ClientIdentity } from '@only/testing';
import { z } from 'zod';
import { locationSchema, type Location } from '../../src/modules/locations/locations.dto.ts';
import { productSchema, type Product } from '../../src/modules/products/products.dto.ts';
import { reservationSchema, type Reservation } from '../../src/modules/reservations/reservations.dto.ts';
import { adjustmentResultSchema, type AdjustmentResult } from '../../src/modules/stock/stock.dto.ts';
import { aProductBody, type ProductBody } from './builders.ts';
import type { CatalogApi } from './catalog-api.ts';

export { expectStatus, type ClientIdentity } from '@only/testing';

/** A caller of the catalog API working in one tenant, with an access token of that tenant. */
export class TenantClient extends InjectClient {
  private readonly api: CatalogApi;
  private eventsSeen = 0;

  constructor(api: CatalogApi, tenantId: string, identity: ClientIdentity = {}) {
    super(api.app, api.issuer, tenantId, { subject: 'usr_test', ...identity });
    this.api = api;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.api, this.tenantId, { roles });
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
