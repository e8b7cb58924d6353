import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { eventEnvelopeSchema, type EventEnvelope } from '@only/contracts/envelope';
// Types only: kafkajs itself is loaded when a real client is built (see `createKafkaClient`).
import type {
  Consumer,
  ConsumerConfig,
  EachMessagePayload,
  KafkaMessage,
  logCreator,
  logLevel,
  Producer,
  ProducerConfig,
} from 'kafkajs';
import type { Logger } from 'pino';
import { gauge } from '../metrics/index.ts';
import { busMetrics } from './bus-metrics.ts';
import {
  DEFAULT_RETRY_POLICY,
  type EventBus,
  type EventHandler,
  type MessageHeaders,
  type RetryPolicy,
  type Subscription,
} from './event-bus.ts';

const TRANSPORT = 'kafka';
const DEFAULT_NAMESPACE = 'only';
const DEFAULT_CONCURRENCY = 16;
/** kafkajs's default heartbeat interval; well below its 30 s session timeout. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;
/** Bounds the failure reason stored in a dead letter's headers. */
const MAX_ERROR_HEADER_LENGTH = 1_000;
/** First word of dead-letter topics after the namespace; no event type may start with it. */
const DEAD_LETTER_WORD = 'dlq';

const connectedGauge = gauge('only_bus_connected', 'Whether the bus transport is connected (1) or not (0).', [
  'transport',
]);

/**
 * Headers the Kafka transport adds, besides the publisher's own (trace context, correlation),
 * which pass through untouched. Dead-letter names match the RabbitMQ transport's.
 */
export const KAFKA_BUS_HEADERS = {
  /** Event type, so tools can route or filter without parsing the value. */
  eventType: 'x-event-type',
  /** Event id, so tools can find one event without parsing the value. */
  eventId: 'x-event-id',
  /** Dead letters: consumer whose handler failed. */
  consumer: 'x-consumer',
  /** Dead letters: message of the last failure (truncated). */
  error: 'x-error',
  /** Dead letters: handler attempts made (0 when the message could not even be decoded). */
  attempts: 'x-attempt',
  /** Dead letters: ISO time of dead-lettering. */
  deadLetteredAt: 'x-dead-lettered-at',
  /** Dead letters: topic the message was consumed from. */
  originalTopic: 'x-original-topic',
  /** Dead letters: partition the message was consumed from. */
  originalPartition: 'x-original-partition',
  /** Dead letters: offset of the message in that partition. */
  originalOffset: 'x-original-offset',
} as const;

/** The part of a kafkajs producer the bus uses. */
export type KafkaProducer = Pick<Producer, 'connect' | 'disconnect' | 'send' | 'on' | 'events'>;

/** The part of a kafkajs consumer the bus uses. */
export type KafkaConsumer = Pick<
  Consumer,
  'connect' | 'disconnect' | 'subscribe' | 'run' | 'commitOffsets' | 'on' | 'events'
>;

/** The part of the kafkajs client the bus uses: a real `Kafka`, or a fake broker in tests. */
export interface KafkaClient {
  producer(config?: ProducerConfig): KafkaProducer;
  consumer(config: ConsumerConfig): KafkaConsumer;
}

/** Options of {@link KafkaBus}. */
export interface KafkaBusOptions {
  readonly kafka: KafkaClient;
  readonly logger?: Logger;
  /**
   * Prefix of every topic and group name (`<namespace>.<event type>`, `<namespace>.dlq.<consumer>`,
   * group `<namespace>.<consumer>`), so environments can share a cluster; default `only`.
   */
  readonly namespace?: string;
  readonly retry?: RetryPolicy;
  /**
   * Names this process's broadcast consumer groups (`<namespace>.<consumer>.broadcast.<id>`);
   * unique per process by default (host name, pid and a random suffix).
   */
  readonly instanceId?: string;
  /** Longest time between consumer heartbeats while a retry waits; default 3 s. */
  readonly heartbeatIntervalMs?: number;
}

/** Options of {@link KafkaBus.connect}: a client to use, or the brokers to build one for. */
export type KafkaBusConnectOptions = Omit<KafkaBusOptions, 'kafka'> &
  (
    | { readonly kafka: KafkaClient }
    | {
        /** `host:port` list, or the comma-separated `KAFKA_BROKERS` value. */
        readonly brokers: string | readonly string[];
        /** Client id shown in broker logs and quotas, e.g. the service name. */
        readonly clientId: string;
      }
  );

/** Names of everything the bus creates on the cluster, under one namespace. */
export class KafkaNames {
  /** The namespace with its separator, or nothing for an empty namespace. */
  private readonly prefix: string;

