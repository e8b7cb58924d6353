import type { EventEnvelope } from '@only/contracts/envelope';
import { capturingLogger } from '@only/testing';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Delivery, EventHandler } from './event-bus.ts';
import { routeEvents } from './event-router.ts';
import { InMemoryBus } from './memory-bus.ts';

function event(type: string, aggregateId = 'agg_1', data: unknown = {}): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'test',
    tenantId: 'ten_01m80n5wh0fq8bg2x0v9vtay4p',
    aggregateId,
    correlationId: 'corr-1',
    causationId: null,
    data,
  };
}

/** Collects every event a handler receives. */
function collector() {
  const received: { event: EventEnvelope; delivery: Delivery }[] = [];
  const handler: EventHandler = (e, delivery) => {
    received.push({ event: e, delivery });
    return Promise.resolve();
  };
  return { received, handler, types: () => received.map((r) => r.event.type) };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Lets pending `setImmediate` callbacks (the bus's deliveries) run. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Retries an assertion every millisecond, for at most two seconds. */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { interval: 1, timeout: 2_000 });

afterEach(() => {
  vi.useRealTimers();
});

describe('InMemoryBus routing', () => {
  it('routes each event to every consumer whose patterns match its type', async () => {
    const bus = new InMemoryBus();
    const invoices = collector();
    const audit = collector();
    const billing = collector();
    await bus.subscribe({ consumer: 'invoices', patterns: ['orders.order.*'], handler: invoices.handler });
    await bus.subscribe({ consumer: 'audit', patterns: ['orders.#'], handler: audit.handler });
    await bus.subscribe({ consumer: 'billing', patterns: ['billing.#'], handler: billing.handler });

    await bus.publish(event('orders.order.placed'));
    await bus.publish(event('orders.customer.created'));
    await bus.publish(event('billing.invoice.issued'));
    await bus.publish(event('shipping.parcel.sent'));
    await bus.drain();

    expect(invoices.types()).toEqual(['orders.order.placed']);
    expect(audit.types()).toEqual(['orders.order.placed', 'orders.customer.created']);
    expect(billing.types()).toEqual(['billing.invoice.issued']);
  });

  it('delivers the event, headers and attempt number unchanged', async () => {
    const bus = new InMemoryBus();
    const sink = collector();
    await bus.subscribe({ consumer: 'c', patterns: ['#'], handler: sink.handler });
    const sent = event('orders.order.placed', 'ord_1', { total: 1999 });
    await bus.publish(sent, { 'x-correlation-id': 'corr-1', traceparent: 'tp' });
    await bus.drain();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.event).toEqual(sent);
    expect(sink.received[0]?.delivery).toEqual({
      headers: { 'x-correlation-id': 'corr-1', traceparent: 'tp' },
      attempt: 1,
    });
  });

  it('delivers an event once per consumer even when several of its patterns match', async () => {
    const bus = new InMemoryBus();
    const sink = collector();
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.#', 'orders.order.placed', '#'],
      handler: sink.handler,
    });
    await bus.publish(event('orders.order.placed'));
    await bus.drain();
    expect(sink.types()).toEqual(['orders.order.placed']);
  });

  it('publishing with no matching consumer is accepted and delivers nothing', async () => {
    const bus = new InMemoryBus();
    const sink = collector();
    await bus.subscribe({ consumer: 'c', patterns: ['billing.#'], handler: sink.handler });
    await expect(bus.publish(event('orders.order.placed'))).resolves.toBeUndefined();
    await bus.drain();
    expect(sink.received).toEqual([]);
  });

  it('never runs handler code inside publish()', async () => {
    const bus = new InMemoryBus();
    let ran = false;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: () => {
        ran = true;
        return Promise.resolve();
      },
    });
    const published = bus.publish(event('orders.order.placed'));
    expect(ran).toBe(false);
    await published;
    // Not even in the microtasks that follow the publish: delivery is on a later turn.
    await Promise.resolve();
    expect(ran).toBe(false);
    await bus.drain();
    expect(ran).toBe(true);
  });

  it('a handler that throws synchronously does not throw out of publish()', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [] } });
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: () => {
        throw new Error('sync boom');
      },
    });
    await expect(bus.publish(event('orders.order.placed'))).resolves.toBeUndefined();
    await bus.drain();
    expect(bus.deadLetters('c').map((l) => l.error)).toEqual(['sync boom']);
  });
});

