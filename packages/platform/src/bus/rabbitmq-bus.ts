import type { EventEnvelope } from '@only/contracts/envelope';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Options,
  type RecoveringChannelModel,
} from 'amqplib';
import type { Logger } from 'pino';
import { gauge } from '../metrics/index.ts';
import { busMetrics } from './bus-metrics.ts';
import {
  DEFAULT_RETRY_POLICY,
  type DeadLetter,
  type EventBus,
  type MessageHeaders,
  type RetryPolicy,
  type Subscription,
} from './event-bus.ts';
import { consumerTopology, type ConsumerTopology } from './rabbitmq-topology.ts';

const TRANSPORT = 'rabbitmq';

const connectedGauge = gauge('only_bus_connected', 'Whether the bus transport is connected (1) or not (0).', [
  'transport',
]);
const deadLetterDepth = gauge('only_bus_dead_letter_depth', 'Messages waiting in a dead-letter queue.', [
  'transport',
  'consumer',
]);

/** Options of {@link RabbitBus.connect}. */
export interface RabbitBusOptions {
  /** `amqp://user:password@host:5672/vhost`. */
  readonly url: string;
  readonly logger: Logger;
  /** Prefix of every exchange and queue name: `<namespace>.events`, `<namespace>.<consumer>`. */
  readonly namespace?: string;
  /** Delays of the retry queues a failed message goes through before its dead-letter queue. */
  readonly retry?: RetryPolicy;
  /** Name shown for the connection in RabbitMQ's management tools. */
  readonly connectionName?: string;
  /** Failed attempts to connect at start before giving up (later, it retries forever). */
  readonly initialConnectRetries?: number;
  /** How long a publish may wait for the broker's confirm. */
  readonly confirmTimeoutMs?: number;
}

interface ConsumerState {
  readonly subscription: Subscription;
  readonly topology: ConsumerTopology | undefined;
  channel: Channel | undefined;
  consumerTag: string | undefined;
}

interface Session {
  readonly model: ChannelModel;
  readonly publisher: ConfirmChannel;
}

/** Heartbeats make a dead peer visible within seconds, not at the next TCP timeout. */
function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', '10');
  return parsed.toString();
}