  constructor(namespace: string = DEFAULT_NAMESPACE) {
    this.prefix = namespace === '' ? '' : `${namespace}.`;
  }

  /** Topic of an event type: `only.orders.order.placed`. */
  topic(eventType: string): string {
    return this.prefix + eventType;
  }

  /** Dead-letter topic of a consumer: `only.dlq.invoices`. */
  deadLetterTopic(consumer: string): string {
    return `${this.prefix}${DEAD_LETTER_WORD}.${consumer}`;
  }

  /** Consumer group of a consumer: `only.invoices`; per instance for broadcast subscriptions. */
  group(consumer: string, broadcastInstance?: string): string {
    const group = this.prefix + consumer;
    return broadcastInstance === undefined ? group : `${group}.broadcast.${broadcastInstance}`;
  }

  /**
   * Translates a bus topic pattern (`*` one word, `#` zero or more words, as `compileTopicPattern`)
   * into a kafkajs subscription. A pattern without wildcards stays a topic name, so it works even
   * before its topic exists. A wildcard pattern becomes a RegExp over topic names, anchored in
   * the namespace, that never matches dead-letter topics nor Kafka's internal `__…` topics (so
   * `#` does not consume its own dead letters).
   */
  subscription(pattern: string): string | RegExp {
    const words = pattern.split('.');
    if (!words.some((word) => word === '*' || word === '#')) return this.topic(pattern);
    const prefix = escapeRegExp(this.prefix);
    // Each word brings its separator: a dot, or nothing right after the namespace. So `#` can
    // stand for zero words anywhere, and the lookbehinds keep `.a` or `a..b` from matching.
    const separator = `(?:(?<=^${prefix})|(?<=[^.])\\.)`;
    const anyWord = '[^.]+';
    const body = words
      .map((word) => {
        if (word === '#') return `(?:${separator}${anyWord})*`;
        return separator + (word === '*' ? anyWord : escapeRegExp(word));
      })
      .join('');
    return new RegExp(`^(?!__)${prefix}(?!${DEAD_LETTER_WORD}\\.)${body}$`);
  }
}

/** Parses the `KAFKA_BROKERS` value (`host:port,host:port`, or already a list) for kafkajs. */
export function parseKafkaBrokers(brokers: string | readonly string[]): string[] {
  const list = (typeof brokers === 'string' ? brokers.split(',') : brokers)
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (list.length === 0 || list.some((broker) => !/^[^\s,]+:\d+$/.test(broker))) {
    throw new Error(`Kafka brokers must be host:port, comma-separated; got "${String(brokers)}"`);
  }
  return list;
}

interface Subscribed {
  /** `Subscription.consumer`: metric label and DLQ name, whatever the group. */
  readonly name: string;
  readonly groupId: string;
  readonly broadcast: boolean;
  readonly handler: EventHandler;
  readonly client: KafkaConsumer;
}

type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * The event bus on Kafka (kafkajs), for distributed mode with `KAFKA_BROKERS`.
 *
 * - **Topics**: one per event type, named as the type under the namespace
 *   (`only.orders.order.placed`). Type patterns then map directly onto topic subscriptions, each
 *   consumer fetches only the types it binds (nothing to filter out), and retention or partitions
 *   can be set per type. The key is the aggregate id, so the events of one aggregate and type keep
 *   their order; there is no order across types (as with the other transports, handlers must not
 *   rely on it).
 * - **Publish**: idempotent producer, `acks: -1` (all in-sync replicas); resolves once Kafka
 *   acknowledged. Value is the JSON envelope; headers are the caller's (trace, correlation),
 *   untouched, plus the event type and id ({@link KAFKA_BUS_HEADERS}).
 * - **Consume**: one consumer group per `Subscription.consumer` (`only.invoices`), so replicas
 *   split the partitions. Where the group has no committed offset yet (its first start, or a
 *   partition added later) it starts at the oldest retained message: starting at the end would
 *   lose what is published before kafkajs first fetches. A consumer added later thus catches up
 *   on the retained history. Offsets are committed by hand, only after the handler succeeded or
 *   the message was dead-lettered: a crash re-delivers, the inbox dedupes.
 * - **Broadcast** subscriptions get a group of their own per instance, read only what is
 *   published once they run, commit nothing, and neither retry nor dead-letter.
 * - **Concurrency**: `Subscription.concurrency` partitions are handled at once (default 16);
 *   messages of one partition run one after the other, so per-aggregate order holds, and a
 *   retrying message holds up its partition (for the retry policy, ~12 s by default). Parallelism
 *   is also bounded by the partitions a replica is assigned.
 * - **Retries**: in process, per {@link RetryPolicy}, heartbeating while waiting; after the last
 *   attempt the message goes to `only.dlq.<consumer>` with its original key, value and headers
 *   plus failure headers ({@link KAFKA_BUS_HEADERS}), then is committed. A message that is not
 *   an event envelope is dead-lettered at once.
 *
 * Start it with {@link KafkaBus.connect}: `isHealthy()` (readiness, and the outbox relay's
 * go-ahead) is false until the producer is connected.
 *
 * Limits of kafkajs to plan for: a wildcard pattern is resolved against the topics that exist when
 * `subscribe` runs (topics created later are picked up on the next start), so provision topics for
 * every event type up front; exact patterns subscribe by name and need no such care.
 */
