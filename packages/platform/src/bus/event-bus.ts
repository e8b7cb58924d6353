import type { EventEnvelope } from '@only/contracts/envelope';

/** Transport headers of a message: trace context, correlation. */
export type MessageHeaders = Readonly<Record<string, string>>;

/** What a handler learns about one delivery besides the event. */
export interface Delivery {
  readonly headers: MessageHeaders;
  /** 1 on the first delivery, then 2, 3… on retries. */
  readonly attempt: number;
}

/** Handles one event. Throwing means "not done": the message is retried, then dead-lettered. */
export type EventHandler = (event: EventEnvelope, delivery: Delivery) => Promise<void>;

/** A consuming service's subscription: one queue per consumer, bound by type patterns. */
export interface Subscription {
  /** Consumer (queue) name, e.g. `invoices`; replicas of a service share it and split the work. */
  readonly consumer: string;
  /** Event type patterns with topic semantics: `*` is one word, `#` any number of words. */
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
  /** Messages handled at once by this subscriber (the prefetch). */
  readonly concurrency?: number;
  /**
   * Every subscribing instance receives every message, instead of replicas sharing the work (for
   * per-process state such as an in-memory cache). Not durable: what is published while an
   * instance is down is not kept for it, and nothing is retried or dead-lettered.
   */
  readonly broadcast?: boolean;
}

/** A message that failed every attempt and waits in a consumer's dead-letter queue. */
export interface DeadLetter {
  readonly consumer: string;
  readonly event: EventEnvelope;
  readonly headers: MessageHeaders;
  readonly attempts: number;
  readonly error: string;
  readonly deadLetteredAt: string;
}

/**
 * The event bus, whatever the transport (in-process, RabbitMQ, Kafka). `publish` resolves only
 * once the transport accepted the message durably; delivery is at least once, so consumers dedupe
 * through their inbox.
 */
export interface EventBus {
  readonly kind: string;
  publish(event: EventEnvelope, headers?: MessageHeaders): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /** Whether the transport is usable right now (for readiness). */
  isHealthy(): boolean;
  /** Stops consuming, waits for handlers in flight, releases the transport. */
  close(): Promise<void>;
}

/** Retry policy of consumers: delays before each further attempt; after the last, dead-letter. */
export interface RetryPolicy {
  readonly delaysMs: readonly number[];
}

/** Default retries: 5 more attempts over about 12 seconds. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { delaysMs: [100, 500, 1_500, 3_000, 7_000] };