describe('InMemoryBus competing subscribers', () => {
  it('gives each message of a consumer to exactly one of its subscribers, round robin', async () => {
    const bus = new InMemoryBus();
    const first = collector();
    const second = collector();
    const other = collector();
    await bus.subscribe({ consumer: 'workers', patterns: ['jobs.#'], handler: first.handler });
    await bus.subscribe({ consumer: 'workers', patterns: ['jobs.#'], handler: second.handler });
    await bus.subscribe({ consumer: 'other', patterns: ['jobs.#'], handler: other.handler });

    const sent = Array.from({ length: 10 }, (_, i) => event('jobs.job.created', `job_${i}`));
    for (const e of sent) await bus.publish(e);
    await bus.drain();

    const firstIds = first.received.map((r) => r.event.aggregateId);
    const secondIds = second.received.map((r) => r.event.aggregateId);
    expect(firstIds).toEqual(['job_0', 'job_2', 'job_4', 'job_6', 'job_8']);
    expect(secondIds).toEqual(['job_1', 'job_3', 'job_5', 'job_7', 'job_9']);
    // Another consumer has its own queue and gets every message.
    expect(other.received.map((r) => r.event.aggregateId)).toEqual(sent.map((e) => e.aggregateId));
  });

  it('a busy subscriber is skipped: the free one takes the work', async () => {
    const bus = new InMemoryBus();
    const gate = deferred();
    const slow: string[] = [];
    const fast: string[] = [];
    await bus.subscribe({
      consumer: 'workers',
      patterns: ['#'],
      concurrency: 1,
      handler: async (e) => {
        slow.push(e.aggregateId);
        await gate.promise;
      },
    });
    await bus.subscribe({
      consumer: 'workers',
      patterns: ['#'],
      concurrency: 1,
      handler: (e) => {
        fast.push(e.aggregateId);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 5; i++) await bus.publish(event('jobs.job.created', `job_${i}`));
    await eventually(() => {
      expect(fast).toHaveLength(4);
    });
    expect(slow).toEqual(['job_0']);
    gate.resolve();
    await bus.drain();
    expect([...slow, ...fast].sort()).toEqual(['job_0', 'job_1', 'job_2', 'job_3', 'job_4']);
  });
});

describe('InMemoryBus concurrency', () => {
  it('never runs more handlers of a subscriber at once than its concurrency', async () => {
    const bus = new InMemoryBus();
    const gates = new Map<string, () => void>();
    let running = 0;
    let maxRunning = 0;
    const done: string[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      concurrency: 2,
      handler: async (e) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((resolve) => gates.set(e.aggregateId, resolve));
        running--;
        done.push(e.aggregateId);
      },
    });
    for (let i = 0; i < 5; i++) await bus.publish(event('jobs.job.created', `job_${i}`));
    await nextTick();
    await nextTick();
    expect([...gates.keys()]).toEqual(['job_0', 'job_1']);
    expect(running).toBe(2);

    gates.get('job_0')?.();
    await eventually(() => {
      expect(gates.has('job_2')).toBe(true);
    });
    expect(running).toBe(2);
    expect([...gates.keys()]).not.toContain('job_3');

    for (const id of ['job_1', 'job_2', 'job_3', 'job_4']) {
      await eventually(() => {
        expect(gates.has(id)).toBe(true);
      });
      gates.get(id)?.();
    }
    await bus.drain();
    expect(maxRunning).toBe(2);
    expect(done).toEqual(['job_0', 'job_1', 'job_2', 'job_3', 'job_4']);
  });

  it('defaults to 16 handlers at once', async () => {
    const bus = new InMemoryBus();
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gate.promise;
        running--;
      },
    });
    for (let i = 0; i < 40; i++) await bus.publish(event('jobs.job.created'));
    await nextTick();
    expect(running).toBe(16);
    gate.resolve();
    await bus.drain();
    expect(maxRunning).toBe(16);
    expect(running).toBe(0);
  });
});

