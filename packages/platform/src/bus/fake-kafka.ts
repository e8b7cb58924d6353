/**
 * A fake of the kafkajs client for unit tests of the Kafka bus: it stands in for the network and
 * the broker only (topics with partitions, consumer groups, committed offsets), with the API
 * shapes of kafkajs 2 and the behaviours the bus relies on:
 * - RegExp subscriptions are resolved once, against the topics existing at `subscribe`;
 * - `eachMessage` runs one message at a time per partition, up to `partitionsConsumedConcurrently`
 *   partitions at once; when it resolves, the consumer moves on (the offset is "resolved", not
 *   committed); when it throws, the same message is fetched again;
 * - only `commitOffsets` stores a group's position; a partition a member gets starts from the
 *   committed offset, else from the end of the partition (`fromBeginning: false`) or its start;
 * - commits are silently skipped once the consumer is stopping, and `disconnect` waits for the
 *   `eachMessage` calls in flight.
 * Not modelled: networking, retries and crashes of kafkajs itself (a test triggers `crash`),
 * rebalancing in the middle of a message, transactions.
 * @module
 */
import { EventEmitter } from 'node:events';
import type {
  ConsumerConfig,
  ConsumerEvents,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  IHeaders,
  InstrumentationEvent,
  Message,
  ProducerConfig,
  ProducerEvents,
  ProducerRecord,
  RecordBatchEntry,
  RecordMetadata,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import type { KafkaClient, KafkaConsumer, KafkaProducer } from './kafka-bus.ts';

/** A message as the fake broker stores it, and as a consumer fetches it. */
export interface StoredMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly offset: string;
  readonly timestamp: string;
}

type Listener = (event: InstrumentationEvent<unknown>) => void;

/** kafkajs instrumentation: `on` returns the function that removes the listener. */
class Instrumentation {
  private readonly emitter = new EventEmitter();
  private nextId = 0;

  on(eventName: string, listener: Listener): () => void {
    this.emitter.on(eventName, listener);
    return () => this.emitter.off(eventName, listener);
  }

  emit(type: string, payload: unknown): void {
    const event: InstrumentationEvent<unknown> = {
      id: String(this.nextId++),
      type,
      timestamp: Date.now(),
      payload,
    };
    this.emitter.emit(type, event);
  }
}

function toBuffer(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** Headers as the broker returns them: every value a Buffer. */
function toBufferHeaders(headers: IHeaders | undefined): IHeaders {
  const stored: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    stored[name] = Array.isArray(value) ? value.map((v) => Buffer.from(v)) : Buffer.from(value);
  }
  return stored;
}

/** A stable stand-in for kafkajs's murmur2 partitioner: same key, same partition. */
function partitionOf(key: Buffer | null, partitions: number): number {
  if (key === null) return 0;
  let hash = 0;
  for (const byte of key) hash = (hash * 31 + byte) >>> 0;
  return hash % partitions;
}

/** The fake cluster: create producers and consumers from it as from `new Kafka(…)`. */
export class FakeKafka implements KafkaClient {
  /** Partitions per topic, by topic name. */
  readonly topics = new Map<string, StoredMessage[][]>();
  readonly producers: FakeProducer[] = [];
  readonly consumers: FakeConsumer[] = [];
  /** Committed offsets: group id → `topic/partition` → next offset to read. */
  private readonly offsets = new Map<string, Map<string, string>>();
  private readonly defaultPartitions: number;
  private pumpScheduled = false;

  constructor(options: { readonly partitions?: number } = {}) {
    this.defaultPartitions = options.partitions ?? 1;
  }

  producer(config?: ProducerConfig): FakeProducer {
    const producer = new FakeProducer(this, config);
    this.producers.push(producer);
    return producer;
  }

  consumer(config: ConsumerConfig): FakeConsumer {
    const consumer = new FakeConsumer(this, config);
    this.consumers.push(consumer);
    return consumer;
  }

