import type { RetryPolicy } from './event-bus.ts';

/** The queues and exchanges one consuming service owns on the broker. */
export interface ConsumerTopology {
  /** Durable queue bound to the events exchange by the consumer's patterns. */
  readonly queue: string;
  /** Where a failed message waits before it expires back into {@link queue}, one per attempt. */
  readonly retryQueues: readonly { readonly name: string; readonly delayMs: number }[];
  /** Fanout exchange the main queue dead-letters into (messages rejected without requeue). */
  readonly deadLetterExchange: string;
  /** Where messages that failed every attempt are parked for inspection and re-drive. */
  readonly deadLetterQueue: string;
}

/** Names of a consumer's queues: `<ns>.<consumer>`, `.retry.<ms>`, `.dlx`, `.dlq`. */
export function consumerTopology(namespace: string, consumer: string, retry: RetryPolicy): ConsumerTopology {
  const queue = `${namespace}.${consumer}`;
  return {
    queue,
    retryQueues: retry.delaysMs.map((delayMs) => ({ name: `${queue}.retry.${delayMs}`, delayMs })),
    deadLetterExchange: `${queue}.dlx`,
    deadLetterQueue: `${queue}.dlq`,
  };
}