export class KafkaBus implements EventBus {
  readonly kind = TRANSPORT;
  /** Distinguishes this process's broadcast consumer groups. */
  readonly instanceId: string;
  /** Topic and group names. */
  readonly names: KafkaNames;

  private readonly kafka: KafkaClient;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger | undefined;
  private readonly heartbeatIntervalMs: number;
  private readonly producer: KafkaProducer;
  private readonly subscribed: Subscribed[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private connecting: Promise<void> | undefined;
  private producerConnected = false;
  private consumerDead = false;
  private closed: Promise<void> | undefined;

  constructor(options: KafkaBusOptions) {
    this.kafka = options.kafka;
    this.names = new KafkaNames(options.namespace);
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = options.logger;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.producer = this.kafka.producer({
      idempotent: true,
      // kafkajs retries an idempotent send forever by default; a publish must fail in bounded time
      // so the outbox relay can release its transaction and try again later (the inbox dedupes).
      retry: { retries: 5 },
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.producerConnected = true;
      connectedGauge.set({ transport: TRANSPORT }, 1);
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerConnected = false;
      connectedGauge.set({ transport: TRANSPORT }, 0);
      // The next publish connects again.
      this.connecting = undefined;
    });
  }

  /**
   * A bus with its producer connected, on the given client or on a real kafkajs client for
   * `brokers` (logging through pino). Rejects when the brokers cannot be reached.
   */
  static async connect(options: KafkaBusConnectOptions): Promise<KafkaBus> {
    const kafka =
      'kafka' in options
        ? options.kafka
        : await createKafkaClient(options.clientId, parseKafkaBrokers(options.brokers), options.logger);
    const bus = new KafkaBus({ ...options, kafka });
    await bus.start();
    return bus;
  }

  /** A method, not a property: TypeScript would keep a property narrowed across awaits. */
  private closingNow(): boolean {
    return this.closing.signal.aborted;
  }

  /** Connects the producer; idempotent. `publish` also connects on first use. */
  start(): Promise<void> {
    if (this.closingNow()) return Promise.reject(new Error('The bus is closed'));
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async publish(event: EventEnvelope, headers: MessageHeaders = {}): Promise<void> {
    if (this.closingNow()) throw new Error('The bus is closed');
    if (event.type.startsWith(`${DEAD_LETTER_WORD}.`)) {
      throw new Error(`Event type ${event.type} would be published to a dead-letter topic`);
    }
    await this.start();
    await this.producer.send({
      topic: this.names.topic(event.type),
      acks: -1,
      messages: [
        {
          key: event.aggregateId,
          value: JSON.stringify(event),
          headers: {
            ...headers,
            [KAFKA_BUS_HEADERS.eventType]: event.type,
            [KAFKA_BUS_HEADERS.eventId]: event.id,
          },
        },
      ],
    });
    busMetrics.published.inc({ transport: TRANSPORT, type: event.type });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closingNow()) throw new Error('The bus is closed');
    const { consumer: name, patterns } = subscription;
    // The consumer name becomes part of its dead-letter topic name.
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      throw new Error(`Consumer name "${name}" must use only letters, digits, ".", "_" and "-"`);
    }
    if (patterns.length === 0) throw new Error(`Subscription of ${name} has no patterns`);
    const broadcast = subscription.broadcast === true;
    const groupId = this.names.group(name, broadcast ? this.instanceId : undefined);
    const client = this.kafka.consumer({ groupId });
    const subscribed: Subscribed = { name, groupId, broadcast, handler: subscription.handler, client };
    client.on(client.events.CRASH, (event) => {
      if (event.payload.restart) return;
      this.consumerDead = true;
      this.logger?.error(
        { consumer: name, groupId, err: event.payload.error },
        'kafka consumer crashed and will not restart',
      );
    });
    try {
      await client.connect();
      await client.subscribe({
        topics: patterns.map((pattern) => this.names.subscription(pattern)),
        // Durable groups never skip a message; a broadcast group only wants what comes next.
        fromBeginning: !broadcast,
      });
      await client.run({
        autoCommit: false,
        partitionsConsumedConcurrently: Math.max(
          1,
          Math.floor(subscription.concurrency ?? DEFAULT_CONCURRENCY),
        ),
        eachMessage: (payload) => this.track(this.consume(subscribed, payload)),
      });
    } catch (error) {
      await client.disconnect().catch(() => undefined);
      throw error;
    }
    this.subscribed.push(subscribed);
    // Closed while joining: close() did not see this consumer.
    if (this.closingNow()) await client.disconnect();
  }

