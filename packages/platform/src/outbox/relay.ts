import { and, asc, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.ts';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';
import { inTransaction } from '../db/transaction.ts';
import { counter, histogram } from '../metrics/index.ts';

const relayMetrics = {
  published: counter('only_outbox_published_total', 'Outbox events published to the bus.', ['source']),
  failures: counter('only_outbox_publish_failures_total', 'Failed attempts to publish outbox events.', [
    'source',
  ]),
  lagSeconds: histogram(
    'only_outbox_lag_seconds',
    'From an event being written to the outbox to the bus accepting it.',
    ['source'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  ),
};

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly db: Database;
  readonly table: PlatformTables['outbox'];
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly source: string;
  /** Rows claimed per transaction. */
  readonly batchSize?: number;
  /** How often to look for due rows when nothing woke the relay. */
  readonly pollIntervalMs?: number;
  /**
   * Least time between the starts of two batches when woken by commits: commits arriving together
   * are published in one batch instead of one transaction each. Bounds the added latency.
   */
  readonly minBatchIntervalMs?: number;
  /** First retry delay after a failed publish; doubles per attempt up to `maxBackoffMs`. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Publishes outbox rows to the bus. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so any number
 * of replicas relay side by side without publishing a row twice at the same time; a row is marked
 * published only after the bus accepted it (broker confirm), so a crash means a re-publish, never
 * a loss. Failed rows wait with exponential backoff. Published rows stay as the event log.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly minBatchIntervalMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Counts kicks, so a kick during a batch is not lost while the loop was busy. */
  private kicks = 0;

  private readonly options: OutboxRelayOptions;

  constructor(options: OutboxRelayOptions) {
    this.options = options;
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.minBatchIntervalMs = options.minBatchIntervalMs ?? 10;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** Starts relaying in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the relay now (called after a commit that wrote events). */
  kick(): void {
    this.kicks++;
    this.wake?.();
  }

  /**
   * Publishes every row that is due now, batch after batch, and resolves with how many were
   * published. Used on shutdown and by tests.
   */
  async flush(): Promise<number> {
    let total = 0;
    if (!this.options.bus.isHealthy()) return total;
    for (;;) {
      const { claimed, published } = await this.relayBatch();
      total += published;
      if (claimed < this.batchSize || published === 0) return total;
    }
  }

  /** Stops the loop after the batch in flight, then publishes what is still due (bounded). */
  async stop(drainTimeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.race([
      this.flush().catch((error: unknown) => {
        this.options.logger.warn(
          { err: error },
          'outbox drain on shutdown failed; rows stay for the next start',
        );
      }),
      new Promise((resolve) => setTimeout(resolve, drainTimeoutMs).unref()),
    ]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      // While the broker is away, wait for it instead of spending every row's retry budget.
      if (!this.options.bus.isHealthy()) {
        await this.sleep(Math.min(this.pollIntervalMs, 500), true);
        continue;
      }
      const kicksBefore = this.kicks;
      const startedAt = Date.now();
      let claimed = 0;
      try {
        ({ claimed } = await this.relayBatch());
      } catch (error) {
        this.options.logger.error({ err: error }, 'outbox relay batch failed');
      }
      if (claimed >= this.batchSize) continue;
      if (this.kicks === kicksBefore) await this.sleep(this.pollIntervalMs, true);
      // Woken by commits: let a few more arrive so that they share the next batch.
      const linger = this.minBatchIntervalMs - (Date.now() - startedAt);
      if (linger > 0) await this.sleep(linger, false);
    }
  }

  /** Waits `ms`; a kick (or stop) ends the wait early when `wakeable`. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    // stop() may have run while a batch was in flight, when there was no sleep to wake.
    if (!this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      if (wakeable) {
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      }
    });
  }

  private async relayBatch(): Promise<{ claimed: number; published: number }> {
    const { db, table, bus, source } = this.options;
    return inTransaction(db, async (tx) => {
      // Claim and mark in one statement; the mark only sticks if the transaction commits, and a
      // failed publish takes its row back below.
      const due = tx
        .select({ id: table.id })
        .from(table)
        .where(and(isNull(table.publishedAt), lte(table.nextAttemptAt, sql`now()`)))
        .orderBy(asc(table.id))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      const rows = await tx
        .update(table)
        .set({ publishedAt: sql`now()` })
        .where(inArray(table.id, due))
        .returning({
          id: table.id,
          envelope: table.envelope,
          headers: table.headers,
          attempts: table.attempts,
          occurredAt: table.occurredAt,
        });
      if (rows.length === 0) return { claimed: 0, published: 0 };
      // Publish in event order (ids are time-ordered UUIDv7).
      rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

      const outcomes = await Promise.all(
        rows.map(async (row) => {
          try {
            await bus.publish(row.envelope, row.headers);
            return { row, failure: undefined };
          } catch (error) {
            return { row, failure: error instanceof Error ? error : new Error(String(error)) };
          }
        }),
      );
      let published = 0;
      const now = Date.now();
      for (const { row, failure } of outcomes) {
        if (failure === undefined) {
          published++;
          relayMetrics.lagSeconds.observe({ source }, (now - row.occurredAt.getTime()) / 1000);
          continue;
        }
        relayMetrics.failures.inc({ source });
        const attempts = row.attempts + 1;
        const backoffMs = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(attempts - 1, 16));
        await tx
          .update(table)
          .set({
            publishedAt: null,
            attempts,
            lastError: failure.message.slice(0, 1000),
            nextAttemptAt: sql`now() + make_interval(secs => ${backoffMs / 1000})`,
          })
          .where(inArray(table.id, [row.id]));
        if (attempts === 1 || attempts % 10 === 0) {
          this.options.logger.warn(
            { eventId: row.id, attempts, err: failure },
            'publishing outbox event failed',
          );
        }
      }
      relayMetrics.published.inc({ source }, published);
      return { claimed: rows.length, published };
    });
  }
}
