import type { EventEnvelope } from '@only/contracts/envelope';
import { capturingLogger } from '@only/testing';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busMetrics } from './bus-metrics.ts';
import type { Delivery, EventHandler, RetryPolicy } from './event-bus.ts';
import { FakeKafka, type StoredMessage } from './fake-kafka.ts';
import { KAFKA_BUS_HEADERS, KafkaBus, KafkaNames, parseKafkaBrokers } from './kafka-bus.ts';
import { compileTopicPattern } from './topic-pattern.ts';

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

/** Lets pending `setImmediate` callbacks (the fake broker's fetches) run. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Retries an assertion every millisecond, for at most two seconds. */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { interval: 1, timeout: 2_000 });

const text = (value: Buffer | string | (Buffer | string)[] | null | undefined) =>
  Array.isArray(value) ? value.map(String) : value?.toString();

/** A stored message's headers as strings. */
const headersOf = (message: StoredMessage) =>
  Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, text(value)]));

async function counterValue(
  metric: typeof busMetrics.deadLettered | typeof busMetrics.published | typeof busMetrics.consumed,
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await metric.get();
  const match = values.find((v) => {
    const actual: Partial<Record<string, string | number>> = v.labels;
    return Object.entries(labels).every(([name, value]) => actual[name] === value);
  });
  return match?.value ?? 0;
}

const buses: KafkaBus[] = [];

/** A bus on a fake broker, closed after the test. */
function makeBus(
  kafka = new FakeKafka(),
  options: { retry?: RetryPolicy; logger?: Logger; instanceId?: string; heartbeatIntervalMs?: number } = {},
) {
  const bus = new KafkaBus({ kafka, retry: { delaysMs: [1, 1] }, ...options });
  buses.push(bus);
  const producer = kafka.producers.at(-1)!;
  return { bus, kafka, producer };
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.allSettled(buses.splice(0).map((bus) => bus.close()));
});

describe('KafkaNames', () => {
  it('names topics, dead-letter topics and groups under the namespace', () => {
    const names = new KafkaNames();
    expect(names.topic('orders.order.placed')).toBe('only.orders.order.placed');
    expect(names.deadLetterTopic('invoices')).toBe('only.dlq.invoices');
    expect(names.group('invoices')).toBe('only.invoices');
    expect(names.group('cache', 'host-1')).toBe('only.cache.broadcast.host-1');
    const staging = new KafkaNames('staging');
    expect(staging.topic('orders.order.placed')).toBe('staging.orders.order.placed');
    expect(new KafkaNames('').topic('orders.order.placed')).toBe('orders.order.placed');
  });

  it('keeps a pattern without wildcards a topic name', () => {
    expect(new KafkaNames().subscription('orders.order.placed')).toBe('only.orders.order.placed');
  });

  it.each([
    ['orders.order.*', 'only.orders.order.placed', true],
    ['orders.order.*', 'only.orders.order', false],
    ['orders.order.*', 'only.orders.order.placed.more', false],
    ['orders.order.*', 'orders.order.placed', false],
    ['orders.order.*', 'staging.orders.order.placed', false],
    ['orders.#', 'only.orders.order.placed', true],
    ['orders.#', 'only.orders', true],
    ['orders.#', 'only.ordersx.order.placed', false],
    ['#', 'only.catalog.product.created', true],
    ['#', 'only.dlq.invoices', false],
    ['#', '__consumer_offsets', false],
    ['#', 'only..orders', false],
    ['*.order.*', 'only.orders.order.cancelled', true],
    ['*.order.*', 'only.orders.customer.created', false],
    ['orders.#.placed', 'only.orders.placed', true],
    ['orders.#.placed', 'only.orders.order.placed', true],
    ['orders.#.placed', 'only.orders.order.cancelled', false],
    ['#.placed', 'only.orders.order.placed', true],
    ['#.placed', 'only.placed', true],
    ['#.placed', 'only.orders.order.cancelled', false],
  ])('%s subscribes to topic %s: %s', (pattern, topic, expected) => {
    const subscription = new KafkaNames().subscription(pattern);
    expect(subscription).toBeInstanceOf(RegExp);
    expect((subscription as RegExp).test(topic)).toBe(expected);
  });

  it('matches exactly the topics of the types compileTopicPattern matches', () => {
    const names = new KafkaNames();
    const types = [
      'orders.order.placed',
      'orders.order.status_changed',
      'orders.customer.created',
      'catalog.product.created',
      'catalog.stock.reserved',
      'payments.payment.authorized',
    ];
    const patterns = [
      '#',
      '*.*.*',
      'orders.#',
      'orders.*.*',
      '*.order.*',
      '#.created',
      'catalog.#.reserved',
      '#.#',
    ];
    for (const pattern of patterns) {
      const regExp = names.subscription(pattern) as RegExp;
      for (const type of types) {
        expect([pattern, type, regExp.test(names.topic(type))]).toEqual([
          pattern,
          type,
          compileTopicPattern(pattern)(type),
        ]);
      }
    }
  });

  it('escapes the namespace and works without one', () => {
    const dotted = new KafkaNames('acme.prod').subscription('#') as RegExp;
    expect(dotted.test('acme.prod.orders.order.placed')).toBe(true);
    expect(dotted.test('acmexprod.orders.order.placed')).toBe(false);
    expect(dotted.test('acme.prod.dlq.invoices')).toBe(false);
    const bare = new KafkaNames('').subscription('#') as RegExp;
    expect(bare.test('orders.order.placed')).toBe(true);
    expect(bare.test('dlq.invoices')).toBe(false);
    expect(bare.test('__consumer_offsets')).toBe(false);
  });
});