  isHealthy(): boolean {
    return !this.closingNow() && this.producerConnected && !this.consumerDead;
  }

  /**
   * Stops retry waits (those messages stay uncommitted and are redelivered), waits for the
   * handlers in flight to finish and commit, then disconnects the consumers, then the producer
   * (which dead-lettering needs until the last handler is done).
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    this.closing.abort();
    // Before disconnecting: kafkajs drops commits once a consumer is stopping.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    const results = await Promise.allSettled(this.subscribed.map((s) => s.client.disconnect()));
    results.push(...(await Promise.allSettled([this.producer.disconnect()])));
    this.producerConnected = false;
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, 'Closing the Kafka bus failed');
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  /** Handles one message; throwing leaves it unresolved, so kafkajs fetches it again. */
  private async consume(sub: Subscribed, payload: EachMessagePayload): Promise<void> {
    // Once closing, new messages stay uncommitted for the partition's next owner.
    if (this.closingNow()) return;
    const { message } = payload;
    const headers = readHeaders(message.headers);
    const event = decodeEnvelope(message.value);
    if (event instanceof Error) {
      if (sub.broadcast) {
        this.dropBroadcast(sub, payload, event);
        return;
      }
      await this.deadLetter(sub, payload, 0, event);
      await this.commit(sub, payload);
      return;
    }
    const delivered = deliveryHeaders(headers);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(sub, event, delivered, attempt);
      if (outcome.ok) {
        if (!sub.broadcast) await this.commit(sub, payload);
        return;
      }
      if (sub.broadcast) {
        this.dropBroadcast(sub, payload, outcome.error, event);
        return;
      }
      const delay = this.retry.delaysMs[attempt - 1];
      if (delay === undefined) {
        await this.deadLetter(sub, payload, attempt, outcome.error, event);
        await this.commit(sub, payload);
        return;
      }
      busMetrics.consumed.inc({ transport: TRANSPORT, consumer: sub.name, outcome: 'retry' });
      this.logger?.warn(
        { consumer: sub.name, eventId: event.id, type: event.type, attempt, err: outcome.error },
        'event handler failed; will retry',
      );
      if (!(await this.waitBeforeRetry(delay, () => payload.heartbeat()))) return;
    }
  }

  private async attempt(
    sub: Subscribed,
    event: EventEnvelope,
    headers: MessageHeaders,
    attempt: number,
  ): Promise<Attempt> {
    const stopTimer = busMetrics.handlerSeconds.startTimer({ transport: TRANSPORT, consumer: sub.name });
    try {
      await sub.handler(event, { headers, attempt });
      busMetrics.consumed.inc({ transport: TRANSPORT, consumer: sub.name, outcome: 'ok' });
      busMetrics.endToEndSeconds.observe(
        { transport: TRANSPORT, consumer: sub.name },
        (Date.now() - Date.parse(event.occurredAt)) / 1000,
      );
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      stopTimer();
    }
  }

  /** Waits `delayMs`, heartbeating; false when the bus closed meanwhile. */
  private async waitBeforeRetry(delayMs: number, heartbeat: () => Promise<void>): Promise<boolean> {
    let remaining = delayMs;
    while (remaining > 0) {
      const slice = Math.min(remaining, this.heartbeatIntervalMs);
      if (!(await sleep(slice, this.closing.signal))) return false;
      remaining -= slice;
      // kafkajs heartbeats only between messages; without this a long wait gets the member evicted.
      // A rebalance error propagates: the message stays uncommitted for the partition's next owner.
      await heartbeat();
    }
    return !this.closingNow();
  }

  private async commit(sub: Subscribed, { topic, partition, message }: EachMessagePayload): Promise<void> {
    // The committed offset is the next one to read.
    await sub.client.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  }

  private async deadLetter(
    sub: Subscribed,
    { topic, partition, message }: EachMessagePayload,
    attempts: number,
    error: unknown,
    event?: EventEnvelope,
  ): Promise<void> {
    const reason = errorMessage(error);
    const target = this.names.deadLetterTopic(sub.name);
    try {
      await this.start();
      // The original key, value and headers, untouched, so the message can be replayed as it was.
      await this.producer.send({
        topic: target,
        acks: -1,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              ...message.headers,
              [KAFKA_BUS_HEADERS.consumer]: sub.name,
              [KAFKA_BUS_HEADERS.error]: reason.slice(0, MAX_ERROR_HEADER_LENGTH),
              [KAFKA_BUS_HEADERS.attempts]: String(attempts),
              [KAFKA_BUS_HEADERS.deadLetteredAt]: new Date().toISOString(),
              [KAFKA_BUS_HEADERS.originalTopic]: topic,
              [KAFKA_BUS_HEADERS.originalPartition]: String(partition),
              [KAFKA_BUS_HEADERS.originalOffset]: message.offset,
            },
          },
        ],
      });
    } catch (sendError) {
      this.logger?.error(
        { consumer: sub.name, topic, partition, offset: message.offset, err: sendError },
        'dead-lettering failed; the message will be delivered again',
      );
      throw sendError;
    }
    busMetrics.consumed.inc({ transport: TRANSPORT, consumer: sub.name, outcome: 'dead_lettered' });
    busMetrics.deadLettered.inc({ transport: TRANSPORT, consumer: sub.name });
    this.logger?.error(
      {
        consumer: sub.name,
        eventId: event?.id,
        type: event?.type,
        attempts,
        topic,
        partition,
        offset: message.offset,
        deadLetterTopic: target,
        err: error,
      },
      'event parked in dead-letter queue',
    );
  }

  private dropBroadcast(
    sub: Subscribed,
    { topic, partition, message }: EachMessagePayload,
    error: unknown,
    event?: EventEnvelope,
  ): void {
    busMetrics.consumed.inc({ transport: TRANSPORT, consumer: sub.name, outcome: 'dropped' });
    this.logger?.warn(
      {
        consumer: sub.name,
        eventId: event?.id,
        type: event?.type,
        topic,
        partition,
        offset: message.offset,
        err: error,
      },
      'broadcast event handler failed; not retried',
    );
  }
}

