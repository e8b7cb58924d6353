import { AsyncResource } from 'node:async_hooks';
import type { EventEnvelope } from '@only/contracts/envelope';
import type { Logger } from 'pino';
import { busMetrics } from './bus-metrics.ts';
import {
  DEFAULT_RETRY_POLICY,
  type DeadLetter,
  type EventBus,
  type EventHandler,
  type MessageHeaders,
  type RetryPolicy,
  type Subscription,
} from './event-bus.ts';
import { compileTopicPattern } from './topic-pattern.ts';

interface QueuedMessage {
  readonly event: EventEnvelope;
  readonly headers: MessageHeaders;
  readonly attempt: number;
}

interface Subscriber {
  readonly handler: EventHandler;
  readonly concurrency: number;
  inFlight: number;
}

const TRANSPORT = 'memory';
const NO_RETRY: RetryPolicy = { delaysMs: [] };

/** One consumer's queue: bound by patterns, shared by competing subscribers, with retries and a DLQ. */
class ConsumerQueue {
  private readonly matchers: ((type: string) => boolean)[] = [];
  private readonly pending: QueuedMessage[] = [];
  private readonly subscribers: Subscriber[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private nextSubscriber = 0;
  readonly deadLetters: DeadLetter[] = [];

  readonly name: string;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger | undefined;

  private readonly root: AsyncResource;

  constructor(name: string, retry: RetryPolicy, logger: Logger | undefined, root: AsyncResource) {
    this.root = root;
    this.name = name;
    this.retry = retry;
    this.logger = logger;
  }

  bind(patterns: readonly string[]): void {
    this.matchers.push(...patterns.map(compileTopicPattern));
  }

  addSubscriber(handler: EventHandler, concurrency: number): void {
    this.subscribers.push({ handler, concurrency, inFlight: 0 });
    this.pump();
  }

  matches(type: string): boolean {
    return this.matchers.some((match) => match(type));
  }

  enqueue(message: QueuedMessage): void {
    this.pending.push(message);
    // Deliver on a later tick: publishing never runs consumer code inside the publisher's call
    // (the outbox relay publishes while holding its transaction).
    setImmediate(() => {
      this.pump();
    });
  }

  get isIdle(): boolean {
    return (
      this.pending.length === 0 && this.timers.size === 0 && this.subscribers.every((s) => s.inFlight === 0)
    );
  }

  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.notifyIfIdle();
  }

  private pump(): void {
    while (this.pending.length > 0) {
      const subscriber = this.freeSubscriber();
      if (!subscriber) return;
      const message = this.pending.shift();
      if (!message) return;
      // In the bus's own async context, not the publisher's: a handler must never find itself
      // inside the transaction of the relay that published (it would join a finished one).
      void this.root.runInAsyncScope(() => this.deliver(subscriber, message));
    }
    this.notifyIfIdle();
  }

  /** Round-robin over subscribers with spare capacity, like competing consumers on a queue. */
  private freeSubscriber(): Subscriber | undefined {
    for (let i = 0; i < this.subscribers.length; i++) {
      const index = (this.nextSubscriber + i) % this.subscribers.length;
      const subscriber = this.subscribers[index];
      if (subscriber && subscriber.inFlight < subscriber.concurrency) {
        this.nextSubscriber = index + 1;
        return subscriber;
      }
    }
    return undefined;
  }

  private async deliver(subscriber: Subscriber, message: QueuedMessage): Promise<void> {
    subscriber.inFlight++;
    const stopTimer = busMetrics.handlerSeconds.startTimer({ transport: TRANSPORT, consumer: this.name });
    try {
      await subscriber.handler(message.event, { headers: message.headers, attempt: message.attempt });
      busMetrics.consumed.inc({ transport: TRANSPORT, consumer: this.name, outcome: 'ok' });
      busMetrics.endToEndSeconds.observe(
        { transport: TRANSPORT, consumer: this.name },
        (Date.now() - Date.parse(message.event.occurredAt)) / 1000,
      );
    } catch (error) {
      this.failed(message, error);
    } finally {
      stopTimer();
      subscriber.inFlight--;
      this.pump();
    }
  }