describe('KafkaBus publish', () => {
  it('sends to the type topic with acks -1, the aggregate id as key, the JSON envelope and headers', async () => {
    const { bus, kafka, producer } = makeBus();
    await bus.start();
    const sent = event('orders.order.placed', 'ord_1', { total: 1999 });
    await bus.publish(sent, { 'x-correlation-id': 'corr-1', traceparent: '00-abc-def-01' });

    expect(producer.config).toMatchObject({ idempotent: true });
    expect(producer.sent).toEqual([
      {
        topic: 'only.orders.order.placed',
        acks: -1,
        messages: [
          {
            key: 'ord_1',
            value: JSON.stringify(sent),
            headers: {
              'x-correlation-id': 'corr-1',
              traceparent: '00-abc-def-01',
              'x-event-type': 'orders.order.placed',
              'x-event-id': sent.id,
            },
          },
        ],
      },
    ]);
    const [stored] = kafka.messages('only.orders.order.placed');
    expect(JSON.parse(stored!.value!.toString()) as unknown).toEqual(sent);
  });

  it('resolves only once Kafka acknowledged the message', async () => {
    const { bus, producer } = makeBus();
    await bus.start();
    const release = producer.holdAcks();
    let resolved = false;
    const publishing = bus.publish(event('orders.order.placed')).then(() => {
      resolved = true;
    });
    await nextTick();
    expect(producer.sent).toHaveLength(1);
    expect(resolved).toBe(false);
    release();
    await publishing;
    expect(resolved).toBe(true);
  });

  it('rejects when the producer rejects, and counts nothing', async () => {
    const { bus, producer } = makeBus();
    await bus.start();
    const labels = { transport: 'kafka', type: 'orders.order.failed_publish' };
    const before = await counterValue(busMetrics.published, labels);
    producer.failNextSend(new Error('NOT_ENOUGH_REPLICAS'));
    await expect(bus.publish(event('orders.order.failed_publish'))).rejects.toThrow('NOT_ENOUGH_REPLICAS');
    expect(await counterValue(busMetrics.published, labels)).toBe(before);
    await bus.publish(event('orders.order.failed_publish'));
    expect(await counterValue(busMetrics.published, labels)).toBe(before + 1);
  });

  it('connects the producer once, on first use', async () => {
    const { bus, producer } = makeBus();
    const connect = vi.spyOn(producer, 'connect');
    await Promise.all([bus.publish(event('orders.order.placed')), bus.publish(event('orders.order.placed'))]);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(producer.sent).toHaveLength(2);
  });

  it('refuses types that would land in a dead-letter topic', async () => {
    const { bus } = makeBus();
    await expect(bus.publish(event('dlq.invoices.x'))).rejects.toThrow('dead-letter');
  });
});

