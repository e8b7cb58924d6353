// Two replicas of the orders service, each with its own in-process cache, sharing the database and
// the bus: a change through one replica reaches the other's cache through the change's event.
import { InMemoryBus } from '@only/platform/bus';
import { MemoryCache } from '@only/platform/cache';
import { newId } from '@only/platform/ids';
import { startModules } from '@only/platform/service';
import { createTestDatabase, silentLogger, type TestDatabase, TestIssuer } from '@only/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { OrdersModule } from '../src/orders-module.ts';
import type { HttpApp } from '@only/platform/http';
import { anOrderBody, aCustomerBody } from './support/builders.ts';

describe('cache invalidation across replicas', () => {
  let database: TestDatabase;
  let bus: InMemoryBus;
  const replicas: { app: HttpApp; module: OrdersModule }[] = [];
  const tenant = newId('ten');
  let headers: { authorization: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    bus = new InMemoryBus();
    const issuer = await TestIssuer.create();
    headers = await issuer.headers({ tenantId: tenant });
    for (let i = 0; i < 2; i++) {
      const replica = await buildApp(
        {
          db: database.handle.db,
          pingDatabase: database.handle.ping,
          bus,
          logger: silentLogger(),
          cache: new MemoryCache({ name: `replica-${String(i)}` }),
        },
        issuer.verifier(),
      );
      replicas.push(replica);
    }
    await database.handle.migrate(replicas[0]!.module.migrations);
    await startModules(replicas.map((replica) => replica.module));
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.module.stop();
      await replica.app.close();
    }
    await bus.close();
    await database.close();
  });

  it('drops the other replica’s cached order when one replica changes it', async () => {
    const [a, b] = replicas;
    const customer = (
      await a!.app.inject({ method: 'POST', url: '/customers', headers, payload: aCustomerBody() })
    ).json<{ id: string }>();
    const order = (
      await a!.app.inject({ method: 'POST', url: '/orders', headers, payload: anOrderBody(customer.id) })
    ).json<{ id: string }>();
    const status = async () =>
      (await a!.app.inject({ method: 'GET', url: `/orders/${order.id}`, headers })).json<{ status: string }>()
        .status;

    expect(await status()).toBe('pending'); // now cached by replica A
    const confirmed = await b!.app.inject({ method: 'POST', url: `/orders/${order.id}/confirm`, headers });
    expect(confirmed.statusCode).toBe(200);

    await vi.waitFor(async () => {
      expect(await status()).toBe('confirmed');
    });
  });
});
