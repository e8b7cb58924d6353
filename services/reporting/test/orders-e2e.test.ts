// End to end with the real orders service: both modules on one database and one bus, as in
// embedded mode. Orders are placed, moved and cancelled through the orders API; once the orders
// relay has published their events, the reporting API shows them.
import { startModules } from '@only/platform/service';
import { buildApp as buildOrdersApp, type OrdersModule } from '@only/orders';
import type { EventEnvelope } from '@only/contracts/envelope';
import { InMemoryBus } from '@only/platform/bus';
import { queryRows } from '@only/platform/db';
import type { HttpApp } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import { createTestDatabase, ManualClock, silentLogger, TestIssuer, type TestDatabase } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { buildApp } from '../src/app.ts';
import { REPORTING_CONSUMER } from '../src/events/subscriptions.ts';
import type { ReportingModule } from '../src/reporting-module.ts';
import { salesItem } from './support/expectations.ts';
import { TenantClient } from './support/tenant-client.ts';

let testDb: TestDatabase;
let bus: InMemoryBus;
let clock: ManualClock;
let orders: { app: HttpApp; module: OrdersModule };
let reporting: { app: HttpApp; module: ReportingModule };
let issuer: TestIssuer;

beforeAll(async () => {
  const logger = silentLogger();
  testDb = await createTestDatabase();
  bus = new InMemoryBus({ logger, retry: { delaysMs: [10, 50] } });
  clock = new ManualClock('2026-06-01T09:00:00.000Z');
  const deps = { db: testDb.handle.db, pingDatabase: testDb.handle.ping, bus, logger, clock };
  issuer = await TestIssuer.create();
  orders = await buildOrdersApp(deps, issuer.verifier());
  reporting = await buildApp(deps, issuer.verifier());
  await testDb.handle.migrate(orders.module.migrations);
  await testDb.handle.migrate(reporting.module.migrations);
  // Only reporting consumes; the orders relay is flushed by hand below instead of running.
  await startModules([reporting.module]);
});

afterAll(async () => {
  await orders.app.close();
  await reporting.app.close();
  await orders.module.stop();
  await reporting.module.stop();
  await bus.close();
  await testDb.close();
});

/** Publishes what orders wrote to its outbox and waits until reporting handled it. */
async function settle(): Promise<void> {
  await orders.module.kernel.relay.flush();
  await bus.drain();
  expect(bus.deadLetters(REPORTING_CONSUMER).map((d) => d.error)).toEqual([]);
}

const idSchema = z.object({ id: z.string() });

/** A tenant working through the orders API. */
class OrdersCaller {
  readonly tenantId = newId('ten');
  private readonly token = issuer.token({ tenantId: this.tenantId });