describe('KafkaBus subscribe', () => {
  it('routes events by pattern, once per consumer, with headers and attempt unchanged', async () => {
    const { bus, kafka } = makeBus();
    // Wildcards are resolved against the topics that exist when subscribing (as kafkajs does).
    for (const type of ['orders.order.placed', 'orders.customer.created', 'billing.invoice.issued']) {
      kafka.createTopic(`only.${type}`);
    }
    const invoices = collector();
    const audit = collector();
    await bus.subscribe({
      consumer: 'invoices',
      patterns: ['orders.order.placed'],
      handler: invoices.handler,
    });
    await bus.subscribe({
      consumer: 'audit',
      patterns: ['orders.#', 'orders.order.placed', '#'],
      handler: audit.handler,
    });

    const placed = event('orders.order.placed');
    await bus.publish(placed, { 'x-correlation-id': 'corr-1', traceparent: 'tp' });
    await bus.publish(event('orders.customer.created'));
    await bus.publish(event('billing.invoice.issued'));

    await eventually(() => {
      expect(audit.received).toHaveLength(3);
    });
    await eventually(() => {
      expect(invoices.received).toHaveLength(1);
    });
    expect(invoices.received[0]).toEqual({
      event: placed,
      delivery: { headers: { 'x-correlation-id': 'corr-1', traceparent: 'tp' }, attempt: 1 },
    });
    expect(audit.types().sort()).toEqual([
      'billing.invoice.issued',
      'orders.customer.created',
      'orders.order.placed',
    ]);
  });

  it('uses a consumer group per consumer, manual commits, and the subscription concurrency', async () => {
    const { bus, kafka } = makeBus();
    await bus.subscribe({
      consumer: 'invoices',
      patterns: ['orders.order.placed', 'orders.#'],
      handler: vi.fn(),
    });
    await bus.subscribe({ consumer: 'reports', patterns: ['#'], concurrency: 4, handler: vi.fn() });
    const [invoices, reports] = kafka.consumers;

    expect(invoices!.groupId).toBe('only.invoices');
    expect(reports!.groupId).toBe('only.reports');
    expect(invoices!.subscriptions).toEqual([
      { topics: ['only.orders.order.placed', expect.any(RegExp)], fromBeginning: true },
    ]);
    expect(invoices!.runConfig).toMatchObject({ autoCommit: false, partitionsConsumedConcurrently: 16 });
    expect(reports!.runConfig).toMatchObject({ autoCommit: false, partitionsConsumedConcurrently: 4 });
  });

  it('lets replicas of a consumer share the partitions: each event handled once', async () => {
    const kafka = new FakeKafka({ partitions: 4 });
    kafka.createTopic('only.jobs.job.created');
    const first = makeBus(kafka, { instanceId: 'a' }).bus;
    const second = makeBus(kafka, { instanceId: 'b' }).bus;
    const one = collector();
    const two = collector();
    await first.subscribe({ consumer: 'workers', patterns: ['jobs.job.created'], handler: one.handler });
    await second.subscribe({ consumer: 'workers', patterns: ['jobs.job.created'], handler: two.handler });

    const sent = Array.from({ length: 20 }, (_, i) => event('jobs.job.created', `job_${String(i)}`));
    for (const e of sent) await first.publish(e);
    await eventually(() => {
      expect(one.received.length + two.received.length).toBe(20);
    });
    await nextTick();
    const handled = [...one.received, ...two.received].map((r) => r.event.id).sort();
    expect(handled).toEqual(sent.map((e) => e.id).sort());
    expect(one.received.length).toBeGreaterThan(0);
    expect(two.received.length).toBeGreaterThan(0);
  });

  it('gives each instance of a broadcast subscription its own group, reading only new messages', async () => {
    const kafka = new FakeKafka();
    const first = makeBus(kafka, { instanceId: 'a' }).bus;
    const second = makeBus(kafka, { instanceId: 'b' }).bus;
    await first.publish(event('catalog.product.updated', 'before'));
    const one = collector();
    const two = collector();
    await first.subscribe({
      consumer: 'cache',
      patterns: ['catalog.#'],
      broadcast: true,
      handler: one.handler,
    });
    await second.subscribe({
      consumer: 'cache',
      patterns: ['catalog.#'],
      broadcast: true,
      handler: two.handler,
    });

    expect(kafka.consumers.map((c) => c.groupId)).toEqual([
      'only.cache.broadcast.a',
      'only.cache.broadcast.b',
    ]);
    expect(kafka.consumers.map((c) => c.subscriptions[0]?.fromBeginning)).toEqual([false, false]);
    // A broadcast group starts at the end of the log when it first fetches, as kafkajs does.
    await nextTick();
    await first.publish(event('catalog.product.updated', 'after'));
    await eventually(() => {
      expect(one.received.map((r) => r.event.aggregateId)).toEqual(['after']);
      expect(two.received.map((r) => r.event.aggregateId)).toEqual(['after']);
    });
  });

  it('starts a new consumer group at the oldest message, so it misses nothing published before', async () => {
    const { bus } = makeBus();
    await bus.publish(event('orders.order.placed', 'early'));
    const sink = collector();
    await bus.subscribe({ consumer: 'reports', patterns: ['orders.order.placed'], handler: sink.handler });
    await bus.publish(event('orders.order.placed', 'late'));
    await eventually(() => {
      expect(sink.received.map((r) => r.event.aggregateId)).toEqual(['early', 'late']);
    });
  });

  it('names broadcast groups per process by default', () => {
    const kafka = new FakeKafka();
    expect(makeBus(kafka).bus.instanceId).not.toBe(makeBus(kafka).bus.instanceId);
  });

  it('commits the next offset only after the handler succeeded', async () => {
    const { bus, kafka } = makeBus();
    const gate = deferred();
    let started = false;
    await bus.subscribe({
      consumer: 'invoices',
      patterns: ['orders.order.placed'],
      handler: async () => {
        started = true;
        await gate.promise;
      },
    });
    await bus.publish(event('orders.order.placed'));
    await eventually(() => {
      expect(started).toBe(true);
    });
    expect(kafka.committed('only.invoices', 'only.orders.order.placed')).toBeUndefined();
    gate.resolve();
    await eventually(() => {
      expect(kafka.committed('only.invoices', 'only.orders.order.placed')).toBe('1');
    });
  });

  it('keeps the order within a partition and handles partitions concurrently up to the concurrency', async () => {
    const kafka = new FakeKafka({ partitions: 4 });
    const { bus } = makeBus(kafka);
    let running = 0;
    let maxRunning = 0;
    const seen = new Map<string, number[]>();
    await bus.subscribe({
      consumer: 'c',
      patterns: ['jobs.job.created'],
      concurrency: 2,
      handler: async (e) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        const sequence = (e.data as { n: number }).n;
        seen.set(e.aggregateId, [...(seen.get(e.aggregateId) ?? []), sequence]);
        running--;
      },
    });
    for (let n = 0; n < 5; n++) {
      for (const job of ['job_a', 'job_b', 'job_c', 'job_d'])
        await bus.publish(event('jobs.job.created', job, { n }));
    }
    await eventually(() => {
      expect([...seen.values()].flat()).toHaveLength(20);
    });
    for (const sequence of seen.values()) expect(sequence).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(2);
  });
});