  private failed(message: QueuedMessage, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const delay = this.retry.delaysMs[message.attempt - 1];
    if (delay === undefined) {
      busMetrics.consumed.inc({ transport: TRANSPORT, consumer: this.name, outcome: 'dead_lettered' });
      busMetrics.deadLettered.inc({ transport: TRANSPORT, consumer: this.name });
      this.deadLetters.push({
        consumer: this.name,
        event: message.event,
        headers: message.headers,
        attempts: message.attempt,
        error: reason,
        deadLetteredAt: new Date().toISOString(),
      });
      this.logger?.error(
        {
          consumer: this.name,
          eventId: message.event.id,
          type: message.event.type,
          attempts: message.attempt,
          err: error,
        },
        'event parked in dead-letter queue',
      );
      return;
    }
    busMetrics.consumed.inc({ transport: TRANSPORT, consumer: this.name, outcome: 'retry' });
    this.logger?.warn(
      {
        consumer: this.name,
        eventId: message.event.id,
        type: message.event.type,
        attempt: message.attempt,
        err: error,
      },
      'event handler failed; will retry',
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pending.push({ ...message, attempt: message.attempt + 1 });
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  private notifyIfIdle(): void {
    if (!this.isIdle) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** Options of {@link InMemoryBus}. */
export interface InMemoryBusOptions {
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
}

/**
 * The in-process event bus of embedded mode and tests: topic routing, one queue per consumer,
 * competing subscribers, retries with delays, and a dead-letter queue per consumer. Nothing
 * survives the process; the outbox is what makes events durable.
 */
export class InMemoryBus implements EventBus {
  readonly kind = TRANSPORT;
  private readonly queues = new Map<string, ConsumerQueue>();
  private closed = false;
  private broadcastQueues = 0;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger | undefined;

  /** The async context the bus was created in (at boot: no request, no transaction). */
  private readonly root = new AsyncResource('only.memory-bus');

  constructor(options: InMemoryBusOptions = {}) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = options.logger;
  }

  publish(event: EventEnvelope, headers: MessageHeaders = {}): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The bus is closed'));
    busMetrics.published.inc({ transport: TRANSPORT, type: event.type });
    for (const queue of this.queues.values()) {
      if (queue.matches(event.type)) queue.enqueue({ event, headers, attempt: 1 });
    }
    return Promise.resolve();
  }

  subscribe(subscription: Subscription): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The bus is closed'));
    // A broadcast subscriber gets a queue of its own, like an exclusive queue per instance.
    const name = subscription.broadcast
      ? `${subscription.consumer}#${String(++this.broadcastQueues)}`
      : subscription.consumer;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new ConsumerQueue(name, subscription.broadcast ? NO_RETRY : this.retry, this.logger, this.root);
      this.queues.set(name, queue);
    }
    queue.bind(subscription.patterns);
    queue.addSubscriber(subscription.handler, subscription.concurrency ?? 16);
    return Promise.resolve();
  }

  isHealthy(): boolean {
    return !this.closed;
  }

  /** Resolves once every queue is empty, with no handler running and no retry waiting. */
  async drain(): Promise<void> {
    while (![...this.queues.values()].every((q) => q.isIdle)) {
      await Promise.all([...this.queues.values()].map((q) => q.whenIdle()));
    }
  }

  /** Messages parked in a consumer's dead-letter queue. */
  deadLetters(consumer: string): readonly DeadLetter[] {
    return this.queues.get(consumer)?.deadLetters ?? [];
  }

  /** Moves a consumer's dead letters back to its queue for another round of attempts. */
  redrive(consumer: string): number {
    const queue = this.queues.get(consumer);
    if (!queue) return 0;
    const letters = queue.deadLetters.splice(0);
    for (const letter of letters) queue.enqueue({ event: letter.event, headers: letter.headers, attempt: 1 });
    return letters.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values()) queue.cancelTimers();
    await Promise.all([...this.queues.values()].map((q) => q.whenIdle()));
  }
}