/** Kafka headers as strings; of a repeated header the last value wins (as Java's `lastHeader`). */
function readHeaders(raw: KafkaMessage['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) headers[name] = last.toString();
  }
  return headers;
}

/** The headers a handler sees: the publisher's, without the transport's own. */
function deliveryHeaders(headers: Record<string, string>): MessageHeaders {
  const { [KAFKA_BUS_HEADERS.eventType]: _type, [KAFKA_BUS_HEADERS.eventId]: _id, ...published } = headers;
  return published;
}

/** The envelope in a message value, or why there is none (such a message can only be parked). */
function decodeEnvelope(value: Buffer | null): EventEnvelope | Error {
  if (value === null) return new Error('Undecodable message: it has no value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return new Error(`Undecodable message: the value is not JSON (${errorMessage(error)})`);
  }
  const parsed = eventEnvelopeSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  return new Error(`Undecodable message: not an event envelope (${problems.join('; ')})`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A real kafkajs client. kafkajs is imported here, not at the top: it costs ~20 MB and ~0.1 s to
 * load, which processes that never use Kafka (embedded mode) should not pay for importing the bus.
 */
async function createKafkaClient(
  clientId: string,
  brokers: string[],
  logger: Logger | undefined,
): Promise<KafkaClient> {
  const { Kafka, Partitioners, logLevel: levels } = await import('kafkajs');
  const kafka = new Kafka({
    clientId,
    brokers,
    ...(logger ? { logCreator: pinoLogCreator(logger, levels) } : {}),
  });
  return {
    // The Java-compatible partitioner (kafkajs 2's default, named to silence its notice): a key
    // lands in the same partition whichever client produced it.
    producer: (config) => kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config }),
    consumer: (config) => kafka.consumer(config),
  };
}

/** Routes kafkajs's own log lines to pino. */
function pinoLogCreator(logger: Logger, levels: typeof logLevel): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, timestamp: _timestamp, ...fields } = entry;
      const bindings: Record<string, unknown> = { namespace, ...fields };
      if (level === levels.ERROR) log.error(bindings, message);
      else if (level === levels.WARN) log.warn(bindings, message);
      else if (level === levels.INFO) log.info(bindings, message);
      else log.debug(bindings, message);
    };
}