describe('KafkaBus retries and dead letters', () => {
  it('retries with attempt 2, 3, then dead-letters with failure headers and commits', async () => {
    const { logger, lines } = capturingLogger();
    const { bus, kafka } = makeBus(new FakeKafka(), { logger });
    const before = await counterValue(busMetrics.deadLettered, { transport: 'kafka', consumer: 'invoices' });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'invoices',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('invoice service down'));
      },
    });
    const sent = event('orders.order.placed', 'ord_9');
    await bus.publish(sent, { 'x-correlation-id': 'corr-1', traceparent: 'tp' });

    await eventually(() => {
      expect(kafka.committed('only.invoices', 'only.orders.order.placed')).toBe('1');
    });
    expect(attempts).toEqual([1, 2, 3]);
    const letters = kafka.messages('only.dlq.invoices');
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter!.key?.toString()).toBe('ord_9');
    expect(letter!.value).toEqual(kafka.messages('only.orders.order.placed')[0]!.value);
    const headers = headersOf(letter!);
    expect(headers).toMatchObject({
      'x-correlation-id': 'corr-1',
      traceparent: 'tp',
      'x-event-type': 'orders.order.placed',
      'x-event-id': sent.id,
      [KAFKA_BUS_HEADERS.consumer]: 'invoices',
      [KAFKA_BUS_HEADERS.error]: 'invoice service down',
      [KAFKA_BUS_HEADERS.attempts]: '3',
      [KAFKA_BUS_HEADERS.originalTopic]: 'only.orders.order.placed',
      [KAFKA_BUS_HEADERS.originalPartition]: '0',
      [KAFKA_BUS_HEADERS.originalOffset]: '0',
    });
    expect(Number.isNaN(Date.parse(String(headers[KAFKA_BUS_HEADERS.deadLetteredAt])))).toBe(false);
    expect(await counterValue(busMetrics.deadLettered, { transport: 'kafka', consumer: 'invoices' })).toBe(
      before + 1,
    );

    const logged = lines().map((line) => JSON.parse(line) as { msg: string; level: string });
    expect(logged.filter((l) => l.msg === 'event handler failed; will retry')).toHaveLength(2);
    expect(
      logged.filter((l) => l.msg === 'event parked in dead-letter queue' && l.level === 'error'),
    ).toHaveLength(1);
  });

  it('a handler that succeeds on a retry leaves no dead letter', async () => {
    const { bus, kafka } = makeBus();
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return delivery.attempt < 3 ? Promise.reject(new Error('flaky')) : Promise.resolve();
      },
    });
    await bus.publish(event('orders.order.placed'));
    await eventually(() => {
      expect(kafka.committed('only.c', 'only.orders.order.placed')).toBe('1');
    });
    expect(attempts).toEqual([1, 2, 3]);
    expect(kafka.messages('only.dlq.c')).toEqual([]);
  });

  it('waits the default policy delays, heartbeating during long waits', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const kafka = new FakeKafka();
    const bus = new KafkaBus({ kafka });
    buses.push(bus);
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('down'));
      },
    });
    const consumer = kafka.consumers[0]!;
    await bus.publish(event('orders.order.placed'));
    await nextTick();
    await nextTick();
    expect(attempts).toEqual([1]);

    // DEFAULT_RETRY_POLICY: 100, 500, 1 500, 3 000, 7 000 ms.
    for (const [delay, attempt] of [
      [100, 2],
      [500, 3],
      [1_500, 4],
      [3_000, 5],
    ] as const) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(attempts).toHaveLength(attempt - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toHaveLength(attempt);
    }
    const heartbeats = consumer.heartbeats;
    // 7 s are waited in 3 s slices, with a heartbeat after each.
    await vi.advanceTimersByTimeAsync(7_000);
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6]);
    expect(consumer.heartbeats - heartbeats).toBe(3);
    await vi.advanceTimersByTimeAsync(10);
    await nextTick();
    expect(kafka.messages('only.dlq.c')).toHaveLength(1);
  });

  it('dead-letters an undecodable message at once, without calling the handler', async () => {
    const { bus, kafka } = makeBus();
    const handler = vi.fn<EventHandler>(() => Promise.resolve());
    await bus.subscribe({ consumer: 'c', patterns: ['orders.order.placed'], handler });
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({ topic: 'only.orders.order.placed', messages: [{ key: 'k', value: 'not json' }] });

    await eventually(() => {
      expect(kafka.committed('only.c', 'only.orders.order.placed')).toBe('1');
    });
    expect(handler).not.toHaveBeenCalled();
    const [letter] = kafka.messages('only.dlq.c');
    expect(letter!.value?.toString()).toBe('not json');
    const headers = headersOf(letter!);
    expect(headers['x-attempt']).toBe('0');
    expect(headers['x-error']).toContain('not JSON');
  });

  it('leaves the offset uncommitted when the dead-letter topic refuses the message', async () => {
    const { logger, lines } = capturingLogger();
    const { bus, kafka, producer } = makeBus(new FakeKafka(), { logger, retry: { delaysMs: [] } });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('boom'));
      },
    });
    producer.failNextSend(new Error('broker unavailable'), 'only.dlq.c');
    await bus.publish(event('orders.order.placed'));

    // The message comes again and is parked on the second pass.
    await eventually(() => {
      expect(kafka.committed('only.c', 'only.orders.order.placed')).toBe('1');
    });
    expect(attempts).toEqual([1, 1]);
    expect(kafka.messages('only.dlq.c')).toHaveLength(1);
    expect(kafka.consumers[0]!.errors).toEqual([new Error('broker unavailable')]);
    expect(lines().some((line) => line.includes('dead-lettering failed'))).toBe(true);
  });

  it('gives the message up to the next owner when a rebalance interrupts a retry wait', async () => {
    const { bus, kafka } = makeBus(new FakeKafka(), { retry: { delaysMs: [1] } });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('down'));
      },
    });
    const consumer = kafka.consumers[0]!;
    const rebalancing = new Error('The group is rebalancing, so a rejoin is needed');
    consumer.failNextHeartbeat(rebalancing);
    await bus.publish(event('orders.order.placed'));

    await eventually(() => {
      expect(kafka.committed('only.c', 'only.orders.order.placed')).toBe('1');
    });
    expect(consumer.errors).toEqual([rebalancing]);
    expect(attempts).toEqual([1, 1, 2]);
    expect(kafka.messages('only.dlq.c')).toHaveLength(1);
  });

  it('neither retries nor dead-letters a broadcast subscription', async () => {
    const { bus, kafka } = makeBus(new FakeKafka(), { instanceId: 'i' });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'cache',
      patterns: ['catalog.product.updated'],
      broadcast: true,
      handler: (e, delivery) => {
        attempts.push(delivery.attempt);
        return e.aggregateId === 'bad' ? Promise.reject(new Error('x')) : Promise.resolve();
      },
    });
    await nextTick();
    await bus.publish(event('catalog.product.updated', 'bad'));
    await bus.publish(event('catalog.product.updated', 'good'));
    await eventually(() => {
      expect(attempts).toEqual([1, 1]);
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attempts).toEqual([1, 1]);
    expect(kafka.messages('only.dlq.cache')).toEqual([]);
    expect(kafka.consumers[0]!.commits).toEqual([]);
  });
});