  /** Creates a topic if it does not exist (as the broker's `auto.create.topics.enable`). */
  createTopic(name: string, partitions = this.defaultPartitions): void {
    if (!this.topics.has(name))
      this.topics.set(
        name,
        Array.from({ length: partitions }, () => []),
      );
  }

  /** Every message of a topic, partition after partition. */
  messages(topic: string): StoredMessage[] {
    return (this.topics.get(topic) ?? []).flat();
  }

  /** The committed offset (next to read) of a group on a partition. */
  committed(groupId: string, topic: string, partition = 0): string | undefined {
    return this.offsets.get(groupId)?.get(`${topic}/${String(partition)}`);
  }

  /** @internal Stores a produced message and returns its metadata. */
  append(topic: string, message: Message): RecordMetadata {
    this.createTopic(topic);
    const partitions = this.topics.get(topic) ?? [];
    const key = toBuffer(message.key);
    const partition = message.partition ?? partitionOf(key, partitions.length);
    const log = partitions[partition];
    if (!log) throw new Error(`Topic ${topic} has no partition ${String(partition)}`);
    const offset = String(log.length);
    log.push({
      key,
      value: toBuffer(message.value),
      headers: toBufferHeaders(message.headers),
      offset,
      timestamp: message.timestamp ?? String(Date.now()),
    });
    this.schedule();
    return { topicName: topic, partition, errorCode: 0, baseOffset: offset };
  }

  /** @internal */
  commit(groupId: string, topic: string, partition: number, offset: string): void {
    let group = this.offsets.get(groupId);
    if (!group) this.offsets.set(groupId, (group = new Map<string, string>()));
    group.set(`${topic}/${String(partition)}`, offset);
  }

  /**
   * @internal The partitions a running member owns: the group's partitions dealt round robin
   * over its running members, in the order they joined.
   */
  assignment(member: FakeConsumer): { topic: string; partition: number }[] {
    const members = this.consumers.filter((c) => c.running && c.groupId === member.groupId);
    const topics = [...new Set(members.flatMap((c) => c.topics))].sort();
    const partitions = topics.flatMap((topic) =>
      (this.topics.get(topic) ?? []).map((_, partition) => ({ topic, partition })),
    );
    const index = members.indexOf(member);
    return partitions.filter((p, i) => i % members.length === index && member.topics.includes(p.topic));
  }

  /** @internal Lets every running consumer fetch, on a later turn (as network I/O would). */
  schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      for (const consumer of this.consumers) consumer.fetch();
    });
  }
}

/** A fake kafkajs producer: sends land in the fake broker, or fail as the test says. */
export class FakeProducer implements KafkaProducer {
  readonly events: ProducerEvents = {
    CONNECT: 'producer.connect',
    DISCONNECT: 'producer.disconnect',
    REQUEST: 'producer.network.request',
    REQUEST_TIMEOUT: 'producer.network.request_timeout',
    REQUEST_QUEUE_SIZE: 'producer.network.request_queue_size',
  };
  readonly config: ProducerConfig | undefined;
  /** Every record passed to `send`, acknowledged or not. */
  readonly sent: ProducerRecord[] = [];
  connected = false;
  private readonly broker: FakeKafka;
  private readonly instrumentation = new Instrumentation();
  private readonly failures: { readonly topic: string | undefined; readonly error: Error }[] = [];
  private held: Promise<void> | undefined;

  constructor(broker: FakeKafka, config: ProducerConfig | undefined) {
    this.broker = broker;
    this.config = config;
  }