/** AMQP header values we carry are strings; others are stringified. */
function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The RabbitMQ transport of the event bus (amqplib).
 *
 * Topology: one durable topic exchange `<ns>.events`; per consuming service one durable queue
 * `<ns>.<consumer>` bound by its event type patterns, retry queues `<ns>.<consumer>.retry.<ms>`
 * whose messages expire back into the main queue, and a dead-letter queue `<ns>.<consumer>.dlq`
 * (also the main queue's dead-letter exchange target, for messages that cannot even be parsed).
 *
 * Guarantees: `publish` resolves only after the broker confirmed the persistent message. A message
 * is acknowledged only after its handler returned — the handler commits its transaction (and inbox
 * row) first — so a crash means redelivery, never loss. A failed message goes through the retry
 * queues with growing delays, then to the dead-letter queue with the error in its headers, a
 * metric and a log line. The connection is re-established by amqplib's recovery; every channel,
 * the topology and the consumers are rebuilt on each reconnect, and the loss of any channel
 * recycles the connection.
 */
export class RabbitBus implements EventBus {
  readonly kind = TRANSPORT;
  private readonly options: RabbitBusOptions;
  private readonly exchange: string;
  private readonly retry: RetryPolicy;
  private readonly consumers: ConsumerState[] = [];
  private connection: RecoveringChannelModel | undefined;
  private session: Session | undefined;
  private inFlight = 0;
  private closing = false;
  private depthTimer: NodeJS.Timeout | undefined;

  private constructor(options: RabbitBusOptions) {
    this.options = options;
    this.exchange = `${options.namespace ?? 'only'}.events`;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** Connects (retrying a few times at start) and declares the exchange. */
  static async connect(options: RabbitBusOptions): Promise<RabbitBus> {
    const bus = new RabbitBus(options);
    const connection = await amqp.connect(withHeartbeat(options.url), {
      clientProperties: { connection_name: options.connectionName ?? 'only' },
      recovery: {
        initialDelay: 200,
        maxDelay: 5_000,
        maxRetries: Infinity,
        initialMaxRetries: options.initialConnectRetries ?? 10,
        waitForConnect: false,
        setup: (model: ChannelModel) => bus.setup(model),
      },
    });
    bus.connection = connection;
    connection.on('connect', () => {
      connectedGauge.set({ transport: TRANSPORT }, 1);
      options.logger.info({ transport: TRANSPORT }, 'bus connected');
    });
    connection.on('disconnect', (error: Error) => {
      bus.session = undefined;
      connectedGauge.set({ transport: TRANSPORT }, 0);
      if (!bus.closing)
        options.logger.warn({ transport: TRANSPORT, err: error }, 'bus disconnected; reconnecting');
    });
    connection.on('error', (error: Error) => {
      options.logger.warn({ transport: TRANSPORT, err: error }, 'bus connection error');
    });
    await connection.waitForConnect();
    bus.depthTimer = setInterval(() => void bus.refreshDeadLetterDepth(), 15_000);
    bus.depthTimer.unref();
    return bus;
  }

  /** Runs after every (re)connect: publisher channel, exchange, then every consumer again. */
  private async setup(model: ChannelModel): Promise<void> {
    const publisher = await model.createConfirmChannel();
    this.watch(model, publisher, 'publisher');
    await publisher.assertExchange(this.exchange, 'topic', { durable: true });
    const session: Session = { model, publisher };
    for (const consumer of this.consumers) await this.startConsumer(session, consumer);
    this.session = session;
  }

  /** A channel closed by the broker (not by us) recycles the connection, so setup rebuilds all. */
  private watch(model: ChannelModel, channel: Channel, name: string): void {
    channel.on('error', (error: Error) => {
      this.options.logger.warn({ transport: TRANSPORT, channel: name, err: error }, 'bus channel error');
    });
    channel.on('close', () => {
      if (this.closing || this.session?.model !== model) return;
      this.options.logger.warn({ transport: TRANSPORT, channel: name }, 'bus channel closed; reconnecting');
      this.session = undefined;
      model.close().catch(() => undefined);
    });
  }

  async publish(event: EventEnvelope, headers: MessageHeaders = {}): Promise<void> {
    const session = this.session;
    if (!session || this.closing) throw new Error('RabbitMQ is not connected');
    await this.send(session.publisher, this.exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      contentType: 'application/json',
      messageId: event.id,
      type: event.type,
      correlationId: event.correlationId,
      appId: event.source,
      timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
      headers: { ...headers, 'x-tenant-id': event.tenantId },
    });
    busMetrics.published.inc({ transport: TRANSPORT, type: event.type });
  }

  /** Publishes on the confirm channel and resolves when the broker confirmed it. */
  private send(
    channel: ConfirmChannel,
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: Options.Publish,
  ): Promise<void> {
    const timeoutMs = this.options.confirmTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`RabbitMQ did not confirm within ${timeoutMs} ms`));
      }, timeoutMs);
      try {
        channel.publish(exchange, routingKey, content, properties, (error: unknown) => {
          clearTimeout(timer);
          if (error) reject(error instanceof Error ? error : new Error('RabbitMQ refused the message'));
          else resolve();
        });
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closing) throw new Error('The bus is closed');
    const namespace = this.options.namespace ?? 'only';
    const consumer: ConsumerState = {
      subscription,
      topology: subscription.broadcast
        ? undefined
        : consumerTopology(namespace, subscription.consumer, this.retry),
      channel: undefined,
      consumerTag: undefined,
    };
    this.consumers.push(consumer);
    const session = this.session;
    if (session) await this.startConsumer(session, consumer);
  }

  private async startConsumer(session: Session, consumer: ConsumerState): Promise<void> {
    const { subscription, topology } = consumer;
    const channel = await session.model.createChannel();
    this.watch(session.model, channel, subscription.consumer);
    await channel.prefetch(subscription.concurrency ?? 16);
    let queue: string;
    if (topology) {
      await this.declare(channel, topology, subscription.patterns);
      queue = topology.queue;
    } else {
      // A broadcast subscriber: a private queue that disappears with the connection.
      queue = (await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })).queue;
      for (const pattern of subscription.patterns) await channel.bindQueue(queue, this.exchange, pattern);
    }
    consumer.channel = channel;
    const { consumerTag } = await channel.consume(queue, (message) => {
      void this.onMessage(session, channel, consumer, message);
    });
    consumer.consumerTag = consumerTag;
  }

  /** Declares a durable consumer's queues, retry queues, dead-letter queue and bindings. */
  private async declare(
    channel: Channel,
    topology: ConsumerTopology,
    patterns: readonly string[],
  ): Promise<void> {
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    await channel.assertExchange(topology.deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(topology.deadLetterQueue, { durable: true });
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '');
    await channel.assertQueue(topology.queue, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': topology.deadLetterExchange },
    });
    for (const retryQueue of topology.retryQueues) {
      await channel.assertQueue(retryQueue.name, {
        durable: true,
        arguments: {
          'x-message-ttl': retryQueue.delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': topology.queue,
        },
      });
    }
    for (const pattern of patterns) await channel.bindQueue(topology.queue, this.exchange, pattern);
  }

  /**
   * Provisions a durable consumer without consuming: its queue then keeps every matching event
   * published from now on, even before the consuming service first starts.
   */
  async provision(consumer: string, patterns: readonly string[]): Promise<void> {
    await this.withChannel((channel) => this.declare(channel, this.topologyOf(consumer), patterns));
  }

  private async onMessage(
    session: Session,
    channel: Channel,
    consumer: ConsumerState,
    message: ConsumeMessage | null,
  ): Promise<void> {
    const { subscription, topology } = consumer;
    if (message === null) {
      // The broker cancelled the consumer (queue deleted): rebuild everything.
      if (!this.closing) session.model.close().catch(() => undefined);
      return;
    }
    this.inFlight++;
    const name = subscription.consumer;
    const stopTimer = busMetrics.handlerSeconds.startTimer({ transport: TRANSPORT, consumer: name });
    try {
      const headers = stringHeaders(message.properties.headers);
      const attempt = Number.parseInt(headers['x-attempt'] ?? '1', 10) || 1;
      let event: EventEnvelope;
      try {
        event = JSON.parse(message.content.toString('utf8')) as EventEnvelope;
      } catch (error) {
        // Not even JSON: no retry can help. Rejected without requeue, it goes to the DLQ.
        this.options.logger.error(
          { consumer: name, err: error },
          'unparseable message sent to the dead-letter queue',
        );
        busMetrics.deadLettered.inc({ transport: TRANSPORT, consumer: name });
        safely(() => {
          channel.nack(message, false, false);
        });
        return;
      }
      try {
        await subscription.handler(event, { headers, attempt });
        busMetrics.consumed.inc({ transport: TRANSPORT, consumer: name, outcome: 'ok' });
        busMetrics.endToEndSeconds.observe(
          { transport: TRANSPORT, consumer: name },
          (Date.now() - Date.parse(event.occurredAt)) / 1000,
        );
        safely(() => {
          channel.ack(message);
        });
      } catch (error) {
        if (!topology) {
          this.options.logger.warn(
            { consumer: name, eventId: event.id, err: error },
            'broadcast handler failed',
          );
          safely(() => {
            channel.ack(message);
          });
          return;
        }
        await this.retryOrPark(session, channel, topology, name, message, event, headers, attempt, error);
      }
    } finally {
      stopTimer();
      this.inFlight--;
    }
  }

  /**
   * Moves a failed message to the retry queue of its attempt, or, after the last one, to the
   * dead-letter queue; the original is acknowledged only once the copy is confirmed. If the broker
   * is gone, nothing is acknowledged and the message comes back after reconnecting.
   */
  private async retryOrPark(
    session: Session,
    channel: Channel,
    topology: ConsumerTopology,
    consumer: string,
    message: ConsumeMessage,
    event: EventEnvelope,
    headers: Record<string, string>,
    attempt: number,
    error: unknown,
  ): Promise<void> {
    const retryQueue = topology.retryQueues[attempt - 1];
    const reason = errorMessage(error).slice(0, 1000);
    const properties: Options.Publish = { ...message.properties, persistent: true };
    try {
      if (retryQueue) {
        await this.send(session.publisher, '', retryQueue.name, message.content, {
          ...properties,
          headers: { ...headers, 'x-attempt': String(attempt + 1), 'x-last-error': reason },
        });
        busMetrics.consumed.inc({ transport: TRANSPORT, consumer, outcome: 'retry' });
        this.options.logger.warn(
          {
            consumer,
            eventId: event.id,
            type: event.type,
            attempt,
            retryInMs: retryQueue.delayMs,
            err: error,
          },
          'event handler failed; will retry',
        );
      } else {
        await this.send(session.publisher, '', topology.deadLetterQueue, message.content, {
          ...properties,
          headers: {
            ...headers,
            'x-attempt': String(attempt),
            'x-error': reason,
            'x-dead-lettered-at': new Date().toISOString(),
            'x-consumer': consumer,
            'x-routing-key': message.fields.routingKey,
          },
        });
        busMetrics.consumed.inc({ transport: TRANSPORT, consumer, outcome: 'dead_lettered' });
        busMetrics.deadLettered.inc({ transport: TRANSPORT, consumer });
        this.options.logger.error(
          { consumer, eventId: event.id, type: event.type, attempts: attempt, err: error },
          'event parked in dead-letter queue',
        );
      }
      safely(() => {
        channel.ack(message);
      });
    } catch (publishError) {
      this.options.logger.warn(
        { consumer, eventId: event.id, err: publishError },
        'could not move a failed message; it will be redelivered',
      );
    }
  }

  isHealthy(): boolean {
    return this.session !== undefined && !this.closing;
  }

  /** Messages parked in a consumer's dead-letter queue (left in place), oldest first. */
  async deadLetters(consumer: string, limit = 100): Promise<DeadLetter[]> {
    const topology = this.topologyOf(consumer);
    return this.withChannel(async (channel) => {
      const letters: DeadLetter[] = [];
      while (letters.length < limit) {
        const message = await channel.get(topology.deadLetterQueue, { noAck: false });
        if (message === false) break;
        letters.push(toDeadLetter(consumer, message));
      }
      // Put them all back, in order: reading is not consuming.
      channel.nackAll(true);
      return letters;
    });
  }

  /**
   * Moves dead letters back to the consumer's queue for another round of attempts: all of them,
   * or only the given event ids. Returns how many were moved.
   */
  async redrive(consumer: string, eventIds?: readonly string[]): Promise<number> {
    const topology = this.topologyOf(consumer);
    const session = this.session;
    if (!session) throw new Error('RabbitMQ is not connected');
    const wanted = eventIds === undefined ? undefined : new Set(eventIds);
    return this.withChannel(async (channel) => {
      let moved = 0;
      for (;;) {
        const message = await channel.get(topology.deadLetterQueue, { noAck: false });
        if (message === false) break;
        const letter = toDeadLetter(consumer, message);
        if (wanted && !wanted.has(letter.event.id)) continue;
        const headers = stringHeaders(message.properties.headers);
        await this.send(session.publisher, '', topology.queue, message.content, {
          ...message.properties,
          persistent: true,
          headers: { ...headers, 'x-attempt': '1', 'x-redriven-at': new Date().toISOString() },
        });
        channel.ack(message);
        moved++;
      }
      channel.nackAll(true);
      return moved;
    });
  }

  /** How many messages wait in a consumer's dead-letter queue. */
  async deadLetterCount(consumer: string): Promise<number> {
    const topology = this.topologyOf(consumer);
    return this.withChannel(
      async (channel) => (await channel.checkQueue(topology.deadLetterQueue)).messageCount,
    );
  }

  private topologyOf(consumer: string): ConsumerTopology {
    return consumerTopology(this.options.namespace ?? 'only', consumer, this.retry);
  }

  private async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const session = this.session;
    if (!session) throw new Error('RabbitMQ is not connected');
    // A separate channel: a failed admin call (e.g. no such queue) must not close a working one.
    const channel = await session.model.createChannel();
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  private async refreshDeadLetterDepth(): Promise<void> {
    for (const { subscription, topology } of this.consumers) {
      if (!topology) continue;
      try {
        deadLetterDepth.set(
          { transport: TRANSPORT, consumer: subscription.consumer },
          await this.deadLetterCount(subscription.consumer),
        );
      } catch {
        // Disconnected: the gauge keeps its last value until the next round.
      }
    }
  }

  /** Stops consuming, waits for handlers in flight, then closes the connection. */
  async close(drainTimeoutMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.depthTimer);
    const deadline = Date.now() + drainTimeoutMs;
    // A broker that stopped answering (or a connection being re-established) must not keep
    // close() waiting for a cancel-ok or close-ok that never comes: each is bounded.
    const remaining = () => Math.max(1_000, deadline - Date.now());
    for (const consumer of this.consumers) {
      if (consumer.channel && consumer.consumerTag) {
        await settledWithin(consumer.channel.cancel(consumer.consumerTag), remaining());
      }
    }
    while (this.inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    if (this.connection) await settledWithin(this.connection.close(), remaining());
    this.session = undefined;
    connectedGauge.set({ transport: TRANSPORT }, 0);
  }
}

