// The RabbitMQ transport against a real broker (RABBITMQ_URL), reached through a TCP proxy so that
// connections can be cut without disturbing the broker.
import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from '@only/contracts/envelope';
import { silentLogger, TcpProxy } from '@only/testing';
import amqp from 'amqplib';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Delivery, EventHandler } from './event-bus.ts';
import { RabbitBus } from './rabbitmq-bus.ts';
import { consumerTopology } from './rabbitmq-topology.ts';

const brokerUrl = process.env.RABBITMQ_URL;
const RETRY = { delaysMs: [50, 100] };

function event(type = 'orders.order.placed', overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'orders',
    tenantId: 'ten_01m80n5wh0fq8bg2x0v9vtay4p',
    aggregateId: 'ord_01m80n5wh0fq8bg2x0v9vtay4p',
    correlationId: 'corr-1',
    causationId: null,
    data: { n: 1 },
    ...overrides,
  };
}

/** Collects what a handler received. */
function recorder(fail: (event: EventEnvelope, delivery: Delivery) => boolean = () => false) {
  const received: { event: EventEnvelope; delivery: Delivery }[] = [];
  const handler: EventHandler = (received_event, delivery) => {
    received.push({ event: received_event, delivery });
    return fail(received_event, delivery) ? Promise.reject(new Error('handler says no')) : Promise.resolve();
  };
  return { received, handler, ids: () => received.map((r) => r.event.id) };
}