  connect(): Promise<void> {
    this.connected = true;
    this.instrumentation.emit(this.events.CONNECT, null);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.connected = false;
    this.instrumentation.emit(this.events.DISCONNECT, null);
    return Promise.resolve();
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    // kafkajs refuses to send before connect (KafkaJSError "The producer is disconnected").
    if (!this.connected) throw new Error('The producer is disconnected');
    this.sent.push(record);
    await this.held;
    const index = this.failures.findIndex((f) => f.topic === undefined || f.topic === record.topic);
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (failure) throw failure.error;
    return record.messages.map((message) => this.broker.append(record.topic, message));
  }

  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): () => void {
    return this.instrumentation.on(eventName, listener as Listener);
  }

  /** The next send (to `topic`, or any) rejects with `error`, as after kafkajs gave up. */
  failNextSend(error: Error, topic?: string): void {
    this.failures.push({ topic, error });
  }

  /** Sends wait, unacknowledged, until the returned function is called. */
  holdAcks(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.held = undefined;
      release();
    };
  }

  /** Emits an instrumentation event, e.g. `producer.disconnect`. */
  emit(eventName: string, payload: unknown = null): void {
    this.instrumentation.emit(eventName, payload);
  }
}

/** A fake kafkajs consumer: a member of a consumer group of the fake broker. */
export class FakeConsumer implements KafkaConsumer {
  readonly events: ConsumerEvents = {
    HEARTBEAT: 'consumer.heartbeat',
    COMMIT_OFFSETS: 'consumer.commit_offsets',
    GROUP_JOIN: 'consumer.group_join',
    FETCH_START: 'consumer.fetch_start',
    FETCH: 'consumer.fetch',
    START_BATCH_PROCESS: 'consumer.start_batch_process',
    END_BATCH_PROCESS: 'consumer.end_batch_process',
    CONNECT: 'consumer.connect',
    DISCONNECT: 'consumer.disconnect',
    STOP: 'consumer.stop',
    CRASH: 'consumer.crash',
    REBALANCING: 'consumer.rebalancing',
    RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
    REQUEST: 'consumer.network.request',
    REQUEST_TIMEOUT: 'consumer.network.request_timeout',
    REQUEST_QUEUE_SIZE: 'consumer.network.request_queue_size',
  };
  readonly groupId: string;
  readonly config: ConsumerConfig;
  /** Topic names subscribed to, RegExps already resolved. */
  readonly topics: string[] = [];
  /** What `subscribe` was called with. */
  readonly subscriptions: ConsumerSubscribeTopics[] = [];
  runConfig: ConsumerRunConfig | undefined;
  connected = false;
  running = false;
  heartbeats = 0;
  /** Offsets committed by this member, in order. */
  readonly commits: TopicPartitionOffsetAndMetadata[] = [];
  /** Errors thrown out of `eachMessage` (the message is then fetched again). */
  readonly errors: unknown[] = [];
  private fromBeginning = false;
  private readonly broker: FakeKafka;
  private readonly instrumentation = new Instrumentation();
  /** Next offset to fetch per `topic/partition` this member owns (kafkajs's resolved offsets). */
  private readonly positions = new Map<string, bigint>();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private heartbeatFailure: Error | undefined;

  constructor(broker: FakeKafka, config: ConsumerConfig) {
    this.broker = broker;
    this.config = config;
    this.groupId = config.groupId;
  }

  connect(): Promise<void> {
    this.connected = true;
    this.instrumentation.emit(this.events.CONNECT, null);
    return Promise.resolve();
  }

  async disconnect(): Promise<void> {
    if (this.running) {
      this.running = false;
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      this.instrumentation.emit(this.events.STOP, null);
      this.broker.schedule();
    }
    this.connected = false;
    this.instrumentation.emit(this.events.DISCONNECT, null);
  }