  private async post(url: string, body?: unknown): Promise<unknown> {
    const response = await orders.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer ${await this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (response.statusCode >= 300) throw new Error(`${url}: HTTP ${response.statusCode} ${response.body}`);
    return response.json();
  }

  async customer(): Promise<string> {
    const body = { email: `${newId('x')}@example.com`, name: 'Lin Okafor' };
    return idSchema.parse(await this.post('/customers', body)).id;
  }

  async deleteCustomer(id: string): Promise<void> {
    const response = await orders.app.inject({
      method: 'DELETE',
      url: `/customers/${id}`,
      headers: { authorization: `Bearer ${await this.token}` },
    });
    expect(response.statusCode).toBe(204);
  }

  /** Places an order of `quantity` × `unitPrice` with 19 % tax; returns its id. */
  async order(customerId: string, currency: string, unitPrice: number, quantity = 1): Promise<string> {
    const body = {
      customerId,
      currency,
      lines: [{ sku: 'COF-ESP-250', name: 'Espresso beans', quantity, unitPrice, taxRateBps: 1900 }],
    };
    return idSchema.parse(await this.post('/orders', body)).id;
  }

  async act(orderId: string, action: 'confirm' | 'fulfill' | 'complete' | 'cancel'): Promise<void> {
    await this.post(
      `/orders/${orderId}/${action}`,
      action === 'cancel' ? { reason: 'Changed my mind' } : undefined,
    );
  }
}

describe('reporting fed by the orders service', () => {
  it('shows orders placed, moved and cancelled through the orders API', async () => {
    const caller = new OrdersCaller();
    const reports = new TenantClient(reporting.app, issuer, caller.tenantId);
    const [lin, ada] = [await caller.customer(), await caller.customer()];

    // 1 June: 3 × 10.00 EUR + 19 % = 35.70; 25.00 USD + 4.75; 12.99 EUR + 2.47 (2.4681 rounded).
    clock.set('2026-06-01T09:00:00.000Z');
    const first = await caller.order(lin, 'EUR', 1000, 3);
    const second = await caller.order(ada, 'USD', 2500);
    await caller.order(lin, 'EUR', 1299); // stays pending
    await caller.act(first, 'confirm');
    await caller.act(first, 'fulfill');
    await caller.act(second, 'confirm');
    await settle();

    expect(await reports.salesItems('2026-06-01', '2026-06-30')).toEqual([
      salesItem('2026-06-01', 'EUR', { ordersPlaced: 2, grossSales: 3570 + 1546, tax: 570 + 247 }),
      salesItem('2026-06-01', 'USD', { ordersPlaced: 1, grossSales: 2975, tax: 475 }),
    ]);
    expect(await reports.kpis()).toEqual({
      ordersByStatus: { pending: 1, confirmed: 1, fulfilled: 1, completed: 0, cancelled: 0 },
      customers: 2,
      today: {
        day: '2026-06-01',
        orders: 3,
        gross: [
          { currency: 'EUR', amount: 5116 },
          { currency: 'USD', amount: 2975 },
        ],
      },
    });

    // 2 June: the second order is cancelled, the first completed, a customer deleted.
    clock.set('2026-06-02T15:00:00.000Z');
    await caller.act(second, 'cancel');
    await caller.act(first, 'complete');
    await caller.deleteCustomer(ada);
    await settle();

    expect(await reports.salesItems('2026-06-01', '2026-06-30')).toEqual([
      salesItem('2026-06-01', 'EUR', { ordersPlaced: 2, grossSales: 5116, tax: 817 }),
      salesItem('2026-06-01', 'USD', { ordersPlaced: 1, grossSales: 2975, tax: 475 }),
      salesItem('2026-06-02', 'USD', { cancelledOrders: 1, cancelledAmount: 2975 }),
    ]);
    expect(await reports.kpis()).toEqual({
      ordersByStatus: { pending: 1, confirmed: 0, fulfilled: 0, completed: 1, cancelled: 1 },
      customers: 1,
      today: { day: '2026-06-02', orders: 0, gross: [] },
    });

    const csv = await reports.get('/reports/daily-sales.csv', { from: '2026-06-02', to: '2026-06-02' });
    expect(csv.text.split('\r\n')[1]).toBe('2026-06-02,USD,0,0.00,0.00,1,29.75,-29.75,0,0,2975,-2975');

    // Replaying the tenant's event log (what `only events replay` re-publishes) changes nothing.
    const before = {
      sales: await reports.salesItems('2026-06-01', '2026-06-30'),
      kpis: await reports.kpis(),
    };
    const log = await queryRows<{ envelope: EventEnvelope }>(
      testDb.handle.db,
      sql`select envelope from orders.outbox where tenant_id = ${caller.tenantId} order by id`,
    );
    expect(log).toHaveLength(2 + 3 + 3 + 3);
    for (const { envelope } of log) await bus.publish(envelope);
    await settle();
    expect({
      sales: await reports.salesItems('2026-06-01', '2026-06-30'),
      kpis: await reports.kpis(),
    }).toEqual(before);
  });

  it('keeps the tenants of the orders service apart', async () => {
    const a = new OrdersCaller();
    const b = new OrdersCaller();
    clock.set('2026-06-03T10:00:00.000Z');
    await a.order(await a.customer(), 'EUR', 1000);
    await settle();

    const reportsOfB = new TenantClient(reporting.app, issuer, b.tenantId);
    expect(await reportsOfB.salesItems('2026-06-01', '2026-06-30')).toEqual([]);
    expect((await reportsOfB.kpis()).ordersByStatus.pending).toBe(0);
    expect((await new TenantClient(reporting.app, issuer, a.tenantId).kpis()).ordersByStatus.pending).toBe(1);
  });
});
