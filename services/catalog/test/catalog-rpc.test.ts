// The catalog's internal RPC (`CatalogService`) as the order saga calls it: through an in-process
// registry, with tokens checked per method, problems carried across, and the same stock levels,
// audit rows and events as the HTTP API — including returning a committed reservation to stock.
import { CatalogService, ProductStatus, ReservationStatus } from '@only/contracts/rpc/catalog';
import { moneyOf } from '@only/contracts/rpc';
import {
  createRpcConnector,
  RpcCallError,
  RpcRegistry,
  type CallContext,
  type RpcClient,
} from '@only/platform/rpc';
import { silentLogger } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalogApi, type CatalogApi } from './support/catalog-api.ts';
import { movementRows } from './support/db.ts';
import type { TenantClient } from './support/tenant-client.ts';

let api: CatalogApi;
let catalog: RpcClient<typeof CatalogService>;
let close: () => void;

beforeAll(async () => {
  api = await startCatalogApi();
  const registry = new RpcRegistry();
  registry.register({
    services: api.module.rpc ?? [],
    verifier: api.issuer.verifier(),
    logger: silentLogger(),
  });
  const connector = createRpcConnector({ registry, logger: silentLogger() });
  catalog = connector.client(CatalogService);
  close = () => {
    connector.close();
  };
});

afterAll(async () => {
  close();
  await api.close();
});

/** The context of a caller of `tenant` whose token carries `permissions` (the order saga's by default). */
async function callerOf(
  tenant: TenantClient,
  permissions: readonly string[] = ['stock:reserve', 'products:read'],
): Promise<CallContext> {
  return {
    tenantId: tenant.tenantId,
    actor: { type: 'client', id: 'svc-orders' },
    requestId: 'req-rpc-test',
    correlationId: 'corr-rpc-test',
    accessToken: await api.issuer.token({
      tenantId: tenant.tenantId,
      roles: [],
      permissions: [...permissions],
    }),
  };
}

async function failure(promise: Promise<unknown>): Promise<RpcCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcCallError);
  return error as RpcCallError;
}