describe.skipIf(brokerUrl === undefined)('RabbitBus (real RabbitMQ)', () => {
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const consumers = new Set<string>();
  const buses: RabbitBus[] = [];
  let proxy: TcpProxy;
  let proxiedUrl: string;

  async function bus(options: { url?: string } = {}): Promise<RabbitBus> {
    const created = await RabbitBus.connect({
      url: options.url ?? proxiedUrl,
      logger: silentLogger(),
      namespace,
      retry: RETRY,
      connectionName: 'only-tests',
      initialConnectRetries: 2,
      confirmTimeoutMs: 2_000,
    });
    buses.push(created);
    return created;
  }

  function consumer(name: string): string {
    consumers.add(name);
    return name;
  }

  beforeAll(async () => {
    const target = new URL(brokerUrl ?? '');
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5672));
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxiedUrl = url.toString();
  });

  afterAll(async () => {
    proxy.restore();
    for (const created of buses) await created.close(1_000);
    await proxy.close();
    // Leave the broker as we found it.
    const connection = await amqp.connect(brokerUrl ?? '');
    const channel = await connection.createChannel();
    for (const name of consumers) {
      const topology = consumerTopology(namespace, name, RETRY);
      for (const queue of [
        topology.queue,
        topology.deadLetterQueue,
        ...topology.retryQueues.map((q) => q.name),
      ]) {
        await channel.deleteQueue(queue);
      }
      await channel.deleteExchange(topology.deadLetterExchange);
    }
    await channel.deleteExchange(`${namespace}.events`);
    await connection.close();
  });

  it('delivers a published event with its headers to every consumer whose patterns match', async () => {
    const publisher = await bus();
    const placed = recorder();
    const everything = recorder();
    const customers = recorder();
    await publisher.subscribe({
      consumer: consumer('placed'),
      patterns: ['orders.order.placed'],
      handler: placed.handler,
    });
    await publisher.subscribe({
      consumer: consumer('all'),
      patterns: ['orders.#'],
      handler: everything.handler,
    });
    await publisher.subscribe({
      consumer: consumer('customers'),
      patterns: ['*.customer.*'],
      handler: customers.handler,
    });

    const order = event();
    const customer = event('orders.customer.created');
    await publisher.publish(order, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await publisher.publish(customer);

    await vi.waitFor(() => {
      expect(everything.ids().sort()).toEqual([order.id, customer.id].sort());
    });
    expect(placed.ids()).toEqual([order.id]);
    expect(customers.ids()).toEqual([customer.id]);
    expect(placed.received[0]?.event).toEqual(order);
    expect(placed.received[0]?.delivery).toMatchObject({
      attempt: 1,
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-tenant-id': order.tenantId,
      },
    });
  });

  it('splits a queue between replicas and broadcasts to every instance', async () => {
    const replicaA = await bus();
    const replicaB = await bus();
    const shareA = recorder();
    const shareB = recorder();
    const broadcastA = recorder();
    const broadcastB = recorder();
    const name = consumer('shared');
    await replicaA.subscribe({
      consumer: name,
      patterns: ['orders.#'],
      handler: shareA.handler,
      concurrency: 1,
    });
    await replicaB.subscribe({
      consumer: name,
      patterns: ['orders.#'],
      handler: shareB.handler,
      concurrency: 1,
    });
    await replicaA.subscribe({
      consumer: 'cache',
      patterns: ['orders.#'],
      handler: broadcastA.handler,
      broadcast: true,
    });
    await replicaB.subscribe({
      consumer: 'cache',
      patterns: ['orders.#'],
      handler: broadcastB.handler,
      broadcast: true,
    });

    const events = Array.from({ length: 20 }, () => event());
    for (const published of events) await replicaA.publish(published);

    const all = events.map((e) => e.id).sort();
    await vi.waitFor(() => {
      expect([...shareA.ids(), ...shareB.ids()].sort()).toEqual(all);
      expect(broadcastA.ids().sort()).toEqual(all);
      expect(broadcastB.ids().sort()).toEqual(all);
    });
    expect(shareA.ids().length).toBeGreaterThan(0);
    expect(shareB.ids().length).toBeGreaterThan(0);
  });

  it('retries a failing message with growing delays, then parks it with its error; re-drive brings it back', async () => {
    const instance = await bus();
    let healthy = false;
    const seen = recorder(() => !healthy);
    const name = consumer('flaky');
    await instance.subscribe({ consumer: name, patterns: ['orders.order.cancelled'], handler: seen.handler });

    const cancelled = event('orders.order.cancelled');
    await instance.publish(cancelled);
    await vi.waitFor(async () => {
      expect(await instance.deadLetterCount(name)).toBe(1);
    });
    expect(seen.received.map((r) => r.delivery.attempt)).toEqual([1, 2, 3]);
    expect(seen.received[2]?.delivery.headers['x-last-error']).toBe('handler says no');

    // Looking at dead letters leaves them where they are.
    const [letter] = await instance.deadLetters(name);
    expect(letter).toMatchObject({ consumer: name, event: cancelled, attempts: 3, error: 'handler says no' });
    expect(await instance.deadLetterCount(name)).toBe(1);

    healthy = true;
    expect(await instance.redrive(name)).toBe(1);
    await vi.waitFor(() => {
      expect(seen.received).toHaveLength(4);
    });
    expect(seen.received[3]?.delivery.attempt).toBe(1);
    expect(await instance.deadLetterCount(name)).toBe(0);
  });

  it('re-drives only the chosen dead letters', async () => {
    const instance = await bus();
    let failing = true;
    const seen = recorder(() => failing);
    const name = consumer('choosy');
    await instance.subscribe({ consumer: name, patterns: ['orders.order.fulfilled'], handler: seen.handler });
    const first = event('orders.order.fulfilled');
    const second = event('orders.order.fulfilled');
    await instance.publish(first);
    await instance.publish(second);
    await vi.waitFor(async () => {
      expect(await instance.deadLetterCount(name)).toBe(2);
    });
    failing = false;
    expect(await instance.redrive(name, [second.id])).toBe(1);
    await vi.waitFor(() => {
      expect(seen.received.at(-1)?.event.id).toBe(second.id);
    });
    expect((await instance.deadLetters(name)).map((l) => l.event.id)).toEqual([first.id]);
  });

  it('parks a message that is not JSON at once', async () => {
    const instance = await bus();
    const seen = recorder();
    const name = consumer('strict');
    await instance.subscribe({ consumer: name, patterns: ['orders.order.weird'], handler: seen.handler });
    const raw = await amqp.connect(brokerUrl ?? '');
    const channel = await raw.createConfirmChannel();
    channel.publish(`${namespace}.events`, 'orders.order.weird', Buffer.from('not json'), {
      messageId: 'raw-1',
    });
    await channel.waitForConfirms();
    await raw.close();
    await vi.waitFor(async () => {
      expect(await instance.deadLetterCount(name)).toBe(1);
    });
    const [letter] = await instance.deadLetters(name);
    expect(letter?.event).toMatchObject({ id: 'raw-1', type: 'unparseable', data: 'not json' });
    expect(seen.received).toEqual([]);
  });

  it('acknowledges only after the handler finished: a message in flight when the connection drops comes back', async () => {
    const instance = await bus();
    const name = consumer('slow');
    let release: (() => void) | undefined;
    const attempts: string[] = [];
    await instance.subscribe({
      consumer: name,
      patterns: ['orders.order.slow'],
      handler: (received) => {
        attempts.push(received.id);
        // The first delivery hangs until the connection is gone.
        if (attempts.length === 1) return new Promise<void>((resolve) => (release = resolve));
        return Promise.resolve();
      },
    });
    const slow = event('orders.order.slow');
    await instance.publish(slow);
    await vi.waitFor(() => {
      expect(attempts).toEqual([slow.id]);
    });
    proxy.cut();
    release?.();
    await vi.waitFor(
      () => {
        expect(attempts).toEqual([slow.id, slow.id]);
      },
      { timeout: 10_000 },
    );
  });

  it('reconnects by itself after the connection drops, and publishes and consumes again', async () => {
    const instance = await bus();
    const seen = recorder();
    await instance.subscribe({
      consumer: consumer('steady'),
      patterns: ['orders.order.steady'],
      handler: seen.handler,
    });
    proxy.cut();
    await vi.waitFor(() => {
      expect(instance.isHealthy()).toBe(false);
    });
    await vi.waitFor(
      () => {
        expect(instance.isHealthy()).toBe(true);
      },
      { timeout: 10_000 },
    );
    const after = event('orders.order.steady');
    await instance.publish(after);
    await vi.waitFor(() => {
      expect(seen.ids()).toEqual([after.id]);
    });
  });

  it('rejects publishes quickly while the broker is unreachable, and recovers when it is back', async () => {
    const instance = await bus();
    const seen = recorder();
    await instance.subscribe({
      consumer: consumer('outage'),
      patterns: ['orders.order.outage'],
      handler: seen.handler,
    });
    proxy.outage();
    await vi.waitFor(() => {
      expect(instance.isHealthy()).toBe(false);
    });
    await expect(instance.publish(event('orders.order.outage'))).rejects.toThrow(/not connected/);
    proxy.restore();
    await vi.waitFor(
      () => {
        expect(instance.isHealthy()).toBe(true);
      },
      { timeout: 10_000 },
    );
    const later = event('orders.order.outage');
    await instance.publish(later);
    await vi.waitFor(() => {
      expect(seen.ids()).toEqual([later.id]);
    });
  });

  it('keeps events for a provisioned consumer that has not started yet', async () => {
    const publisher = await bus();
    const name = consumer('late');
    await publisher.provision(name, ['orders.order.late']);
    const early = event('orders.order.late');
    await publisher.publish(early);
    const seen = recorder();
    const later = await bus();
    await later.subscribe({ consumer: name, patterns: ['orders.order.late'], handler: seen.handler });
    await vi.waitFor(() => {
      expect(seen.ids()).toEqual([early.id]);
    });
  });

  it('waits for handlers in flight when closing', async () => {
    const instance = await bus();
    let finished = false;
    await instance.subscribe({
      consumer: consumer('closing'),
      patterns: ['orders.order.closing'],
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      },
    });
    await instance.publish(event('orders.order.closing'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await instance.close();
    expect(finished).toBe(true);
    await expect(instance.publish(event())).rejects.toThrow();
  });
});