describe('KafkaBus close and health', () => {
  it('close waits for handlers in flight, commits them, then disconnects consumers before the producer', async () => {
    const { bus, kafka, producer } = makeBus();
    const gate = deferred();
    let started = false;
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: async () => {
        started = true;
        await gate.promise;
      },
    });
    const consumer = kafka.consumers[0]!;
    const order: string[] = [];
    consumer.on(consumer.events.DISCONNECT, () => order.push('consumer'));
    producer.on(producer.events.DISCONNECT, () => order.push('producer'));
    await bus.publish(event('orders.order.placed'));
    await eventually(() => {
      expect(started).toBe(true);
    });

    let closed = false;
    const closing = bus.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    expect(consumer.connected).toBe(true);
    gate.resolve();
    await closing;
    expect(kafka.committed('only.c', 'only.orders.order.placed')).toBe('1');
    expect(order).toEqual(['consumer', 'producer']);
    expect(consumer.connected).toBe(false);
    expect(producer.connected).toBe(false);
  });

  it('close cuts a retry wait short and leaves that message uncommitted', async () => {
    const { bus, kafka } = makeBus(new FakeKafka(), { retry: { delaysMs: [60_000] } });
    const attempts: number[] = [];
    await bus.subscribe({
      consumer: 'c',
      patterns: ['orders.order.placed'],
      handler: (_e, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('down'));
      },
    });
    await bus.publish(event('orders.order.placed'));
    await eventually(() => {
      expect(attempts).toEqual([1]);
    });
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(kafka.committed('only.c', 'only.orders.order.placed')).toBeUndefined();
    expect(kafka.messages('only.dlq.c')).toEqual([]);
  });

  it('refuses to publish or subscribe once closed', async () => {
    const { bus } = makeBus();
    await bus.close();
    await expect(bus.publish(event('orders.order.placed'))).rejects.toThrow('closed');
    await expect(bus.subscribe({ consumer: 'c', patterns: ['#'], handler: vi.fn() })).rejects.toThrow(
      'closed',
    );
  });

  it('isHealthy follows the producer connect and disconnect events, and consumers that die', async () => {
    const { bus, kafka, producer } = makeBus();
    expect(bus.isHealthy()).toBe(false);
    await bus.start();
    expect(bus.isHealthy()).toBe(true);

    producer.emit(producer.events.DISCONNECT);
    expect(bus.isHealthy()).toBe(false);
    // The next publish connects again.
    await bus.publish(event('orders.order.placed'));
    expect(bus.isHealthy()).toBe(true);

    await bus.subscribe({ consumer: 'c', patterns: ['orders.order.placed'], handler: vi.fn() });
    const consumer = kafka.consumers[0]!;
    consumer.crash(new Error('coordinator moved'), true);
    expect(bus.isHealthy()).toBe(true);
    consumer.crash(new Error('not authorized'), false);
    expect(bus.isHealthy()).toBe(false);
  });

  it('is not healthy once closed', async () => {
    const { bus } = makeBus();
    await bus.start();
    await bus.close();
    expect(bus.isHealthy()).toBe(false);
  });
});

describe('KafkaBus.connect', () => {
  it('returns a bus whose producer is connected', async () => {
    const kafka = new FakeKafka();
    const bus = await KafkaBus.connect({ kafka, namespace: 'staging' });
    buses.push(bus);
    expect(bus.kind).toBe('kafka');
    expect(bus.isHealthy()).toBe(true);
    await bus.publish(event('orders.order.placed'));
    expect(kafka.messages('staging.orders.order.placed')).toHaveLength(1);
  });

  it('parses KAFKA_BROKERS', () => {
    expect(parseKafkaBrokers(' kafka-1:9092, kafka-2:9092 ,')).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(parseKafkaBrokers(['kafka-1:9092'])).toEqual(['kafka-1:9092']);
    expect(() => parseKafkaBrokers('')).toThrow('host:port');
    expect(() => parseKafkaBrokers('kafka-1')).toThrow('host:port');
  });

  it('refuses a consumer name that cannot be part of a topic name', async () => {
    const { bus } = makeBus();
    await expect(bus.subscribe({ consumer: 'in voices', patterns: ['#'], handler: vi.fn() })).rejects.toThrow(
      'Consumer name',
    );
  });
});