describe('InMemoryBus retries and dead letters', () => {
  it('retries a failing handler per the policy, then parks the message in deadLetters()', async () => {
    const { logger, lines } = capturingLogger();
    const bus = new InMemoryBus({ retry: { delaysMs: [1, 1] }, logger });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'invoices',
      patterns: ['#'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('invoice service down'));
      },
    });
    const sent = event('orders.order.placed');
    await bus.publish(sent, { 'x-correlation-id': 'corr-1' });
    await bus.drain();

    expect(attempts).toEqual([1, 2, 3]);
    const letters = bus.deadLetters('invoices');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      consumer: 'invoices',
      event: sent,
      headers: { 'x-correlation-id': 'corr-1' },
      attempts: 3,
      error: 'invoice service down',
    });
    expect(Number.isNaN(Date.parse(letters[0]!.deadLetteredAt))).toBe(false);
    expect(bus.deadLetters('unknown-consumer')).toEqual([]);

    const logged = lines().map((line) => JSON.parse(line) as { msg: string; level: string });
    expect(logged.filter((l) => l.msg === 'event handler failed; will retry')).toHaveLength(2);
    expect(
      logged.filter((l) => l.msg === 'event parked in dead-letter queue' && l.level === 'error'),
    ).toHaveLength(1);
  });

  it('a handler that succeeds on a retry leaves no dead letter', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [1, 1, 1] } });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return delivery.attempt < 3 ? Promise.reject(new Error('flaky')) : Promise.resolve();
      },
    });
    await bus.publish(event('orders.order.placed'));
    await bus.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(bus.deadLetters('c')).toEqual([]);
  });

  it('waits the policy delay before each further attempt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const bus = new InMemoryBus({ retry: { delaysMs: [100, 500] } });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('down'));
      },
    });
    await bus.publish(event('orders.order.placed'));
    // vi.waitFor would advance the fake clock; let the delivery turn run instead.
    await nextTick();
    await nextTick();
    expect(attempts).toEqual([1]);

    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2]);

    await vi.advanceTimersByTimeAsync(499);
    expect(attempts).toEqual([1, 2]);
    expect(bus.deadLetters('c')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2, 3]);
    await bus.drain();
    expect(bus.deadLetters('c')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with an empty policy a failure is dead-lettered at once', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [] } });
    let calls = 0;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: () => {
        calls++;
        return Promise.reject(new Error('nope'));
      },
    });
    await bus.publish(event('orders.order.placed'));
    await bus.drain();
    expect(calls).toBe(1);
    expect(bus.deadLetters('c').map((l) => l.attempts)).toEqual([1]);
  });

  it('dead letters are per consumer', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [] } });
    const ok = collector();
    await bus.subscribe({
      consumer: 'failing',
      patterns: ['#'],
      handler: () => Promise.reject(new Error('x')),
    });
    await bus.subscribe({ consumer: 'ok', patterns: ['#'], handler: ok.handler });
    await bus.publish(event('orders.order.placed'));
    await bus.drain();
    expect(bus.deadLetters('failing')).toHaveLength(1);
    expect(bus.deadLetters('ok')).toEqual([]);
    expect(ok.types()).toEqual(['orders.order.placed']);
  });

  it('redrive() moves dead letters back to the queue for a fresh round of attempts', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [1] } });
    let healthy = false;
    const deliveries: { id: string; attempt: number; headers: Readonly<Record<string, string>> }[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: (e, delivery) => {
        deliveries.push({ id: e.id, attempt: delivery.attempt, headers: delivery.headers });
        return healthy ? Promise.resolve() : Promise.reject(new Error('down'));
      },
    });
    const first = event('orders.order.placed');
    const second = event('orders.order.cancelled');
    await bus.publish(first, { h: '1' });
    await bus.publish(second, { h: '2' });
    await bus.drain();
    expect(bus.deadLetters('c').map((l) => l.event.id)).toEqual([first.id, second.id]);

    healthy = true;
    deliveries.length = 0;
    expect(bus.redrive('c')).toBe(2);
    expect(bus.deadLetters('c')).toEqual([]);
    await bus.drain();
    expect(deliveries).toEqual([
      { id: first.id, attempt: 1, headers: { h: '1' } },
      { id: second.id, attempt: 1, headers: { h: '2' } },
    ]);
    expect(bus.deadLetters('c')).toEqual([]);
    expect(bus.redrive('c')).toBe(0);
    expect(bus.redrive('unknown')).toBe(0);
  });
});