describe('CatalogService over RPC', () => {
  it('reserves, and answers the same reservation for the same key', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(10);
    const ctx = await callerOf(tenant);

    const first = await catalog.reserveStock(ctx, {
      reservationKey: 'ord_rpc_1',
      lines: [{ sku: beans.sku, quantity: 3 }],
    });
    const again = await catalog.reserveStock(ctx, {
      reservationKey: 'ord_rpc_1',
      lines: [{ sku: beans.sku, quantity: 3 }],
    });

    expect(first.reservation).toMatchObject({
      reservationKey: 'ord_rpc_1',
      status: ReservationStatus.ACTIVE,
      lines: [{ sku: beans.sku, productId: beans.id, quantity: 3 }],
    });
    expect(first.reservation?.closedAt).toBeUndefined();
    expect(again.reservation?.id).toBe(first.reservation?.id);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
  });

  it('answers out_of_stock with the short SKUs and reserves nothing', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(2);
    const error = await failure(
      catalog.reserveStock(await callerOf(tenant), {
        reservationKey: 'ord_rpc_2',
        lines: [{ sku: beans.sku, quantity: 3 }],
      }),
    );
    expect(error).toMatchObject({ code: 'catalog.out_of_stock', status: 409 });
    expect(error.extensions.skus).toEqual([beans.sku]);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ reserved: 0, available: 2 });
  });

  it('commits, refuses to release what was committed, and returns it to stock once', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(10);
    const ctx = await callerOf(tenant);
    await catalog.reserveStock(ctx, {
      reservationKey: 'ord_rpc_3',
      lines: [{ sku: beans.sku, quantity: 4 }],
    });

    const committed = await catalog.commitReservation(ctx, { reservationKey: 'ord_rpc_3' });
    expect(committed.reservation?.status).toBe(ReservationStatus.COMMITTED);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ onHand: 6, reserved: 0 });
    const refused = await failure(
      catalog.releaseReservation(ctx, { reservationKey: 'ord_rpc_3', reason: 'x' }),
    );
    expect(refused).toMatchObject({ code: 'catalog.reservation_not_active' });
    expect(refused.extensions.currentState).toBe('committed');
    await tenant.skipEvents();

    const returned = await catalog.returnReservation(ctx, {
      reservationKey: 'ord_rpc_3',
      reason: 'order_cancelled',
    });
    const again = await catalog.returnReservation(ctx, {
      reservationKey: 'ord_rpc_3',
      reason: 'order_cancelled',
    });

    expect(returned.reservation?.status).toBe(ReservationStatus.RETURNED);
    expect(again.reservation?.status).toBe(ReservationStatus.RETURNED);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const returns = (await movementRows(api.db, beans.id)).filter((m) => m.reason === 'returned');
    expect(returns).toMatchObject([
      {
        kind: 'adjustment',
        delta: 4,
        onHandBefore: 6,
        onHandAfter: 10,
        reservationId: returned.reservation?.id,
      },
    ]);
    const events = await tenant.newEvents();
    expect(events.map((e) => e.type)).toEqual(['catalog.stock.adjusted']);
    expect(events[0]?.data).toMatchObject({ reason: 'returned', delta: 4, level: { onHand: 10 } });
    const view = await tenant.get('/reservations/ord_rpc_3');
    expect(view.json()).toMatchObject({ status: 'returned', closeReason: 'order_cancelled' });
  });

  it('returns only committed reservations: an active one is released instead', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(10);
    const ctx = await callerOf(tenant);
    await catalog.reserveStock(ctx, {
      reservationKey: 'ord_rpc_4',
      lines: [{ sku: beans.sku, quantity: 1 }],
    });
    const refused = await failure(
      catalog.returnReservation(ctx, { reservationKey: 'ord_rpc_4', reason: '' }),
    );
    expect(refused).toMatchObject({ code: 'catalog.reservation_not_active' });
    expect(refused.extensions.currentState).toBe('active');
    const released = await catalog.releaseReservation(ctx, {
      reservationKey: 'ord_rpc_4',
      reason: 'payment_failed',
    });
    expect(released.reservation?.status).toBe(ReservationStatus.RELEASED);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ reserved: 0, available: 10 });
    const missing = await failure(
      catalog.returnReservation(ctx, { reservationKey: 'ord_nobody', reason: '' }),
    );
    expect(missing).toMatchObject({ code: 'catalog.reservation_not_found', status: 404 });
  });

  it('GetProducts answers price, tax class, status and availability, and lists unknown SKUs', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(7, {
      price: { amount: 1290, currency: 'EUR' },
      taxClass: 'reduced',
    });
    const answer = await catalog.getProducts(await callerOf(tenant), { skus: [beans.sku, 'NOPE-1'] });
    expect(answer.missing).toEqual(['NOPE-1']);
    expect(answer.products).toHaveLength(1);
    const [product] = answer.products;
    expect(product).toMatchObject({
      id: beans.id,
      sku: beans.sku,
      taxClass: 'reduced',
      status: ProductStatus.ACTIVE,
      available: 7,
    });
    expect(moneyOf(product?.price)).toEqual({ amount: 1290, currency: 'EUR' });
  });

  it('requires stock:reserve for reservations and products:read for products', async () => {
    const tenant = api.newTenant();
    const beans = await tenant.productWithStock(5);
    const reader = await callerOf(tenant, ['products:read']);
    const denied = await failure(
      catalog.reserveStock(reader, { reservationKey: 'ord_rpc_5', lines: [{ sku: beans.sku, quantity: 1 }] }),
    );
    expect(denied.status).toBe(403);
    const reserver = await callerOf(tenant, ['stock:reserve']);
    expect((await failure(catalog.getProducts(reserver, { skus: [beans.sku] }))).status).toBe(403);
    expect(await tenant.stockOf(beans.id)).toMatchObject({ reserved: 0 });
  });
});