  /** The `{ topics }` form only: the `{ topic }` form is deprecated in kafkajs 2. */
  subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    if (this.running) throw new Error('Cannot subscribe to topic while consumer is running');
    this.subscriptions.push(subscription);
    for (const topic of subscription.topics) {
      if (topic instanceof RegExp) {
        // kafkajs matches a RegExp against the cluster's metadata once, here.
        this.topics.push(...[...this.broker.topics.keys()].filter((name) => topic.test(name)));
      } else {
        this.broker.createTopic(topic);
        this.topics.push(topic);
      }
    }
    this.fromBeginning = subscription.fromBeginning ?? false;
    return Promise.resolve();
  }

  run(config?: ConsumerRunConfig): Promise<void> {
    if (!config?.eachMessage) throw new Error('The fake supports eachMessage only');
    this.runConfig = config;
    this.running = true;
    this.broker.schedule();
    return Promise.resolve();
  }

  commitOffsets(topicPartitions: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    // kafkajs's runner drops commits once the consumer is stopping.
    if (!this.running) return Promise.resolve();
    for (const { topic, partition, offset } of topicPartitions) {
      this.broker.commit(this.groupId, topic, partition, offset);
      this.commits.push({ topic, partition, offset });
    }
    return Promise.resolve();
  }

  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): () => void {
    return this.instrumentation.on(eventName, listener as Listener);
  }

  /** Emits `consumer.crash` as kafkajs does when it gives up (restart) or dies (no restart). */
  crash(error: Error, restart: boolean): void {
    this.instrumentation.emit(this.events.CRASH, { error, groupId: this.groupId, restart });
  }

  /** The next heartbeat rejects, e.g. with a rebalance error. */
  failNextHeartbeat(error: Error): void {
    this.heartbeatFailure = error;
  }

  /** @internal Hands the next message of each idle owned partition to `eachMessage`. */
  fetch(): void {
    const eachMessage = this.runConfig?.eachMessage;
    if (!this.running || !eachMessage) return;
    const owned = this.broker.assignment(this);
    const ownedKeys = new Set(owned.map(({ topic, partition }) => `${topic}/${String(partition)}`));
    // A partition that moved away starts again from the committed offset if it comes back.
    for (const key of this.positions.keys()) if (!ownedKeys.has(key)) this.positions.delete(key);
    const concurrency = this.runConfig?.partitionsConsumedConcurrently ?? 1;
    for (const { topic, partition } of owned) {
      const key = `${topic}/${String(partition)}`;
      if (this.busy.has(key)) continue;
      if (this.busy.size >= concurrency) return;
      const log = this.broker.topics.get(topic)?.[partition] ?? [];
      let position = this.positions.get(key);
      if (position === undefined) {
        const committed = this.broker.committed(this.groupId, topic, partition);
        position = BigInt(committed ?? (this.fromBeginning ? 0 : log.length));
        this.positions.set(key, position);
      }
      const message = log[Number(position)];
      if (!message) continue;
      this.deliver(eachMessage, topic, partition, key, message);
    }
  }

  private deliver(
    eachMessage: NonNullable<ConsumerRunConfig['eachMessage']>,
    topic: string,
    partition: number,
    key: string,
    stored: StoredMessage,
  ): void {
    this.busy.add(key);
    const run: Promise<void> = this.process(eachMessage, topic, partition, key, stored).then((failed) => {
      this.busy.delete(key);
      this.inFlight.delete(run);
      // After a failure kafkajs backs off before fetching the message again.
      if (failed) {
        setTimeout(() => {
          this.broker.schedule();
        }, 5);
      } else {
        this.broker.schedule();
      }
    });
    this.inFlight.add(run);
  }

  /** Runs `eachMessage`; true when it threw (the position stays, so the message comes again). */
  private async process(
    eachMessage: NonNullable<ConsumerRunConfig['eachMessage']>,
    topic: string,
    partition: number,
    key: string,
    stored: StoredMessage,
  ): Promise<boolean> {
    const message: RecordBatchEntry = { ...stored, headers: { ...stored.headers }, attributes: 0 };
    try {
      await eachMessage({
        topic,
        partition,
        message,
        heartbeat: () => this.heartbeat(),
        pause: () => () => undefined,
      });
      if (this.positions.has(key)) this.positions.set(key, BigInt(stored.offset) + 1n);
      return false;
    } catch (error) {
      this.errors.push(error);
      return true;
    }
  }

  private heartbeat(): Promise<void> {
    this.heartbeats++;
    const failure = this.heartbeatFailure;
    this.heartbeatFailure = undefined;
    return failure ? Promise.reject(failure) : Promise.resolve();
  }
}