describe('InMemoryBus drain and close', () => {
  it('drain() resolves at once on an idle bus', async () => {
    const bus = new InMemoryBus();
    await bus.drain();
    await bus.subscribe({ consumer: 'c', patterns: ['#'], handler: () => Promise.resolve() });
    await bus.drain();
    expect(bus.isHealthy()).toBe(true);
  });

  it('drain() waits for queued messages, running handlers, retries and events they publish', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [5, 5] } });
    const handled: string[] = [];
    await bus.subscribe({
      consumer: 'orders',
      patterns: ['orders.order.placed'],
      handler: async (e, delivery) => {
        if (delivery.attempt === 1) throw new Error('first attempt fails');
        await new Promise((resolve) => setTimeout(resolve, 2));
        handled.push(`${e.type}#${delivery.attempt}`);
        // A handler publishing a follow-up event to another consumer.
        await bus.publish(event('orders.order.confirmed'));
      },
    });
    await bus.subscribe({
      consumer: 'mail',
      patterns: ['orders.order.confirmed'],
      handler: async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        handled.push(e.type);
      },
    });
    for (let i = 0; i < 3; i++) await bus.publish(event('orders.order.placed'));
    await bus.drain();
    expect(handled.filter((h) => h === 'orders.order.placed#2')).toHaveLength(3);
    expect(handled.filter((h) => h === 'orders.order.confirmed')).toHaveLength(3);
    expect(bus.deadLetters('orders')).toEqual([]);
  });

  it('close() waits for handlers in flight, then publish and subscribe reject', async () => {
    const bus = new InMemoryBus();
    const gate = deferred();
    let finished = false;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: async () => {
        await gate.promise;
        finished = true;
      },
    });
    await bus.publish(event('orders.order.placed'));
    await nextTick();

    let closed = false;
    const closing = bus.close().then(() => {
      closed = true;
    });
    expect(bus.isHealthy()).toBe(false);
    await nextTick();
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(finished).toBe(true);

    await expect(bus.publish(event('orders.order.placed'))).rejects.toThrow('The bus is closed');
    await expect(
      bus.subscribe({ consumer: 'd', patterns: ['#'], handler: () => Promise.resolve() }),
    ).rejects.toThrow('The bus is closed');
  });

  it('close() does not wait for retries that are only scheduled', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [60_000] } });
    let calls = 0;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['#'],
      handler: () => {
        calls++;
        return Promise.reject(new Error('down'));
      },
    });
    await bus.publish(event('orders.order.placed'));
    await eventually(() => {
      expect(calls).toBe(1);
    });
    // Would hang for a minute (and time the test out) if the retry timer were awaited.
    await bus.close();
    await bus.drain();
    expect(calls).toBe(1);
  });
});

describe('routeEvents', () => {
  it('binds the handled types and dispatches by type, ignoring others', async () => {
    const seen: string[] = [];
    const { patterns, handler } = routeEvents({
      'orders.order.placed': (e) => {
        seen.push(`placed:${e.aggregateId}`);
        return Promise.resolve();
      },
      'orders.order.cancelled': (e, delivery) => {
        seen.push(`cancelled:${e.aggregateId}:${delivery.attempt}`);
        return Promise.resolve();
      },
    });
    expect(patterns).toEqual(['orders.order.placed', 'orders.order.cancelled']);
    await handler(event('orders.order.placed', 'ord_1'), { headers: {}, attempt: 1 });
    await handler(event('orders.order.cancelled', 'ord_2'), { headers: {}, attempt: 2 });
    await handler(event('orders.order.shipped', 'ord_3'), { headers: {}, attempt: 1 });
    expect(seen).toEqual(['placed:ord_1', 'cancelled:ord_2:2']);
  });

  it('works as a bus subscription', async () => {
    const bus = new InMemoryBus();
    const seen: string[] = [];
    await bus.subscribe({
      consumer: 'c',
      ...routeEvents({
        'orders.order.placed': (e) => {
          seen.push(e.type);
          return Promise.resolve();
        },
      }),
    });
    await bus.publish(event('orders.order.placed'));
    await bus.publish(event('orders.order.cancelled'));
    await bus.drain();
    expect(seen).toEqual(['orders.order.placed']);
  });
});

describe('InMemoryBus broadcast subscriptions', () => {
  it('delivers every message to every broadcast subscriber of a consumer name', async () => {
    const bus = new InMemoryBus();
    const seen: string[][] = [[], []];
    for (const received of seen) {
      await bus.subscribe({
        consumer: 'orders-cache',
        patterns: ['orders.#'],
        broadcast: true,
        handler: (event) => {
          received.push(event.id);
          return Promise.resolve();
        },
      });
    }
    const event = {
      id: '01932f7e-0000-7000-8000-000000000001',
      type: 'orders.order.placed',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'orders',
      tenantId: 'ten_1',
      aggregateId: 'ord_1',
      correlationId: 'c',
      causationId: null,
      data: {},
    };
    await bus.publish(event);
    await bus.drain();
    expect(seen).toEqual([[event.id], [event.id]]);
  });
});

describe('InMemoryBus delivery context', () => {
  it('runs handlers outside the async context of the publisher', async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const storage = new AsyncLocalStorage<string>();
    const bus = new InMemoryBus();
    const seen: (string | undefined)[] = [];
    await bus.subscribe({
      consumer: 'context',
      patterns: ['#'],
      handler: () => {
        seen.push(storage.getStore());
        return Promise.resolve();
      },
    });
    await storage.run('publisher-transaction', () =>
      bus.publish({
        id: '01932f7e-0000-7000-8000-000000000002',
        type: 'orders.order.placed',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'orders',
        tenantId: 'ten_1',
        aggregateId: 'ord_1',
        correlationId: 'c',
        causationId: null,
        data: {},
      }),
    );
    await bus.drain();
    expect(seen).toEqual([undefined]);
  });
});