/** Resolves once `operation` settled (either way) or `ms` passed, whichever comes first. */
async function settledWithin(operation: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([operation.then(noop, noop), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function noop(): void {
  // Nothing to do: the outcome of a closing step does not change what close() does next.
}

/** Acks and nacks on a channel that has just closed throw; the broker redelivers anyway. */
function safely(operation: () => void): void {
  try {
    operation();
  } catch {
    // The message was not acknowledged and will be delivered again; the inbox absorbs it.
  }
}

function toDeadLetter(
  consumer: string,
  message: { content: Buffer; properties: { headers?: Record<string, unknown>; messageId?: unknown } },
): DeadLetter {
  const headers = stringHeaders(message.properties.headers);
  return {
    consumer,
    event: parseOrWrap(message.content, message.properties.messageId),
    headers,
    attempts: Number.parseInt(headers['x-attempt'] ?? '0', 10) || 0,
    error: headers['x-error'] ?? headers['x-first-death-reason'] ?? 'unknown',
    deadLetteredAt: headers['x-dead-lettered-at'] ?? '',
  };
}

/** The parked event, or, for a message that was never valid JSON, its raw text in an envelope. */
function parseOrWrap(content: Buffer, messageId: unknown): EventEnvelope {
  const text = content.toString('utf8');
  try {
    return JSON.parse(text) as EventEnvelope;
  } catch {
    return {
      id: typeof messageId === 'string' ? messageId : 'unparseable',
      type: 'unparseable',
      version: 0,
      occurredAt: '',
      source: '',
      tenantId: '',
      aggregateId: '',
      correlationId: '',
      causationId: null,
      data: text,
    };
  }
}
